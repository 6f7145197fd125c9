//! Several server instances on one PostgreSQL database behave as one server
//! (issue 17): two instances, each serving HTTP on a port of its own as
//! behind a reverse proxy, each with its own pool, memory and pokes. A
//! device's pushes alternate and repeat between them, cut off on the way;
//! a push through one pokes a device listening on the other; a course
//! published by one is served by the other; a certificate both derive is
//! issued once; login attempts count once whichever instance takes them.
//! Live sessions across instances are in `live.rs`.
//!
//! One process serves a SQLite file, so on SQLite these tests have nothing
//! to check and return at once; `make test`'s PostgreSQL pass runs them
//! (`bash scripts/test-postgres.sh instances::`).
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should fail the test loudly"
)]

use std::{net::SocketAddr, path::Path, time::Duration};

use crate::common::{
    classes::{complete_course, session_for, COURSE},
    test_app_on, test_database_url, TestApp,
};
use crate::sync::event;
use lophoc_core::{
    events::Op,
    sync::{DeviceLog, PullResponse, PushResponse},
};
use lophoc_server::{app, store::Store, AppState};

const HOCVIEN: i64 = 1;
const GIANGVIEN: i64 = 2;
const HOCVIEN2: i64 = 4;

/// One instance: its address and its own store (pool, pokes, memory).
pub struct Instance {
    pub url: String,
    pub addr: SocketAddr,
    pub store: Store,
}

/// Two instances on one fresh PostgreSQL database seeded with the demo.
pub struct Instances {
    pub a: Instance,
    pub b: Instance,
    /// The app that seeded the database (a third instance, not served).
    pub seeded: TestApp,
}

