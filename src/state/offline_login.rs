//! Signing in again with no connection, as the device's last user.
//!
//! Policy: a trainee in a commune without signal who signed out (or whose
//! app was closed after signing out) must still be able to open their
//! downloaded lessons. At each sign-in that reaches the server, the device
//! keeps a verifier of the password — PBKDF2-SHA-256 (WebCrypto), 100 000
//! iterations, a random 16-byte salt — with that user's record; never the
//! password itself. When a later sign-in cannot reach the server, the same
//! username with a password that matches the verifier continues offline as
//! that user: they read and record on this device, and the server checks
//! the session at the next sync (which asks them to sign in again if the
//! session has ended). Only the last user of the device is kept; a sign-in
//! of someone else replaces it. Without WebCrypto (a page served over plain
//! HTTP to another machine) nothing is kept and the login page only says
//! that there is no connection.
//!
//! The work is done in the `open` group of the split `.wasm` (`split.rs`),
//! which every device keeps for offline use: a visitor's first download does
//! not carry it.

use lophoc_core::api::User;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::split::{split_call, NotOnDevice};

const KEY: &str = "lophoc.offline-login";
const ITERATIONS: u32 = 100_000;

#[derive(Serialize, Deserialize)]
struct Verifier {
    username: String,
    salt: String,
    hash: String,
    user: User,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// How usernames compare: ignoring ASCII case and spaces around (usernames
/// are made of ASCII letters and digits; a full Unicode case table would
/// weigh on the first download).
fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// PBKDF2-SHA-256 of `password` with `salt`, 32 bytes; `None` without
/// WebCrypto.
async fn derive(password: &str, salt: &[u8]) -> Option<Vec<u8>> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let raw = js_sys::Uint8Array::from(password.as_bytes());
    let usages = js_sys::Array::of1(&"deriveBits".into());
    let key = JsFuture::from(
        subtle
            .import_key_with_str("raw", &raw, "PBKDF2", false, &usages)
            .ok()?,
    )
    .await
    .ok()?
    .dyn_into::<web_sys::CryptoKey>()
    .ok()?;
    let params = web_sys::Pbkdf2Params::new_with_str(
        "PBKDF2",
        "SHA-256",
        ITERATIONS,
        &js_sys::Uint8Array::from(salt),
    );
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256).ok()?)
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&bits).to_vec())
}

/// What the login page asks of this module.
enum Job {
    Remember {
        username: String,
        password: String,
        user: User,
    },
    SignIn {
        username: String,
        password: String,
    },
}

type JobFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Option<User>>>>;

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(open, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn job_future(job: Box<Job>) -> Result<JobFuture, NotOnDevice> {
    Ok(Box::pin(async move {
        match *job {
            Job::Remember {
                username,
                password,
                user,
            } => {
                keep(&username, &password, &user).await;
                None
            }
            Job::SignIn { username, password } => check(&username, &password).await,
        }
    }))
}

async fn run(job: Job) -> Option<User> {
    match split_call!(job_future, Box::new(job)) {
        Ok(future) => future.await,
        Err(NotOnDevice) => None,
    }
}

/// After a sign-in the server accepted: keep a verifier of the password
/// for [`sign_in_offline`].
pub async fn remember(username: &str, password: &str, user: &User) {
    run(Job::Remember {
        username: username.to_string(),
        password: password.to_string(),
        user: user.clone(),
    })
    .await;
}

/// The device's last user, if `username` and `password` are theirs.
pub async fn sign_in_offline(username: &str, password: &str) -> Option<User> {
    run(Job::SignIn {
        username: username.to_string(),
        password: password.to_string(),
    })
    .await
}

async fn keep(username: &str, password: &str, user: &User) {
    let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) else {
        return;
    };
    let mut salt = [0_u8; 16];
    if crypto.get_random_values_with_u8_array(&mut salt).is_err() {
        return;
    }
    let Some(hash) = derive(password, &salt).await else {
        return;
    };
    let verifier = Verifier {
        username: username.trim().to_string(),
        salt: hex(&salt),
        hash: hex(&hash),
        user: user.clone(),
    };
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(&verifier)) {
        let _ = storage.set_item(KEY, &json);
    }
}

async fn check(username: &str, password: &str) -> Option<User> {
    let json = local_storage()?.get_item(KEY).ok().flatten()?;
    let verifier: Verifier = serde_json::from_str(&json).ok()?;
    if !same_name(&verifier.username, username) {
        return None;
    }
    let hash = derive(password, &unhex(&verifier.salt)?).await?;
    // Compared in full, whatever the first difference.
    let expected = unhex(&verifier.hash)?;
    let differ = hash.len() != expected.len()
        || hash
            .iter()
            .zip(&expected)
            .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
            != 0;
    (!differ).then_some(verifier.user)
}
