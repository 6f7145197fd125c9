//! Published courses: the list, one course's outline, a lesson, a media file.
//!
//! Policy: any signed-in user may read published courses (every trainee of a
//! centre studies its courses; class rosters narrow this later). Ids are
//! checked against the id rule before reaching the store, so a malformed id
//! is simply not found.

use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use lophoc_core::{
    api::CourseSummary,
    content::{is_valid_id, CourseOutline, Lesson},
};

use crate::{auth::AuthUser, error::HttpError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/{course}", get(outline))
        .route("/{course}/lessons/{lesson}", get(lesson))
        .route("/{course}/media/{name}", get(media))
}

async fn list(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
) -> Result<Json<Vec<CourseSummary>>, HttpError> {
    Ok(Json(state.store.courses().await?))
}

async fn outline(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    Path(course): Path<String>,
) -> Result<Json<CourseOutline>, HttpError> {
    if !is_valid_id(&course) {
        return Err(HttpError::NotFound);
    }
    state
        .store
        .outline(&course)
        .await?
        .map(Json)
        .ok_or(HttpError::NotFound)
}

async fn lesson(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    Path((course, lesson)): Path<(String, String)>,
) -> Result<Json<Lesson>, HttpError> {
    if !is_valid_id(&course) || !is_valid_id(&lesson) {
        return Err(HttpError::NotFound);
    }
    state
        .store
        .lesson(&course, &lesson)
        .await?
        .map(Json)
        .ok_or(HttpError::NotFound)
}

async fn media(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    Path((course, name)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    if !is_valid_id(&course) {
        return Err(HttpError::NotFound);
    }
    let (mime, bytes) = state
        .store
        .media(&course, &name)
        .await?
        .ok_or(HttpError::NotFound)?;
    let content_type = HeaderValue::from_str(&mime)
        .map_err(|_| HttpError::BadRequest(format!("bad stored MIME type {mime}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=300"),
            ),
            // An SVG opened on its own must not run script in our origin.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            ),
        ],
        bytes,
    )
        .into_response())
}
