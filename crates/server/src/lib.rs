//! lophoc-server: the HTTP API, the SQLite store and the static files of the
//! built client, in one binary.
//!
//! [`app`] builds the whole router from an [`AppState`]; `main.rs` only parses
//! flags, opens the store and serves it. Each area of the API is a module with
//! its own `router()`; handlers stay thin: parse, authorize, call the store
//! or `lophoc-core`, map errors to [`error::HttpError`]. The store is one per
//! area (`store.accounts`, `.courses`, `.sync`, `.classes`, `.authoring`),
//! each owning its tables (see [`store`]).

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod authoring;
pub mod bank;
pub mod classes;
pub mod content;
pub mod copy;
pub mod courses;
pub mod document;
pub mod engine;
pub mod error;
pub mod home;
pub mod live;
pub mod security;
pub mod seed;
pub mod store;
pub mod sync;
pub mod throttle;
pub mod web;

use std::{path::PathBuf, sync::Arc};

use axum::{http::HeaderValue, middleware, routing::get, Json, Router};
use lophoc_core::api::Health;
use tower_http::{
    compression::CompressionLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: store::Store,
    /// The folder holding the client that Trunk built (`index.html` and assets).
    pub dist_dir: PathBuf,
    /// The server's own origin and cookie settings.
    pub security: Arc<security::Security>,
    /// The address other instances reach this one at, when several share
    /// one database (`--instance-url`; see `live::relay`).
    pub instance: Option<String>,
}

impl AppState {
    /// A server reached at whatever address the browser uses (plain HTTP on
    /// a classroom network, tests); see [`AppState::with_security`].
    pub fn new(store: store::Store, dist_dir: PathBuf) -> AppState {
        AppState {
            store,
            dist_dir,
            security: Arc::default(),
            instance: None,
        }
    }

    /// The same, as one of several instances on one database, reached by
    /// the others at `url` (e.g. `http://10.0.0.5:8080`).
    pub fn with_instance(mut self, url: String) -> AppState {
        self.instance = Some(url.trim_end_matches('/').to_string());
        self
    }

    /// The same, with the protections of `--public-url`.
    pub fn with_security(mut self, security: security::Security) -> AppState {
        self.security = Arc::new(security);
        self
    }
}

/// The whole application: `/api/*` and the client.
pub fn app(state: AppState) -> Router {
    app_with_live(state).0
}

/// [`app`], and the hub of its live sessions, whose queued events the
/// server flushes when it stops (`main.rs`).
pub fn app_with_live(state: AppState) -> (Router, live::Hub) {
    let hub = live::Hub::new(state.store.clone(), state.instance.clone());
    let api = Router::new()
        .route("/health", get(health))
        .nest("/auth", auth::router())
        .merge(auth::me_router())
        .nest("/courses", courses::router())
        .merge(courses::grading_router())
        .merge(bank::router())
        .merge(sync::router())
        .merge(classes::router())
        .merge(authoring::router())
        .merge(home::router())
        .merge(accounts::router())
        .merge(live::router(hub.clone()))
        .fallback(|| async { error::HttpError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.security.clone(),
            security::refuse_cross_site,
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Nothing the API sends is a page: opened directly (an uploaded
        // SVG, say), it runs no script and cannot be framed.
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(web::API_CSP),
        ));
    let router = Router::new()
        .nest("/api", api)
        .merge(web::router(&state.dist_dir))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(middleware::from_fn_with_state(
            state.security.clone(),
            security::strict_transport,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    (router, hub)
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}
