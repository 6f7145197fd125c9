//! The sync endpoints: push a device's ops, pull the user's events, read the
//! progress derived from them, and a server-sent event stream that pokes a
//! user's other devices to pull when one of them pushed (through any
//! instance on the same database: `engine::relay_pokes`).
//!
//! Policy: a user pushes only their own ops from their own devices (a device
//! id is bound to the first user who pushes from it; the server's own
//! devices, `live:…`, can be neither claimed nor pushed to). Every op is
//! checked against its kind's authority row (`lophoc_core::sync`, then
//! `crate::sync::authority`): one refused for good is answered with its reason
//! and passed, so it never blocks the device; one of an unknown schema holds
//! the device and the client keeps it. Progress is computed by
//! `lophoc_core::progress` from the stored events, the same function the
//! client runs.

pub mod authority;
pub mod store;

use self::store::PushError;

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::{Query, State},
    response::sse::{Event as SseEvent, KeepAlive, Sse},
    routing::{get, post},
    Json, Router,
};
use futures_util::stream::{self, Stream};
use lophoc_core::{
    events::Op,
    progress::Progress,
    sync::{PullResponse, PushRequest, PushResponse, MAX_BATCH},
};
use serde::Deserialize;

use crate::{
    auth::AuthUser,
    classes::progress::{affected_users, check_certificates},
    engine::Change,
    error::HttpError,
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/push", post(push))
        .route("/sync/pull", get(pull))
        .route("/sync/stream", get(stream))
        .route("/progress", get(progress))
}

/// `GET /api/sync/stream`: a `poke` event each time another push stored
/// events of the signed-in user, so their other open devices pull at once.
/// The event carries data because browsers drop events with none.
async fn stream(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let changes = state.store.sync.changes();
    let pokes = stream::unfold(changes, move |mut changes| async move {
        loop {
            match changes.recv().await {
                Ok(Change::User(id)) if id != user.id => continue,
                Ok(_) => {
                    return Some((Ok(SseEvent::default().event("poke").data("pull")), changes))
                }
                // Fell behind: poke anyway, pulling is always safe.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    return Some((Ok(SseEvent::default().event("poke").data("pull")), changes));
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(pokes).keep_alive(KeepAlive::new().interval(Duration::from_secs(25)))
}

async fn push(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<PushRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<PushResponse>, HttpError> {
    let Json(request) = body?;
    if request.device_id.is_empty() || request.device_id.len() > 64 {
        return Err(HttpError::BadRequest(
            "device_id must have 1 to 64 characters".into(),
        ));
    }
    if request.ops.len() > MAX_BATCH {
        return Err(HttpError::BadRequest(format!(
            "at most {MAX_BATCH} ops per push"
        )));
    }
    // On its own task: if the client disconnects, axum drops this handler's
    // future, and a push dropped inside `BEGIN IMMEDIATE` could leave its
    // connection holding the write lock. A spawned push always finishes
    // (commits or rolls back) whatever happens to the request.
    let store = state.store.clone();
    let device_id = request.device_id.clone();
    let pusher = user.clone();
    let outcome = tokio::spawn(async move {
        let outcome = store.sync.push(&pusher, &request).await;
        if let Ok(reply) = &outcome {
            let ops: Vec<Op> = request
                .ops
                .iter()
                .filter_map(|op| serde_json::from_value::<Op>(op.clone()).ok())
                .filter(|op| {
                    op.seq <= reply.acked_seq && !reply.refused.iter().any(|r| r.seq == op.seq)
                })
                .collect();
            if ops.iter().any(|op| op.event.may_complete()) {
                // Certificates earned by these events, off the reply's path.
                let users = affected_users(&store, pusher.id, &ops).await;
                tokio::spawn(check_certificates(store, users));
            }
        }
        outcome
    })
    .await
    .map_err(|e| HttpError::Internal(format!("push task failed: {e}")))?;
    match outcome {
        Ok(response) => {
            if let Some(rejected) = &response.rejected {
                tracing::warn!(user = user.id, device = %device_id, ?rejected, "op held");
            }
            for refused in &response.refused {
                tracing::warn!(user = user.id, device = %device_id, seq = refused.seq, code = refused.reason.code(), "op refused");
            }
            Ok(Json(response))
        }
        Err(PushError::DeviceOfAnotherUser | PushError::NotAClientDevice) => {
            Err(HttpError::Forbidden)
        }
        Err(PushError::Store(e)) => Err(HttpError::Store(e)),
    }
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    cursor: i64,
    /// The asking device, to be told how far the server holds its ops.
    #[serde(default)]
    device: Option<String>,
}

async fn pull(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    let device = query
        .device
        .as_deref()
        .filter(|d| lophoc_core::limits::is_token(d));
    Ok(Json(
        state.store.sync.pull(user.id, query.cursor, device).await?,
    ))
}

async fn progress(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Progress>, HttpError> {
    let events = state.store.sync.user_events(user.id).await?;
    Ok(Json(Progress::from_events(&events)))
}
