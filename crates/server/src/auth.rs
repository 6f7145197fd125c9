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
//! A deactivated account cannot log in (403 `account_disabled`, only after
//! the right password) and its sessions are ended when it is deactivated
//! (`accounts.rs`).

use std::sync::OnceLock;

use argon2::{
    password_hash::{rand_core::OsRng, rand_core::RngCore, PasswordHash, SaltString},
    Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version,
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
use tokio::sync::Semaphore;

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

/// Argon2id with 46 MiB, one pass, one lane: one of OWASP's recommended
/// settings. Above glibc's 32 MiB mmap ceiling, the work memory is always
/// mapped and unmapped, so it goes back to the OS after each login instead
/// of staying in a thread's arena (19 MiB for every thread that ever hashed).
fn argon2() -> Argon2<'static> {
    let params = Params::new(47_104, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// At most this many password hashes at once: a burst of logins waits
/// instead of taking 46 MiB each.
const CONCURRENT_HASHES: usize = 2;

fn hash_permits() -> &'static Semaphore {
    static PERMITS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);
    &PERMITS
}

/// Hashes a password with Argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, HttpError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HttpError::Hashing(e.to_string()))
}

/// Hashes on a blocking thread, at most [`CONCURRENT_HASHES`] at once.
pub async fn hash_password_limited(password: String) -> Result<String, HttpError> {
    let _permit = hash_permits()
        .acquire()
        .await
        .map_err(|e| HttpError::Hashing(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| HttpError::Hashing(e.to_string()))?
}

/// Checks a password against a stored hash on a blocking thread, at most
/// [`CONCURRENT_HASHES`] at once.
pub async fn check_password(password: String, hash: String) -> bool {
    let Ok(_permit) = hash_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

fn verify_password(password: &str, hash: &str) -> bool {
    // The parameters come from the stored hash, so older hashes still verify.
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password nobody knows, with the current parameters,
/// checked when the username does not exist so that timing tells nothing.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
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
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let permit = hash_permits()
        .acquire()
        .await
        .map_err(|e| HttpError::Hashing(e.to_string()))?;
    let valid = tokio::task::spawn_blocking(move || {
        let hash = stored_hash.as_deref().unwrap_or_else(|| dummy_hash());
        verify_password(&password, hash)
    })
    .await
    .unwrap_or(false);
    drop(permit);
    let Some(credentials) = credentials.filter(|_| valid) else {
        tracing::info!(username, "login refused");
        return Err(HttpError::BadCredentials);
    };
    // Said only to whoever knows the password: others cannot tell a
    // deactivated account from a wrong password.
    if !credentials.active {
        tracing::info!(
            user = credentials.user.id,
            "login of a deactivated account refused"
        );
        return Err(HttpError::AccountDisabled);
    }
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
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify_password("", dummy_hash()));
    }

    #[test]
    fn hashes_use_the_chosen_parameters() {
        let hash = hash_password("x").unwrap();
        assert!(hash.contains("$m=47104,t=1,p=1$"), "{hash}");
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
