//! Loading and error notices.

use leptos::prelude::*;
use lophoc_core::i18n::Msg;

use crate::{api::ClientError, state::i18n::use_i18n};

/// A polite "loading…" line for screen readers and eyes.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status">
            {move || i18n.t(Msg::Loading)}
        </p>
    }
}

/// A page whose code is not on this device yet (offline the first time):
/// what it is (`body`), and a button to load the address again.
#[component]
pub fn NotOnDevice(body: Msg) -> impl IntoView {
    let i18n = use_i18n();
    let reload = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <h1>{move || i18n.t(Msg::StaffOfflineTitle)}</h1>
        <p>{move || i18n.t(body)}</p>
        <p><button type="button" class="button" on:click=reload>{move || i18n.t(Msg::Retry)}</button></p>
    }
}

/// Explains a failed call in the user's language, with a way forward: log in
/// again when the session expired, go home when something is missing.
#[component]
pub fn ErrorNotice(error: ClientError) -> impl IntoView {
    let i18n = use_i18n();
    let message = error.message();
    let needs_login = error.needs_login();
    let error = StoredValue::new(error);
    let action = if needs_login {
        Some(("/login", Msg::NavLogin))
    } else if message == Msg::ErrNotFound {
        Some(("/", Msg::BackHome))
    } else {
        None
    };
    view! {
        <div class="notice notice-error" role="alert">
            <p>{move || error.with_value(|e| e.describe(i18n.lang()))}</p>
            {action.map(|(href, label)| view! {
                <p><a class="button" href=href>{move || i18n.t(label)}</a></p>
            })}
        </div>
    }
}
