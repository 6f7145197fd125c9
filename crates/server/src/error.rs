//! The HTTP error boundary.
//!
//! Policy: every handler returns `Result<_, HttpError>`. A variant maps to one
//! stable [`ApiError`] code and status that the client matches on and
//! translates; internal causes are logged here and never sent to the client.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use lophoc_core::{
    api::{ApiError, FileProblem},
    authoring::{FileVersion, Problem},
};

/// Largest request body the API reads, in bytes (axum's default).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("wrong current password")]
    WrongPassword,
    #[error("new password too short")]
    WeakPassword,
    #[error("the account is deactivated")]
    AccountDisabled,
    #[error("already exists")]
    AlreadyExists,
    #[error("too many requests; retry after {0} s")]
    TooManyRequests(u64),
    #[error("too many open live sessions (at most {0})")]
    TooManySessions(u32),
    #[error("server busy")]
    ServerBusy,
    #[error("too large (limit {0} bytes)")]
    TooLarge(u64),
    #[error("unreadable file: {0:?}")]
    UnreadableFile(FileProblem),
    #[error("store: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error("internal: {0}")]
    Internal(String),
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    #[error("too many login attempts; retry in {0} s")]
    TooManyAttempts(u64),
    #[error("cross-site request")]
    CrossSite,
    #[error("the file has a newer version {}", .0.version)]
    Conflict(Box<FileVersion>),
    #[error("the draft does not load: {} problems", .0.len())]
    ContentProblems(Vec<Problem>),
}

impl HttpError {
    fn api_error(&self) -> ApiError {
        match self {
            HttpError::Unauthenticated => ApiError::Unauthenticated,
            HttpError::BadCredentials => ApiError::BadCredentials,
            HttpError::Forbidden => ApiError::Forbidden,
            HttpError::NotFound => ApiError::NotFound,
            HttpError::BadRequest(detail) => ApiError::BadRequest {
                detail: detail.clone(),
            },
            HttpError::TooLarge(limit) => ApiError::TooLarge { limit: *limit },
            HttpError::UnreadableFile(problem) => ApiError::UnreadableFile {
                problem: problem.clone(),
            },
            HttpError::WrongPassword => ApiError::WrongPassword,
            HttpError::WeakPassword => ApiError::WeakPassword {
                min: lophoc_core::classes::MIN_PASSWORD_CHARS as u32,
            },
            HttpError::AccountDisabled => ApiError::AccountDisabled,
            HttpError::AlreadyExists => ApiError::AlreadyExists,
            HttpError::TooManyRequests(retry_after) => ApiError::TooManyRequests {
                retry_after: *retry_after,
            },
            HttpError::TooManySessions(max) => ApiError::TooManySessions { max: *max },
            HttpError::ServerBusy => ApiError::ServerBusy,
            HttpError::Store(_) | HttpError::Hashing(_) | HttpError::Internal(_) => {
                ApiError::Internal
            }
            HttpError::PasswordChangeRequired => ApiError::PasswordChangeRequired,
            HttpError::TooManyAttempts(seconds) => ApiError::TooManyAttempts {
                retry_after: *seconds,
            },
            HttpError::CrossSite => ApiError::CrossSite,
            HttpError::Conflict(current) => ApiError::Conflict {
                current: current.clone(),
            },
            HttpError::ContentProblems(problems) => ApiError::ContentProblems {
                problems: problems.clone(),
            },
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = self.api_error();
        if matches!(body, ApiError::Internal) {
            tracing::error!(error = %self, "request failed");
        }
        let status =
            StatusCode::from_u16(body.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(body)).into_response();
        if let HttpError::TooManyAttempts(seconds) | HttpError::TooManyRequests(seconds) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

/// Turns axum's JSON body rejections (wrong content type, truncated or
/// malformed JSON) into our `bad_request` code.
impl From<axum::extract::rejection::JsonRejection> for HttpError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return HttpError::TooLarge(BODY_LIMIT as u64);
        }
        HttpError::BadRequest(rejection.body_text())
    }
}
