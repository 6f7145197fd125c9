//! Live class quiz (phiên học trực tiếp): creating sessions, the join-page
//! lookup, and the WebSocket every presenter, remote and phone connects to.
//!
//! Policy (see `docs/live-session.md`): a session lives in this process's
//! memory (a [`Hub`] of [`room::Room`]s, keyed by a six-digit join code);
//! the rules are `lophoc_core::live::Session`, a pure state machine, and the
//! server owns its clock and timers. Only lecturers and centre admins create
//! sessions, each holding at most [`MAX_OPEN_SESSIONS`] open at once; only
//! the session's owner and the admins of the owner's centre may drive it
//! (any number of their connections, so a phone works as a remote). Join
//! codes are drawn at random a bounded number of times ([`pick_code`]) from
//! a space the server never fills beyond [`MAX_ROOMS`]. Looking a code up
//! and opening the socket are limited per client address ([`limit`]):
//! guessing unknown codes soon shuts the address out for a while, while a
//! whole class joining from behind one address is not held up.
//! Signed-in trainees' attendance and answers are written as events to the
//! events table, so they appear in their pulled events and progress; guests
//! leave no record. A server restart ends every session (the recorded events
//! stay). With several instances on one database, each session is held by
//! the instance that opened it and the others relay to it ([`relay`]).

pub mod limit;
pub mod relay;
mod room;
mod socket;
pub mod store;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    extract::{
        ws::rejection::WebSocketUpgradeRejection, FromRequestParts, Path, State, WebSocketUpgrade,
    },
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Json, Router,
};
use lophoc_core::{
    accounts::Role,
    api::User,
    ids::is_valid_id,
    live::{
        is_code, pick_code, CreateLive, LiveItem, LiveSummary, Settings, MAX_OPEN_SESSIONS,
        MAX_QUESTIONS, SECONDS_RANGE,
    },
};

use crate::{auth::AuthUser, error::HttpError, store::Store, throttle::ClientAddress, AppState};

pub use room::Room;

/// Largest WebSocket message the server reads, in bytes.
pub const MAX_MESSAGE: usize = 16 * 1024;
/// Read and write buffer of each socket, in bytes (they grow for a larger
/// message).
const SOCKET_BUFFER: usize = 4 * 1024;

/// Most sessions (open, or ended and kept for their summary) the server
/// holds: 1 % of the join codes, so a random code is free 99 times in 100.
pub const MAX_ROOMS: usize = 10_000;

/// The live sessions of this server, by join code. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    rooms: Arc<Mutex<HashMap<String, Arc<Room>>>>,
    events: room::EventSink,
    lookups: Arc<limit::LookupLimit>,
    store: store::LiveStore,
    /// The address other instances reach this one at, when several share
    /// the database (`--instance-url`): its rooms are recorded there.
    instance: Option<Arc<str>>,
}

/// Where a join code's session is.
enum Found {
    Here(Arc<Room>),
    /// Held by the instance at this address.
    There(String),
    Nowhere,
}

impl Hub {
    /// A hub whose recorded events go to `store`; `instance`, when several
    /// instances share the database, is this one's address.
    pub fn new(store: Store, instance: Option<String>) -> Hub {
        let instance: Option<Arc<str>> = instance.map(Into::into);
        if let Some(me) = instance.clone() {
            // Rooms recorded by this instance's previous run ended with it.
            let live = store.live.clone();
            tokio::spawn(async move {
                if let Err(error) = live.release_all(&me).await {
                    tracing::warn!(%error, "could not forget the previous run's live sessions");
                }
            });
        }
        Hub {
            rooms: Arc::default(),
            events: room::EventSink::start(store.clone()),
            lookups: Arc::default(),
            store: store.live,
            instance,
        }
    }

    /// Whether `headers` come from another instance relaying a request.
    fn relayed(&self, headers: &HeaderMap) -> bool {
        relay::is_relayed(headers, self.store.relay_key())
    }

