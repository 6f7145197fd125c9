//! The site header: the brand, the main navigation, log in or out.

use leptos::{either::Either, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};
use lophoc_core::{api::Role, i18n::Msg};

use crate::{
    api,
    components::SyncIndicator,
    state::{i18n::use_i18n, session::use_session},
};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Forget the user locally even if the server cannot be reached:
            // the cookie is cleared by the server, or expires on its own.
            let _ = api::logout().await;
            // The outbox stays: it is kept per user and syncs at their next login.
            if let Ok(local) = crate::store::get().await {
                let _ = local.forget_user().await;
            }
            session.user.set(None);
            session.notice.set(Some(Msg::LoggedOut));
            navigate("/login", Default::default());
        });
    };
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{move || i18n.t(Msg::SkipToContent)}</a>
            <A href="/" attr:class="brand">{move || i18n.t(Msg::AppName)}</A>
            <nav aria-label=move || i18n.t(Msg::MainNavLabel)>
                <ul class="nav-list">
                    <li><A href="/" exact=true>{move || i18n.t(Msg::NavHome)}</A></li>
                    <Show when=move || role() == Some(Role::Trainee)>
                        <li><A href="/progress">{move || i18n.t(Msg::NavProgress)}</A></li>
                    </Show>
                    <Show when=move || role().is_some_and(|r| r != Role::Trainee)>
                        <li><A href="/classes">{move || i18n.t(Msg::NavClasses)}</A></li>
                    </Show>
                    <Show when=move || matches!(role(), Some(Role::Lecturer | Role::CentreAdmin))>
                        <li><A href="/grading">{move || i18n.t(Msg::NavGrading)}</A></li>
                        <li><A href="/bank">{move || i18n.t(Msg::NavBank)}</A></li>
                        <li><A href="/present">{move || i18n.t(Msg::NavLive)}</A></li>
                        <li><A href="/authoring">{move || i18n.t(Msg::NavAuthoring)}</A></li>
                    </Show>
                    <Show when=move || matches!(role(), Some(Role::CentreAdmin | Role::ProvinceAdmin))>
                        <li><A href="/report">{move || i18n.t(Msg::NavReport)}</A></li>
                        <li><A href="/accounts">{move || i18n.t(Msg::NavAccounts)}</A></li>
                    </Show>
                    <li><A href="/settings">{move || i18n.t(Msg::NavSettings)}</A></li>
                    <li>
                        {move || if session.user.with(Option::is_some) {
                            let logout = logout.clone();
                            Either::Left(view! {
                                <button type="button" class="link-button" on:click=logout>
                                    {move || i18n.t(Msg::NavLogout)}
                                </button>
                            })
                        } else {
                            Either::Right(view! {
                                <A href="/login">{move || i18n.t(Msg::NavLogin)}</A>
                            })
                        }}
                    </li>
                </ul>
            </nav>
            <SyncIndicator/>
        </header>
    }
}
