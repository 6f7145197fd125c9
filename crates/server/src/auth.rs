//! Logging in and out, and knowing who is asking.
//!
//! Policy: passwords are stored as Argon2id hashes. A login creates a
//! server-side session: a random 256-bit token goes to the browser in an
//! `HttpOnly`, `SameSite=Lax` cookie (`Secure` and `__Host-` over HTTPS, see
//! [`crate::security`]) and only its SHA-256 is stored, so the token cannot
//! be read by page scripts, is not sent by cross-site form posts, and a copy
//! of the database cannot be replayed as a session.
//!
//! Sessions end after [`SESSION_IDLE_SECONDS`] (30 days) without a request —
//! trainees in mountain communes may be offline for weeks and should not
//! lose their login meanwhile — and in any case [`SESSION_MAX_SECONDS`] (a
//! year) after the login. Logging out deletes the session on the server;
//! changing one's password ends every other session of the account, a
//! reset by someone else ends all of them.
//!
//! Every API handler that shows data takes an [`AuthUser`], which answers
//! 401 without a session and 403 `password_change_required` while the
//! account still has a password someone else chose; only `GET /api/me`, the
//! password change and logout serve such an account ([`AuthSession`]).
//! Logins are throttled per account and per address ([`crate::throttle`])
//! before any hashing, and hash with their own permits, so roster imports
//! and resets never make a login wait. A deactivated account cannot log in
//! (403 `account_disabled`, said only after the right password) and its
//! sessions end when it is deactivated (`accounts.rs`).

use std::{net::IpAddr, sync::OnceLock};

use argon2::{
    password_hash::{rand_core::OsRng, rand_core::RngCore, PasswordHash, SaltString},
    Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version,
};
use axum::{
    extract::{FromRequestParts, State},
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::api::{LoginRequest, User};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::{error::HttpError, store::now, throttle::ClientAddress, AppState};

/// The session cookie's name on plain HTTP (over HTTPS it has the
/// `__Host-` prefix: [`crate::security::SECURE_SESSION_COOKIE`]).
pub const SESSION_COOKIE: &str = crate::security::SESSION_COOKIE;
/// A session unused this long has ended (30 days).
pub const SESSION_IDLE_SECONDS: i64 = 30 * 24 * 60 * 60;
/// No session outlives this, used or not (one year; browsers keep a cookie
/// at most 400 days).
pub const SESSION_MAX_SECONDS: i64 = 365 * 24 * 60 * 60;
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

/// Password hashes at once for people waiting on their own screen (logins,
/// one's own password change), and apart from them for work on many
/// accounts (roster imports, resets): a burst waits instead of taking
/// 46 MiB each, and a big import never queues a login.
const CONCURRENT_HASHES: usize = 2;

/// The hashing permits of logins and of one's own password change.
pub fn login_permits() -> &'static Semaphore {
    static PERMITS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);
    &PERMITS
}

/// The hashing permits of roster imports, resets and accounts made by
/// others.
pub fn bulk_permits() -> &'static Semaphore {
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

async fn hash_with(permits: &Semaphore, password: String) -> Result<String, HttpError> {
    let _permit = permits
        .acquire()
        .await
        .map_err(|e| HttpError::Hashing(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| HttpError::Hashing(e.to_string()))?
}

/// Hashes on a blocking thread with the [`bulk_permits`]: roster imports,
/// resets, accounts made by an administrator.
pub async fn hash_password_limited(password: String) -> Result<String, HttpError> {
    hash_with(bulk_permits(), password).await
}

/// Hashes on a blocking thread with the [`login_permits`]: a user choosing
/// their own password, waiting for it.
pub async fn hash_own_password(password: String) -> Result<String, HttpError> {
    hash_with(login_permits(), password).await
}

/// Checks a password against a stored hash on a blocking thread, with the
/// [`login_permits`].
pub async fn check_password(password: String, hash: String) -> bool {
    let Ok(_permit) = login_permits().acquire().await else {
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

/// Whether `password` is the one `hash` was made from (for tools and tests;
/// handlers use [`check_password`]).
pub fn password_matches(password: &str, hash: &str) -> bool {
    verify_password(password, hash)
}

/// A hash of a random password nobody knows, with the current parameters,
/// checked when the username does not exist so that timing tells nothing.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

/// The SHA-256 of a session token: what the sessions table stores.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Counts a login attempt (or a current-password check) against the
/// throttle every instance shares; 429 when over.
async fn throttle(
    state: &AppState,
    username: &str,
    address: Option<IpAddr>,
) -> Result<(), HttpError> {
    crate::throttle::attempt(&state.store.accounts, username, address)
        .await?
        .map_err(|seconds| {
            tracing::warn!(username, seconds, "login attempt throttled");
            HttpError::TooManyAttempts(seconds)
        })
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
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
    throttle(&state, username, address).await?;
    let credentials = state.store.accounts.credentials(username).await?;
    let password = request.password.clone();
    // Hash even for an unknown user, so timing does not tell which usernames exist.
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let permit = login_permits()
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
        .accounts
        .create_session(
            &token_hash(&token),
            credentials.user.id,
            now() + SESSION_MAX_SECONDS,
        )
        .await?;
    tracing::info!(user = credentials.user.id, "logged in");
    let mut response = Json(credentials.user).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        state.security.session_cookie(&token, SESSION_MAX_SECONDS)?,
    );
    Ok(response)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, HttpError> {
    if let Some(token) = state.security.session_token(&headers) {
        state
            .store
            .accounts
            .delete_session(&token_hash(token))
            .await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.security.session_cookie("", 0)?);
    Ok(response)
}

async fn me(session: AuthSession) -> Json<User> {
    Json(session.user)
}

/// Checks the asker's current password before they change it: throttled
/// like a login (a stolen session must not become a password oracle) and
/// hashed with the login permits.
pub async fn check_current_password(
    state: &AppState,
    user: &User,
    address: Option<IpAddr>,
    password: String,
) -> Result<(), HttpError> {
    throttle(state, &user.username, address).await?;
    let hash = state
        .store
        .accounts
        .password_hash(user.id)
        .await?
        .ok_or(HttpError::Unauthenticated)?;
    if check_password(password, hash).await {
        Ok(())
    } else {
        Err(HttpError::WrongPassword)
    }
}

/// A valid session and its user, whatever the state of their password:
/// only for `GET /api/me` and the password change. Everything else takes
/// an [`AuthUser`].
pub struct AuthSession {
    pub user: User,
    /// The SHA-256 of this session's token.
    pub token_hash: Vec<u8>,
}

impl FromRequestParts<AppState> for AuthSession {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let token = state
            .security
            .session_token(&parts.headers)
            .ok_or(HttpError::Unauthenticated)?;
        let token_hash = token_hash(token);
        let user = state
            .store
            .accounts
            .session_user(&token_hash)
            .await?
            .ok_or(HttpError::Unauthenticated)?;
        Ok(AuthSession { user, token_hash })
    }
}

/// The signed-in user. Extracting it answers 401 `unauthenticated` when the
/// request has no valid session, and 403 `password_change_required` while
/// the user must still choose their own password.
pub struct AuthUser(pub User);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let session = AuthSession::from_request_parts(parts, state).await?;
        if session.user.must_change_password {
            return Err(HttpError::PasswordChangeRequired);
        }
        Ok(AuthUser(session.user))
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
}
