//! Shared set-up of the server tests: a fresh database in a temporary folder,
//! the demo content, and a small fake client build.
#![expect(
    clippy::unwrap_used,
    reason = "a failing set-up should fail the test loudly"
)]

use std::path::{Path, PathBuf};

use axum::{
    body::Body,
    http::{header, Request, Response, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use lophoc_server::{app, seed, store::Store, AppState};
use tower::ServiceExt;

pub const WASM_NAME: &str = "lophoc-0123456789abcdef_bg.wasm";

pub fn demo_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    /// Kept so the temporary folder lives as long as the app.
    _dir: tempfile::TempDir,
}

pub async fn test_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Lophoc</title>",
    )
    .unwrap();
    std::fs::write(dist.join(WASM_NAME), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join(format!("{WASM_NAME}.br")), b"brotli bytes").unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::open(&url).await.unwrap();
    seed::seed_demo_accounts(&store).await.unwrap();
    let report = seed::publish_content(&store, &demo_content())
        .await
        .unwrap();
    assert!(
        report.failed.is_empty(),
        "demo content failed: {:?}",
        report.failed
    );
    let router = app(AppState {
        store: store.clone(),
        dist_dir: dist,
    });
    TestApp {
        router,
        store,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, uri: &str, cookie: Option<&str>) -> Response<Body> {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(&self, uri: &str, body: &str, cookie: Option<&str>) -> Response<Body> {
        let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Logs in and returns the `name=value` pair of the session cookie.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = format!(r#"{{"username":"{username}","password":"{password}"}}"#);
        let response = self.post_json("/api/auth/login", &body, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        set_cookie.split(';').next().unwrap().to_string()
    }
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&body_text(response).await).unwrap()
}