    /// The session with `code` for a look-up from `addr`, counted against
    /// the address's allowances ([`limit`]; not counted when the server was
    /// not told the address, in handler tests, nor when another instance
    /// relays the look-up: it counted it). Held by another instance, it is
    /// found there, unless the request is relayed already.
    async fn look_up(
        &self,
        ClientAddress(addr): ClientAddress,
        code: &str,
        relayed: bool,
    ) -> Result<Found, HttpError> {
        let addr = addr.filter(|_| !relayed);
        if let Some(addr) = addr {
            self.lookups
                .check(addr)
                .map_err(HttpError::TooManyRequests)?;
        }
        let found = if !is_code(code) {
            Found::Nowhere
        } else if let Some(room) = self.get(code) {
            Found::Here(room)
        } else if relayed {
            Found::Nowhere
        } else {
            match self.store.holder(code).await? {
                Some(holder) if self.instance.as_deref() != Some(holder.as_str()) => {
                    Found::There(holder)
                }
                _ => Found::Nowhere,
            }
        };
        if let (Found::Nowhere, Some(addr)) = (&found, addr) {
            self.lookups
                .missed(addr)
                .map_err(HttpError::TooManyRequests)?;
        }
        Ok(found)
    }

    fn rooms(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Room>>> {
        // A panic while holding the lock leaves the map usable.
        self.rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until every live event queued so far is stored (or `patience`
    /// has passed; `false` then). Called when the server stops.
    pub async fn flush(&self, patience: std::time::Duration) -> bool {
        self.events.flush(patience).await
    }

    /// The session with this join code, if it is live.
    pub fn get(&self, code: &str) -> Option<Arc<Room>> {
        self.rooms().get(code).cloned()
    }

    /// Opens a session with a fresh join code and starts its timer: 409
    /// when the owner already holds [`MAX_OPEN_SESSIONS`] open ones (on
    /// this instance), 503 when it holds [`MAX_ROOMS`] or no free code was
    /// drawn. With several instances, the code is recorded as this one's;
    /// a code another instance holds is drawn again.
    async fn open(&self, owner: Owner, new: NewRoom) -> Result<Arc<Room>, HttpError> {
        for _ in 0..8 {
            let room = self.open_here(owner, &new)?;
            let Some(me) = &self.instance else {
                room::start_timer(&room);
                return Ok(room);
            };
            if self.store.claim(&room.code, me, owner.user).await? {
                room::start_timer(&room);
                return Ok(room);
            }
            self.rooms().remove(&room.code);
        }
        Err(HttpError::ServerBusy)
    }

    /// [`Hub::open`] in this instance's memory, its timer not started.
    fn open_here(&self, owner: Owner, new: &NewRoom) -> Result<Arc<Room>, HttpError> {
        let mut rooms = self.rooms();
        let expired: Vec<String> = rooms
            .iter()
            .filter(|(_, room)| room.expired())
            .map(|(code, _)| code.clone())
            .collect();
        for code in &expired {
            rooms.remove(code);
        }
        if let (Some(me), false) = (self.instance.clone(), expired.is_empty()) {
            let live = self.store.clone();
            tokio::spawn(async move {
                if let Err(error) = live.release(&me, &expired).await {
                    tracing::warn!(%error, "could not forget expired live sessions");
                }
            });
        }
        let open = rooms
            .values()
            .filter(|r| r.owner.user == owner.user && !r.ended())
            .count();
        if open >= MAX_OPEN_SESSIONS as usize {
            return Err(HttpError::TooManySessions(MAX_OPEN_SESSIONS));
        }
        if rooms.len() >= MAX_ROOMS {
            tracing::warn!(
                rooms = rooms.len(),
                "live session refused: the server is full"
            );
            return Err(HttpError::ServerBusy);
        }
        let code =
            pick_code(room::random_u64, |c| rooms.contains_key(c)).ok_or(HttpError::ServerBusy)?;
        let room = Room::new(
            code.clone(),
            owner,
            new.title.clone(),
            new.course_id.clone(),
            new.items.clone(),
            new.settings,
            self.events.clone(),
        );
        rooms.insert(code, room.clone());
        Ok(room)
    }
}

/// Who opened a session, and their centre (whose admins may drive it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub user: i64,
    pub centre: Option<i64>,
}

/// What a new session is made of.
struct NewRoom {
    title: String,
    course_id: String,
    items: Vec<LiveItem>,
    settings: Settings,
}

/// The routes, mounted at the API root, serving the sessions of `hub`.
pub fn router(hub: Hub) -> Router<AppState> {
    Router::new()
        .route("/live", get(list).post(create))
        .route("/live/{code}", get(info))
        .route("/live/{code}/ws", get(connect))
        .layer(Extension(hub))
}

/// The signed-in user, if any: the WebSocket and the join page are open to
/// guests too.
pub struct MaybeUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        match AuthUser::from_request_parts(parts, state).await {
            Ok(AuthUser(user)) => Ok(MaybeUser(Some(user))),
            Err(HttpError::Unauthenticated) => Ok(MaybeUser(None)),
            Err(e) => Err(e),
        }
    }
}

