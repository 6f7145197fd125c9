//! The quiet sync indicator in the header, and the sync details shown in
//! settings.
//!
//! Policy: it informs and never blocks: online or offline, how many changes
//! wait, when the last sync was. It is a polite live region, so a screen
//! reader hears a change without losing its place.

use leptos::prelude::*;
use lophoc_core::i18n::{Lang, Msg};

use crate::{
    state::{i18n::use_i18n, session::use_session},
    store,
    sync::{use_sync, SyncProblem},
};

/// A clock time in the user's language: "14:05, 27/11/2026" in Vietnamese.
pub fn format_time(lang: Lang, ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let (d, m, y) = (date.get_date(), date.get_month() + 1, date.get_full_year());
    let (h, min) = (date.get_hours(), date.get_minutes());
    match lang {
        Lang::Vi => format!("{h:02}:{min:02}, {d:02}/{m:02}/{y}"),
        Lang::En => format!("{h:02}:{min:02}, {y}-{m:02}-{d:02}"),
    }
}

/// One line in the header: online/offline and what waits.
#[component]
pub fn SyncIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let state = move || {
        if !sync.online.get() {
            "offline"
        } else if sync.pending.get() > 0 || sync.problem.get().is_some() {
            "pending"
        } else {
            "synced"
        }
    };
    // Short enough to sit beside the brand on a 360 px phone; the dot and
    // the offline wording carry the network state.
    let text = move || {
        let pending = sync.pending.get();
        let detail = if sync.syncing.get() && pending > 0 {
            i18n.t(Msg::SyncSyncing).to_string()
        } else if pending > 0 {
            i18n.f(Msg::SyncPending, &[("n", &pending.to_string())])
        } else {
            i18n.t(Msg::SyncAllSynced).to_string()
        };
        if sync.online.get() {
            detail
        } else {
            format!("{} · {detail}", i18n.t(Msg::SyncOffline))
        }
    };
    view! {
        <Show when=move || session.user.with(Option::is_some)>
            <p class="sync-indicator" data-state=state role="status" aria-live="polite">
                <a href="/settings#sync">
                    <span class="sync-dot" aria-hidden="true"></span>
                    <span>{text}</span>
                </a>
            </p>
        </Show>
    }
}

/// The details for settings: status, last sync, problems, "sync now".
#[component]
pub fn SyncDetails() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let last = move || match sync.last_sync.get() {
        Some(ms) => i18n.f(Msg::SyncLast, &[("time", &format_time(i18n.lang(), ms))]),
        None => i18n.t(Msg::SyncNever).to_string(),
    };
    let pending = move || {
        let n = sync.pending.get();
        if n > 0 {
            i18n.f(Msg::SyncPending, &[("n", &n.to_string())])
        } else {
            i18n.t(Msg::SyncAllSynced).to_string()
        }
    };
    let problem = move || {
        sync.problem.get().map(|p| {
            let text = match p {
                SyncProblem::Rejected(n) => i18n.f(Msg::SyncRejected, &[("n", &n.to_string())]),
                SyncProblem::LoginAgain => i18n.t(Msg::SyncLoginAgain).to_string(),
            };
            view! { <p class="notice notice-error">{text}</p> }
        })
    };
    view! {
        <Show when=move || session.user.with(Option::is_some)>
        <section class="panel" id="sync" aria-labelledby="sync-heading">
            <h2 id="sync-heading">{move || i18n.t(Msg::SyncTitle)}</h2>
            <p>{move || i18n.t(if sync.online.get() { Msg::SyncOnline } else { Msg::SyncOffline })}</p>
            <p data-testid="sync-pending">{pending}</p>
            <p>{last}</p>
            {problem}
            <RefusedList/>
            <button
                type="button"
                class="button"
                on:click=move |_| sync.sync_now()
                disabled=move || sync.syncing.get()
            >
                {move || i18n.t(if sync.syncing.get() { Msg::SyncSyncing } else { Msg::SyncNow })}
            </button>
        </section>
        </Show>
    }
}

/// The signed-in user's changes the server refused for good, from this
/// device: what, when (the device's time), and why, in the user's
/// language. They no longer count and never block the others.
#[component]
fn RefusedList() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let list = LocalResource::new(move || {
        let _ = sync.refused.get();
        let user = session.user.with(|u| u.as_ref().map(|u| u.id));
        async move {
            let Some(user) = user else {
                return Vec::new();
            };
            match store::get().await {
                Ok(local) => local.refused(user).await.unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        }
    });
    move || {
        let refused = list.get().unwrap_or_default();
        (!refused.is_empty()).then(|| {
            let items = refused
                .into_iter()
                .rev()
                .map(|r| {
                    let text = move || {
                        i18n.f(
                            Msg::RefusedItem,
                            &[
                                ("what", i18n.t(r.op.event.label())),
                                (
                                    "time",
                                    &format_time(i18n.lang(), r.op.client_time_ms as f64),
                                ),
                                ("why", i18n.t(r.reason.message())),
                            ],
                        )
                    };
                    view! { <li>{text}</li> }
                })
                .collect_view();
            view! {
                <div class="notice notice-error" data-testid="refused-ops">
                    <h3>{move || i18n.t(Msg::RefusedTitle)}</h3>
                    <p>{move || i18n.t(Msg::RefusedIntro)}</p>
                    <ul class="refused-list">{items}</ul>
                </div>
            }
        })
    }
}
