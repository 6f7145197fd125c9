//! Handler tests of the HTTP API and the static files, through
//! `tower::ServiceExt::oneshot` against a real SQLite database.

use crate::common::{body_json, body_text, test_app, WASM_NAME};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};

#[tokio::test]
async fn health_answers_ok() {
    let app = test_app().await;
    let response = app.get("/api/health", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_json(response).await["status"], "ok");
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_is_refused_alike() {
    let app = test_app().await;
    for body in [
        r#"{"username":"hocvien","password":"sai-mat-khau"}"#,
        r#"{"username":"khong-co-ai","password":"hocvien123"}"#,
    ] {
        let response = app.post_json("/api/auth/login", body, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get(header::SET_COOKIE).is_none());
        assert_eq!(
            body_json(response).await,
            serde_json::json!({"code": "bad_credentials"})
        );
    }
}

#[tokio::test]
async fn malformed_login_requests_get_bad_request() {
    let app = test_app().await;
    for body in [
        r#"{"username":"","password":""}"#,
        r#"{"username":"hocvien","pass"#,
        r#"[1,2,3]"#,
    ] {
        let response = app.post_json("/api/auth/login", body, None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body_json(response).await["code"], "bad_request");
    }
    // A form post (no JSON content type) is refused too: no cross-site login.
    let response = app
        .send(
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=hocvien&password=hocvien123"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn login_sets_an_http_only_session_cookie_and_logout_ends_it() {
    let app = test_app().await;
    let response = app
        .post_json(
            "/api/auth/login",
            r#"{"username":"hocvien","password":"hocvien123"}"#,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let user = body_json(response).await;
    assert_eq!(user["username"], "hocvien");
    assert_eq!(user["role"], "trainee");
    assert!(user.get("password_hash").is_none());

    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let me = app.get("/api/me", Some(&cookie)).await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(body_json(me).await["full_name"], "Nguyễn Văn An");

    let logout = app.post_json("/api/auth/logout", "", Some(&cookie)).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let me = app.get("/api/me", Some(&cookie)).await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(me).await["code"], "unauthenticated");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    let app = test_app().await;
    let credentials = app
        .store
        .accounts
        .credentials("hocvien")
        .await
        .unwrap()
        .unwrap();
    assert!(credentials.password_hash.starts_with("$argon2id$"));
    assert!(!credentials.password_hash.contains("hocvien123"));
}

#[tokio::test]
async fn course_endpoints_need_a_session() {
    let app = test_app().await;
    for uri in [
        "/api/courses",
        "/api/courses/can-bo-co-so",
        "/api/courses/can-bo-co-so/lessons/nhan-dien-tham-nhung",
        "/api/courses/can-bo-co-so/media/sau-chu-dan.svg",
        "/api/me",
    ] {
        let response = app.get(uri, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri}");
        let forged = app.get(uri, Some("lophoc_session=00ff")).await;
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED, "{uri}");
    }
}

#[tokio::test]
async fn a_trainee_reads_the_demo_course() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;

    let list = body_json(app.get("/api/courses", Some(&cookie)).await).await;
    assert_eq!(list[0]["id"], "can-bo-co-so");
    assert!(list[0]["module_count"].as_u64().unwrap() >= 3);
    assert!(list[0]["lesson_count"].as_u64().unwrap() >= 8);

    let outline = body_json(app.get("/api/courses/can-bo-co-so", Some(&cookie)).await).await;
    assert_eq!(outline["version"], 1);
    let first_lesson = outline["modules"][0]["lessons"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let response = app
        .get(
            &format!("/api/courses/can-bo-co-so/lessons/{first_lesson}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let lesson = body_json(response).await;
    let html = lesson["html"].as_str().unwrap();
    for tag in ["<h2>", "<ul>", "<blockquote>", "<table>", "<img"] {
        assert!(html.contains(tag), "{tag} missing from the first lesson");
    }
    assert!(
        html.contains("/api/courses/can-bo-co-so/media/"),
        "image links are rewritten"
    );
    assert!(!html.contains("<script"));
}

#[tokio::test]
async fn unknown_courses_lessons_and_files_are_not_found() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    for uri in [
        "/api/courses/khong-ton-tai",
        "/api/courses/Bad%20Id",
        "/api/courses/can-bo-co-so/lessons/khong-co",
        "/api/courses/can-bo-co-so/media/khong-co.svg",
        "/api/khong-co-duong-nay",
    ] {
        let response = app.get(uri, Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body_json(response).await["code"], "not_found", "{uri}");
    }
}

#[tokio::test]
async fn media_is_served_with_its_type_and_a_locked_down_policy() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let response = app
        .get(
            "/api/courses/can-bo-co-so/media/sau-chu-dan.svg",
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("sandbox") && csp.contains("default-src 'none'"));
    assert!(body_text(response).await.contains("<svg"));
}

#[tokio::test]
async fn the_client_is_served_with_fallback_types_and_caching() {
    let app = test_app().await;

    let index = app.get("/", None).await;
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(index.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(body_text(index).await.contains("<title>Lophoc"));

    // Deep links get index.html, so the client's router can show them.
    let deep = app
        .get("/courses/can-bo-co-so/lessons/nhan-dien-tham-nhung", None)
        .await;
    assert_eq!(deep.status(), StatusCode::OK);
    assert_eq!(deep.headers()[header::CACHE_CONTROL], "no-cache");
    let deep = body_text(deep).await;
    assert!(deep.contains("<title>Lophoc</title>"), "{deep}");

    // Staff pages get the staff build; its own files are plain files.
    for path in [
        "/classes",
        "/classes/1/trainees/hocvien",
        "/authoring/x/edit/a.md",
        "/present",
    ] {
        let staff = app.get(path, None).await;
        assert_eq!(staff.status(), StatusCode::OK, "{path}");
        assert_eq!(staff.headers()[header::CACHE_CONTROL], "no-cache");
        let body = body_text(staff).await;
        assert!(
            body.contains("<title>Lophoc (staff)</title>"),
            "{path}: {body}"
        );
    }
    for path in ["/live/ABC123", "/progress", "/classesx"] {
        let body = body_text(app.get(path, None).await).await;
        assert!(body.contains("<title>Lophoc</title>"), "{path}: {body}");
    }

    let wasm = app.get(&format!("/{WASM_NAME}"), None).await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        wasm.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );

    let compressed = app
        .send(
            Request::get(format!("/{WASM_NAME}"))
                .header(header::ACCEPT_ENCODING, "gzip, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(
        compressed.headers()[header::CONTENT_TYPE],
        "application/wasm"
    );
    assert_eq!(body_text(compressed).await, "brotli bytes");
}

#[tokio::test]
async fn api_responses_are_compressed_when_asked() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let response = app
        .send(
            Request::get("/api/courses/can-bo-co-so/lessons/nhan-dien-tham-nhung")
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
}
