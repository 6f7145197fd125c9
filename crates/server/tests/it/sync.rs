//! The sync protocol against the real server code and real databases (SQLite
//! files, or PostgreSQL in `make test-postgres`): handler tests through
//! `tower::ServiceExt::oneshot`, concurrent pushes from one device, a seeded
//! fault simulation with server restarts and requests cancelled
//! mid-transaction, and `kill -9` of the real binary during a batch.
//!
//! Replay one seed of the simulation:
//! `LOPHOC_SIM_SEED=7 cargo test -p lophoc-server --test it sync::simulation`,
//! or on PostgreSQL `LOPHOC_SIM_SEED=7 bash scripts/test-postgres.sh sync::simulation`
//! (requests cancelled mid-flight stop at a point that depends on timing, so
//! a replay takes the same decisions but may cut a transaction elsewhere);
//! `LOPHOC_SIM_SEEDS=300` runs more seeds. The `kill -9` test prints its
//! seed; `LOPHOC_KILL_SEED=N` reuses it. A failing test shows the server's
//! log (`RUST_LOG`, warnings by default).
//!
//! Two tests cut pushes off with client disconnects: they once found that a
//! push dropped inside `BEGIN IMMEDIATE` could leave its connection holding
//! the write lock (fixed by running each push on its own task).
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::{
    collections::{BTreeSet, HashSet},
    future::Future,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    pin::pin,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    task::Poll,
    time::{Duration, Instant},
};

use crate::common::{body_json, body_text, demo_content, test_app, test_database_url};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use lophoc_core::{
    events::{Event, Op, SCHEMA_VERSION},
    progress::Progress,
    sync::{
        plan_push, DeviceLog, PullResponse, PushRequest, PushResponse, ReplyEffect, MAX_BATCH,
        PULL_PAGE,
    },
};
use lophoc_server::{app, engine::Engine, seed::seed_demo_accounts, store::Store, AppState};
use serde_json::json;
use tower::ServiceExt;

const TRAINEE: i64 = 1;
const LECTURER: i64 = 2;
/// 2026-01-01T00:00:00Z.
const NOW_MS: i64 = 1_767_225_600_000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------
// Helpers.

/// A small deterministic PRNG (SplitMix64).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}

/// A device's `n`-th op: a lesson of the demo course opened, or (one in
/// three) completed. Also the ops of `instances.rs`.
pub(crate) fn event(n: u64) -> Event {
    let course_id = "can-bo-co-so".to_string();
    let lesson_id = format!("bai-{}", n % 7);
    if n.is_multiple_of(3) {
        Event::LessonCompleted {
            course_id,
            lesson_id,
        }
    } else {
        Event::LessonOpened {
            course_id,
            lesson_id,
        }
    }
}

/// Records `count` ops on a device, its clock `skew_ms` off.
fn record(log: &mut DeviceLog, user_id: i64, count: usize, skew_ms: i64) -> Vec<Op> {
    (0..count)
        .map(|_| {
            let seq = log.next_seq;
            let op_id = format!("{}-{seq}", log.device_id);
            let time = NOW_MS + skew_ms + i64::try_from(seq).unwrap() * 1000;
            log.record(op_id, user_id, time, event(seq))
        })
        .collect()
}

fn push_body(device_id: &str, ops: &[Op]) -> String {
    push_body_values(
        device_id,
        ops.iter()
            .map(|op| serde_json::to_value(op).unwrap())
            .collect(),
    )
}

fn push_body_values(device_id: &str, ops: Vec<serde_json::Value>) -> String {
    serde_json::to_string(&PushRequest {
        device_id: device_id.to_string(),
        ops,
    })
    .unwrap()
}

fn build_request(
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<String>,
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap(),
        None => request.body(Body::empty()).unwrap(),
    }
}

async fn call(router: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (status, body_text(response).await)
}

async fn push_raw(router: &Router, cookie: Option<&str>, body: String) -> (StatusCode, String) {
    call(
        router,
        build_request(Method::POST, "/api/sync/push", cookie, Some(body)),
    )
    .await
}

