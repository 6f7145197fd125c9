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
    /// The small fake client build.
    #[expect(
        clippy::allow_attributes,
        reason = "dead in tests/blocking.rs, live in tests/it"
    )]
    #[allow(dead_code, reason = "used by tests/it/security.rs only")]
    pub dist_dir: PathBuf,
    /// Kept so the temporary folder lives as long as the app.
    _dir: tempfile::TempDir,
}

/// The engine the tests run on: SQLite in the test's folder, or, when
/// `LOPHOC_TEST_POSTGRES` names a PostgreSQL server (`make test` starts a
/// throwaway one, scripts/pg-cluster.sh), a fresh database on it.
pub async fn test_database_url(dir: &Path) -> String {
    match std::env::var("LOPHOC_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => fresh_postgres_database(&admin).await,
        _ => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

/// Creates an empty database with a name no other test has, and returns
/// its URL.
async fn fresh_postgres_database(admin: &str) -> String {
    use sqlx::{Connection, Executor};
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    sqlx::any::install_default_drivers();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("t_{}_{n}_{nanos}", std::process::id());
    let mut conn = sqlx::AnyConnection::connect(admin).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    conn.close().await.unwrap();
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{name}")
}

pub async fn test_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    test_app_on(dir, &url).await
}

/// The app on the database at `url`, its fake client build in `dir`; the
/// demo accounts and course are added where missing.
pub async fn test_app_on(dir: tempfile::TempDir, url: &str) -> TestApp {
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Lophoc</title>",
    )
    .unwrap();
    std::fs::write(dist.join(WASM_NAME), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join(format!("{WASM_NAME}.br")), b"brotli bytes").unwrap();
    // The staff build (see Makefile): sent for staff pages.
    std::fs::create_dir_all(dist.join("staff")).unwrap();
    std::fs::write(
        dist.join("staff").join("index.html"),
        "<!doctype html><title>Lophoc (staff)</title>",
    )
    .unwrap();
    let store = Store::open(url).await.unwrap();
    seed::seed_demo_accounts(&store).await.unwrap();
    let report = seed::publish_content(&store, &demo_content())
        .await
        .unwrap();
    assert!(
        report.failed.is_empty(),
        "demo content failed: {:?}",
        report.failed
    );
    let router = app(AppState::new(store.clone(), dist.clone()));
    TestApp {
        router,
        store,
        dist_dir: dist,
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

// ---------------------------------------------------------------------------

/// A JSON call of the API, for the tests of `tests/it`; `tests/blocking.rs`
/// leaves it unused (see `classes` below for why `allow`).
#[expect(
    clippy::allow_attributes,
    reason = "dead in tests/blocking.rs, live in tests/it"
)]
#[allow(dead_code, reason = "used by tests/it only")]
pub mod json {
    use super::{body_text, header, Body, Request, StatusCode, TestApp};
    use axum::http::Method;

    /// Sends `body` as JSON with the session `cookie`; the status and the
    /// answer's JSON (`Null` when the answer is not JSON).
    pub async fn call(
        app: &TestApp,
        method: Method,
        uri: &str,
        body: serde_json::Value,
        cookie: &str,
    ) -> (StatusCode, serde_json::Value) {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = app.send(request).await;
        let status = response.status();
        let text = body_text(response).await;
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }
}

/// Helpers of the classes and authorization tests (`tests/it/classes.rs`,
/// `tests/it/authz.rs`); `tests/blocking.rs` leaves them unused, and
/// `#[expect(dead_code)]` would fail in `tests/it`.
#[expect(
    clippy::allow_attributes,
    reason = "dead in tests/blocking.rs, live in tests/it"
)]
#[allow(
    dead_code,
    reason = "used by tests/it/classes.rs and tests/it/authz.rs only"
)]
pub mod classes {
    use super::{body_json, StatusCode, Store, TestApp};

    /// The demo course and its assessment.
    pub const COURSE: &str = "can-bo-co-so";
    pub const ASSESSMENT: &str = "kiem-tra-chuyen-de-1";

