//! The sync loop: push the outbox, pull the user's events, keep the sync
//! status and the derived progress up to date.
//!
//! Policy: sync never blocks reading or answering; it runs in the
//! background at start, when the browser comes online, when the page becomes
//! visible again, right after each recorded action, when the server pokes
//! (another device of the user pushed; a server-sent event stream), and on
//! back-off retries with jitter after a failure. Only one tab of a browser syncs at a time (a
//! Web Lock); another tab's attempt simply skips. An op the server refuses
//! for good leaves the outbox for the device's refused list (settings shows
//! it, with the reason in the user's language) and never blocks the ops
//! after it; an op the server cannot take yet (a newer schema) stays in the
//! outbox and the status says why. A reply below the device's acknowledged
//! sequence (the server was restored from a backup) makes the device send
//! its own ops again. An expired login keeps the outbox until the same user
//! logs in again.

pub mod live;
mod lock;
mod poke;

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{
    events::Event,
    progress::Progress,
    sync::{PullResponse, PushRequest, PushResponse, MAX_BATCH},
};
use wasm_bindgen::{closure::Closure, JsCast};

use crate::{
    api::{self, ClientError},
    split::{split_call, NotOnDevice},
    state::session::{use_session, Session},
    store,
};

/// Why sync cannot finish on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProblem {
    /// The server refused queued ops (unknown schema): `n` ops wait.
    Rejected(u32),
    /// The session expired: log in again to sync.
    LoginAgain,
}

