//! One live session at run time: the state machine behind a lock, its clock
//! and timer, the fan-out channels, and the writer of its events.
//!
//! Policy, for 2,000 phones on two cores:
//!
//! - The lock ([`Room::lock`]) is a plain mutex held only for a state-machine
//!   call, never across an `.await`.
//! - A phase change is serialised once and published on a `watch` channel;
//!   every connection sends the same bytes. A phone that falls behind just
//!   gets the latest state.
//! - An answer costs O(1): it is acknowledged on the socket that sent it and
//!   marks the presenter's view dirty; the timer republishes the presenter's
//!   view at most [`PRESENTER_FPS`] times a second.
//! - Events of signed-in trainees go through a queue to one writer task,
//!   which stores them in batches, so the database never delays an ack.
//!   A batch that fails is retried until it is stored (never dropped after
//!   a few tries), and a graceful stop flushes the queue
//!   ([`EventSink::flush`], called on SIGTERM by `main`).

use std::{
    collections::{HashMap, HashSet},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex, MutexGuard, PoisonError,
    },
    time::{Duration, Instant},
};

use axum::extract::ws::Utf8Bytes;
use lophoc_core::{
    events::{live_device, uuid_v7, Event},
    limits::{self, TextField},
    live::{
        Command, CommandError, LiveInfo, LiveItem, LiveSummary, Phase, ServerMsg, Session, Settings,
    },
};
use rand_core::{OsRng, RngCore};
use tokio::sync::{mpsc, oneshot, watch};

use crate::store::Store;

/// Presenter views per second at most, however fast answers come.
pub const PRESENTER_FPS: u64 = 5;
/// How often the timer looks at the deadline.
const TICK: Duration = Duration::from_millis(50);
/// A session is dropped this long after it ended…
const KEEP_ENDED: Duration = Duration::from_secs(30 * 60);
/// …or this long after it was opened.
const KEEP_OPEN: Duration = Duration::from_secs(12 * 60 * 60);
/// Most participants of one session.
pub const MAX_PARTICIPANTS: usize = 5_000;

pub fn random_u64() -> u64 {
    OsRng.next_u64()
}

/// A new random token (128 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0_u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_op_id() -> String {
    let mut random = [0_u8; 10];
    OsRng.fill_bytes(&mut random);
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or_default())
        .unwrap_or_default();
    uuid_v7(ms, random)
}

/// A published state: its JSON, and the phase it shows.
#[derive(Clone)]
pub struct Frame {
    pub json: Utf8Bytes,
    pub phase: Phase,
}

/// What the lock guards.
pub struct Inner {
    pub session: Session,
    /// Participant tokens → participant.
    pub tokens: HashMap<String, u32>,
    /// A signed-in user's token: joining again without it (another tab, a
    /// cleared phone) resumes the same participant with the same token,
    /// so repeated joins add nobody and no token.
    pub user_tokens: HashMap<i64, String>,
    /// Users whose attendance is recorded.
    attended: HashSet<i64>,
    ended_at: Option<Instant>,
}

/// A live session at run time.
pub struct Room {
    pub code: String,
    /// UUIDv7: the session's id in events (codes are reused).
    pub id: String,
    pub owner: super::Owner,
    pub course_id: String,
    started: Instant,
    inner: Mutex<Inner>,
    public: watch::Sender<Frame>,
    presenter: watch::Sender<Utf8Bytes>,
    dirty: AtomicBool,
    events: EventSink,
}

impl Room {
    pub fn new(
        code: String,
        owner: super::Owner,
        title: String,
        course_id: String,
        items: Vec<LiveItem>,
        settings: Settings,
        events: EventSink,
    ) -> Arc<Room> {
        let session = Session::new(title, items, settings, random_u64());
        let (public, _) = watch::channel(Frame {
            json: state_json(&session, 0, false),
            phase: session.phase(),
        });
        let (presenter, _) = watch::channel(state_json(&session, 0, true));
        Arc::new(Room {
            code,
            id: new_op_id(),
            owner,
            course_id,
            started: Instant::now(),
            inner: Mutex::new(Inner {
                session,
                tokens: HashMap::new(),
                user_tokens: HashMap::new(),
                attended: HashSet::new(),
                ended_at: None,
            }),
            public,
            presenter,
            dirty: AtomicBool::new(false),
            events,
        })
    }

