//! Which code is fetched when (README, "Code split by page").
//!
//! The `.wasm` of a build is cut into a main module — the frame, the home and
//! login pages, the catalogue — and a few groups of pages that are fetched
//! the first time one of them opens: what a trainee reads and answers, the
//! settings and certificate check, the live quiz phone, the staff pages, and
//! the sync (with the signed-in home page's course list, which reads the
//! device's store as the sync does). A visitor on the home page downloads only the main module; the
//! service worker keeps every group for offline use.
//!
//! Each group is one function choosing among its pages (`wasm_split`, which
//! Leptos' `#[lazy]` is built on), so pages that share code (questions,
//! progress, the store) stay in one file instead of many small shared
//! chunks. With the `split` cargo feature (the Trunk builds)
//! `scripts/split-wasm.sh` cuts the module at these functions; without it
//! (native and browser tests) they are ordinary functions.
//!
//! A group that cannot be fetched (offline before the service worker kept
//! it) is not a crash: the page says it needs a connection the first time.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::{
    components::{use_title, NotOnDevice as NotOnDeviceNotice, RequireLogin},
    pages::{
        assessment::AssessmentPage,
        certificate::{CertificatePage, VerifyPage},
        course::CoursePage,
        home::{StaffCourses, TraineeCourses},
        lesson::LessonPage,
        live::{LiveJoinPage, LivePlayPage},
        module::ModulePage,
        progress::ProgressPage,
        settings::SettingsPage,
        situation::SituationPage,
        staff_home::StaffHomePanel,
    },
    state::i18n::use_i18n,
};
use lophoc_core::i18n::Msg;

/// A group's code could not be fetched.
#[derive(Clone, Copy, Debug)]
pub struct NotOnDevice;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for NotOnDevice {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotOnDevice
    }
}

/// Calls a group's function: fetched first (and so `async`) when split.
macro_rules! split_call {
    ($function:path, $($arg:expr),* $(,)?) => {{
        #[cfg(feature = "split")]
        let result = $function($($arg),*).await;
        #[cfg(not(feature = "split"))]
        let result = $function($($arg),*);
        result
    }};
}
pub(crate) use split_call;

/// A trainee's pages: courses, lessons, questions, tests, progress.
#[derive(Clone, Copy, Debug)]
pub enum Learning {
    Course,
    Module,
    Lesson,
    Situation,
    Assessment,
    Progress,
    Certificate,
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(learning, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn learning_view(page: Learning) -> Result<AnyView, NotOnDevice> {
    let page = move || match page {
        Learning::Course => view! { <CoursePage/> }.into_any(),
        Learning::Module => view! { <ModulePage/> }.into_any(),
        Learning::Lesson => view! { <LessonPage/> }.into_any(),
        Learning::Situation => view! { <SituationPage/> }.into_any(),
        Learning::Assessment => view! { <AssessmentPage/> }.into_any(),
        Learning::Progress => view! { <ProgressPage/> }.into_any(),
        Learning::Certificate => view! { <CertificatePage/> }.into_any(),
    };
    Ok(view! { <RequireLogin>{page}</RequireLogin> }.into_any())
}

/// Pages anyone may open: the language and password settings, the
/// certificate check; and the staff home page's panel.
#[derive(Clone, Copy, Debug)]
pub enum Open {
    Settings,
    Verify,
    StaffHome(lophoc_core::accounts::Role),
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(open, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn open_view(page: Open) -> Result<AnyView, NotOnDevice> {
    Ok(match page {
        Open::Settings => view! { <SettingsPage/> }.into_any(),
        Open::Verify => view! { <VerifyPage/> }.into_any(),
        Open::StaffHome(role) => view! { <StaffHomePanel role/> }.into_any(),
    })
}

/// The panel of a staff member's home page (`pages/staff_home.rs`), from
/// the `open` group: the trainees' first load does not carry it.
pub async fn staff_home_view(role: lophoc_core::accounts::Role) -> AnyView {
    split_call!(open_view, Open::StaffHome(role)).unwrap_or_else(|NotOnDevice| {
        view! { <NotOnDeviceNotice body=Msg::PageNotOnDevice/> }.into_any()
    })
}

/// The course list of a signed-in user's home page (`pages/home.rs`).
#[derive(Clone, Copy, Debug)]
pub enum HomeCourses {
    Trainee,
    Staff,
}

/// In the `sync` group: the list reads the device's store and the course
/// outlines as the sync does, and a signed-in device fetches the group at
/// start for its first sync; a visitor never does.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn home_courses(list: HomeCourses) -> Result<AnyView, NotOnDevice> {
    Ok(match list {
        HomeCourses::Trainee => view! { <TraineeCourses/> }.into_any(),
        HomeCourses::Staff => view! { <StaffCourses/> }.into_any(),
    })
}

/// The home page's course list, from the `sync` group.
pub async fn home_courses_view(list: HomeCourses) -> AnyView {
    split_call!(home_courses, list).unwrap_or_else(|NotOnDevice| {
        view! { <NotOnDeviceNotice body=Msg::PageNotOnDevice/> }.into_any()
    })
}

/// The live quiz on a phone.
#[derive(Clone, Copy, Debug)]
pub enum Live {
    Join,
    Play,
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(live, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn live_view(page: Live) -> Result<AnyView, NotOnDevice> {
    Ok(match page {
        Live::Join => view! { <LiveJoinPage/> }.into_any(),
        Live::Play => view! { <LivePlayPage/> }.into_any(),
    })
}

#[cfg(feature = "staff")]
pub use staff::{staff_view, Staff};

#[cfg(feature = "staff")]
mod staff {
    use leptos::prelude::*;

    use super::NotOnDevice;
    use crate::{
        components::RequireLogin,
        pages::{
            accounts::AccountsPage,
            authoring::{
                editor::EditorPage,
                review::{ReviewPage, ReviewQueuePage},
                AuthoringPage, DraftPage,
            },
            bank::BankPage,
            class::ClassPage,
            classes::ClassesPage,
            grading::GradingPage,
            present::{PresentPage, PresenterPage},
            report::ReportPage,
            trainee::TraineePage,
        },
    };

    /// The lecturers' and administrators' pages (staff build only).
    #[derive(Clone, Copy, Debug)]
    pub enum Staff {
        Accounts,
        Classes,
        Class,
        Trainee,
        Report,
        Present,
        Presenter,
        Bank,
        Grading,
        Authoring,
        Draft,
        Editor,
        ReviewQueue,
        Review,
    }

    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(staff, wasm_split_path = ::leptos::wasm_split, fallible)
    )]
    pub fn staff_view(page: Staff) -> Result<AnyView, NotOnDevice> {
        let page = move || match page {
            Staff::Accounts => view! { <AccountsPage/> }.into_any(),
            Staff::Classes => view! { <ClassesPage/> }.into_any(),
            Staff::Class => view! { <ClassPage/> }.into_any(),
            Staff::Trainee => view! { <TraineePage/> }.into_any(),
            Staff::Report => view! { <ReportPage/> }.into_any(),
            Staff::Present => view! { <PresentPage/> }.into_any(),
            Staff::Presenter => view! { <PresenterPage/> }.into_any(),
            Staff::Bank => view! { <BankPage/> }.into_any(),
            Staff::Grading => view! { <GradingPage/> }.into_any(),
            Staff::Authoring => view! { <AuthoringPage/> }.into_any(),
            Staff::Draft => view! { <DraftPage/> }.into_any(),
            Staff::Editor => view! { <EditorPage/> }.into_any(),
            Staff::ReviewQueue => view! { <ReviewQueuePage/> }.into_any(),
            Staff::Review => view! { <ReviewPage/> }.into_any(),
        };
        Ok(view! { <RequireLogin>{page}</RequireLogin> }.into_any())
    }
}

/// One route type per page, as the router wants (`Lazy<Route>`): each asks
/// its group for its page, or (`shell:`) shows a view of the main module.
macro_rules! routes {
    ($($route:ident => $group:ident($page:expr)),* $(,)?) => {$(
        routes!(@route $route, split_call!($group, $page)
            .unwrap_or_else(|NotOnDevice| view! { <NotOnDevicePage/> }.into_any()));
    )*};
    (shell: $view:expr; $($route:ident),* $(,)?) => {$(
        routes!(@route $route, $view.into_any());
    )*};
    (@route $route:ident, $view:expr) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $view
            }
        }
    };
}