    /// A session for `user_id` made directly in the store, without Argon2, as
    /// the `name=value` pair of its cookie: a user going about their work,
    /// who has chosen their own password (an imported trainee changes the
    /// printed one first, else the server refuses everything else; see
    /// [`raw_session`] for one who has not).
    pub async fn session_for(store: &Store, user_id: i64) -> String {
        let profile = store.accounts.profile(user_id).await.unwrap();
        if profile.is_some_and(|p| p.user.must_change_password) {
            let hash = store
                .accounts
                .password_hash(user_id)
                .await
                .unwrap()
                .unwrap();
            store
                .accounts
                .set_password(user_id, &hash, false)
                .await
                .unwrap();
        }
        raw_session(store, user_id).await
    }

    /// A session for `user_id` whatever the state of their password.
    pub async fn raw_session(store: &Store, user_id: i64) -> String {
        use sha2::Digest;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let token = format!("test-session-{user_id}-{n}-{}", std::process::id());
        let hash = sha2::Sha256::digest(token.as_bytes()).to_vec();
        let expires = lophoc_server::store::now() + 3600;
        store
            .accounts
            .create_session(&hash, user_id, expires)
            .await
            .unwrap();
        format!("{}={token}", lophoc_server::auth::SESSION_COOKIE)
    }

    /// Pushes `events` as `user_id` from a new device, one op each, every one
    /// stored; returns their op ids (UUIDs).
    pub async fn push_events(
        app: &TestApp,
        cookie: &str,
        user_id: i64,
        events: Vec<lophoc_core::events::Event>,
    ) -> Vec<String> {
        let (ids, reply) = push_events_reply(app, cookie, user_id, events).await;
        assert_eq!(reply.get("refused"), None, "{reply}");
        ids
    }

