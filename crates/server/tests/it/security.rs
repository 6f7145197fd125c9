//! Sessions, login throttling, the cookie and HSTS over HTTPS, and the
//! Content-Security-Policy of the pages (issue 14). Cross-site refusals and
//! `password_change_required` are checked route by route in `authz.rs`.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::{net::SocketAddr, time::Duration};

use crate::common::{body_json, classes::session_for, test_app, TestApp};
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request, Response, StatusCode},
};
use lophoc_server::{app, auth, security::Security, AppState};
use serde_json::Value;

/// A login from `address` (as the real server sees a connection).
async fn login_from(
    app: &TestApp,
    username: &str,
    password: &str,
    address: &str,
) -> Response<Body> {
    let addr: SocketAddr = address.parse().unwrap();
    let request = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(addr))
        .body(Body::from(format!(
            r#"{{"username":"{username}","password":"{password}"}}"#
        )))
        .unwrap();
    app.send(request).await
}

fn cookie_of(response: &Response<Body>) -> String {
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

async fn status(app: &TestApp, uri: &str, cookie: &str) -> StatusCode {
    app.get(uri, Some(cookie)).await.status()
}

// ------------------------------------------------------------- sessions ---

#[tokio::test]
async fn a_password_change_ends_every_other_session_of_the_account() {
    let app = test_app().await;
    let phone = app.login("hocvien", "hocvien123").await;
    let computer = app.login("hocvien", "hocvien123").await;
    let old_device = session_for(&app.store, 1).await;
    // Dung's session is not hers to end.
    let dung = app.login("hocvien2", "hocvien123").await;
    let response = app
        .post_json(
            "/api/me/password",
            r#"{"current":"hocvien123","new":"mat-khau-moi-2026"}"#,
            Some(&phone),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(status(&app, "/api/me", &phone).await, StatusCode::OK);
    assert_eq!(
        status(&app, "/api/me", &computer).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(&app, "/api/me", &old_device).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(status(&app, "/api/me", &dung).await, StatusCode::OK);
    let old = app
        .post_json(
            "/api/auth/login",
            r#"{"username":"hocvien","password":"hocvien123"}"#,
            None,
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.login("hocvien", "mat-khau-moi-2026").await;
}

#[tokio::test]
async fn an_account_with_a_password_from_someone_else_must_change_it_first() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let reset = app
        .post_json("/api/classes/1/trainees/4/password", "", Some(&lecturer))
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let initial = body_json(reset).await["password"]
        .as_str()
        .unwrap()
        .to_string();
    let dung = app.login("hocvien2", &initial).await;
    let me = app.get("/api/me", Some(&dung)).await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(body_json(me).await["must_change_password"], true);
    for uri in [
        "/api/courses",
        "/api/me/progress",
        "/api/sync/pull?cursor=0",
    ] {
        let response = app.get(uri, Some(&dung)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(
            body_json(response).await,
            serde_json::json!({"code": "password_change_required"}),
            "{uri}"
        );
    }
    let push = app
        .post_json(
            "/api/sync/push",
            r#"{"device_id":"dung-phone","ops":[]}"#,
            Some(&dung),
        )
        .await;
    assert_eq!(push.status(), StatusCode::FORBIDDEN);
    let body = format!(r#"{{"current":"{initial}","new":"cua-rieng-dung"}}"#);
    let changed = app.post_json("/api/me/password", &body, Some(&dung)).await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(status(&app, "/api/courses", &dung).await, StatusCode::OK);
    let me = app.get("/api/me", Some(&dung)).await;
    assert_eq!(body_json(me).await["must_change_password"], false);
}

/// Sets the last use of every session of `user_id` to `ago` seconds ago.
async fn last_used(app: &TestApp, user_id: i64, ago: i64) {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE user_id = $2")
        .bind(lophoc_server::store::now() - ago)
        .bind(user_id)
        .execute(&app.store.pool_for_tests())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_unused_for_the_idle_time_has_ended_and_a_used_one_goes_on() {
    let app = test_app().await;
    let an = app.login("hocvien", "hocvien123").await;
    let binh = app.login("giangvien", "giangvien123").await;
    // An came back a day before the end; Bình a second after it.
    last_used(&app, 1, auth::SESSION_IDLE_SECONDS - 86_400).await;
    last_used(&app, 2, auth::SESSION_IDLE_SECONDS + 1).await;
    assert_eq!(status(&app, "/api/me", &an).await, StatusCode::OK);
    assert_eq!(
        status(&app, "/api/me", &binh).await,
        StatusCode::UNAUTHORIZED
    );
    // Using it counted as a use: another 30 days from now.
    let seen: i64 = sqlx::query_scalar("SELECT last_seen_at FROM sessions WHERE user_id = 1")
        .fetch_one(&app.store.pool_for_tests())
        .await
        .unwrap();
    assert!(
        seen > lophoc_server::store::now() - 60,
        "last use not recorded: {seen}"
    );
}

// ------------------------------------------------------------ throttling ---

#[tokio::test]
async fn wrong_passwords_on_one_account_are_throttled_with_retry_after() {
    let app = test_app().await;
    for n in 0..lophoc_server::throttle::ACCOUNT_BURST {
        // From different addresses: the account counts, not the address.
        let address = format!("198.51.100.{n}:40000");
        let response = login_from(&app, "quantri", "doan-sai", &address).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    // Even the right password waits now, and so does the same name typed
    // with capitals.
    for username in ["quantri", "QuanTri"] {
        let response = login_from(&app, username, "quantri123", "198.51.100.200:40000").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = response.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "Retry-After: {retry}");
        let body = body_json(response).await;
        assert_eq!(body["code"], "too_many_attempts");
        assert_eq!(body["retry_after"], retry);
    }
    // Other accounts are not held up.
    let response = login_from(&app, "giangvien", "giangvien123", "198.51.100.200:40000").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_throttled() {
    let app = test_app().await;
    // A script spraying passwords over many accounts from one machine, all
    // at once (each is counted before its password is hashed), then the
    // right password of a real account.
    let burst = lophoc_server::throttle::ADDRESS_BURST;
    let usernames: Vec<String> = (0..burst).map(|n| format!("khong-co-{n}")).collect();
    let sprayed = futures_util::future::join_all(
        usernames
            .iter()
            .map(|username| login_from(&app, username, "x", "203.0.113.9:5000")),
    )
    .await;
    assert!(
        sprayed
            .iter()
            .all(|r| r.status() == StatusCode::UNAUTHORIZED),
        "the first {burst} are answered"
    );
    let last = login_from(&app, "hocvien", "hocvien123", "203.0.113.9:5000").await;
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key(header::RETRY_AFTER));
    // Another address, the same account: fine.
    let response = login_from(&app, "hocvien", "hocvien123", "203.0.113.10:5000").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn guessing_the_current_password_of_a_session_is_throttled_too() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let burst = lophoc_server::throttle::ACCOUNT_BURST as usize;
    let mut statuses = Vec::new();
    for _ in 0..burst {
        let response = app
            .post_json(
                "/api/me/password",
                r#"{"current":"doan-thu","new":"mat-khau-moi-2026"}"#,
                Some(&cookie),
            )
            .await;
        statuses.push(response.status().as_u16());
    }
    // The login itself took one of them.
    let mut expected = vec![400; burst - 1];
    expected.push(429);
    assert_eq!(statuses, expected);
}

/// Roster imports and resets hash with their own permits: with all of
/// theirs taken (a big import running), a login still completes.
#[tokio::test]
async fn a_login_never_waits_for_the_hashing_of_imports() {
    let app = test_app().await;
    let bulk = auth::bulk_permits();
    let held = bulk
        .acquire_many(bulk.available_permits() as u32)
        .await
        .unwrap();
    assert_eq!(bulk.available_permits(), 0);
    let response = tokio::time::timeout(
        Duration::from_secs(60),
        app.post_json(
            "/api/auth/login",
            r#"{"username":"hocvien","password":"hocvien123"}"#,
            None,
        ),
    )
    .await
    .expect("the login waited for the import's permits");
    assert_eq!(response.status(), StatusCode::OK);
    drop(held);
}

// ----------------------------------------------------- cookie and HSTS ---

fn over_https(test: &TestApp) -> axum::Router {
    let security = Security::new(Some("https://lophoc.example.vn")).unwrap();
    app(AppState::new(test.store.clone(), test.dist_dir.clone()).with_security(security))
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_host_only_and_hsts_is_sent() {
    use tower::ServiceExt;
    let app = test_app().await;
    let router = over_https(&app);
    let request = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "lophoc.example.vn")
        .header(header::ORIGIN, "https://lophoc.example.vn")
        .body(Body::from(
            r#"{"username":"hocvien","password":"hocvien123"}"#,
        ))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set_cookie.starts_with("__Host-lophoc_session=")
            && set_cookie.contains("; Secure")
            && set_cookie.contains("; Path=/")
            && set_cookie.contains("HttpOnly")
            && !set_cookie.contains("Domain"),
        "{set_cookie}"
    );
    assert_eq!(
        response.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    // The secure cookie works; the plain one means nothing here.
    let cookie = cookie_of(&response);
    for (cookie, want) in [
        (cookie.clone(), StatusCode::OK),
        (
            cookie.replace("__Host-lophoc_session", "lophoc_session"),
            StatusCode::UNAUTHORIZED,
        ),
    ] {
        let request = Request::get("/api/me")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), want);
    }
    // Pages get HSTS too.
    let page = router
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(page
        .headers()
        .contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test]
async fn on_plain_http_the_cookie_works_without_secure_and_no_hsts() {
    let app = test_app().await;
    let response = app
        .post_json(
            "/api/auth/login",
            r#"{"username":"hocvien","password":"hocvien123"}"#,
            None,
        )
        .await;
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.starts_with("lophoc_session="), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    assert!(!response
        .headers()
        .contains_key(header::STRICT_TRANSPORT_SECURITY));
    let cookie = cookie_of(&response);
    assert_eq!(status(&app, "/api/me", &cookie).await, StatusCode::OK);
}

// ------------------------------------------------------------------- CSP ---

fn csp(response: &Response<Body>) -> String {
    response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_page_carries_a_policy_with_the_hashes_of_its_inline_scripts() {
    let app = test_app().await;
    let script = "document.documentElement.className = 'boot-plain';";
    let index = app.dist_dir.join("index.html");
    std::fs::write(
        &index,
        format!("<!doctype html><head><script>{script}</script><script type=\"module\" src=\"/a.js\"></script></head>"),
    )
    .unwrap();
    let hash = lophoc_server::web::inline_script_hashes(&format!("<script>{script}</script>"));
    let hash = format!("'{}'", hash[0]);
    for uri in ["/", "/courses/can-bo-co-so", "/login", "/classes"] {
        let response = app.get(uri, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let policy = csp(&response);
        for part in [
            "script-src 'self' 'wasm-unsafe-eval'",
            &hash,
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(part), "{uri}: {part} not in {policy}");
        }
        assert_eq!(response.headers()[header::X_FRAME_OPTIONS], "DENY");
    }
    // A rebuilt page brings its own hashes, without a restart.
    let changed = "document.documentElement.className = 'boot-changed';";
    std::fs::write(
        &index,
        format!("<!doctype html><head><script>{changed}</script></head>"),
    )
    .unwrap();
    let later = std::time::SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let policy = csp(&app.get("/", None).await);
    let new_hash = lophoc_server::web::inline_script_hashes(&format!("<script>{changed}</script>"));
    assert!(policy.contains(&new_hash[0]), "{policy}");
    assert!(!policy.contains(&hash), "{policy}");
}

#[tokio::test]
async fn api_answers_and_files_are_never_pages_that_run_scripts() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let media = app
        .get(
            "/api/courses/can-bo-co-so/media/sau-chu-dan.svg",
            Some(&cookie),
        )
        .await;
    assert_eq!(media.status(), StatusCode::OK);
    let policy = csp(&media);
    assert!(
        policy.contains("default-src 'none'") && policy.contains("sandbox"),
        "{policy}"
    );
    let health = app.get("/api/health", None).await;
    assert!(csp(&health).contains("frame-ancestors 'none'"));
    // Static files are not pages: no page policy on them (a worker script
    // keeps its own rules).
    let wasm = app
        .get(&format!("/{}", crate::common::WASM_NAME), None)
        .await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(csp(&wasm), "");
}

/// A compile-time check that the error body of a throttled login is what
/// the client reads (`ApiError::TooManyAttempts`).
#[test]
fn the_throttled_answer_parses_as_the_client_expects() {
    let body: Value = serde_json::json!({"code": "too_many_attempts", "retry_after": 42});
    let parsed: lophoc_core::api::ApiError = serde_json::from_value(body).unwrap();
    assert_eq!(
        parsed,
        lophoc_core::api::ApiError::TooManyAttempts { retry_after: 42 }
    );
    assert_eq!(parsed.status(), 429);
}