/// Whether a user may open sessions at all.
fn may_present(user: &User) -> bool {
    matches!(user.role, Role::Lecturer | Role::CentreAdmin)
}

/// Whether a user may drive `room`: its owner, or an admin of the owner's
/// centre.
async fn may_drive(state: &AppState, room: &Room, user: &User) -> Result<bool, HttpError> {
    if user.id == room.owner.user {
        return Ok(true);
    }
    if user.role != Role::CentreAdmin || room.owner.centre.is_none() {
        return Ok(false);
    }
    let me = crate::classes::me(state, user.id).await?;
    Ok(me.centre_id == room.owner.centre)
}

/// `POST /api/live`: a session from chosen questions of a course's
/// situation sets. Lecturers and centre admins only.
async fn create(
    State(state): State<AppState>,
    Extension(hub): Extension<Hub>,
    AuthUser(user): AuthUser,
    body: Result<Json<CreateLive>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<LiveSummary>, HttpError> {
    if !may_present(&user) {
        return Err(HttpError::Forbidden);
    }
    let Json(request) = body?;
    if !SECONDS_RANGE.contains(&request.seconds) {
        return Err(HttpError::BadRequest(format!(
            "seconds must be {} to {}",
            SECONDS_RANGE.start(),
            SECONDS_RANGE.end()
        )));
    }
    if request.questions.is_empty() || request.questions.len() > MAX_QUESTIONS {
        return Err(HttpError::BadRequest(format!(
            "choose 1 to {MAX_QUESTIONS} questions"
        )));
    }
    if !is_valid_id(&request.course_id) {
        return Err(HttpError::NotFound);
    }
    let mut sets = HashMap::new();
    let mut items = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    for (set_id, question_id) in &request.questions {
        if !is_valid_id(set_id) {
            return Err(HttpError::NotFound);
        }
        if !sets.contains_key(set_id) {
            let set = state
                .store
                .courses
                .situation(&request.course_id, set_id)
                .await?
                .ok_or(HttpError::NotFound)?;
            sets.insert(set_id.clone(), set);
        }
        let set = &sets[set_id];
        let question = set
            .questions
            .iter()
            .find(|q| q.id == *question_id)
            .ok_or_else(|| {
                HttpError::BadRequest(format!("no question {question_id} in {set_id}"))
            })?;
        if !titles.contains(&set.title) {
            titles.push(set.title.clone());
        }
        items.push(LiveItem {
            course_id: request.course_id.clone(),
            situation_id: set.id.clone(),
            situation_title: set.title.clone(),
            scenario_html: set.scenario_html.clone(),
            question: question.clone(),
        });
    }
    let settings = Settings {
        seconds: request.seconds,
        allow_guests: request.allow_guests,
        leaderboard: request.leaderboard,
    };
    let centre = crate::classes::me(&state, user.id).await?.centre_id;
    let room = hub
        .open(
            Owner {
                user: user.id,
                centre,
            },
            NewRoom {
                title: titles.join(" · "),
                course_id: request.course_id,
                items,
                settings,
            },
        )
        .await?;
    tracing::info!(code = %room.code, user = user.id, "live session opened");
    Ok(Json(room.summary()))
}

/// `GET /api/live`: the asker's sessions that have not expired, on this
/// instance and (unless relayed) on the others that hold some.
async fn list(
    Extension(hub): Extension<Hub>,
    AuthUser(user): AuthUser,
    headers: HeaderMap,
) -> Result<Json<Vec<LiveSummary>>, HttpError> {
    if !may_present(&user) {
        return Err(HttpError::Forbidden);
    }
    let rooms: Vec<Arc<Room>> = hub
        .rooms()
        .values()
        .filter(|r| r.owner.user == user.id && !r.expired())
        .cloned()
        .collect();
    let mut summaries: Vec<LiveSummary> = rooms.iter().map(|r| r.summary()).collect();
    if !hub.relayed(&headers) {
        let me = hub.instance.as_deref().unwrap_or_default();
        for holder in hub.store.holders_for(user.id, me).await? {
            let cookie = headers.get(header::COOKIE);
            if let Some((StatusCode::OK, body)) =
                relay::get(&holder, "/api/live", cookie, hub.store.relay_key()).await
            {
                summaries
                    .extend(serde_json::from_value::<Vec<LiveSummary>>(body).unwrap_or_default());
            }
        }
    }
    Ok(Json(summaries))
}

/// `GET /api/live/{code}`: whether a session exists and admits guests. Open
/// to everyone, like the join page; limited per address.
async fn info(
    Extension(hub): Extension<Hub>,
    addr: ClientAddress,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    match hub.look_up(addr, &code, hub.relayed(&headers)).await? {
        Found::Here(room) => Ok(Json(room.info()).into_response()),
        Found::There(holder) => {
            let path = format!("/api/live/{code}");
            match relay::get(&holder, &path, None, hub.store.relay_key()).await {
                Some((StatusCode::OK, body)) => Ok(Json(body).into_response()),
                _ => Err(HttpError::NotFound),
            }
        }
        Found::Nowhere => Err(HttpError::NotFound),
    }
}

/// Whether a browser's `Origin` (if it sent one) is this server: a page of
/// another site must not open a socket with the user's cookie.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true; // not a browser
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| !host.is_empty() && rest == host)
}