    /// Pushes `events` as `user_id` from a new device, one op each, all in
    /// one push that settles them all (stored or refused); returns their op
    /// ids and the reply.
    pub async fn push_events_reply(
        app: &TestApp,
        cookie: &str,
        user_id: i64,
        events: Vec<lophoc_core::events::Event>,
    ) -> (Vec<String>, serde_json::Value) {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut log = lophoc_core::sync::DeviceLog::new(format!("device-{user_id}-{n}"));
        let start = lophoc_server::store::now() * 1000;
        let mut ids = Vec::new();
        for (i, event) in (0_i64..).zip(events) {
            // A UUID, as devices make them (xAPI statement ids are op ids).
            let op_id = format!(
                "{n:08x}-{:04x}-7000-8000-{:012x}",
                user_id & 0xffff,
                log.next_seq
            );
            ids.push(op_id.clone());
            log.record(op_id, user_id, start + i * 1000, event);
        }
        let ops = log.batch(lophoc_core::sync::MAX_BATCH);
        assert_eq!(ops.len(), ids.len(), "one push holds every op");
        let body = serde_json::json!({ "device_id": log.device_id, "ops": ops }).to_string();
        let response = app.post_json("/api/sync/push", &body, Some(cookie)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let reply = body_json(response).await;
        assert_eq!(reply["rejected"], serde_json::Value::Null, "{reply}");
        assert_eq!(reply["acked_seq"], ids.len());
        (ids, reply)
    }

    /// `lesson_completed` events for every lesson of the demo course (the
    /// first `count`, in course order).
    pub async fn read_lessons(store: &Store, count: usize) -> Vec<lophoc_core::events::Event> {
        let outline = store.courses.outline(COURSE).await.unwrap().unwrap();
        outline
            .modules
            .iter()
            .flat_map(|m| &m.lessons)
            .take(count)
            .map(|l| lophoc_core::events::Event::LessonCompleted {
                course_id: COURSE.into(),
                lesson_id: l.id.clone(),
            })
            .collect()
    }

    /// An answer to `q` that earns full marks (`right`) or nothing.
    pub fn answer_for(
        q: &lophoc_core::question::Question,
        right: bool,
    ) -> lophoc_core::question::Answer {
        use lophoc_core::question::{Answer, QuestionBody};
        match &q.body {
            QuestionBody::SingleChoice { options } => Answer::SingleChoice {
                option: options
                    .iter()
                    .find(|o| o.correct == right)
                    .unwrap()
                    .id
                    .clone(),
            },
            QuestionBody::MultipleChoice { options } => Answer::MultipleChoice {
                options: options
                    .iter()
                    .filter(|o| o.correct == right)
                    .map(|o| o.id.clone())
                    .collect(),
            },
            QuestionBody::TrueFalse { answer, .. } => Answer::TrueFalse {
                value: *answer == right,
            },
            QuestionBody::ShortAnswer { accepted, .. } => Answer::ShortAnswer {
                text: if right {
                    accepted[0].text.clone()
                } else {
                    "không biết".into()
                },
            },
            QuestionBody::Essay { .. } => Answer::Essay {
                text: "Ghi nhận, báo cáo kịp thời, giữ kín người cung cấp thông tin.".into(),
            },
            other => panic!("no assessment question is a {other:?}"),
        }
    }

    /// An attempt at the demo assessment drawn with `seed` and handed in:
    /// question `i` (in paper order) answered right when `right(i)`. Returns
    /// the events and the essay questions drawn, each with its rubric.
    pub async fn attempt_events(
        store: &Store,
        attempt_id: &str,
        seed: u64,
        right: impl Fn(usize) -> bool,
    ) -> (
        Vec<lophoc_core::events::Event>,
        Vec<(String, Vec<lophoc_core::question::Criterion>)>,
    ) {
        use lophoc_core::{events::Event, question::QuestionBody};
        let (paper, bank) = store
            .courses
            .assessment(COURSE, ASSESSMENT)
            .await
            .unwrap()
            .unwrap();
        let drawn = lophoc_core::assessment::attempt_questions(&paper, seed).unwrap();
        let ids = (
            COURSE.to_string(),
            ASSESSMENT.to_string(),
            attempt_id.to_string(),
        );
        let mut events = vec![Event::AttemptStarted {
            course_id: ids.0.clone(),
            assessment_id: ids.1.clone(),
            attempt_id: ids.2.clone(),
            seed,
            course_version: Some(paper.course_version),
        }];
        let mut essays = Vec::new();
        for (i, paper_question) in drawn.iter().enumerate() {
            let q = bank.iter().find(|q| q.id == paper_question.id).unwrap();
            if let QuestionBody::Essay { rubric } = &q.body {
                essays.push((q.id.clone(), rubric.clone()));
            }
            events.push(Event::AttemptAnswered {
                course_id: ids.0.clone(),
                assessment_id: ids.1.clone(),
                attempt_id: ids.2.clone(),
                question_id: q.id.clone(),
                answer: answer_for(q, right(i)),
            });
        }
        events.push(Event::AttemptSubmitted {
            course_id: ids.0,
            assessment_id: ids.1,
            attempt_id: ids.2,
        });
        (events, essays)
    }

    /// A lecturer's full marks for every essay of an attempt.
    pub fn full_grades(
        attempt_id: &str,
        essays: &[(String, Vec<lophoc_core::question::Criterion>)],
    ) -> Vec<lophoc_core::events::Event> {
        essays
            .iter()
            .map(
                |(question_id, rubric)| lophoc_core::events::Event::EssayGraded {
                    course_id: COURSE.into(),
                    assessment_id: ASSESSMENT.into(),
                    attempt_id: attempt_id.into(),
                    question_id: question_id.clone(),
                    scores: rubric
                        .iter()
                        .map(|c| (c.id.clone(), c.max_points * 100))
                        .collect(),
                    comment: "Tốt.".into(),
                },
            )
            .collect()
    }

    /// Makes `trainee` complete the demo course: every lesson read, a passing
    /// attempt handed in, its essay given full marks by `lecturer`. Returns the
    /// trainee's op ids.
    pub async fn complete_course(
        app: &TestApp,
        trainee: (i64, &str),
        lecturer: (i64, &str),
        attempt_id: &str,
    ) -> Vec<String> {
        let mut events = read_lessons(&app.store, usize::MAX).await;
        let seed = app
            .store
            .sync
            .attempt_seed(trainee.0, COURSE, ASSESSMENT, 1);
        let (attempt, essays) = attempt_events(&app.store, attempt_id, seed, |_| true).await;
        assert!(!essays.is_empty(), "the demo paper draws an essay");
        events.extend(attempt);
        let ids = push_events(app, trainee.1, trainee.0, events).await;
        push_events(
            app,
            lecturer.1,
            lecturer.0,
            full_grades(attempt_id, &essays),
        )
        .await;
        ids
    }
}
