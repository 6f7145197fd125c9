//! `/login`: the login form.
//!
//! Policy: what the user typed stays in the form when a login fails; the
//! error is announced (`role="alert"`) in the user's language — after too
//! many attempts, with when to try again (the server's `Retry-After`). After
//! a login the user goes back to the page that sent them here (`?next=`), but
//! only to a path on this site; one who must change an initial password goes
//! to the password change first (`PasswordChangeGuard`).

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};
use lophoc_core::{api::LoginRequest, i18n::Msg};

use crate::{
    api::{self, ClientError},
    components::use_title,
    state::{i18n::use_i18n, offline_login, session::use_session},
};

/// Where to go after logging in: `next` when it is a path on this site.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .unwrap_or_else(|| "/".to_string())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    use_title(move || i18n.t(Msg::LoginTitle).to_string());

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);
    let pending = RwSignal::new(false);
    // A missing field (checked here), or the server's answer.
    let error = RwSignal::new(None::<Result<ClientError, Msg>>);
    // A notice from the previous page (e.g. "you have logged out"), shown once.
    let notice = session.notice.get_untracked();
    session.notice.set(None);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        if request.username.is_empty() || request.password.is_empty() {
            error.set(Some(Err(Msg::ErrMissingFields)));
            return;
        }
        pending.set(true);
        error.set(None);
        let navigate = navigate.clone();
        let next = safe_next(query.with_untracked(|q| q.get("next")));
        spawn_local(async move {
            let result = match api::login(&request).await {
                Ok(user) => {
                    offline_login::remember(&request.username, &request.password, &user).await;
                    Ok(user)
                }
                // No connection: the device's last user may carry on here.
                Err(ClientError::Network) => {
                    offline_login::sign_in_offline(&request.username, &request.password)
                        .await
                        .ok_or(Err(Msg::LoginOffline))
                }
                Err(e) => Err(Ok(e)),
            };
            match result {
                Ok(user) => {
                    if let Ok(local) = crate::store::get().await {
                        let _ = local.save_user(&user).await;
                    }
                    crate::state::session::request_persistent_storage();
                    let next = if user.must_change_password {
                        crate::components::require_login::PASSWORD_PAGE.to_string()
                    } else {
                        next
                    };
                    session.user.set(Some(user));
                    navigate(&next, Default::default());
                }
                Err(problem) => error.set(Some(problem)),
            }
            pending.set(false);
        });
    };

    view! {
        <section class="login">
            <h1>{move || i18n.t(Msg::LoginTitle)}</h1>
            {notice.map(|msg| view! {
                <p class="notice notice-info" role="status">{move || i18n.t(msg)}</p>
            })}
            <p>{move || i18n.t(Msg::LoginIntro)}</p>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="username">{move || i18n.t(Msg::Username)}</label>
                    <input
                        id="username"
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        aria-invalid=move || error.with(|e| e.as_ref().is_some_and(|m| !matches!(m, Err(Msg::LoginOffline)))).to_string()
                        aria-describedby="login-error"
                        bind:value=username
                    />
                </div>
                <div class="field">
                    <label for="password">{move || i18n.t(Msg::Password)}</label>
                    <input
                        id="password"
                        name="password"
                        type=move || if show_password.get() { "text" } else { "password" }
                        autocomplete="current-password"
                        required
                        aria-invalid=move || error.with(|e| e.as_ref().is_some_and(|m| !matches!(m, Err(Msg::LoginOffline)))).to_string()
                        aria-describedby="login-error"
                        bind:value=password
                    />
                </div>
                <div class="field field-check">
                    <input id="show-password" type="checkbox" bind:checked=show_password/>
                    <label for="show-password">{move || i18n.t(Msg::ShowPassword)}</label>
                </div>
                <div id="login-error" class="form-error" role="alert">
                    {move || error.get().map(|problem| view! {
                        <p>{move || match &problem {
                            Ok(e) => e.describe(i18n.lang()),
                            Err(msg) => i18n.t(*msg).to_string(),
                        }}</p>
                    })}
                </div>
                <button type="submit" class="button button-primary button-block" disabled=move || pending.get()>
                    {move || i18n.t(if pending.get() { Msg::LoggingIn } else { Msg::LoginSubmit })}
                </button>
            </form>
        </section>
    }
}
