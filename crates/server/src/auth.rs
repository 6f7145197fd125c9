//! Logging in and out, and knowing who is asking.
//!
//! Policy: passwords are stored as Argon2id hashes. A login creates a
//! server-side session: a random 256-bit token goes to the browser in an
//! `HttpOnly`, `SameSite=Lax` cookie and only its SHA-256 is stored, so the
//! token cannot be read by page scripts, is not sent by cross-site form
//! posts, and a copy of the database cannot be replayed as a session.
//! Sessions last 30 days because trainees may be offline for a long time;
//! logging out deletes the session on the server. Every API handler that
//! shows data takes an [`AuthUser`], which answers 401 without a session.

use argon2::{
    password_hash::{rand_core::OsRng, rand_core::RngCore, PasswordHash, SaltString},
    Argon2, PasswordHasher, PasswordVerifier,
};
use axum::{
    extract::{FromRequestParts, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::api::{LoginRequest, User};
use sha2::{Digest, Sha256};

use crate::{error::HttpError, store::now, AppState};

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "lophoc_session";
const SESSION_SECONDS: i64 = 30 * 24 * 60 * 60;
/// Longer input is refused before hashing, so a huge password cannot tie up
/// the CPU.
const MAX_FIELD_LEN: usize = 256;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
}

/// `GET /api/me`, mounted beside `/auth`.
pub fn me_router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

/// Hashes a password with Argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, HttpError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HttpError::Hashing(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

fn session_cookie(token: &str, max_age: i64) -> Result<HeaderValue, HttpError> {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .map_err(|e| HttpError::BadRequest(e.to_string()))
}

async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, HttpError> {
    let Json(request) = body?;
    let username = request.username.trim();
    if username.is_empty() || request.password.is_empty() {
        return Err(HttpError::BadRequest(
            "username and password are required".into(),
        ));
    }
    if username.len() > MAX_FIELD_LEN || request.password.len() > MAX_FIELD_LEN {
        return Err(HttpError::BadCredentials);
    }
    let credentials = state.store.credentials(username).await?;
    let password = request.password.clone();
    // Hash even for an unknown user, so timing does not tell which usernames exist.
    let stored_hash = credentials
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let valid = tokio::task::spawn_blocking(move || verify_password(&password, &stored_hash))
        .await
        .unwrap_or(false);
    let Some(credentials) = credentials.filter(|_| valid) else {
        tracing::info!(username, "login refused");
        return Err(HttpError::BadCredentials);
    };
    let token = new_token();
    state
        .store
        .create_session(
            &token_hash(&token),
            credentials.user.id,
            now() + SESSION_SECONDS,
        )
        .await?;
    tracing::info!(user = credentials.user.id, "logged in");
    let mut response = Json(credentials.user).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&token, SESSION_SECONDS)?);
    Ok(response)
}

/// A valid Argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$yDg2Dq6JhbvwKJ4lX7RVKBP9C3z1XbaR4y6wVNe3MJs";

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, HttpError> {
    if let Some(token) = session_token(&headers) {
        state.store.delete_session(&token_hash(token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0)?);
    Ok(response)
}

async fn me(AuthUser(user): AuthUser) -> Json<User> {
    Json(user)
}

/// The signed-in user. Extracting it answers 401 `unauthenticated` when the
/// request has no valid session.
pub struct AuthUser(pub User);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let token = session_token(&parts.headers).ok_or(HttpError::Unauthenticated)?;
        state
            .store
            .session_user(&token_hash(token))
            .await?
            .map(AuthUser)
            .ok_or(HttpError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("mật khẩu").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu", &hash));
        assert!(!verify_password("mat khau", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_dummy_hash_parses_and_rejects() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("", DUMMY_HASH));
    }

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; lophoc_session=abc; b=2"),
        );
        assert_eq!(session_token(&headers), Some("abc"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("lophoc_sessionx=abc"),
        );
        assert_eq!(session_token(&headers), None);
    }
}