    /// Milliseconds since the room opened: the session's clock, monotonic.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the session has ended (it stays a while for its summary).
    pub fn ended(&self) -> bool {
        self.lock().ended_at.is_some()
    }

    /// Whether the room should be dropped.
    pub fn expired(&self) -> bool {
        let inner = self.lock();
        inner.ended_at.is_some_and(|t| t.elapsed() > KEEP_ENDED)
            || self.started.elapsed() > KEEP_OPEN
    }

    pub fn summary(&self) -> LiveSummary {
        let inner = self.lock();
        LiveSummary {
            code: self.code.clone(),
            title: inner.session.title.clone(),
            phase: inner.session.phase().name(),
            joined: u32::try_from(inner.session.participants().len()).unwrap_or(u32::MAX),
            total: u32::try_from(inner.session.items().len()).unwrap_or(u32::MAX),
        }
    }

    pub fn info(&self) -> LiveInfo {
        let inner = self.lock();
        LiveInfo {
            code: self.code.clone(),
            title: inner.session.title.clone(),
            allow_guests: inner.session.settings.allow_guests,
            phase: inner.session.phase().name(),
        }
    }

    pub fn subscribe_public(&self) -> watch::Receiver<Frame> {
        self.public.subscribe()
    }

    pub fn subscribe_presenter(&self) -> watch::Receiver<Utf8Bytes> {
        self.presenter.subscribe()
    }

    /// Publishes the state to everyone (after a phase change).
    fn publish(&self, inner: &mut Inner) {
        let now = self.now_ms();
        if inner.session.phase() == Phase::Ended && inner.ended_at.is_none() {
            inner.ended_at = Some(Instant::now());
        }
        self.public.send_replace(Frame {
            json: state_json(&inner.session, now, false),
            phase: inner.session.phase(),
        });
        self.publish_presenter(inner);
    }

    fn publish_presenter(&self, inner: &Inner) {
        self.dirty.store(false, Ordering::Relaxed);
        self.presenter
            .send_replace(state_json(&inner.session, self.now_ms(), true));
    }

    /// Applies a presenter command and publishes the result.
    pub fn command(&self, command: &Command) -> Result<(), CommandError> {
        let mut inner = self.lock();
        let now = self.now_ms();
        inner.session.command(command, now)?;
        if matches!(command, Command::Hide { .. }) {
            self.publish_presenter(&inner);
        } else {
            self.publish(&mut inner);
        }
        Ok(())
    }

    /// A fresh state message for a (re)connecting client.
    pub fn state_now(&self, presenter: bool) -> Utf8Bytes {
        let inner = self.lock();
        state_json(&inner.session, self.now_ms(), presenter)
    }