routes! {
    CourseRoute => learning_view(Learning::Course),
    ModuleRoute => learning_view(Learning::Module),
    LessonRoute => learning_view(Learning::Lesson),
    SituationRoute => learning_view(Learning::Situation),
    AssessmentRoute => learning_view(Learning::Assessment),
    ProgressRoute => learning_view(Learning::Progress),
    CertificateRoute => learning_view(Learning::Certificate),
    SettingsRoute => open_view(Open::Settings),
    VerifyRoute => open_view(Open::Verify),
    LiveJoinRoute => live_view(Live::Join),
    LivePlayRoute => live_view(Live::Play),
}

#[cfg(feature = "staff")]
routes! {
    AccountsRoute => staff_view(Staff::Accounts),
    ClassesRoute => staff_view(Staff::Classes),
    ClassRoute => staff_view(Staff::Class),
    TraineeRoute => staff_view(Staff::Trainee),
    ReportRoute => staff_view(Staff::Report),
    PresentRoute => staff_view(Staff::Present),
    PresenterRoute => staff_view(Staff::Presenter),
    BankRoute => staff_view(Staff::Bank),
    GradingRoute => staff_view(Staff::Grading),
    AuthoringRoute => staff_view(Staff::Authoring),
    DraftRoute => staff_view(Staff::Draft),
    EditorRoute => staff_view(Staff::Editor),
    ReviewQueueRoute => staff_view(Staff::ReviewQueue),
    ReviewRoute => staff_view(Staff::Review),
}

// The trainees' build has no staff pages: each staff route shows the shell
// that loads the staff build (`pages/staff_shell.rs`), in the main module.
#[cfg(not(feature = "staff"))]
routes! {
    shell: view! { <crate::pages::staff_shell::StaffShell/> };
    AccountsRoute, ClassesRoute, ClassRoute, TraineeRoute, ReportRoute, PresentRoute, PresenterRoute,
    BankRoute, GradingRoute, AuthoringRoute, DraftRoute, EditorRoute, ReviewQueueRoute,
    ReviewRoute,
}

/// What a page whose code is not on the device says, instead of the page.
#[component]
fn NotOnDevicePage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::StaffOfflineTitle).to_string());
    view! { <NotOnDeviceNotice body=Msg::PageNotOnDevice/> }
}
