//! The site header: the brand, the sync status and the main navigation.
//!
//! Policy: one row at every width, and sticky, so the way around and the
//! sync status are always at hand. On phones and tablets the navigation is a
//! menu behind a button (a disclosure: `aria-expanded`, `aria-controls`,
//! Escape closes it and gives the focus back, any link closes it); from
//! 64 rem it is a row of links. "Review" is there for admins and for the
//! lecturers named reviewers. Signing out is the menu's last item; with
//! changes not yet sent it asks first, since they then wait on this device
//! until the same person signs in here again. `index.html` and `staff.html`
//! paint the same header before the app starts (keep them in step).

use leptos::{either::Either, ev, prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_location, use_navigate},
};
use lophoc_core::{accounts::Role, i18n::Msg};

use crate::{
    api,
    components::SyncIndicator,
    state::{i18n::use_i18n, session::use_session},
    sync::use_sync,
};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let changes = crate::components::use_pending_changes();
    let navigate = use_navigate();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    // A lecturer whom the centre admin named a reviewer reviews too: the
    // staff home's counts say so (`reviews` is there only for reviewers).
    let reviews = RwSignal::new(false);
    Effect::new(move |_| {
        reviews.set(false);
        if role() == Some(Role::Lecturer) {
            spawn_local(async move {
                if let Ok(home) = api::staff_home().await {
                    reviews.set(home.reviews.is_some());
                }
            });
        }
    });
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let toggle_ref = NodeRef::<leptos::html::Button>::new();
    // Any navigation closes the menu (a link in it was followed).
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    let escape = window_event_listener(ev::keydown, move |e| {
        if e.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = toggle_ref.get_untracked() {
                let _ = button.focus();
            }
        }
    });
    on_cleanup(move || escape.remove());

    let sign_out = move || {
        let navigate = navigate.clone();
        confirming.set(false);
        open.set(false);
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
    let ask_sign_out = {
        let sign_out = sign_out.clone();
        move |_| {
            if changes.get_untracked() > 0 {
                open.set(false);
                confirming.set(true);
            } else {
                sign_out();
            }
        }
    };
    let confirm = move || {
        let sign_out = sign_out.clone();
        confirming.get().then(|| {
            view! {
                <div class="header-confirm" role="alertdialog" aria-labelledby="logout-title"
                    aria-describedby="logout-why" data-testid="logout-confirm">
                    <p id="logout-title"><strong>{move || i18n.f(Msg::LogoutPendingTitle, &[("n", &changes.get().to_string())])}</strong></p>
                    <p id="logout-why">{move || i18n.t(Msg::LogoutPendingWhy)}</p>
                    <div class="button-row">
                        <Show when=move || sync.online.get()>
                            <button type="button" class="button" on:click=move |_| sync.sync_now()
                                disabled=move || sync.syncing.get()>
                                {move || i18n.t(if sync.syncing.get() { Msg::SyncSyncing } else { Msg::SyncNow })}
                            </button>
                        </Show>
                        <button type="button" class="button" on:click={
                            let sign_out = sign_out.clone();
                            move |_| sign_out()
                        }>{move || i18n.t(Msg::LogoutAnyway)}</button>
                        <button type="button" class="button" on:click=move |_| confirming.set(false)>
                            {move || i18n.t(Msg::Cancel)}
                        </button>
                    </div>
                </div>
            }
        })
    };
    // Everything sent: nothing left to warn about.
    Effect::new(move |_| {
        if confirming.get_untracked() && changes.get() == 0 {
            confirming.set(false);
        }
    });
    view! {
        <header class="site-header" class:menu-open=move || open.get()>
            <a class="skip-link" href="#main">{move || i18n.t(Msg::SkipToContent)}</a>
            <A href="/" attr:class="brand">{move || i18n.t(Msg::AppName)}</A>
            <nav class="site-nav" aria-label=move || i18n.t(Msg::MainNavLabel)>
                <button type="button" class="menu-toggle" node_ref=toggle_ref
                    aria-expanded=move || open.get().to_string() aria-controls="site-menu"
                    on:click=move |_| open.update(|o| *o = !*o)>
                    <span class="menu-icon" aria-hidden="true"></span>
                    <span>{move || i18n.t(Msg::MenuButton)}</span>
                </button>
                // Following any item closes the menu.
                <ul class="nav-list" id="site-menu" on:click=move |_| open.set(false)>
                    <li><A href="/" exact=true>{move || i18n.t(Msg::NavHome)}</A></li>
                    <Show when=move || role() == Some(Role::Trainee)>
                        <li><A href="/progress">{move || i18n.t(Msg::NavProgress)}</A></li>
                    </Show>
                    <Show when=move || role().is_some_and(|r| r != Role::Trainee)>
                        <li><A href="/classes">{move || i18n.t(Msg::NavClasses)}</A></li>
                    </Show>
                    <Show when=move || matches!(role(), Some(Role::Lecturer | Role::CentreAdmin))>
                        <li><A href="/grading">{move || i18n.t(Msg::NavGrading)}</A></li>
                        <li><A href="/present">{move || i18n.t(Msg::NavLive)}</A></li>
                        <li><A href="/bank">{move || i18n.t(Msg::NavBank)}</A></li>
                        <li><A href="/authoring">{move || i18n.t(Msg::NavAuthoring)}</A></li>
                    </Show>
                    <Show when=move || matches!(role(), Some(Role::CentreAdmin | Role::ProvinceAdmin)) || reviews.get()>
                        <li><A href="/review">{move || i18n.t(Msg::NavReview)}</A></li>
                    </Show>
                    <Show when=move || matches!(role(), Some(Role::CentreAdmin | Role::ProvinceAdmin))>
                        <li><A href="/report">{move || i18n.t(Msg::NavReport)}</A></li>
                        <li><A href="/accounts">{move || i18n.t(Msg::NavAccounts)}</A></li>
                    </Show>
                    <li><A href="/settings">{move || i18n.t(Msg::NavSettings)}</A></li>
                    <li class="nav-account">
                        {move || if session.user.with(Option::is_some) {
                            let ask_sign_out = ask_sign_out.clone();
                            Either::Left(view! {
                                <button type="button" class="link-button" on:click=ask_sign_out>
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
            {confirm}
        </header>
    }
}
