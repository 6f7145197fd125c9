//! The app: contexts, the page frame and the routes.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy,
};
use lophoc_core::i18n::Msg;

use crate::{
    components::{PasswordChangeGuard, SiteHeader, UpdateBanner},
    pages::{home::HomePage, login::LoginPage, not_found::NotFoundPage},
    split::*,
    state::{i18n::provide_i18n, session::provide_session},
    sync::provide_sync,
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    provide_session();
    provide_sync();
    crate::components::provide_pending_changes();
    // True while a link's page is on its way: its code may be fetched first
    // (`split.rs`), which on a slow link takes a moment.
    // Said only when it lasts: a page already on the device opens at once.
    let (routing, set_routing) = signal(false);
    let slow = RwSignal::new(false);
    Effect::new(move |_| {
        if routing.get() {
            set_timeout(
                move || slow.set(routing.get_untracked()),
                Duration::from_millis(300),
            );
        } else {
            slow.set(false);
        }
    });
    view! {
        <Router set_is_routing=set_routing>
            <PasswordChangeGuard/>
            <SiteHeader/>
            <UpdateBanner/>
            <Show when=move || slow.get()>
                <p class="route-loading" role="status">{move || i18n.t(Msg::Loading)}</p>
            </Show>
            <MainLater routes=move || view! {
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("/verify") view={Lazy::<VerifyRoute>::new()}/>
                    <Route path=path!("/verify/:code") view={Lazy::<VerifyRoute>::new()}/>
                    <Route path=path!("/progress") view={Lazy::<ProgressRoute>::new()}/>
                    <Route path=path!("/accounts") view={Lazy::<AccountsRoute>::new()}/>
                    <Route path=path!("/classes") view={Lazy::<ClassesRoute>::new()}/>
                    <Route path=path!("/classes/:class") view={Lazy::<ClassRoute>::new()}/>
                    <Route path=path!("/classes/:class/trainees/:user") view={Lazy::<TraineeRoute>::new()}/>
                    <Route path=path!("/report") view={Lazy::<ReportRoute>::new()}/>
                    <Route path=path!("/certificates/:code") view={Lazy::<CertificateRoute>::new()}/>
                    <Route path=path!("/live") view={Lazy::<LiveJoinRoute>::new()}/>
                    <Route path=path!("/live/:code") view={Lazy::<LivePlayRoute>::new()}/>
                    <Route path=path!("/present") view={Lazy::<PresentRoute>::new()}/>
                    <Route path=path!("/present/:code") view={Lazy::<PresenterRoute>::new()}/>
                    <Route path=path!("/bank") view={Lazy::<BankRoute>::new()}/>
                    <Route path=path!("/grading") view={Lazy::<GradingRoute>::new()}/>
                    <Route path=path!("/authoring") view={Lazy::<AuthoringRoute>::new()}/>
                    <Route path=path!("/authoring/:course") view={Lazy::<DraftRoute>::new()}/>
                    <Route path=path!("/authoring/:course/edit/*path") view={Lazy::<EditorRoute>::new()}/>
                    <Route path=path!("/review") view={Lazy::<ReviewQueueRoute>::new()}/>
                    <Route path=path!("/review/:course") view={Lazy::<ReviewRoute>::new()}/>
                    <Route path=path!("/courses/:course") view={Lazy::<CourseRoute>::new()}/>
                    <Route path=path!("/courses/:course/modules/:module") view={Lazy::<ModuleRoute>::new()}/>
                    <Route path=path!("/courses/:course/assessments/:assessment") view={Lazy::<AssessmentRoute>::new()}/>
                    <Route path=path!("/courses/:course/situations/:situation") view={Lazy::<SituationRoute>::new()}/>
                    <Route path=path!("/courses/:course/lessons/:lesson") view={Lazy::<LessonRoute>::new()}/>
                </Routes>
            }/>
            <footer class="site-footer">
                <p>{move || i18n.t(Msg::Footer)}</p>
            </footer>
        </Router>
    }
}

/// `<main>`, with `routes` mounted into it one task after the frame (see
/// `crate::yield_to_browser`): frame and routes built together were the
/// longest task of the app's start on a slow phone. Mounted, not rendered
/// behind a signal, so the routes are built once and no code to rebuild
/// them goes into the `.wasm`; under the router's owner, so they find its
/// context.
#[component]
fn MainLater<F, V>(routes: F) -> impl IntoView
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let main = NodeRef::<leptos::html::Main>::new();
    let owner = Owner::current();
    leptos::task::spawn_local(async move {
        crate::yield_to_browser().await;
        if let (Some(owner), Some(main)) = (owner, main.get_untracked()) {
            owner.with(|| leptos::mount::mount_to(main, routes).forget());
        }
    });
    view! { <main id="main" tabindex="-1" node_ref=main></main> }
}