/// Two instances, or `None` on SQLite (see the module's note).
pub async fn two_instances() -> Option<Instances> {
    std::env::var("LOPHOC_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())?;
    let dir = tempfile::tempdir().unwrap();
    let database = test_database_url(dir.path()).await;
    let seeded = test_app_on(dir, &database).await;
    Some(Instances {
        a: start(&database, &seeded.dist_dir).await,
        b: start(&database, &seeded.dist_dir).await,
        seeded,
    })
}

/// An instance on `database`, served on a free loopback port as `main.rs`
/// serves it, told its own address.
async fn start(database: &str, dist: &Path) -> Instance {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let url = format!("http://{addr}");
    let store = Store::open(database).await.unwrap();
    let state = AppState::new(store.clone(), dist.to_path_buf()).with_instance(url.clone());
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
    Instance { url, addr, store }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// `GET url` (with a session cookie): the reply's JSON, asserting 200.
pub async fn get_json(url: &str, cookie: Option<&str>) -> serde_json::Value {
    let mut request = http().get(url);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {url}");
    response.json().await.unwrap()
}

/// Pushes `ops` from `device` through `instance`: the reply, or `None` when
/// the request was cut off after `cut_after` (the client gave up).
async fn push(
    instance: &Instance,
    cookie: &str,
    device: &str,
    ops: &[Op],
    cut_after: Option<Duration>,
) -> Option<PushResponse> {
    let request = http()
        .post(format!("{}/api/sync/push", instance.url))
        .header("cookie", cookie)
        .json(&serde_json::json!({ "device_id": device, "ops": ops }))
        .send();
    let response = match cut_after {
        Some(after) => tokio::time::timeout(after, request).await.ok()?,
        None => request.await,
    }
    .unwrap();
    assert_eq!(response.status(), 200);
    Some(response.json().await.unwrap())
}

/// Every event of the cookie's user, pulled through `instance`.
async fn pull_all(instance: &Instance, cookie: &str) -> Vec<Op> {
    let mut events = Vec::new();
    let mut cursor = 0;
    loop {
        let url = format!("{}/api/sync/pull?cursor={cursor}", instance.url);
        let page: PullResponse =
            serde_json::from_value(get_json(&url, Some(cookie)).await).unwrap();
        events.extend(page.events);
        if !page.has_more {
            return events;
        }
        cursor = page.cursor;
    }
}

/// A small deterministic generator: the same run every time.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test]
async fn pushes_alternating_repeated_and_cut_off_across_two_instances_apply_each_op_once_in_order()
{
    let Some(two) = two_instances().await else {
        return;
    };
    let cookie = session_for(&two.a.store, HOCVIEN).await;
    let device = "dien-thoai-an";
    let mut log = DeviceLog::new(device);
    let total = 400_u64;
    for n in 0..total {
        let op_id = format!("0193a1b2-0000-7000-8000-{n:012x}");
        log.record(op_id, HOCVIEN, 1_700_000_000_000 + n as i64, event(n));
    }
    let mut rng = Rng(0x5eed_1e55);
    let mut rounds = 0;
    while log.pending() > 0 {
        rounds += 1;
        assert!(rounds < 500, "the device never finished");
        let batch = log.batch(1 + rng.below(60) as usize);
        let (first, second) = if rng.below(2) == 0 {
            (&two.a, &two.b)
        } else {
            (&two.b, &two.a)
        };
        let replies: Vec<Option<PushResponse>> = match rng.below(4) {
            // One instance, then the same batch again through the other (a
            // reply lost on the way: the device sends again).
            0 => vec![
                push(first, &cookie, device, &batch, None).await,
                push(second, &cookie, device, &batch, None).await,
            ],
            // The same batch through both at once.
            1 => {
                let (x, y) = tokio::join!(
                    push(first, &cookie, device, &batch, None),
                    push(second, &cookie, device, &batch, None)
                );
                vec![x, y]
            }
            // Cut off after a few milliseconds through one (the server may
            // or may not have stored it), at once through the other.
            2 => {
                let after = Duration::from_millis(1 + rng.below(15));
                let (x, y) = tokio::join!(
                    push(first, &cookie, device, &batch, Some(after)),
                    push(second, &cookie, device, &batch, None)
                );
                vec![x, y]
            }
            _ => vec![push(first, &cookie, device, &batch, None).await],
        };
        for reply in replies.into_iter().flatten() {
            assert_eq!(reply.rejected, None, "{reply:?}");
            assert!(reply.refused.is_empty(), "{reply:?}");
            log.acknowledge(reply.acked_seq);
        }
    }
    // Read back through each instance: every op once, in seq order.
    for instance in [&two.a, &two.b] {
        let events = pull_all(instance, &cookie).await;
        let seqs: Vec<u64> = events
            .iter()
            .filter(|op| op.device_id == device)
            .map(|op| op.seq)
            .collect();
        assert_eq!(seqs, (1..=total).collect::<Vec<_>>(), "{}", instance.url);
    }
}

#[tokio::test]
async fn a_push_through_one_instance_pokes_a_device_listening_on_the_other() {
    let Some(two) = two_instances().await else {
        return;
    };
    let an = session_for(&two.a.store, HOCVIEN).await;
    let dung = session_for(&two.a.store, HOCVIEN2).await;
    let mut stream = http()
        .get(format!("{}/api/sync/stream", two.b.url))
        .header("cookie", &an)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    // Another trainee pushes, then An through the other instance: An's
    // stream here is poked.
    let mut dung_log = DeviceLog::new("dien-thoai-dung");
    dung_log.record(
        "0193a1b2-0000-7000-8000-00000000d001".into(),
        HOCVIEN2,
        1,
        event(1),
    );
    push(&two.a, &dung, "dien-thoai-dung", &dung_log.batch(10), None).await;
    let mut an_log = DeviceLog::new("may-tinh-an");
    an_log.record(
        "0193a1b2-0000-7000-8000-00000000a001".into(),
        HOCVIEN,
        1,
        event(2),
    );
    let sent = std::time::Instant::now();
    push(&two.a, &an, "may-tinh-an", &an_log.batch(10), None).await;
    let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
        .await
        .expect("a poke within 10 s")
        .unwrap()
        .expect("the stream is open");
    let text = String::from_utf8(chunk.to_vec()).unwrap();
    assert!(text.contains("event: poke"), "{text:?}");
    eprintln!("poke across instances after {:?}", sent.elapsed());
}

#[tokio::test]
async fn a_course_published_through_one_instance_is_served_by_the_other() {
    let Some(two) = two_instances().await else {
        return;
    };
    let an = session_for(&two.a.store, HOCVIEN).await;
    let outline = format!("{}/api/courses/{COURSE}", two.b.url);
    let before = get_json(&outline, Some(&an)).await;
    // A new version of the demo course, as an approval publishes it.
    let content = tempfile::tempdir().unwrap();
    let folder = content.path().join(COURSE);
    copy_folder(&crate::common::demo_content().join(COURSE), &folder);
    let toml = std::fs::read_to_string(folder.join("course.toml")).unwrap();
    let old_title = before["title"].as_str().unwrap();
    let new_title = format!("{old_title} (bản 2)");
    std::fs::write(
        folder.join("course.toml"),
        toml.replacen(old_title, &new_title, 1),
    )
    .unwrap();
    let report = lophoc_server::seed::publish_content(&two.a.store, content.path())
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let after = get_json(&outline, Some(&an)).await;
    assert_eq!(after["title"], new_title.as_str());
    assert!(after["version"].as_i64() > before["version"].as_i64());
    assert_eq!(before["modules"], after["modules"]);
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_certificate_both_instances_derive_at_once_is_issued_once() {
    let Some(two) = two_instances().await else {
        return;
    };
    let an = session_for(&two.seeded.store, HOCVIEN).await;
    let lecturer = session_for(&two.seeded.store, GIANGVIEN).await;
    complete_course(&two.seeded, (HOCVIEN, &an), (GIANGVIEN, &lecturer), "an-1").await;
    let pool = two.a.store.pool_for_tests();
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM certificates WHERE user_id = $1")
            .bind(HOCVIEN)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    // Wait for the certificate the completing push issued, then take it
    // away, and let both instances derive it again at the same moment,
    // several times.
    for _ in 0..100 {
        if count().await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count().await, 1, "the completion issued a certificate");
    use lophoc_server::classes::progress::check_certificates;
    for _ in 0..5 {
        sqlx::query("DELETE FROM certificates WHERE user_id = $1")
            .bind(HOCVIEN)
            .execute(&pool)
            .await
            .unwrap();
        tokio::join!(
            check_certificates(two.a.store.clone(), vec![HOCVIEN]),
            check_certificates(two.b.store.clone(), vec![HOCVIEN])
        );
        assert_eq!(count().await, 1);
    }
    // Both instances show the trainee the same one.
    let mut codes = Vec::new();
    for instance in [&two.a, &two.b] {
        let progress = get_json(&format!("{}/api/me/progress", instance.url), Some(&an)).await;
        let course = progress
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["progress"]["course_id"] == COURSE)
            .unwrap()
            .clone();
        codes.push(course["certificate"]["code"].as_str().unwrap().to_string());
    }
    assert_eq!(codes[0], codes[1]);
}

#[tokio::test]
async fn login_attempts_count_once_whichever_instance_takes_them() {
    let Some(two) = two_instances().await else {
        return;
    };
    let burst = lophoc_server::throttle::ACCOUNT_BURST;
    let mut statuses = Vec::new();
    for n in 0..=burst {
        let instance = if n % 2 == 0 { &two.a } else { &two.b };
        let response = http()
            .post(format!("{}/api/auth/login", instance.url))
            .json(&serde_json::json!({ "username": "hocvien", "password": "sai-mat-khau" }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    let wrong = statuses[..burst as usize].iter().all(|s| *s == 401);
    assert!(wrong, "{statuses:?}");
    assert_eq!(
        statuses[burst as usize], 429,
        "the burst is shared: {statuses:?}"
    );
}

/// Instances started at the same moment on one empty database (a fleet
/// restarted together) each migrate, seed and publish, one after another:
/// all of them serve, and the demo is there once.
#[tokio::test]
async fn instances_started_at_once_on_an_empty_database_all_serve() {
    if std::env::var("LOPHOC_TEST_POSTGRES").map_or(true, |url| url.is_empty()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let database = test_database_url(dir.path()).await;
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let mut servers = Vec::new();
    for _ in 0..3 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_lophoc-server"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--database", &database])
            .arg("--content")
            .arg(crate::common::demo_content())
            .arg("--dist")
            .arg(dir.path().join("dist"))
            .arg("--demo")
            .args(["--instance-url", &format!("http://127.0.0.1:{port}")])
            .env("RUST_LOG", "lophoc_server=warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        servers.push((KillOnDrop(child), port));
    }
    for (server, port) in &mut servers {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = server.0.try_wait().unwrap() {
                let mut log = String::new();
                std::io::Read::read_to_string(&mut server.0.stderr.take().unwrap(), &mut log)
                    .unwrap();
                panic!("an instance stopped ({status}):\n{log}");
            }
            let health = http()
                .get(format!("http://127.0.0.1:{port}/api/health"))
                .send()
                .await;
            if health.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no answer in 60 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let store = Store::open(&database).await.unwrap();
    assert_eq!(
        store.accounts.user_count().await.unwrap(),
        5,
        "the demo once"
    );
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