    /// Marks the presenter's view out of date (an answer or a join).
    pub fn touch(&self) {
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// Records that a signed-in user joined (once per session).
    pub fn record_attendance(&self, inner: &mut Inner, user_id: i64) {
        if inner.attended.insert(user_id) {
            self.events.send(
                user_id,
                Event::LiveAttended {
                    session_id: self.id.clone(),
                    course_id: self.course_id.clone(),
                    title: limits::truncate(TextField::Title, &inner.session.title),
                },
            );
        }
    }

    /// Records a counted answer of a signed-in user.
    pub fn record_answer(&self, inner: &Inner, user_id: i64, participant: u32, q: usize) {
        let Some(record) = inner.session.answer_of(participant, q) else {
            return;
        };
        let Some(item) = inner.session.items().get(q) else {
            return;
        };
        self.events.send(
            user_id,
            Event::LiveAnswered {
                session_id: self.id.clone(),
                course_id: item.course_id.clone(),
                situation_id: item.situation_id.clone(),
                question_id: item.question.id.clone(),
                answer: record.answer.clone(),
                earned: record.earned,
                max: record.max,
            },
        );
    }
}

/// `{"t":"state","view":…}` for phones or for presenters.
fn state_json(session: &Session, now_ms: u64, presenter: bool) -> Utf8Bytes {
    message(&ServerMsg::State {
        view: Box::new(session.view(now_ms, presenter)),
    })
}

/// A server message as a WebSocket text payload.
pub fn message(msg: &ServerMsg) -> Utf8Bytes {
    serde_json::to_string(msg).unwrap_or_default().into()
}

/// The session's timer: closes the open question at its deadline and
/// republishes the presenter's view when answers came in. Stops when the
/// room is dropped.
pub fn start_timer(room: &Arc<Room>) {
    let weak = Arc::downgrade(room);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let every = Duration::from_millis(1000 / PRESENTER_FPS);
        let mut last_presenter = Instant::now();
        loop {
            interval.tick().await;
            let Some(room) = weak.upgrade() else { break };
            if room.expired() {
                break;
            }
            let mut inner = room.lock();
            let now = room.now_ms();
            if inner.session.tick(now) {
                room.publish(&mut inner);
                last_presenter = Instant::now();
            } else if room.dirty.load(Ordering::Relaxed) && last_presenter.elapsed() >= every {
                room.publish_presenter(&inner);
                last_presenter = Instant::now();
            }
        }
    });
}

/// What the writer task is asked to do, in order.
enum Queued {
    /// Store this event of this user.
    Event(i64, Event),
    /// Answer once everything queued before is stored.
    Flush(oneshot::Sender<()>),
}

/// The longest pause between two tries of a failed batch.
const MAX_RETRY_PAUSE: Duration = Duration::from_secs(30);

/// The queue of events to store, and its writer task.
#[derive(Clone)]
pub struct EventSink(mpsc::UnboundedSender<Queued>);

impl EventSink {
    /// Starts the writer: it takes what is queued (up to 500 at a time) and
    /// stores it in one transaction. A batch that fails (the database busy
    /// or full) is tried again after a pause growing to
    /// [`MAX_RETRY_PAUSE`], until it is stored: a counted answer is a
    /// trainee's record and is never given up on.
    pub fn start(store: Store) -> EventSink {
        let (tx, mut rx) = mpsc::unbounded_channel::<Queued>();
        tokio::spawn(async move {
            let mut batch = Vec::new();
            while rx.recv_many(&mut batch, 500).await > 0 {
                let mut ops: Vec<(i64, String, String, Event)> = Vec::new();
                for queued in batch.drain(..) {
                    match queued {
                        Queued::Event(user, event) => {
                            ops.push((user, live_device(user), new_op_id(), event));
                        }
                        Queued::Flush(done) => {
                            store_until_done(&store, std::mem::take(&mut ops)).await;
                            let _ = done.send(());
                        }
                    }
                }
                store_until_done(&store, ops).await;
            }
        });
        EventSink(tx)
    }

    fn send(&self, user: i64, event: Event) {
        if self.0.send(Queued::Event(user, event)).is_err() {
            tracing::error!(user, "the live event writer stopped; an event is lost");
        }
    }

    /// Waits until every event queued before this call is stored, or
    /// `patience` has passed (then says how it ended: `false` if events may
    /// still be waiting).
    pub async fn flush(&self, patience: Duration) -> bool {
        let (done, stored) = oneshot::channel();
        if self.0.send(Queued::Flush(done)).is_err() {
            return true; // no writer, so nothing queued
        }
        tokio::time::timeout(patience, stored)
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// Stores `ops`, trying again after a growing pause until it works.
async fn store_until_done(store: &Store, ops: Vec<(i64, String, String, Event)>) {
    let mut pause = Duration::from_millis(250);
    let mut attempt = 1_u32;
    loop {
        match store.sync.append_server_events(&ops).await {
            Ok(()) => return,
            Err(e) => {
                tracing::error!(error = %e, attempt, events = ops.len(), "storing live session events failed; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_RETRY_PAUSE);
                attempt = attempt.saturating_add(1);
            }
        }
    }
}