/// `GET /api/live/{code}/ws`: the session's WebSocket. An unknown code is
/// still upgraded, so the browser can be told why in a message. Opening
/// it counts like a look-up of the code (429 before the upgrade).
async fn connect(
    State(state): State<AppState>,
    Extension(hub): Extension<Hub>,
    MaybeUser(user): MaybeUser,
    addr: ClientAddress,
    Path(code): Path<String>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // Not a WebSocket handshake: refused as before, costing nothing (and
    // telling nothing about the code).
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    if !same_origin(&headers) {
        return HttpError::Forbidden.into_response();
    }
    let room = match hub.look_up(addr, &code, hub.relayed(&headers)).await {
        Ok(Found::Here(room)) => Some(room),
        Ok(Found::Nowhere) => None,
        Ok(Found::There(holder)) => {
            let cookie = headers.get(header::COOKIE).cloned();
            let key = hub.store.relay_key().into();
            return sized(upgrade)
                .on_upgrade(move |socket| relay::socket(socket, holder, code, cookie, key));
        }
        Err(e) => return e.into_response(),
    };
    let presenter = match (&room, &user) {
        (Some(room), Some(user)) => match may_drive(&state, room, user).await {
            Ok(may) => may,
            Err(e) => return e.into_response(),
        },
        _ => false,
    };
    sized(upgrade).on_upgrade(move |socket| socket::run(socket, room, user, presenter))
}

/// Small buffers: 2,000 phones with tungstenite's default 128 KiB read
/// buffer each would hold 256 MB for messages of a few hundred bytes.
fn sized(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_same_origin_may_open_a_socket() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&headers), "no Origin: not a browser");
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&headers));
    }
}