/// Pushes `ops` and expects a 200 reply.
async fn push(router: &Router, cookie: &str, device_id: &str, ops: &[Op]) -> PushResponse {
    let (status, body) = push_raw(router, Some(cookie), push_body(device_id, ops)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn pull_page(router: &Router, cookie: &str, cursor: i64) -> PullResponse {
    let uri = format!("/api/sync/pull?cursor={cursor}");
    let (status, body) = call(router, build_request(Method::GET, &uri, Some(cookie), None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Every event of the signed-in user, page by page.
async fn pull_all(router: &Router, cookie: &str) -> Vec<Op> {
    let mut cursor = 0;
    let mut events = Vec::new();
    loop {
        let page = pull_page(router, cookie, cursor).await;
        assert!(page.cursor >= cursor);
        assert!(page.events.len() <= PULL_PAGE);
        events.extend(page.events);
        cursor = page.cursor;
        if !page.has_more {
            return events;
        }
    }
}

async fn progress(router: &Router, cookie: &str) -> Progress {
    let (status, body) = call(
        router,
        build_request(Method::GET, "/api/progress", Some(cookie), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn login(router: &Router, username: &str, password: &str) -> String {
    let response = router
        .clone()
        .oneshot(build_request(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": username, "password": password}).to_string()),
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

fn op_ids(ops: &[Op]) -> Vec<&str> {
    ops.iter().map(|op| op.op_id.as_str()).collect()
}

// ---------------------------------------------------------------------------
// Handler tests.

#[tokio::test]
async fn push_then_pull_round_trip() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let router = &app.router;

    let mut phone = DeviceLog::new("rt-phone");
    let ops = record(&mut phone, TRAINEE, 5, 0);
    let reply = push(router, &cookie, "rt-phone", &ops).await;
    assert_eq!(
        reply,
        PushResponse {
            acked_seq: 5,
            applied: 5,
            rejected: None,
            refused: Vec::new(),
        }
    );
    phone.acknowledge(reply.acked_seq);
    assert_eq!(phone.pending(), 0);
    assert_eq!(app.store.sync.acked_seq("rt-phone").await.unwrap(), Some(5));

    let page = pull_page(router, &cookie, 0).await;
    assert_eq!(page.events, ops, "stored exactly as sent, in seq order");
    assert!(!page.has_more);
    let empty = pull_page(router, &cookie, page.cursor).await;
    assert!(empty.events.is_empty());
    assert_eq!(empty.cursor, page.cursor, "an empty page keeps the cursor");

    // The same batch again: nothing new, the acknowledged seq stays.
    let again = push(router, &cookie, "rt-phone", &ops).await;
    assert_eq!(
        (again.acked_seq, again.applied, again.rejected),
        (5, 0, None)
    );
    assert_eq!(app.store.sync.acked_seq("rt-phone").await.unwrap(), Some(5));
    assert_eq!(app.store.sync.user_events(TRAINEE).await.unwrap().len(), 5);

    // Old and new ops together: only the new ones apply.
    let more = record(&mut phone, TRAINEE, 3, 0);
    let batch: Vec<Op> = ops.iter().chain(&more).cloned().collect();
    let reply = push(router, &cookie, "rt-phone", &batch).await;
    assert_eq!((reply.acked_seq, reply.applied), (8, 3));
    assert_eq!(pull_page(router, &cookie, page.cursor).await.events, more);

    // A second device whose clock is five days behind: its ops come after
    // the phone's, in server order, whatever their client time says.
    let mut tablet = DeviceLog::new("rt-tablet");
    let old = record(&mut tablet, TRAINEE, 2, -5 * DAY_MS);
    assert_eq!(push(router, &cookie, "rt-tablet", &old).await.acked_seq, 2);
    let all = pull_all(router, &cookie).await;
    let expected: Vec<Op> = ops.iter().chain(&more).chain(&old).cloned().collect();
    assert_eq!(all, expected);
    assert_eq!(app.store.sync.acked_seq("rt-phone").await.unwrap(), Some(8));
    assert_eq!(
        progress(router, &cookie).await,
        Progress::from_events(&expected)
    );
}

#[tokio::test]
async fn a_gap_stops_the_batch_and_a_reordered_batch_applies_in_seq_order() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let router = &app.router;

    let mut log = DeviceLog::new("gap-phone");
    let ops = record(&mut log, TRAINEE, 5, 0);
    // Seq 3 was lost in transit.
    let holed = [
        ops[0].clone(),
        ops[1].clone(),
        ops[3].clone(),
        ops[4].clone(),
    ];
    let reply = push(router, &cookie, "gap-phone", &holed).await;
    assert_eq!(
        (reply.acked_seq, reply.applied, reply.rejected),
        (2, 2, None)
    );
    assert_eq!(
        op_ids(&app.store.sync.user_events(TRAINEE).await.unwrap()),
        op_ids(&ops[..2])
    );
    // Still a gap: nothing applies.
    let reply = push(router, &cookie, "gap-phone", &ops[3..]).await;
    assert_eq!((reply.acked_seq, reply.applied), (2, 0));
    // Seq 3 arrives: the rest follows.
    let reply = push(router, &cookie, "gap-phone", &ops[2..]).await;
    assert_eq!((reply.acked_seq, reply.applied), (5, 3));
    assert_eq!(app.store.sync.user_events(TRAINEE).await.unwrap(), ops);

    // A batch in any order, with a duplicate, is applied in seq order.
    let mut other = DeviceLog::new("gap-tablet");
    let ops = record(&mut other, TRAINEE, 4, 0);
    let shuffled = [
        ops[3].clone(),
        ops[1].clone(),
        ops[2].clone(),
        ops[0].clone(),
        ops[1].clone(),
    ];
    let reply = push(router, &cookie, "gap-tablet", &shuffled).await;
    assert_eq!((reply.acked_seq, reply.applied), (4, 4));
    let stored: Vec<Op> = pull_all(router, &cookie)
        .await
        .into_iter()
        .filter(|op| op.device_id == "gap-tablet")
        .collect();
    assert_eq!(stored, ops, "server order follows seq order");
}

#[tokio::test]
async fn an_op_of_an_unknown_schema_is_refused_and_blocks_the_ops_after_it() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let router = &app.router;

    let mut log = DeviceLog::new("schema-phone");
    let ops = record(&mut log, TRAINEE, 5, 0);
    let mut values: Vec<serde_json::Value> = ops
        .iter()
        .map(|op| serde_json::to_value(op).unwrap())
        .collect();
    // Written by a newer build, with an event this server does not know.
    values[2]["schema"] = json!(SCHEMA_VERSION + 1);
    values[2]["event"] = json!({"type": "quiz_answered", "quiz_id": "q1", "answer": 2});
    let body = push_body_values("schema-phone", values.clone());

    for round in 0..2 {
        let (status, text) = push_raw(router, Some(&cookie), body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reply["acked_seq"], 2, "{reply}");
        assert_eq!(reply["applied"], if round == 0 { 2 } else { 0 }, "{reply}");
        assert_eq!(reply["rejected"]["seq"], 3, "{reply}");
        assert_eq!(
            reply["rejected"]["reason"]["code"], "unknown_schema",
            "{reply}"
        );
        assert_eq!(reply["rejected"]["reason"]["schema"], SCHEMA_VERSION + 1);
    }
    assert_eq!(
        app.store.sync.acked_seq("schema-phone").await.unwrap(),
        Some(2)
    );
    assert_eq!(
        op_ids(&app.store.sync.user_events(TRAINEE).await.unwrap()),
        op_ids(&ops[..2]),
        "ops 4 and 5 are not applied past the refused op"
    );
    // Without the refused op, 4 and 5 are a gap.
    let reply = push(router, &cookie, "schema-phone", &ops[3..]).await;
    assert_eq!(
        (reply.acked_seq, reply.applied, reply.rejected),
        (2, 0, None)
    );
    // Schema 0 is unknown too.
    values[2]["schema"] = json!(0);
    let (_, text) = push_raw(
        router,
        Some(&cookie),
        push_body_values("schema-phone", values),
    )
    .await;
    let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        reply["rejected"]["reason"]["code"], "unknown_schema",
        "{reply}"
    );
}

#[tokio::test]
async fn ops_and_devices_of_another_user_are_refused() {
    let app = test_app().await;
    let trainee = app.login("hocvien", "hocvien123").await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let router = &app.router;

    // The trainee pushes an op that claims to be the lecturer's.
    let mut log = DeviceLog::new("shared-pc");
    let foreign = record(&mut log, LECTURER, 1, 0);
    let (status, text) = push_raw(router, Some(&trainee), push_body("shared-pc", &foreign)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Refused for good: answered, and passed so it blocks nothing.
    assert_eq!(reply["acked_seq"], 1);
    assert_eq!(reply["applied"], 0);
    assert_eq!(reply["rejected"], serde_json::Value::Null);
    assert_eq!(reply["refused"][0]["seq"], 1);
    assert_eq!(
        reply["refused"][0]["reason"]["code"], "wrong_user",
        "{reply}"
    );
    assert!(app
        .store
        .sync
        .user_events(LECTURER)
        .await
        .unwrap()
        .is_empty());
    assert!(app
        .store
        .sync
        .user_events(TRAINEE)
        .await
        .unwrap()
        .is_empty());

    // The device is now the trainee's: the lecturer may not push from it,
    // not even their own ops.
    let (status, text) = push_raw(router, Some(&lecturer), push_body("shared-pc", &foreign)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["code"],
        "forbidden"
    );
    assert!(app
        .store
        .sync
        .user_events(LECTURER)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        app.store.sync.acked_seq("shared-pc").await.unwrap(),
        Some(1)
    );

    // An op of another device inside this device's push is malformed.
    let mut elsewhere = DeviceLog::new("elsewhere");
    let misfiled = record(&mut elsewhere, TRAINEE, 1, 0);
    let (_, text) = push_raw(router, Some(&trainee), push_body("mine", &misfiled)).await;
    let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        reply["refused"][0]["reason"]["code"], "malformed",
        "{reply}"
    );
    assert_eq!(reply["acked_seq"], 1);

    // The lecturer's own device works, and each sees only their own events.
    let mut own = DeviceLog::new("lecturer-pc");
    let ops = record(&mut own, LECTURER, 3, 0);
    assert_eq!(
        push(router, &lecturer, "lecturer-pc", &ops).await.applied,
        3
    );
    assert_eq!(pull_all(router, &lecturer).await, ops);
    assert!(pull_all(router, &trainee).await.is_empty());
    assert_eq!(progress(router, &trainee).await, Progress::default());
}

#[tokio::test]
async fn sync_needs_a_session_and_a_well_formed_body() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let router = &app.router;
    let mut log = DeviceLog::new("body-phone");
    let ops = record(&mut log, TRAINEE, MAX_BATCH + 1, 0);
    let body = push_body("body-phone", &ops[..3]);

    for cookie in [None, Some("lophoc_session=00ff")] {
        let (status, text) = push_raw(router, cookie, body.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap()["code"],
            "unauthenticated"
        );
        for uri in ["/api/sync/pull?cursor=0", "/api/progress"] {
            let response = app.get(uri, cookie).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri}");
            assert_eq!(body_json(response).await["code"], "unauthenticated");
        }
    }

    let bad_bodies = [
        body[..body.len() - 7].to_string(),
        r#"{"device_id":"body-phone","ops":"none"}"#.to_string(),
        push_body("", &ops[..1]),
        push_body(&"d".repeat(65), &[]),
        push_body("body-phone", &ops),
    ];
    for bad in bad_bodies {
        let response = app.post_json("/api/sync/push", &bad, Some(&cookie)).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{}",
            &bad[..bad.len().min(80)]
        );
        assert_eq!(body_json(response).await["code"], "bad_request");
    }
    assert_eq!(app.store.sync.acked_seq("body-phone").await.unwrap(), None);
    assert!(app
        .store
        .sync
        .user_events(TRAINEE)
        .await
        .unwrap()
        .is_empty());

    // Exactly MAX_BATCH is fine.
    let reply = push(router, &cookie, "body-phone", &ops[..MAX_BATCH]).await;
    assert_eq!(reply.acked_seq, MAX_BATCH as u64);
}

#[tokio::test]
async fn pulls_come_in_pages_of_pull_page_events() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let router = &app.router;
    let mut log = DeviceLog::new("page-phone");
    let ops = record(&mut log, TRAINEE, PULL_PAGE + 1, 0);
    for chunk in ops[..PULL_PAGE].chunks(MAX_BATCH) {
        push(router, &cookie, "page-phone", chunk).await;
    }
    // Exactly one page: no more.
    let page = pull_page(router, &cookie, 0).await;
    assert_eq!(page.events, ops[..PULL_PAGE]);
    assert!(!page.has_more);
    // One more event: two pages.
    push(router, &cookie, "page-phone", &ops[PULL_PAGE..]).await;
    let first = pull_page(router, &cookie, 0).await;
    assert_eq!(first.events.len(), PULL_PAGE);
    assert!(first.has_more);
    let second = pull_page(router, &cookie, first.cursor).await;
    assert_eq!(second.events, ops[PULL_PAGE..]);
    assert!(!second.has_more);
    assert_eq!(pull_all(router, &cookie).await, ops);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_from_one_device_store_each_op_once() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let mut log = DeviceLog::new("busy-phone");
    let ops = Arc::new(record(&mut log, TRAINEE, 100, 0));

    let mut tasks = Vec::new();
    for t in 0..8_usize {
        let router = app.router.clone();
        let cookie = cookie.clone();
        let ops = Arc::clone(&ops);
        tasks.push(tokio::spawn(async move {
            // Overlapping windows of different sizes, some reversed; many
            // start past the acknowledged seq and stop at a gap.
            let size = 10 + 3 * t;
            let mut start = (t * 13) % 100;
            let mut replies = Vec::new();
            for _ in 0..10 {
                let end = (start + size).min(100);
                let mut batch = ops[start..end].to_vec();
                if t % 2 == 1 {
                    batch.reverse();
                }
                replies.push(push(&router, &cookie, "busy-phone", &batch).await);
                start = (start + 7 + t) % 100;
            }
            replies.push(push(&router, &cookie, "busy-phone", &ops).await);
            replies
        }));
    }
    let mut applied = 0;
    for task in tasks {
        let replies = task.await.unwrap();
        assert_eq!(replies.last().unwrap().acked_seq, 100);
        for reply in replies {
            assert!(reply.rejected.is_none());
            applied += reply.applied;
        }
    }
    assert_eq!(applied, 100, "each op applied by exactly one push");
    let stored = app.store.sync.user_events(TRAINEE).await.unwrap();
    assert_eq!(stored.len(), 100);
    let unique: HashSet<&str> = op_ids(&stored).into_iter().collect();
    assert_eq!(unique.len(), 100);
    assert_eq!(&stored, ops.as_ref(), "stored once each, in seq order");
    assert_eq!(
        app.store.sync.acked_seq("busy-phone").await.unwrap(),
        Some(100)
    );
}

// ---------------------------------------------------------------------------
// A seeded simulation against the real store.

/// A database with the demo accounts and a session for each of two users,
/// copied for every seed so that only one Argon2 round is paid.
struct Template {
    url: String,
    cookies: [String; 2],
    /// Kept so that a SQLite template's file lives as long as the template.
    _dir: tempfile::TempDir,
}

impl Template {
    async fn new() -> Template {
        let dir = tempfile::tempdir().unwrap();
        let url = test_database_url(dir.path()).await;
        let store = Store::open(&url).await.unwrap();
        seed_demo_accounts(&store).await.unwrap();
        let router = app(AppState::new(store.clone(), dir.path().join("dist")));
        let cookies = [
            login(&router, "hocvien", "hocvien123").await,
            login(&router, "giangvien", "giangvien123").await,
        ];
        drop(router);
        // Closed for good: PostgreSQL copies no database that has sessions.
        store.close().await;
        Template {
            url,
            cookies,
            _dir: dir,
        }
    }

    /// A copy of the template database for `seed`, and its URL: the SQLite
    /// file copied into `dir`, or a PostgreSQL database made from the
    /// template one.
    async fn copy_for(&self, seed: u64, dir: &Path) -> String {
        match Engine::of(&self.url).unwrap() {
            Engine::Sqlite => {
                let from = self.url.strip_prefix("sqlite://").unwrap();
                let to = dir.join("lophoc.db");
                for suffix in ["", "-wal", "-shm"] {
                    let from = PathBuf::from(format!("{from}{suffix}"));
                    if from.exists() {
                        std::fs::copy(&from, format!("{}{suffix}", to.display())).unwrap();
                    }
                }
                sqlite_url(&to)
            }
            Engine::Postgres => {
                use sqlx::{Connection, Executor};
                let (server, template) = self.url.rsplit_once('/').unwrap();
                let copy = format!("{template}_seed_{seed}");
                let admin = std::env::var("LOPHOC_TEST_POSTGRES").unwrap();
                let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
                conn.execute(format!("CREATE DATABASE {copy} TEMPLATE {template}").as_str())
                    .await
                    .unwrap();
                conn.close().await.unwrap();
                format!("{server}/{copy}")
            }
        }
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[derive(Debug)]
struct SimDevice {
    user_id: i64,
    log: DeviceLog,
    progress: Progress,
    cursor: i64,
    skew_ms: i64,
    incarnation: u32,
    created: Vec<Op>,
}

#[derive(Debug, Clone)]
struct Sent {
    device: usize,
    incarnation: u32,
    body: String,
}

#[derive(Debug, Default, Clone, Copy)]
struct SimStats {
    ops: u64,
    pushes: u64,
    requests_dropped: u64,
    replies_dropped: u64,
    duplicates: u64,
    cancelled_mid_flight: u64,
    dropped_while_pending: u64,
    cut_but_committed: u64,
    cut_and_rolled_back: u64,
    restarts: u64,
    restarts_mid_batch: u64,
    client_crashes: u64,
    stale_replies: u64,
    gaps: u64,
}

struct RealSim {
    seed: u64,
    rng: Rng,
    url: String,
    dist: PathBuf,
    store: Store,
    router: Router,
    cookies: [String; 2],
    devices: Vec<SimDevice>,
    requests: Vec<Sent>,
    replies: Vec<(usize, u32, PushResponse)>,
    /// Whether a request may be cancelled without the server restarting
    /// (a client that disconnects mid-push).
    disconnects: bool,
    /// Per device, the seqs of pushes cut off by a client disconnect, whose
    /// transaction may still run.
    unsettled: Vec<(String, Vec<u64>)>,
    stats: SimStats,
}

impl RealSim {
    async fn new(seed: u64, template: &Template, dir: &Path, disconnects: bool) -> RealSim {
        let mut rng = Rng(seed);
        let url = template.copy_for(seed, dir).await;
        let dist = dir.join("dist");
        let store = Store::open(&url).await.unwrap();
        let router = app(AppState::new(store.clone(), dist.clone()));
        let users = rng.between(1, 2);
        let count = rng.between(2, 4);
        let devices = (0..count)
            .map(|d| {
                let skew_ms = i64::try_from(rng.below(10 * DAY_MS as u64)).unwrap() - 5 * DAY_MS;
                SimDevice {
                    user_id: 1 + i64::try_from(d % users).unwrap(),
                    log: DeviceLog::new(format!("sim-{seed}-{d}")),
                    progress: Progress::default(),
                    cursor: 0,
                    skew_ms,
                    incarnation: 0,
                    created: Vec::new(),
                }
            })
            .collect();
        RealSim {
            seed,
            rng,
            url,
            dist,
            store,
            router,
            cookies: template.cookies.clone(),
            devices,
            requests: Vec::new(),
            replies: Vec::new(),
            disconnects,
            unsettled: Vec::new(),
            stats: SimStats::default(),
        }
    }

    fn unsettled_seqs(&self, device_id: &str) -> Vec<Vec<u64>> {
        self.unsettled
            .iter()
            .filter(|(d, _)| d == device_id)
            .map(|(_, seqs)| seqs.clone())
            .collect()
    }

    fn cookie(&self, user_id: i64) -> &str {
        &self.cookies[usize::try_from(user_id - 1).unwrap()]
    }

    /// Stops the server (closing the pool, its sessions' work over) and
    /// starts it again on the same database.
    async fn restart(&mut self) {
        self.store.close().await;
        wait_until_sessions_are_idle(&self.url).await;
        self.store = Store::open(&self.url).await.unwrap();
        self.router = app(AppState::new(self.store.clone(), self.dist.clone()));
        self.stats.restarts += 1;
        // Open connections are reset: some requests in flight are lost.
        let mut kept = Vec::new();
        for sent in std::mem::take(&mut self.requests) {
            if !self.rng.chance(50) {
                kept.push(sent);
            }
        }
        self.requests = kept;
    }

    async fn run(&mut self) {
        let steps = self.rng.between(40, 90);
        for _ in 0..steps {
            match self.rng.below(100) {
                0..=29 => self.record(),
                30..=49 => self.send(),
                50..=74 => self.deliver_request(true).await,
                75..=89 => self.deliver_reply(true),
                90..=96 => {
                    let d = self.rng.index(self.devices.len());
                    self.pull(d).await;
                }
                _ => self.restart().await,
            }
            self.check_invariants().await;
        }
        self.heal().await;
        self.check_final().await;
    }

    fn record(&mut self) {
        let d = self.rng.index(self.devices.len());
        let device = &mut self.devices[d];
        let op = record(&mut device.log, device.user_id, 1, device.skew_ms).remove(0);
        device.progress.apply(&op.event);
        device.created.push(op);
        self.stats.ops += 1;
    }

    fn send(&mut self) {
        let d = self.rng.index(self.devices.len());
        let max = usize::try_from(self.rng.between(1, 12)).unwrap();
        let skip = if self.rng.chance(25) {
            usize::try_from(self.rng.between(1, 6)).unwrap()
        } else {
            0
        };
        let device = &self.devices[d];
        let batch: Vec<Op> = device
            .log
            .batch(skip + max)
            .into_iter()
            .skip(skip)
            .collect();
        let sent = Sent {
            device: d,
            incarnation: device.incarnation,
            body: push_body(&device.log.device_id, &batch),
        };
        self.stats.pushes += 1;
        if self.rng.chance(10) {
            self.stats.requests_dropped += 1;
        } else {
            self.requests.push(sent);
        }
    }

    async fn deliver_request(&mut self, faults: bool) {
        if self.requests.is_empty() {
            return;
        }
        let index = if faults {
            self.rng.index(self.requests.len())
        } else {
            0
        };
        let sent = self.requests.remove(index);
        if faults && self.rng.chance(15) {
            self.stats.duplicates += 1;
            self.requests.push(sent.clone());
        }
        let device = &self.devices[sent.device];
        let (device_id, user_id) = (device.log.device_id.clone(), device.user_id);
        let request = build_request(
            Method::POST,
            "/api/sync/push",
            Some(self.cookie(user_id)),
            Some(sent.body.clone()),
        );
        // The store decides from its acknowledged seq, as plan_push says.
        let acked = self
            .store
            .sync
            .acked_seq(&device_id)
            .await
            .unwrap()
            .unwrap_or(0);
        let parsed: PushRequest = serde_json::from_str(&sent.body).unwrap();
        let seqs: Vec<u64> = parsed.ops.iter().map(lophoc_core::sync::seq_of).collect();
        let plan = plan_push(acked, &seqs);
        let mode = if faults { self.rng.below(100) } else { 99 };
        if mode < 18 {
            self.stats.cancelled_mid_flight += 1;
            if mode >= 9 && self.disconnects {
                // The client goes away mid-request: hyper drops the handler's
                // future wherever it is; the server carries on.
                if !cut_after_polls(self.router.clone().oneshot(request), &mut self.rng).await {
                    self.stats.dropped_while_pending += 1;
                }
                // Whatever of it still runs may commit at any time from now.
                self.unsettled.push((device_id, seqs));
                tokio::time::sleep(Duration::from_millis(30)).await;
                return;
            }
            // The server dies in the middle of the push: its transaction is
            // cut wherever it is, then the server starts again on the database.
            let pusher = lophoc_core::api::User {
                id: user_id,
                username: String::new(),
                full_name: String::new(),
                role: if user_id == LECTURER {
                    lophoc_core::accounts::Role::Lecturer
                } else {
                    lophoc_core::accounts::Role::Trainee
                },
                must_change_password: false,
            };
            if !cut_after_polls(self.store.sync.push(&pusher, &parsed), &mut self.rng).await {
                self.stats.dropped_while_pending += 1;
            }
            self.stats.restarts_mid_batch += 1;
            self.restart().await;
            // All of the push or none of it.
            let (after, stored) = snapshot(&self.url, &device_id).await;
            let mut unsettled = self.unsettled_seqs(&device_id);
            if unsettled.is_empty() {
                if after == plan.acked_seq && after != acked {
                    self.stats.cut_but_committed += 1;
                } else if after == acked && plan.acked_seq != acked {
                    self.stats.cut_and_rolled_back += 1;
                }
            }
            unsettled.push(seqs);
            let possible = reachable(acked, &unsettled);
            assert!(
                possible.contains(&after),
                "seed {}: a push half applied: acked {after}, expected one of {possible:?}",
                self.seed
            );
            assert_eq!(
                stored,
                (1..=after).collect::<Vec<_>>(),
                "seed {}",
                self.seed
            );
            return;
        }
        let (status, body) = call(&self.router, request).await;
        assert_eq!(status, StatusCode::OK, "seed {}: {body}", self.seed);
        let reply: PushResponse = serde_json::from_str(&body).unwrap();
        assert_eq!(reply.rejected, None);
        // Exactly what plan_push decides from the acknowledged seq (from any
        // the device may have reached through pushes cut off earlier whose
        // remains may still be running).
        let unsettled = self.unsettled_seqs(&device_id);
        let explained = reachable(acked, &unsettled).into_iter().any(|from| {
            let plan = plan_push(from, &seqs);
            (plan.acked_seq, plan.apply.len()) == (reply.acked_seq, reply.applied as usize)
        });
        assert!(
            explained,
            "seed {}: push of {seqs:?} from acked {acked} answered {reply:?}",
            self.seed
        );
        if seqs.iter().any(|&s| s > reply.acked_seq) {
            self.stats.gaps += 1;
        }
        if faults && self.rng.chance(15) {
            self.stats.replies_dropped += 1;
        } else {
            self.replies.push((sent.device, sent.incarnation, reply));
        }
    }

    fn deliver_reply(&mut self, faults: bool) {
        if self.replies.is_empty() {
            return;
        }
        let index = if faults {
            self.rng.index(self.replies.len())
        } else {
            0
        };
        let (d, incarnation, reply) = self.replies.remove(index);
        if incarnation != self.devices[d].incarnation {
            return;
        }
        if faults && self.rng.chance(8) {
            // Crash before deleting the acknowledged ops.
            self.stats.client_crashes += 1;
            self.devices[d].incarnation += 1;
            self.replies.retain(|(device, _, _)| *device != d);
            return;
        }
        let log = &mut self.devices[d].log;
        if reply.acked_seq < log.acked_seq {
            self.stats.stale_replies += 1;
        }
        log.acknowledge(reply.acked_seq);
    }

    /// Pulls one page; returns whether there is more.
    async fn pull(&mut self, d: usize) -> bool {
        let (user_id, cursor) = (self.devices[d].user_id, self.devices[d].cursor);
        let page = pull_page(&self.router, self.cookie(user_id), cursor).await;
        let device = &mut self.devices[d];
        for op in &page.events {
            assert_eq!(op.user_id, device.user_id);
            device.progress.apply(&op.event);
        }
        device.cursor = page.cursor;
        page.has_more
    }

    async fn check_invariants(&self) {
        for device in &self.devices {
            let stored = self
                .store
                .sync
                .acked_seq(&device.log.device_id)
                .await
                .unwrap()
                .unwrap_or(0);
            assert!(
                device.log.acked_seq <= stored,
                "seed {}: {} believes {} is stored, the server has {stored}",
                self.seed,
                device.log.device_id,
                device.log.acked_seq
            );
            let first_pending = device
                .log
                .outbox
                .keys()
                .next()
                .copied()
                .unwrap_or(device.log.next_seq);
            assert!(first_pending <= stored + 1, "seed {}: ops lost", self.seed);
        }
    }

    async fn heal(&mut self) {
        while !self.requests.is_empty() {
            self.deliver_request(false).await;
        }
        while !self.replies.is_empty() {
            self.deliver_reply(false);
        }
        for d in 0..self.devices.len() {
            let mut rounds = 0;
            while self.devices[d].log.pending() > 0 {
                rounds += 1;
                assert!(
                    rounds < 50,
                    "seed {}: device {d} cannot empty its outbox",
                    self.seed
                );
                let device = &self.devices[d];
                let cookie = self.cookie(device.user_id).to_string();
                let batch = device.log.batch(MAX_BATCH);
                let reply = push(&self.router, &cookie, &device.log.device_id, &batch).await;
                self.devices[d].log.acknowledge(reply.acked_seq);
            }
        }
        for d in 0..self.devices.len() {
            while self.pull(d).await {}
        }
    }

    async fn check_final(&self) {
        let users: BTreeSet<i64> = self.devices.iter().map(|d| d.user_id).collect();
        for user in users {
            let created: Vec<&Op> = self
                .devices
                .iter()
                .filter(|d| d.user_id == user)
                .flat_map(|d| &d.created)
                .collect();
            let stored = self.store.sync.user_events(user).await.unwrap();
            assert_eq!(
                stored.len(),
                created.len(),
                "seed {}: user {user}",
                self.seed
            );
            let ids: HashSet<&str> = op_ids(&stored).into_iter().collect();
            assert_eq!(
                ids.len(),
                stored.len(),
                "seed {}: an op stored twice",
                self.seed
            );
            for op in &created {
                assert!(
                    stored.contains(op),
                    "seed {}: {} missing or altered",
                    self.seed,
                    op.op_id
                );
            }
            let expected = Progress::from_events(created.iter().copied());
            assert_eq!(
                progress(&self.router, self.cookie(user)).await,
                expected,
                "seed {}",
                self.seed
            );
            for device in self.devices.iter().filter(|d| d.user_id == user) {
                assert_eq!(
                    device.progress, expected,
                    "seed {}: {} converged",
                    self.seed, device.log.device_id
                );
                assert_eq!(device.log.acked_seq, device.log.next_seq - 1);
                assert_eq!(
                    self.store
                        .sync
                        .acked_seq(&device.log.device_id)
                        .await
                        .unwrap()
                        .unwrap_or(0),
                    device.log.acked_seq,
                    "seed {}",
                    self.seed
                );
                let seqs: Vec<u64> = stored
                    .iter()
                    .filter(|op| op.device_id == device.log.device_id)
                    .map(|op| op.seq)
                    .collect();
                assert_eq!(
                    seqs,
                    (1..device.log.next_seq).collect::<Vec<_>>(),
                    "seed {}",
                    self.seed
                );
            }
        }
    }
}

/// Polls a future once.
async fn poll_once<F: Future>(mut future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await
}

/// Polls a future (a request, a push) a few times, the database working
/// meanwhile, then drops it wherever it is: as when the client disconnects,
/// or the server dies. Returns whether it completed before it could be
/// dropped.
async fn cut_after_polls<F: Future>(future: F, rng: &mut Rng) -> bool {
    let mut future = pin!(future);
    for _ in 0..rng.between(1, 30) {
        if poll_once(future.as_mut()).await.is_ready() {
            return true;
        }
        if rng.chance(50) {
            tokio::task::yield_now().await;
        } else {
            std::thread::sleep(Duration::from_micros(rng.below(1500)));
        }
    }
    false
}

/// The acknowledged seqs a device may have reached from `acked` through
/// pushes of `batches` applied in any order, each any number of times.
fn reachable(acked: u64, batches: &[Vec<u64>]) -> BTreeSet<u64> {
    let mut reached = BTreeSet::from([acked]);
    loop {
        let more: Vec<u64> = reached
            .iter()
            .flat_map(|&from| {
                batches
                    .iter()
                    .map(move |seqs| plan_push(from, seqs).acked_seq)
            })
            .filter(|a| !reached.contains(a))
            .collect();
        if more.is_empty() {
            return reached;
        }
        reached.extend(more);
    }
}

/// Waits until every other session on the database at `url` is idle, out
/// of any transaction. A PostgreSQL session whose client has gone still
/// carries out what the client sent before (a COMMIT already on the wire),
/// so a stopped server's last writes are over only then; a closed SQLite
/// pool has finished everything. (Sessions may stay, idle: a connection
/// returned as the pool closed lingers in it until the pool is dropped.)
async fn wait_until_sessions_are_idle(url: &str) {
    use sqlx::Connection;
    if Engine::of(url).unwrap() == Engine::Sqlite {
        return;
    }
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let busy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state IS DISTINCT FROM 'idle'",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        if busy == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{busy} sessions still busy after the pool closed"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    conn.close().await.unwrap();
}

/// A device's acknowledged seq and the seqs of its stored events, read in
/// one transaction (one snapshot), on a connection of its own.
async fn snapshot(url: &str, device_id: &str) -> (u64, Vec<u64>) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    // PostgreSQL's default isolation takes a snapshot per statement.
    let begin = match Engine::of(url).unwrap() {
        Engine::Sqlite => "BEGIN",
        Engine::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ",
    };
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let mut tx = conn.begin_with(begin).await.unwrap();
    let acked: Option<i64> =
        sqlx::query_scalar("SELECT acked_seq FROM devices WHERE device_id = $1")
            .bind(device_id)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
    let seqs: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM events WHERE device_id = $1 ORDER BY seq")
            .bind(device_id)
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    conn.close().await.unwrap();
    (
        u64::try_from(acked.unwrap_or(0)).unwrap(),
        seqs.into_iter()
            .map(|s| u64::try_from(s).unwrap())
            .collect(),
    )
}

/// A client that goes away mid-push (hyper then drops the handler's future)
/// must not leave the store unable to write: the push is cut off after 1,
/// 2, 3… polls, each time followed by an ordinary push that must succeed.
#[tokio::test]
async fn a_push_cut_off_by_a_client_disconnect_does_not_wedge_the_store() {
    init_tracing();
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let device_id = "flaky-phone";
    let mut log = DeviceLog::new(device_id);
    let cuts = (1..=12).flat_map(|polls| [(polls, 0), (polls, 300), (polls, 2000)]);
    for (polls, pause_us) in cuts.clone().chain(cuts.clone()).chain(cuts) {
        record(&mut log, TRAINEE, 3, 0);
        let body = push_body(device_id, &log.batch(MAX_BATCH));
        let request = build_request(Method::POST, "/api/sync/push", Some(&cookie), Some(body));
        {
            let mut future = pin!(app.router.clone().oneshot(request));
            for _ in 0..polls {
                if poll_once(future.as_mut()).await.is_ready() {
                    break;
                }
                // Let the SQLite worker get on with what it was asked.
                if pause_us == 0 {
                    tokio::task::yield_now().await;
                } else {
                    std::thread::sleep(Duration::from_micros(pause_us));
                }
            }
        } // dropped here: the client went away
        tokio::time::sleep(Duration::from_millis(5)).await;
        let body = push_body(device_id, &log.batch(MAX_BATCH));
        let (status, text) = tokio::time::timeout(
            Duration::from_secs(3),
            push_raw(&app.router, Some(&cookie), body),
        )
        .await
        .unwrap_or_else(|_| {
            panic!(
                "after a push cut off at poll {polls}, the next push hangs: the write lock is held"
            )
        });
        assert_eq!(
            status,
            StatusCode::OK,
            "after a push cut off at poll {polls} ({pause_us} µs pauses): {text}"
        );
        log.acknowledge(
            serde_json::from_str::<PushResponse>(&text)
                .unwrap()
                .acked_seq,
        );
    }
    assert_eq!(log.pending(), 0);
    assert_eq!(
        app.store.sync.user_events(TRAINEE).await.unwrap().len() as u64,
        log.next_seq - 1
    );
}

/// Prints how to replay a seed if its run panics.
struct ReplayHint(u64);

impl Drop for ReplayHint {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "\nsync simulation against the store failed for seed {seed}; replay it with\n  \
                 LOPHOC_SIM_SEED={seed} cargo test -p lophoc-server --test it sync::simulation\n",
                seed = self.0
            );
        }
    }
}

/// Shows the server's log (`RUST_LOG`, warnings by default) with a failing
/// test's output.
fn init_tracing() {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "lophoc_server=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

async fn run_simulation(default_seeds: u64, disconnects: bool) {
    init_tracing();
    let started = Instant::now();
    let template = Template::new().await;
    let seeds: Vec<u64> = match env_u64("LOPHOC_SIM_SEED") {
        Some(seed) => vec![seed],
        None => (0..env_u64("LOPHOC_SIM_SEEDS").unwrap_or(default_seeds)).collect(),
    };
    let mut total = SimStats::default();
    for &seed in &seeds {
        let hint = ReplayHint(seed);
        let dir = tempfile::tempdir().unwrap();
        let mut sim = RealSim::new(seed, &template, dir.path(), disconnects).await;
        sim.run().await;
        sim.store.close().await;
        let s = sim.stats;
        total.ops += s.ops;
        total.pushes += s.pushes;
        total.requests_dropped += s.requests_dropped;
        total.replies_dropped += s.replies_dropped;
        total.duplicates += s.duplicates;
        total.cancelled_mid_flight += s.cancelled_mid_flight;
        total.dropped_while_pending += s.dropped_while_pending;
        total.cut_but_committed += s.cut_but_committed;
        total.cut_and_rolled_back += s.cut_and_rolled_back;
        total.restarts += s.restarts;
        total.restarts_mid_batch += s.restarts_mid_batch;
        total.client_crashes += s.client_crashes;
        total.stale_replies += s.stale_replies;
        total.gaps += s.gaps;
        drop(hint);
    }
    eprintln!(
        "{} seeds in {:?}: {total:?}",
        seeds.len(),
        started.elapsed()
    );
    if seeds.len() > 1 {
        assert!(total.restarts_mid_batch > 0 && total.dropped_while_pending > 0 && total.gaps > 0);
    }
}

/// Faults: requests lost, replies lost after the commit, duplicated and
/// reordered requests, stale replies, client crashes before deleting
/// acknowledged ops, server restarts between requests and in the middle of
/// a push (the request's future dropped mid-transaction, the pool closed,
/// the file opened again).
#[tokio::test]
async fn simulation_against_the_real_store() {
    run_simulation(20, false).await;
}

/// The same, plus clients that disconnect mid-push while the server carries
/// on (hyper then drops the handler's future).
#[tokio::test]
async fn simulation_with_client_disconnects() {
    run_simulation(40, true).await;
}

// ---------------------------------------------------------------------------
// kill -9 of the real binary during a batch.

/// The real server as a child process, killed and reaped when dropped.
struct ServerProcess {
    child: Arc<Mutex<Child>>,
    port: u16,
}

impl ServerProcess {
    /// The server on the database at `url`, its log and client build in
    /// `dir`.
    fn start(dir: &Path, url: &str) -> ServerProcess {
        let log_path = dir.join("server.log");
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .unwrap();
            let child = Command::new(env!("CARGO_BIN_EXE_lophoc-server"))
                .arg("--listen")
                .arg(format!("127.0.0.1:{port}"))
                .arg("--database")
                .arg(url)
                .arg("--content")
                .arg(demo_content())
                .arg("--dist")
                .arg(dir.join("dist"))
                .arg("--demo")
                .env("RUST_LOG", "lophoc_server=warn")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap();
            let server = ServerProcess {
                child: Arc::new(Mutex::new(child)),
                port,
            };
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok((200, _, _)) = http(port, "GET", "/api/health", None, None) {
                    return server;
                }
                if server.child.lock().unwrap().try_wait().unwrap().is_some() {
                    break; // exited: perhaps the port was taken meanwhile
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!(
            "the server did not start:\n{}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let mut child = self
            .child
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A minimal HTTP/1.1 client: one request per connection. Returns the
/// status, the `Set-Cookie` header and the body, or an error if the
/// connection broke before the whole response arrived.
fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<(u16, String, String)> {
    let broken =
        |what: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what.to_string());
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.set_write_timeout(Some(Duration::from_secs(20)))?;
    let body = body.unwrap_or("");
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8(raw).map_err(|_| broken("not UTF-8"))?;
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| broken("no header end"))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| broken("no status line"))?;
    let mut set_cookie = String::new();
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "set-cookie" => set_cookie = value.to_string(),
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    let body = if chunked {
        let mut body = String::new();
        let mut rest = rest;
        loop {
            let (size, after) = rest
                .split_once("\r\n")
                .ok_or_else(|| broken("torn chunk"))?;
            let size = usize::from_str_radix(size.trim(), 16).map_err(|_| broken("bad chunk"))?;
            if size == 0 {
                break body;
            }
            let chunk = after.get(..size).ok_or_else(|| broken("torn chunk"))?;
            body.push_str(chunk);
            rest = after.get(size + 2..).ok_or_else(|| broken("torn chunk"))?;
        }
    } else {
        match length {
            Some(n) if rest.len() != n => return Err(broken("torn body")),
            _ => rest.to_string(),
        }
    };
    Ok((status, set_cookie, body))
}

fn http_login(port: u16) -> String {
    let (status, cookie, body) = http(
        port,
        "POST",
        "/api/auth/login",
        None,
        Some(r#"{"username":"hocvien","password":"hocvien123"}"#),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    cookie.split(';').next().unwrap().to_string()
}

fn http_push(
    port: u16,
    cookie: &str,
    device_id: &str,
    ops: &[Op],
) -> std::io::Result<(u16, String)> {
    let (status, _, body) = http(
        port,
        "POST",
        "/api/sync/push",
        Some(cookie),
        Some(&push_body(device_id, ops)),
    )?;
    Ok((status, body))
}

fn http_pull_all(port: u16, cookie: &str) -> Vec<Op> {
    let mut cursor = 0;
    let mut events = Vec::new();
    loop {
        let (status, _, body) = http(
            port,
            "GET",
            &format!("/api/sync/pull?cursor={cursor}"),
            Some(cookie),
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let page: PullResponse = serde_json::from_str(&body).unwrap();
        events.extend(page.events);
        cursor = page.cursor;
        if !page.has_more {
            return events;
        }
    }
}

/// Checks that the server holds exactly the device's ops 1..=n, once each,
/// as created, with `n >= at_least`, and that its acknowledged seq is `n`.
fn check_stored_prefix(
    port: u16,
    cookie: &str,
    device_id: &str,
    created: &[Op],
    at_least: u64,
) -> u64 {
    let stored = http_pull_all(port, cookie);
    let ids: HashSet<&str> = op_ids(&stored).into_iter().collect();
    assert_eq!(ids.len(), stored.len(), "an op is stored twice");
    let seqs: Vec<u64> = stored.iter().map(|op| op.seq).collect();
    let n = stored.len() as u64;
    assert_eq!(
        seqs,
        (1..=n).collect::<Vec<_>>(),
        "stored ops are the prefix 1..={n}"
    );
    assert!(
        n >= at_least,
        "acknowledged up to {at_least}, but only {n} stored"
    );
    for op in &stored {
        assert_eq!(op, &created[usize::try_from(op.seq).unwrap() - 1]);
    }
    let (status, body) = http_push(port, cookie, device_id, &[]).unwrap();
    assert_eq!(status, 200, "{body}");
    let reply: PushResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(
        reply.acked_seq, n,
        "acked_seq moves with the events it covers"
    );
    n
}

#[test]
fn kill_9_during_a_batch_loses_nothing_acknowledged() {
    let seed = env_u64("LOPHOC_KILL_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    eprintln!("kill -9 test seed {seed} (LOPHOC_KILL_SEED={seed} to reuse it)");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    // One database for every start: each restart finds what was stored.
    let url = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(test_database_url(dir.path()));
    let device_id = "kill-9-phone";
    let mut log = DeviceLog::new(device_id);
    let mut created: Vec<Op> = Vec::new();
    let mut highest_acked = 0;

    for round in 0..3 {
        let server = ServerProcess::start(dir.path(), &url);
        let port = server.port;
        let cookie = http_login(port);
        let stored = check_stored_prefix(port, &cookie, device_id, &created, highest_acked);
        assert!(log.acked_seq <= stored);

        let delay = Duration::from_millis(rng.between(80, 400));
        let child = Arc::clone(&server.child);
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            child.lock().unwrap().kill().unwrap(); // SIGKILL
        });
        let started = Instant::now();
        let mut replies = 0;
        loop {
            // The device keeps recording while it syncs.
            let missing = MAX_BATCH - log.pending().min(MAX_BATCH);
            created.extend(record(&mut log, TRAINEE, missing, 0));
            let batch = log.batch(MAX_BATCH);
            match http_push(port, &cookie, device_id, &batch) {
                Ok((200, body)) => {
                    let reply: PushResponse = serde_json::from_str(&body).unwrap();
                    assert!(reply.acked_seq >= highest_acked);
                    highest_acked = reply.acked_seq;
                    log.acknowledge(reply.acked_seq);
                    replies += 1;
                }
                Ok((status, body)) => panic!("push answered {status}: {body}"),
                Err(_) => break, // killed
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the server was not killed"
            );
        }
        killer.join().unwrap();
        drop(server);
        eprintln!(
            "round {round}: killed after {delay:?} and {replies} replies; acknowledged up to {highest_acked} of {} ops",
            created.len()
        );
    }

    // After the last kill: what was acknowledged is there, then the rest.
    let server = ServerProcess::start(dir.path(), &url);
    let port = server.port;
    let cookie = http_login(port);
    let stored = check_stored_prefix(port, &cookie, device_id, &created, highest_acked);
    eprintln!("after the last kill: {stored} stored ({highest_acked} acknowledged)");
    while log.pending() > 0 {
        let (status, body) = http_push(port, &cookie, device_id, &log.batch(MAX_BATCH)).unwrap();
        assert_eq!(status, 200, "{body}");
        let reply: PushResponse = serde_json::from_str(&body).unwrap();
        log.acknowledge(reply.acked_seq);
    }
    let all = check_stored_prefix(port, &cookie, device_id, &created, created.len() as u64);
    assert_eq!(all, created.len() as u64);
    let (status, _, body) = http(port, "GET", "/api/progress", Some(&cookie), None).unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Progress>(&body).unwrap(),
        Progress::from_events(&created)
    );
}

// ---------------------------------------------------------------------------
// A server restored from a backup.

/// The database file is copied as a backup, devices push more, the server
/// is started again on the old file, and the devices sync again: a device that pushes sees a reply
/// below its acknowledged sequence, one with nothing to push hears it from
/// a pull; both send their ops again from what they still hold (their local
/// events), and the server ends with every op once.
// SQLite only: the backup is a copy of the SQLite file (`VACUUM INTO`).
#[tokio::test]
async fn devices_ahead_of_a_restored_server_send_their_ops_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lophoc.db");
    let url = sqlite_url(&db);
    let backup = dir.path().join("backup.db");
    let open = |store: &Store| app(AppState::new(store.clone(), dir.path().join("dist")));
    let store = Store::open(&url).await.unwrap();
    seed_demo_accounts(&store).await.unwrap();
    let router = open(&store);
    let cookie = login(&router, "hocvien", "hocvien123").await;
    // Each device keeps its own ops as its local events, as IndexedDB does.
    let mut phone = DeviceLog::new("restore-phone");
    let mut phone_events = record(&mut phone, TRAINEE, 5, 0);
    let reply = push(&router, &cookie, "restore-phone", &phone.batch(MAX_BATCH)).await;
    phone.apply_reply(&reply);
    assert_eq!(phone.acked_seq, 5);

    // The backup: a copy of the database file, made by SQLite itself so it
    // is consistent while the server runs (`VACUUM INTO`, as an operator's
    // nightly job would).
    sqlx::query("VACUUM INTO ?")
        .bind(backup.to_str().unwrap())
        .execute(&store.pool_for_tests())
        .await
        .unwrap();
    phone_events.extend(record(&mut phone, TRAINEE, 5, 0));
    let reply = push(&router, &cookie, "restore-phone", &phone.batch(MAX_BATCH)).await;
    phone.apply_reply(&reply);
    assert_eq!(phone.acked_seq, 10);
    let mut tablet = DeviceLog::new("restore-tablet");
    let tablet_events = record(&mut tablet, TRAINEE, 3, 0);
    let reply = push(&router, &cookie, "restore-tablet", &tablet.batch(MAX_BATCH)).await;
    tablet.apply_reply(&reply);
    assert_eq!((tablet.acked_seq, tablet.pending()), (3, 0));
    assert_eq!(pull_all(&router, &cookie).await.len(), 13);
    // Where a device that pulled everything stands.
    let old_cursor = {
        let mut cursor = 0;
        loop {
            let page = pull_page(&router, &cookie, cursor).await;
            cursor = page.cursor;
            if !page.has_more {
                break cursor;
            }
        }
    };

    // Restored: the server stops, the old file is put in place and the
    // server starts on it. (In place of the live file here: a connection
    // the closed pool has not finished closing could still write to it.)
    store.close().await;
    let restored = dir.path().join("restored.db");
    std::fs::copy(&backup, &restored).unwrap();
    let store = Store::open(&sqlite_url(&restored)).await.unwrap();
    let router = open(&store);
    assert_eq!(store.sync.user_events(TRAINEE).await.unwrap().len(), 5);

    // The phone records more and pushes: the reply is below what it knows.
    phone_events.extend(record(&mut phone, TRAINEE, 2, 0));
    let reply = push(&router, &cookie, "restore-phone", &phone.batch(MAX_BATCH)).await;
    assert_eq!(reply.acked_seq, 5, "the server waits at the gap after 5");
    assert_eq!(
        phone.apply_reply(&reply),
        ReplyEffect::ServerBehind { server_acked: 5 }
    );
    assert!(phone.rewind(5, phone_events.clone()).is_empty());
    let reply = push(&router, &cookie, "restore-phone", &phone.batch(MAX_BATCH)).await;
    assert_eq!((reply.acked_seq, reply.applied), (12, 7));
    phone.apply_reply(&reply);
    assert_eq!(phone.pending(), 0);

    // The tablet has nothing to push; its pull says the server lost its ops.
    let uri = format!("/api/sync/pull?cursor={old_cursor}&device=restore-tablet");
    let (status, body) = call(
        &router,
        build_request(Method::GET, &uri, Some(&cookie), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page: PullResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(page.device_acked, Some(0));
    assert!(tablet.rewind(0, tablet_events.clone()).is_empty());
    let reply = push(&router, &cookie, "restore-tablet", &tablet.batch(MAX_BATCH)).await;
    assert_eq!((reply.acked_seq, reply.applied), (3, 3));
    // A device that had pulled everything before the restore still gets
    // the ops stored again: their versions are beyond its cursor.
    let page = pull_page(&router, &cookie, old_cursor).await;
    let again: BTreeSet<&str> = page.events.iter().map(|o| o.op_id.as_str()).collect();
    let resent: BTreeSet<&str> = phone_events[5..]
        .iter()
        .chain(&tablet_events)
        .map(|o| o.op_id.as_str())
        .collect();
    assert_eq!(again, resent);

    // Every op once.
    let stored = store.sync.user_events(TRAINEE).await.unwrap();
    let mut expected: Vec<&Op> = phone_events.iter().chain(&tablet_events).collect();
    expected.sort_by_key(|op| op.op_id.clone());
    let mut got: Vec<&Op> = stored.iter().collect();
    got.sort_by_key(|op| op.op_id.clone());
    assert_eq!(got, expected, "nothing lost, nothing twice");
    store.close().await;
}

/// Events stored before migration 0021 get the columns they are found by,
/// by the same rule as new ones (`Event::index`), and the queries that use
/// them see the old events; no query in the server reads an event's JSON.
// SQLite only: the old schema is that of SQLite's migrations.
#[tokio::test]
async fn old_events_get_their_index_columns() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir_all(&old).unwrap();
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&all).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if name.as_str() < "0021" {
            std::fs::copy(entry.path(), old.join(&name)).unwrap();
        }
    }
    let db = dir.path().join("old.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", db.display()))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES (1, 't', 'T', 'trainee', 'x', 0)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO devices VALUES ('t-phone', 1, 3, 0)")
        .execute(&pool)
        .await
        .unwrap();
    let events = [
        Event::LessonOpened {
            course_id: "c".into(),
            lesson_id: "l".into(),
        },
        Event::SituationAnswered {
            course_id: "c".into(),
            situation_id: "s".into(),
            question_id: "q".into(),
            answer: lophoc_core::question::Answer::Opinion { text: "ý".into() },
        },
        Event::AttemptSubmitted {
            course_id: "c".into(),
            assessment_id: "k".into(),
            attempt_id: "a1".into(),
        },
    ];
    for (n, event) in events.iter().enumerate() {
        let op = Op {
            op_id: format!("old-{n}"),
            device_id: "t-phone".into(),
            seq: n as u64 + 1,
            user_id: 1,
            client_time_ms: 0,
            schema: 1,
            event: event.clone(),
        };
        sqlx::query("INSERT INTO events (op_id, device_id, seq, user_id, schema, client_time_ms, server_time, body) VALUES ($1, $2, $3, 1, 1, 0, 0, $4)")
            .bind(&op.op_id)
            .bind(&op.device_id)
            .bind(n as i64 + 1)
            .bind(serde_json::to_string(&op).unwrap())
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;

    let store = Store::open(&sqlite_url(&db)).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&sqlite_url(&db)).await.unwrap();
    for (n, event) in events.iter().enumerate() {
        let row: (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = sqlx::query_as(
            "SELECT kind, course_id, item_id, attempt_id FROM events WHERE op_id = $1",
        )
        .bind(format!("old-{n}"))
        .fetch_one(&pool)
        .await
        .unwrap();
        let index = event.index();
        assert_eq!(
            row,
            (
                Some(index.kind.to_string()),
                Some(index.course_id.to_string()),
                index.item_id.map(str::to_string),
                index.attempt_id.map(str::to_string),
            ),
            "{event:?}"
        );
    }
    // The queries find the old rows by the new columns.
    assert!(store.sync.has_answered(1, "c", "s").await.unwrap());
    assert!(!store.sync.has_answered(1, "c", "other").await.unwrap());

    // No query parses an event's JSON body any more.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("json_extract"),
                    "{} reads an event's JSON in SQL: use the event columns",
                    path.display()
                );
            }
        }
    }
}
