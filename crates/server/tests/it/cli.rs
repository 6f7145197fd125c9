//! The real `lophoc-server` binary started as a centre would start it
//! (issue 14): without `--demo` a new database gets no account, `user
//! create` makes the first one with a password from standard input (never
//! from the command line), and `backup` copies the database while the
//! server runs. A production database holds no demo password.
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should fail the test loudly"
)]

use std::{
    io::Write,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use lophoc_server::{auth::password_matches, seed::DEMO_ACCOUNTS, store::Store};
use sqlx::{Connection, Row};

const BIN: &str = env!("CARGO_BIN_EXE_lophoc-server");

fn demo_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

/// The database the binary runs on for the test in `dir`: a SQLite file
/// there (its folder created by the server), or, in the PostgreSQL pass,
/// the fresh database [`on_test_engine`] chose.
fn url(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("database-url"))
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("data").join("lophoc.db").display()))
}

/// Runs this test's binary on the engine of the pass (SQLite, or a fresh
/// PostgreSQL database: `common::test_database_url`).
async fn on_test_engine(dir: &Path) {
    let database = crate::common::test_database_url(dir).await;
    if !database.starts_with("sqlite:") {
        std::fs::write(dir.join("database-url"), database).unwrap();
    }
}

/// Runs the binary with `args`, `stdin` piped in.
fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("--database")
        .arg(url(dir))
        .args(args)
        .env("RUST_LOG", "lophoc_server=warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The server, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(dir: &Path, extra: &[&str]) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    let child = Command::new(BIN)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--database")
        .arg(url(dir))
        .arg("--content")
        .arg(demo_content())
        .arg("--dist")
        .arg(dir.join("dist"))
        .args(extra)
        .env("RUST_LOG", "lophoc_server=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = reqwest::Client::new();
    loop {
        let health = client
            .get(format!("http://127.0.0.1:{port}/api/health"))
            .send()
            .await;
        if health.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn login(port: u16, username: &str, password: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/auth/login"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Every (username, password hash) of the database at `url`.
async fn hashes(url: &str) -> Vec<(String, String)> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query("SELECT username, password_hash FROM users")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn a_production_start_has_no_demo_account_and_the_first_admin_comes_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    on_test_engine(dir).await;
    // A password is never an argument.
    let refused = run(
        dir,
        &[
            "user",
            "create",
            "--role",
            "province-admin",
            "--username",
            "tinh",
            "--password",
            "mat-khau-tinh-2026",
        ],
        "",
    );
    assert!(!refused.status.success(), "{}", text(&refused));
    // Too short, from standard input.
    let short = run(
        dir,
        &[
            "user",
            "create",
            "--role",
            "province-admin",
            "--username",
            "tinh",
        ],
        "ngan\n",
    );
    assert!(!short.status.success());
    assert!(text(&short).contains("ít nhất 8"), "{}", text(&short));
    let created = run(
        dir,
        &[
            "user",
            "create",
            "--role",
            "province-admin",
            "--username",
            "tinh",
            "--full-name",
            "Hoàng Thị Tỉnh",
        ],
        "mat-khau-tinh-2026\n",
    );
    assert!(created.status.success(), "{}", text(&created));
    assert!(text(&created).contains("tinh"), "{}", text(&created));
    // A centre admin needs a centre, which is created by name.
    let no_centre = run(
        dir,
        &[
            "user",
            "create",
            "--role",
            "centre-admin",
            "--username",
            "qtts",
        ],
        "mat-khau-trung-tam\n",
    );
    assert!(!no_centre.status.success(), "{}", text(&no_centre));
    let admin = run(
        dir,
        &[
            "user",
            "create",
            "--role",
            "centre-admin",
            "--username",
            "qtts",
            "--centre",
            "Trung tâm Chính trị huyện Thanh Sơn",
        ],
        "mat-khau-trung-tam\r\n",
    );
    assert!(admin.status.success(), "{}", text(&admin));
    let taken = run(
        dir,
        &[
            "user",
            "create",
            "--role",
            "province-admin",
            "--username",
            "tinh",
        ],
        "mat-khau-khac-2026\n",
    );
    assert!(!taken.status.success());
    assert!(text(&taken).contains("taken"), "{}", text(&taken));

    // Served without --demo: no demo account, the created ones work.
    let server = serve(dir, &[]).await;
    for (username, password, _, _) in DEMO_ACCOUNTS {
        assert_eq!(
            login(server.port, username, password).await,
            401,
            "{username}"
        );
    }
    assert_eq!(login(server.port, "tinh", "mat-khau-tinh-2026").await, 200);
    assert_eq!(login(server.port, "qtts", "mat-khau-trung-tam").await, 200);

    // A backup while it serves: complete, checked, and never over a file
    // (a PostgreSQL database is pg_dump's to back up, and it says so).
    let backup = dir.join("lophoc-backup.db");
    let done = run(dir, &["backup", backup.to_str().unwrap()], "");
    if url(dir).starts_with("sqlite:") {
        assert!(done.status.success(), "{}", text(&done));
        assert!(text(&done).contains("2 accounts"), "{}", text(&done));
        let again = run(dir, &["backup", backup.to_str().unwrap()], "");
        assert!(!again.status.success(), "{}", text(&again));
        let copy = format!("sqlite://{}", backup.display());
        let copied: Vec<String> = hashes(&copy).await.into_iter().map(|(u, _)| u).collect();
        assert_eq!(copied, ["tinh", "qtts"]);
    } else {
        assert!(!done.status.success(), "{}", text(&done));
        assert!(text(&done).contains("pg_dump"), "{}", text(&done));
    }
    // The server still answers after the backup.
    assert_eq!(login(server.port, "tinh", "mat-khau-tinh-2026").await, 200);
    drop(server);

    // No password in the production database is a demo one.
    let all = hashes(&url(dir)).await;
    assert_eq!(all.len(), 2);
    for (username, hash) in &all {
        for (_, demo_password, _, _) in DEMO_ACCOUNTS {
            assert!(
                !password_matches(demo_password, hash),
                "{username} has the demo password {demo_password}"
            );
        }
    }
}

#[tokio::test]
async fn with_demo_an_empty_database_gets_the_demo_accounts() {
    let dir = tempfile::tempdir().unwrap();
    on_test_engine(dir.path()).await;
    let server = serve(dir.path(), &["--demo"]).await;
    assert_eq!(login(server.port, "hocvien", "hocvien123").await, 200);
    drop(server);
    let store = Store::open(&url(dir.path())).await.unwrap();
    assert_eq!(
        store.accounts.user_count().await.unwrap(),
        DEMO_ACCOUNTS.len() as i64
    );
    store.close().await;
}

/// A backup taken while pushes are being written is a consistent copy:
/// the events it holds are exactly those of the acknowledged pushes up to
/// some point, never half a batch.
#[tokio::test]
async fn a_backup_during_writes_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--demo"]).await;
    let port = server.port;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://127.0.0.1:{port}/api/auth/login"))
        .json(&serde_json::json!({"username": "hocvien", "password": "hocvien123"}))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    // Pushes of ten lesson-opened events each, while backups are taken.
    let writer = tokio::spawn({
        let client = client.clone();
        async move {
            let mut log = lophoc_core::sync::DeviceLog::new("backup-device");
            for batch in 0..30_u64 {
                for n in 0..10_u64 {
                    log.record(
                        format!("0190e4c0-0000-7000-8000-{:012x}", batch * 10 + n),
                        1,
                        1_700_000_000_000,
                        lophoc_core::events::Event::LessonOpened {
                            course_id: "can-bo-co-so".into(),
                            lesson_id: "nhan-dien-tham-nhung".into(),
                        },
                    );
                }
                let ops = log.batch(lophoc_core::sync::MAX_BATCH);
                let body = serde_json::json!({"device_id": log.device_id, "ops": ops});
                let reply: serde_json::Value = client
                    .post(format!("http://127.0.0.1:{port}/api/sync/push"))
                    .header("cookie", &cookie)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                log.acknowledge(reply["acked_seq"].as_u64().unwrap());
            }
        }
    });
    let mut counts = Vec::new();
    for n in 0..3 {
        let file = dir.path().join(format!("backup-{n}.db"));
        let path = file.to_str().unwrap().to_string();
        let dir = dir.path().to_path_buf();
        let done = tokio::task::spawn_blocking(move || run(&dir, &["backup", &path], ""))
            .await
            .unwrap();
        assert!(done.status.success(), "{}", text(&done));
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let acked: Option<i64> =
            sqlx::query_scalar("SELECT acked_seq FROM devices WHERE device_id = 'backup-device'")
                .fetch_optional(&mut conn)
                .await
                .unwrap();
        // Whole batches only, and the device's acknowledgement says so.
        assert_eq!(events % 10, 0, "backup {n}: {events} events");
        assert_eq!(acked.unwrap_or(0), events, "backup {n}");
        counts.push(events);
    }
    writer.await.unwrap();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
}

/// `copy-to` with the real binary: the demo database, stopped, copied into
/// an empty one (PostgreSQL in `make test-postgres`), which then serves the
/// same accounts.
#[tokio::test]
async fn copy_to_moves_a_stopped_database_and_the_copy_serves() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--demo"]).await;
    assert_eq!(login(server.port, "hocvien", "hocvien123").await, 200);
    drop(server);
    let target_dir = tempfile::tempdir().unwrap();
    let target = crate::common::test_database_url(target_dir.path()).await;
    let copied = run(dir.path(), &["copy-to", &target], "");
    let said = text(&copied);
    assert!(copied.status.success(), "{said}");
    assert!(said.contains("users: 5"), "{said}");
    assert!(said.contains("lessons: 12"), "{said}");
    let copy = Store::open(&target).await.unwrap();
    assert_eq!(copy.accounts.user_count().await.unwrap(), 5);
    let credentials = copy.accounts.credentials("hocvien").await.unwrap().unwrap();
    assert!(credentials.password_hash.starts_with("$argon2id$"));
    copy.close().await;
    // Into a database that holds data: refused, nothing changed, said so.
    let again = run(dir.path(), &["copy-to", &target], "");
    assert!(!again.status.success());
    assert!(
        text(&again).contains("already holds data"),
        "{}",
        text(&again)
    );
}
