//! Live session results are not lost when the server stops: the real
//! binary, a trainee joined to a live session while another process holds
//! the event log's write lock (SQLite's, or on PostgreSQL the advisory lock
//! its writers take), so the result cannot be written yet, then SIGTERM.
//! The server must keep the result until the database can take it and write
//! it before it exits — where it used to give up after a few tries, and
//! drop whatever was queued when it stopped.
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should fail the test loudly"
)]

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use lophoc_core::live::{ClientMsg, ServerMsg};
use sqlx::{AnyConnection, Connection};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{client::IntoClientRequest, http::HeaderValue, Message},
};

/// The server as a child process, killed if the test ends first.
struct Server {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(dir: &std::path::Path, database: &str) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = dir.join("server.log");
    let child = Command::new(env!("CARGO_BIN_EXE_lophoc-server"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--database")
        .arg(database)
        .arg("--content")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"))
        .arg("--dist")
        .arg(dir.join("dist"))
        .arg("--demo")
        .env("RUST_LOG", "lophoc_server=info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let server = Server { child, port, log };
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = reqwest::Client::new();
    while Instant::now() < deadline {
        let health = client
            .get(format!("http://127.0.0.1:{port}/api/health"))
            .send()
            .await;
        if health.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the server did not start:\n{}",
        std::fs::read_to_string(&server.log).unwrap_or_default()
    );
}

/// Takes (`true`) or gives back the event log's write lock on `conn`, as
/// another writer would: SQLite's write lock, or on PostgreSQL the advisory
/// lock its writers take.
async fn event_log_lock(conn: &mut AnyConnection, url: &str, take: bool) {
    let key = lophoc_server::engine::EVENT_LOG_LOCK;
    let sql = match (url.starts_with("sqlite:"), take) {
        (true, true) => "BEGIN IMMEDIATE",
        (true, false) => "ROLLBACK",
        (false, true) => "SELECT pg_advisory_lock($1)",
        (false, false) => "SELECT pg_advisory_unlock($1)",
    };
    let query = sqlx::query(sql);
    let query = if sql.contains("$1") {
        query.bind(key)
    } else {
        query
    };
    query.execute(conn).await.unwrap();
}

async fn login(port: u16, username: &str, password: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_live_results_are_written_before_the_server_stops() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let url = crate::common::test_database_url(dir.path()).await;
    let mut server = start(dir.path(), &url).await;
    let port = server.port;
    let lecturer = login(port, "giangvien", "giangvien123").await;
    let trainee = login(port, "hocvien", "hocvien123").await;
    let created: serde_json::Value = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/live"))
        .header("cookie", &lecturer)
        .json(&serde_json::json!({
            "course_id": "can-bo-co-so",
            "questions": [["tinh-huong-phong-bi", "q1"]],
            "seconds": 30,
            "allow_guests": false,
            "leaderboard": false
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = created["code"].as_str().expect("a join code").to_string();

    // Another process holds the event log's write lock: the server cannot
    // write the trainee's attendance for now.
    sqlx::any::install_default_drivers();
    let mut locker = AnyConnection::connect(&url).await.unwrap();
    event_log_lock(&mut locker, &url, true).await;

    let mut request = format!("ws://127.0.0.1:{port}/api/live/{code}/ws")
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("cookie", HeaderValue::from_str(&trainee).unwrap());
    let (mut ws, _) = connect_async(request).await.unwrap();
    let join = ClientMsg::Join {
        token: None,
        name: None,
    };
    ws.send(Message::text(serde_json::to_string(&join).unwrap()))
        .await
        .unwrap();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a welcome")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = msg {
            if let ServerMsg::Welcome { .. } = serde_json::from_str(&text).unwrap() {
                break;
            }
        }
    }
    // The attendance is queued, its write waiting for the lock. Stop.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(server.child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    // The server waits for the database rather than dropping the event.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server stopped with a live result unwritten:\n{}",
        std::fs::read_to_string(&server.log).unwrap_or_default()
    );
    event_log_lock(&mut locker, &url, false).await;
    drop(locker);

    let deadline = Instant::now() + Duration::from_secs(60);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop:\n{}",
            std::fs::read_to_string(&server.log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
    drop(ws);

    let mut db = AnyConnection::connect(&url).await.unwrap();
    let attended: Vec<(i64, String)> =
        sqlx::query_as("SELECT user_id, device_id FROM events WHERE kind = 'live_attended'")
            .fetch_all(&mut db)
            .await
            .unwrap();
    assert_eq!(
        attended,
        [(1, "live:1".to_string())],
        "the attendance was written before the server stopped:\n{}",
        std::fs::read_to_string(&server.log).unwrap_or_default()
    );
}
