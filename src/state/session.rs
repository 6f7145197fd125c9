//! Who is signed in.
//!
//! Policy: the server owns the session (an `HttpOnly` cookie); the client
//! only mirrors the user it belongs to, asked once at start through
//! `GET /api/me` and updated on login and logout. The last signed-in user is
//! remembered on the device, so a trainee who starts the app with no network
//! keeps reading and recording; their work syncs when the server answers.

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{api::User, i18n::Msg};

use crate::api::{self, ClientError};

/// Asks the browser to keep the local store even under storage pressure
/// (`navigator.storage.persist()`); settings shows the outcome.
pub fn request_persistent_storage() {
    if let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) {
        if let Ok(promise) = storage.persist() {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// The signed-in user, and a one-shot notice for the login page.
#[derive(Clone, Copy)]
pub struct Session {
    /// `None` until [`Session::ready`], and when nobody is signed in.
    pub user: RwSignal<Option<User>>,
    /// True once the start-up check has answered.
    pub ready: RwSignal<bool>,
    /// A message to show on the next page (e.g. "you have logged out").
    pub notice: RwSignal<Option<Msg>>,
    /// Someone was signed in on this device when the app last knew (or the
    /// server drew this page for someone signed in): until the start-up
    /// check answers, the home page waits instead of showing the welcome
    /// (which `index.html` shows visitors before the app starts).
    pub signed_in_hint: bool,
}

thread_local! {
    /// The session state, for code that runs outside any component (an API
    /// answer saying the password must be changed).
    static CURRENT: std::cell::Cell<Option<Session>> = const { std::cell::Cell::new(None) };
}

/// The server answered `password_change_required`: mark the signed-in user
/// so, and the app goes to the password change (`PasswordChangeGuard`).
pub fn password_change_required() {
    if let Some(session) = CURRENT.get() {
        session.user.update(|user| {
            if let Some(user) = user {
                user.must_change_password = true;
            }
        });
    }
}

/// The device's mark that someone is signed in (read by `index.html` too).
const SIGNED_IN_KEY: &str = "lophoc.signed-in";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The server drew this page for a signed-in user (its first screen in
/// the document, `crates/server/src/document.rs`): a device that lost its
/// mark, or a phone opening a shared link with only the cookie.
fn drawn_for_someone() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot-page"))
        .is_some_and(|page| page.has_attribute("data-signed-in"))
}

/// Creates the session state, starts the `GET /api/me` check, provides it.
pub fn provide_session() -> Session {
    let session = Session {
        user: RwSignal::new(None),
        ready: RwSignal::new(false),
        notice: RwSignal::new(None),
        signed_in_hint: local_storage()
            .and_then(|s| s.get_item(SIGNED_IN_KEY).ok().flatten())
            .is_some()
            || drawn_for_someone(),
    };
    // Keeps the mark in step once the start-up check has answered.
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let signed_in = session.user.with(Option::is_some);
        if let Some(storage) = local_storage() {
            let _ = if signed_in {
                storage.set_item(SIGNED_IN_KEY, "1")
            } else {
                storage.remove_item(SIGNED_IN_KEY)
            };
        }
    });
    spawn_local(async move {
        let local = crate::store::get().await.ok();
        match api::me().await {
            Ok(user) => {
                if let Some(local) = &local {
                    let _ = local.save_user(&user).await;
                }
                request_persistent_storage();
                session.user.set(Some(user));
            }
            // No answer: carry on offline as the last signed-in user.
            Err(ClientError::Network) => {
                if let Some(local) = &local {
                    session.user.set(local.saved_user().await.ok().flatten());
                }
            }
            // The session expired. Work queued on this device waits for the
            // same user to log in again: say so on the login page.
            Err(e) if e.needs_login() => {
                if let Some(local) = &local {
                    if let Ok(Some(saved)) = local.saved_user().await {
                        let queued = crate::sync::count_queued(saved.id, crate::sync::Queued::Ops);
                        if queued.await.unwrap_or_default() > 0 {
                            session.notice.set(Some(Msg::SyncLoginAgain));
                        }
                    }
                }
            }
            Err(_) => {}
        }
        session.ready.set(true);
    });
    CURRENT.set(Some(session));
    provide_context(session);
    session
}

/// The session state provided by [`provide_session`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}