/// The sync status and the progress derived from local events. Copy it.
///
/// ```ignore
/// let sync = use_sync();
/// view! { <p>{move || sync.pending.get()}</p> }
/// sync.record(Event::LessonOpened { course_id, lesson_id });
/// ```
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    /// Ops in the outbox of the signed-in user.
    pub pending: RwSignal<u32>,
    pub syncing: RwSignal<bool>,
    /// When the last sync finished, ms since the epoch.
    pub last_sync: RwSignal<Option<f64>>,
    pub problem: RwSignal<Option<SyncProblem>>,
    /// Progress derived from every event known on this device.
    pub progress: RwSignal<Progress>,
    /// Ops of the signed-in user the server refused for good (kept on the
    /// device, listed in settings).
    pub refused: RwSignal<u32>,
    /// Counts the downloaded courses a sync brought up to the published
    /// version (pages showing a download re-read it when it changes).
    pub courses_updated: RwSignal<u32>,
    /// When downloaded courses were last compared with the published
    /// versions, ms: a sync runs after every answer, the check not that often.
    downloads_checked: StoredValue<Option<f64>>,
    failures: RwSignal<u32>,
    again: RwSignal<bool>,
    retry_scheduled: RwSignal<bool>,
    // Held here, not looked up as a context: event listeners and timers run
    // outside the component tree, where contexts are not visible.
    session: Session,
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Creates the sync status, wires its triggers and provides it. Call after
/// `provide_session`.
pub fn provide_sync() -> SyncStatus {
    let session = use_session();
    let status = SyncStatus {
        online: RwSignal::new(browser_online()),
        pending: RwSignal::new(0),
        syncing: RwSignal::new(false),
        last_sync: RwSignal::new(None),
        courses_updated: RwSignal::new(0),
        downloads_checked: StoredValue::new(None),
        problem: RwSignal::new(None),
        progress: RwSignal::new(Progress::default()),
        refused: RwSignal::new(0),
        failures: RwSignal::new(0),
        again: RwSignal::new(false),
        retry_scheduled: RwSignal::new(false),
        session,
    };
    provide_context(status);

    // A new user (login, or the start-up check): load their local state,
    // sync, and listen for pokes; nobody signed in: stop listening.
    Effect::new(move |previous: Option<Option<i64>>| {
        let user = session.user.with(|u| u.as_ref().map(|u| u.id));
        if previous.as_ref() != Some(&user) {
            poke::stop();
            if user.is_some() {
                status.problem.set(None);
                // In a task of its own, not in the one that mounts the app
                // or a page (see `crate::yield_to_browser`).
                spawn_local(async move {
                    crate::yield_to_browser().await;
                    status.refresh_local();
                    status.sync_now();
                });
                poke::listen(move || status.sync_now());
            }
        }
        user
    });

    let _ = window_event_listener(leptos::ev::online, move |_| {
        status.online.set(true);
        status.sync_now();
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let doc = document.clone();
        let on_visible = Closure::<dyn Fn()>::new(move || {
            if doc.visibility_state() == web_sys::VisibilityState::Visible {
                status.sync_now();
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visible.as_ref().unchecked_ref(),
        );
        // Lives as long as the app.
        on_visible.forget();
    }
    status
}

/// The sync status provided by [`provide_sync`].
pub fn use_sync() -> SyncStatus {
    expect_context::<SyncStatus>()
}

impl SyncStatus {
    fn user_id(self) -> Option<i64> {
        self.session
            .user
            .with_untracked(|u| u.as_ref().map(|u| u.id))
    }

    /// Records a learner action locally (one transaction with its effect),
    /// updates the progress, and syncs soon. Works offline.
    pub fn record(self, event: Event) {
        spawn_local(async move {
            let _ = self.record_saved(event).await;
        });
    }

    /// [`SyncStatus::record`], finishing once the action is durably in the
    /// local store: show "saved" only after this returns `true`, since a page
    /// closed before the transaction commits loses it.
    pub async fn record_saved(self, event: Event) -> bool {
        let Some(user) = self.user_id() else {
            return false;
        };
        // Counted at once, so the indicator never says "synced" while an
        // action is still being written.
        self.pending.update(|n| *n += 1);
        let local = store::get().await;
        let recorded = match &local {
            Ok(local) => local.record(user, event.clone()).await.map(|_| ()),
            Err(e) => Err(e.clone()),
        };
        match recorded {
            Ok(()) => {
                self.progress.update(|p| p.apply(&event));
                // The store's count is the truth (a start-up refresh may
                // have raced with the optimistic count).
                if let Ok(local) = &local {
                    if let Ok(n) = local.pending(user).await {
                        self.pending.set(n);
                    }
                }
                self.sync_now();
                true
            }
            Err(e) => {
                leptos::logging::warn!("could not record {event:?}: {e:?}");
                self.pending.update(|n| *n = n.saturating_sub(1));
                false
            }
        }
    }

    /// Reloads pending count, progress and last sync time from the store.
    pub fn refresh_local(self) {
        let Some(user) = self.user_id() else { return };
        spawn_local(async move {
            let _ = job(self, user, Job::LoadLocal).await;
        });
    }

    async fn load_local(self, user: i64) {
        let Ok(local) = store::get().await else {
            return;
        };
        if let Ok(events) = local.events(user).await {
            self.progress.set(Progress::from_events(&events));
        }
        if let Ok(n) = local.pending(user).await {
            self.pending.set(n);
        }
        if let Ok(last) = local.last_sync(user).await {
            self.last_sync.set(last);
        }
        if let Ok(refused) = local.refused(user).await {
            self.refused.set(refused.len() as u32);
        }
    }

    /// Starts a sync now, or right after the one running.
    pub fn sync_now(self) {
        if self.syncing.get_untracked() {
            self.again.set(true);
            return;
        }
        let Some(user) = self.user_id() else { return };
        self.syncing.set(true);
        spawn_local(async move {
            lock::with_sync_lock(async move {
                let outcome = job(self, user, Job::Sync).await;
                self.after(user, outcome).await;
            })
            .await;
            self.syncing.set(false);
            if self.again.get_untracked() {
                self.again.set(false);
                self.sync_now();
            }
        });
    }

    async fn run(self, user: i64) -> Result<(), ClientError> {
        let local = store::get().await.map_err(|_| ClientError::Network)?;
        // Twice at most: a second round when the pull says the server lost
        // ops of this device (restored from a backup).
        for _ in 0..2 {
            self.push_all(&local, user).await?;
            let device = local.device(user).await.map_err(|_| ClientError::Network)?;
            // Pull the user's events from all devices.
            let mut cursor = local.pull_cursor(user).await.unwrap_or_default();
            let mut server_acked = None;
            loop {
                let page: PullResponse = api::pull(cursor, &device.device_id).await?;
                local
                    .add_pulled(user, &page.events, page.cursor)
                    .await
                    .map_err(|_| ClientError::Network)?;
                cursor = page.cursor;
                server_acked = page.device_acked.or(server_acked);
                if !page.has_more {
                    break;
                }
            }
            let behind = server_acked.is_some_and(|acked| acked < device.acked_seq);
            if !behind
                || !local
                    .rewind(user, server_acked.unwrap_or_default())
                    .await
                    .map_err(|_| ClientError::Network)?
            {
                break;
            }
        }
        if let Ok(events) = local.events(user).await {
            self.progress.set(Progress::from_events(&events));
        }
        let now = js_sys::Date::now();
        let due = self
            .downloads_checked
            .get_value()
            .is_none_or(|at| now - at >= DOWNLOADS_CHECK_EVERY_MS);
        if due {
            self.downloads_checked.set_value(Some(now));
            let updated = update_downloads(&local).await;
            if updated > 0 {
                self.courses_updated.update(|n| *n += updated);
            }
        }
        Ok(())
    }

    /// Pushes the outbox, in order, in batches, until it is empty or held.
    /// Bounded, so a server that keeps going backwards cannot spin it.
    async fn push_all(self, local: &store::LocalStore, user: i64) -> Result<(), ClientError> {
        for _ in 0..MAX_PUSHES_PER_SYNC {
            let batch = local
                .outbox_batch(user, MAX_BATCH as u32)
                .await
                .map_err(|_| ClientError::Network)?;
            if batch.is_empty() {
                self.problem.set(None);
                break;
            }
            let request = PushRequest {
                device_id: batch[0].device_id.clone(),
                ops: batch
                    .iter()
                    .filter_map(|op| serde_json::to_value(op).ok())
                    .collect(),
            };
            let reply: PushResponse = api::push(&request).await?;
            let before = local.pending(user).await.unwrap_or_default();
            let applied = local
                .apply_reply(user, &reply)
                .await
                .map_err(|_| ClientError::Network)?;
            let after = local.pending(user).await.unwrap_or_default();
            self.pending.set(after);
            if let Ok(refused) = local.refused(user).await {
                self.refused.set(refused.len() as u32);
            }
            if reply.rejected.is_some() {
                self.problem.set(Some(SyncProblem::Rejected(after)));
                break;
            }
            if applied == store::Applied::Rewound {
                continue; // the server lost ops: send them again
            }
            if after == before {
                break; // no progress (a gap the server is waiting on): retry later
            }
        }
        Ok(())
    }

    async fn after(self, user: i64, outcome: Result<(), ClientError>) {
        match outcome {
            Ok(()) => {
                self.failures.set(0);
                // Reached the server; unless the browser went offline while
                // the reply was on its way (its `offline` event came first).
                self.online.set(browser_online());
                let now = js_sys::Date::now();
                self.last_sync.set(Some(now));
                if let Ok(local) = store::get().await {
                    let _ = local.set_last_sync(user, now).await;
                }
            }
            Err(e) if e.needs_login() => self.problem.set(Some(SyncProblem::LoginAgain)),
            Err(_) => {
                self.online.set(browser_online());
                self.failures.update(|n| *n = (*n + 1).min(10));
                self.schedule_retry();
            }
        }
    }

    /// Exponential back-off with jitter: 2 s, 4 s, … up to 5 minutes, each
    /// times a random factor in [0.5, 1.5) so devices do not retry in step.
    fn schedule_retry(self) {
        if self.retry_scheduled.get_untracked() {
            return;
        }
        self.retry_scheduled.set(true);
        let base = 2000.0 * 2f64.powi(self.failures.get_untracked() as i32 - 1);
        let delay = base.min(300_000.0) * (0.5 + js_sys::Math::random());
        set_timeout(
            move || {
                self.retry_scheduled.set(false);
                self.sync_now();
            },
            Duration::from_millis(delay as u64),
        );
    }
}

/// What the sync's own code does; it is fetched at the first sync after
/// start (one group of the split `.wasm`, see `split.rs`): a visitor, who
/// never syncs, never downloads it.
#[derive(Clone, Copy, Debug)]
enum Job {
    /// Push the outbox, pull, update downloaded courses.
    Sync,
    /// Read the user's pending count, progress and last sync from the store.
    LoadLocal,
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn job_future(status: SyncStatus, user: i64, job: Job) -> Result<JobFuture, NotOnDevice> {
    Ok(Box::pin(async move {
        match job {
            Job::Sync => status.run(user).await,
            Job::LoadLocal => {
                status.load_local(user).await;
                Ok(())
            }
        }
    }))
}

type JobFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ClientError>>>>;

/// Runs a job; its code not on the device (offline before the service
/// worker kept it) counts as no network: the sync retries later.
async fn job(status: SyncStatus, user: i64, job: Job) -> Result<(), ClientError> {
    match split_call!(job_future, status, user, job) {
        Ok(future) => future.await,
        Err(NotOnDevice) => Err(ClientError::Network),
    }
}

/// What [`count_queued`] counts in a user's outbox.
#[derive(Clone, Copy, Debug)]
pub enum Queued {
    /// Every queued op (`LocalStore::pending`).
    Ops,
    /// The user's own changes: ops other than "lesson opened"
    /// (`LocalStore::pending_changes`).
    Changes,
}

type CountFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Option<u32>>>>;

/// In the `sync` group: reading the outbox needs the device log's reader
/// (every event kind, every refusal), which a visitor's first download does
/// not carry.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn count_future(user: i64, what: Queued) -> Result<CountFuture, NotOnDevice> {
    Ok(Box::pin(async move {
        let local = store::get().await.ok()?;
        match what {
            Queued::Ops => local.pending(user).await.ok(),
            Queued::Changes => local.pending_changes(user).await.ok(),
        }
    }))
}

/// Counts `user`'s queued ops in this device's outbox; `None` when the store
/// or the group's code cannot be read (the header's count and the login
/// page's notice, which run outside the sync).
pub async fn count_queued(user: i64, what: Queued) -> Option<u32> {
    match split_call!(count_future, user, what) {
        Ok(future) => future.await,
        Err(NotOnDevice) => None,
    }
}

/// Most pushes in one sync (200 ops each, so 200,000 ops): only a server
/// that keeps answering below the device's sequence could reach it, and the
/// next sync picks up from there.
const MAX_PUSHES_PER_SYNC: usize = 1000;

/// How often a sync compares downloaded courses with the published ones (the
/// first sync after the app starts always does).
const DOWNLOADS_CHECK_EVERY_MS: f64 = 10.0 * 60.0 * 1000.0;

/// Brings each course downloaded on this device up to the version the server
/// publishes now (one approved in the browser reaches trainees at their next
/// sync; progress is kept, as events name lessons and questions by id).
/// Returns how many were updated. A course that fails half-way keeps its old
/// copy (the outline is stored last) and is tried again at the next sync.
async fn update_downloads(local: &store::LocalStore) -> u32 {
    let Ok(mine) = local.downloaded_courses().await else {
        return 0;
    };
    if mine.is_empty() {
        return 0;
    }
    let Ok(published) = api::courses().await else {
        return 0;
    };
    let mut updated = 0;
    for outline in mine {
        let newer = published
            .iter()
            .any(|c| c.id == outline.id && c.version > outline.version);
        if !newer {
            continue;
        }
        let Ok(fresh) = api::course(outline.id.clone()).await else {
            continue;
        };
        if crate::offline::download(&fresh, |_, _| {}).await.is_ok() {
            updated += 1;
        }
    }
    updated
}
