//! Who is signed in.
//!
//! Policy: the server owns the session (an `HttpOnly` cookie); the client
//! only mirrors the user it belongs to, asked once at start through
//! `GET /api/me` and updated on login and logout.

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{api::User, i18n::Msg};

use crate::api;

/// The signed-in user, and a one-shot notice for the login page.
#[derive(Clone, Copy)]
pub struct Session {
    /// `None` until [`Session::ready`], and when nobody is signed in.
    pub user: RwSignal<Option<User>>,
    /// True once the start-up check has answered.
    pub ready: RwSignal<bool>,
    /// A message to show on the next page (e.g. "you have logged out").
    pub notice: RwSignal<Option<Msg>>,
}

/// Creates the session state, starts the `GET /api/me` check, provides it.
pub fn provide_session() -> Session {
    let session = Session {
        user: RwSignal::new(None),
        ready: RwSignal::new(false),
        notice: RwSignal::new(None),
    };
    spawn_local(async move {
        if let Ok(user) = api::me().await {
            session.user.set(Some(user));
        }
        session.ready.set(true);
    });
    provide_context(session);
    session
}

/// The session state provided by [`provide_session`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}
