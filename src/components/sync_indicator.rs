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
    sync::{use_sync, Queued, SyncProblem},
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

/// The signed-in user's own changes waiting to be sent: queued ops other
/// than "lesson opened" (`LocalStore::pending_changes`). Opening a lesson
/// is bookkeeping that travels with the next change; counting it made the
/// header's number rise on reading alone, and one "mark as read" count two.
#[derive(Clone, Copy)]
pub struct PendingChanges(pub RwSignal<u32>);

/// Provides [`PendingChanges`], kept in step with the outbox. Call after
/// `provide_sync`.
pub fn provide_pending_changes() {
    let sync = use_sync();
    let session = use_session();
    let changes = RwSignal::new(0_u32);
    Effect::new(move |_| {
        let queued = sync.pending.get();
        sync.syncing.track();
        let user = session.user.with(|u| u.as_ref().map(|u| u.id));
        match user {
            Some(user) if queued > 0 => leptos::task::spawn_local(async move {
                let counted = crate::sync::count_queued(user, Queued::Changes).await;
                // Without the count, every queued op counts.
                changes.set(counted.unwrap_or(queued));
            }),
            _ => changes.set(0),
        }
    });
    provide_context(PendingChanges(changes));
}

/// The count provided by [`provide_pending_changes`].
pub fn use_pending_changes() -> RwSignal<u32> {
    expect_context::<PendingChanges>().0
}

/// One line in the header: online/offline and what waits.
#[component]
pub fn SyncIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let changes = use_pending_changes();
    let state = move || {
        if !sync.online.get() {
            "offline"
        } else if changes.get() > 0 || sync.problem.get().is_some() {
            "pending"
        } else {
            "synced"
        }
    };
    // The whole sentence for screen readers and wide screens; on a phone,
    // where it shares one row with the brand and the menu, a word or two
    // are shown instead (the sentence stays for screen readers).
    let text = move || {
        let pending = changes.get();
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
    let short = move || {
        let pending = changes.get();
        let count = i18n.f(Msg::SyncShortPending, &[("n", &pending.to_string())]);
        match (sync.online.get(), pending) {
            (false, 0) => i18n.t(Msg::SyncShortOffline).to_string(),
            (false, n) => format!("{} · {n}", i18n.t(Msg::SyncShortOffline)),
            (true, 0) => i18n.t(Msg::SyncShortSynced).to_string(),
            (true, _) => count,
        }
    };
    view! {
        <Show when=move || session.user.with(Option::is_some)>
            <p class="sync-indicator" data-state=state role="status" aria-live="polite">
                <a href="/settings#sync">
                    <span class="sync-dot" aria-hidden="true"></span>
                    // Drawn from the attribute (CSS `content`), so the page
                    // holds the status in words once.
                    <span class="sync-short" aria-hidden="true" data-short=short></span>
                    <span class="sync-text">{text}</span>
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
    let changes = use_pending_changes();
    let last = move || match sync.last_sync.get() {
        Some(ms) => i18n.f(Msg::SyncLast, &[("time", &format_time(i18n.lang(), ms))]),
        None => i18n.t(Msg::SyncNever).to_string(),
    };
    let pending = move || {
        let n = changes.get();
        if n > 0 {
            i18n.f(Msg::SyncPending, &[("n", &n.to_string())])
        } else {
            i18n.t(Msg::SyncAllSynced).to_string()
        }
    };
    // "Sync now" always answers: offline it says the changes wait on the
    // device; a server that cannot be reached, that it will try again.
    let asked = RwSignal::new(None::<Option<f64>>);
    let outcome = move || {
        let before = asked.get()?;
        if sync.syncing.get() {
            return None;
        }
        let msg = if !sync.online.get() {
            Msg::SyncNowOffline
        } else if sync.last_sync.get() == before {
            Msg::SyncNowFailed
        } else {
            Msg::SyncNowDone
        };
        Some(
            view! { <p class="notice notice-info" role="status" data-testid="sync-outcome">{i18n.t(msg)}</p> },
        )
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
                on:click=move |_| {
                    asked.set(Some(sync.last_sync.get_untracked()));
                    sync.sync_now();
                }
                disabled=move || sync.syncing.get()
            >
                {move || i18n.t(if sync.syncing.get() { Msg::SyncSyncing } else { Msg::SyncNow })}
            </button>
            {outcome}
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
