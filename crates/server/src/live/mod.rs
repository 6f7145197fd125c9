//! Live class quiz (phiên học trực tiếp): creating sessions, the join-page
//! lookup, and the WebSocket every presenter, remote and phone connects to.
//!
//! Policy (see `docs/live-session.md`): a session lives in this process's
//! memory (a [`Hub`] of [`room::Room`]s, keyed by a six-digit join code);
//! the rules are `lophoc_core::live::Session`, a pure state machine, and the
//! server owns its clock and timers. Only lecturers and centre admins create
//! sessions, and only a session's lecturer (or a centre admin) may drive it;
//! any number of their connections may, so a phone works as a remote.
//! Signed-in trainees' attendance and answers are written as events to the
//! events table, so they appear in their pulled events and progress; guests
//! leave no record. A server restart ends every session (the recorded events
//! stay).

mod room;
mod socket;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    extract::{FromRequestParts, Path, State, WebSocketUpgrade},
    http::{header, request::Parts, HeaderMap},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Json, Router,
};
use lophoc_core::{
    api::{Role, User},
    content::is_valid_id,
    live::{
        is_code, CreateLive, LiveInfo, LiveItem, LiveSummary, Settings, MAX_QUESTIONS,
        SECONDS_RANGE,
    },
};

use crate::{auth::AuthUser, error::HttpError, store::Store, AppState};

pub use room::Room;

/// Largest WebSocket message the server reads, in bytes.
pub const MAX_MESSAGE: usize = 16 * 1024;
/// Read and write buffer of each socket, in bytes (they grow for a larger
/// message).
const SOCKET_BUFFER: usize = 4 * 1024;

/// The live sessions of this server, by join code. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    rooms: Arc<Mutex<HashMap<String, Arc<Room>>>>,
    events: room::EventSink,
}

impl Hub {
    /// A hub whose recorded events go to `store`.
    pub fn new(store: Store) -> Hub {
        Hub {
            rooms: Arc::default(),
            events: room::EventSink::start(store),
        }
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

    /// Opens a session with a fresh join code and starts its timer.
    fn open(
        &self,
        owner: i64,
        title: String,
        course_id: String,
        items: Vec<LiveItem>,
        settings: Settings,
    ) -> Arc<Room> {
        let mut rooms = self.rooms();
        rooms.retain(|_, room| !room.expired());
        let code = loop {
            let code = format!("{:06}", room::random_u64() % 1_000_000);
            if !rooms.contains_key(&code) {
                break code;
            }
        };
        let room = Room::new(
            code.clone(),
            owner,
            title,
            course_id,
            items,
            settings,
            self.events.clone(),
        );
        rooms.insert(code, room.clone());
        room::start_timer(&room);
        room
    }
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

fn may_present(user: &User) -> bool {
    matches!(user.role, Role::Lecturer | Role::CentreAdmin)
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
    let room = hub.open(
        user.id,
        titles.join(" · "),
        request.course_id,
        items,
        settings,
    );
    tracing::info!(code = %room.code, user = user.id, "live session opened");
    Ok(Json(room.summary()))
}

/// `GET /api/live`: the asker's sessions that have not expired.
async fn list(
    Extension(hub): Extension<Hub>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<LiveSummary>>, HttpError> {
    if !may_present(&user) {
        return Err(HttpError::Forbidden);
    }
    let rooms: Vec<Arc<Room>> = hub
        .rooms()
        .values()
        .filter(|r| r.owner == user.id && !r.expired())
        .cloned()
        .collect();
    Ok(Json(rooms.iter().map(|r| r.summary()).collect()))
}

/// `GET /api/live/{code}`: whether a session exists and admits guests. Open
/// to everyone, like the join page.
async fn info(
    Extension(hub): Extension<Hub>,
    Path(code): Path<String>,
) -> Result<Json<LiveInfo>, HttpError> {
    if !is_code(&code) {
        return Err(HttpError::NotFound);
    }
    let room = hub.get(&code).ok_or(HttpError::NotFound)?;
    Ok(Json(room.info()))
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
/// still upgraded, so the browser can be told why in a message.
async fn connect(
    Extension(hub): Extension<Hub>,
    MaybeUser(user): MaybeUser,
    Path(code): Path<String>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !same_origin(&headers) {
        return HttpError::Forbidden.into_response();
    }
    let room = if is_code(&code) { hub.get(&code) } else { None };
    // Small buffers: 2,000 phones with tungstenite's default 128 KiB read
    // buffer each would hold 256 MB for messages of a few hundred bytes.
    upgrade
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| socket::run(socket, room, user))
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
