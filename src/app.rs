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
        authoring::{
            editor::EditorPage,
            review::{ReviewPage, ReviewQueuePage},
            AuthoringPage, DraftPage,
        },
        bank::BankPage,
        certificate::{CertificatePage, VerifyPage},
        class::ClassPage,
        classes::ClassesPage,
        course::CoursePage,
        grading::GradingPage,
        home::HomePage,
        lesson::LessonPage,
        live::{LiveJoinPage, LivePlayPage},
        login::LoginPage,
        module::ModulePage,
        not_found::NotFoundPage,
        present::{PresentPage, PresenterPage},
        progress::ProgressPage,
        report::ReportPage,
        settings::SettingsPage,
        situation::SituationPage,
        trainee::TraineePage,
    },
    state::{i18n::provide_i18n, session::provide_session},
    sync::provide_sync,
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
