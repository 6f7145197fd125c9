//! The app: contexts, the page frame and the routes.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};
use lophoc_core::i18n::Msg;

use crate::{
    components::{RequireLogin, SiteHeader, UpdateBanner},
    pages::{
        assessment::AssessmentPage,
        certificate::{CertificatePage, VerifyPage},
        course::CoursePage,
        home::HomePage,
        lesson::LessonPage,
        live::{LiveJoinPage, LivePlayPage},
        login::LoginPage,
        module::ModulePage,
        not_found::NotFoundPage,
        progress::ProgressPage,
        settings::SettingsPage,
        situation::SituationPage,
    },
    state::{i18n::provide_i18n, session::provide_session},
    sync::provide_sync,
};

#[cfg(feature = "staff")]
use crate::pages::{
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
};

// Without the staff pages, every staff route shows the shell that loads the
// staff build; the routes themselves stay the same in both builds.
#[cfg(not(feature = "staff"))]
use crate::pages::staff_shell::{
    StaffShell as EditorPage, StaffShell as ReviewPage, StaffShell as ReviewQueuePage,
    StaffShell as AuthoringPage, StaffShell as DraftPage, StaffShell as BankPage,
    StaffShell as ClassPage, StaffShell as ClassesPage, StaffShell as GradingPage,
    StaffShell as PresentPage, StaffShell as PresenterPage, StaffShell as ReportPage,
    StaffShell as TraineePage,
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    provide_session();
    provide_sync();
    view! {
        <Router>
            <SiteHeader/>
            <UpdateBanner/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    <Route path=path!("/verify") view=VerifyPage/>
                    <Route path=path!("/verify/:code") view=VerifyPage/>
                    <Route
                        path=path!("/progress")
                        view=|| view! { <RequireLogin><ProgressPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/classes")
                        view=|| view! { <RequireLogin><ClassesPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/classes/:class")
                        view=|| view! { <RequireLogin><ClassPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/classes/:class/trainees/:user")
                        view=|| view! { <RequireLogin><TraineePage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/report")
                        view=|| view! { <RequireLogin><ReportPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/certificates/:code")
                        view=|| view! { <RequireLogin><CertificatePage/></RequireLogin> }
                    />
                    <Route path=path!("/live") view=LiveJoinPage/>
                    <Route path=path!("/live/:code") view=LivePlayPage/>
                    <Route
                        path=path!("/present")
                        view=|| view! { <RequireLogin><PresentPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/present/:code")
                        view=|| view! { <RequireLogin><PresenterPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/bank")
                        view=|| view! { <RequireLogin><BankPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/grading")
                        view=|| view! { <RequireLogin><GradingPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/authoring")
                        view=|| view! { <RequireLogin><AuthoringPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/authoring/:course")
                        view=|| view! { <RequireLogin><DraftPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/authoring/:course/edit/*path")
                        view=|| view! { <RequireLogin><EditorPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/review")
                        view=|| view! { <RequireLogin><ReviewQueuePage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/review/:course")
                        view=|| view! { <RequireLogin><ReviewPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/courses/:course")
                        view=|| view! { <RequireLogin><CoursePage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/courses/:course/modules/:module")
                        view=|| view! { <RequireLogin><ModulePage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/courses/:course/assessments/:assessment")
                        view=|| view! { <RequireLogin><AssessmentPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/courses/:course/situations/:situation")
                        view=|| view! { <RequireLogin><SituationPage/></RequireLogin> }
                    />
                    <Route
                        path=path!("/courses/:course/lessons/:lesson")
                        view=|| view! { <RequireLogin><LessonPage/></RequireLogin> }
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{move || i18n.t(Msg::Footer)}</p>
            </footer>
        </Router>
    }
}
