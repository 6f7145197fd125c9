//! The sync endpoints: push a device's ops, pull the user's events, read the
//! progress derived from them.
//!
//! Policy: a user pushes only their own ops from their own devices (a device
//! id is bound to the first user who pushes from it); an op of an unknown
//! schema is refused by its code and the client keeps it. Progress is
//! computed by `lophoc_core::progress` from the stored events, the same
//! function the client runs.

use axum::{
    extract::{Query, State},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    progress::Progress,
    sync::{PullResponse, PushRequest, PushResponse, MAX_BATCH},
};
use serde::Deserialize;

use crate::{auth::AuthUser, error::HttpError, store::PushError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/push", post(push))
        .route("/sync/pull", get(pull))
        .route("/progress", get(progress))
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
    match state.store.push(user.id, &request).await {
        Ok(response) => {
            if let Some(rejected) = &response.rejected {
                tracing::warn!(user = user.id, device = %request.device_id, ?rejected, "op refused");
            }
            Ok(Json(response))
        }
        Err(PushError::DeviceOfAnotherUser) => Err(HttpError::Forbidden),
        Err(PushError::Database(e)) => Err(HttpError::Database(e)),
    }
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    cursor: i64,
}

async fn pull(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    Ok(Json(state.store.pull(user.id, query.cursor).await?))
}

async fn progress(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Progress>, HttpError> {
    let events = state.store.user_events(user.id).await?;
    Ok(Json(Progress::from_events(&events)))
}
