//! Load test of the sync push against a running server (`make bench` runs
//! it; see `scripts/bench.sh`):
//!
//! ```text
//! cargo run --profile server -p lophoc-server --example sync_load -- \
//!     --url http://127.0.0.1:PORT --ops 10000 --devices 1
//! ```
//!
//! Each device is the trainee's (its own HTTP connection, its own device
//! id), queues `--ops` ops in a [`DeviceLog`] as the client does, then
//! drains its outbox the way the client's sync loop does: a batch of at most
//! [`MAX_BATCH`] ops in seq order, the next batch only after the reply to the
//! previous one, deleting what the reply acknowledges. With several devices
//! they all start at once and push concurrently. Afterwards it pulls the
//! user's events back and checks each op is stored exactly once.
//!
//! Sessions: each device logs in on its own up to [`MAX_LOGINS`] devices;
//! beyond that device `i` shares the session of device `i % MAX_LOGINS`
//! (its cookie, not its connection). The server lets one account try its
//! password [`ACCOUNT_BURST`] times at once, then once a minute
//! (`crates/server/src/throttle.rs`), so 16 logins of one trainee would be
//! refused, as they should be; a session is only a cookie on the push, so
//! sharing one changes nothing the push does.
//!
//! [`ACCOUNT_BURST`]: lophoc_server::throttle::ACCOUNT_BURST
//!
//! It prints `KEY=VALUE` lines (times in ms, sizes in bytes) for the
//! benchmark report, and a human summary on stderr. `--sample-batch FILE`
//! writes the body of the first full push of the first device, byte for byte
//! as sent, so that its compressed size can be measured.

mod common;

use common::{login, ms, percentile};
use std::{
    path::PathBuf,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{bail, ensure, Context, Result};
use clap::Parser;
use lophoc_core::{
    events::{uuid_v7, Event, Op},
    sync::{DeviceLog, PullResponse, PushRequest, PushResponse, MAX_BATCH},
};
use rand_core::{OsRng, RngCore};
use reqwest::{header, Client, StatusCode};
use tokio::sync::Barrier;

/// Logins of the one account at most, under the server's per-account
/// burst (`throttle::ACCOUNT_BURST`, 10) with room to spare.
const MAX_LOGINS: usize = 8;
const _: () = assert!(MAX_LOGINS < lophoc_server::throttle::ACCOUNT_BURST as usize);

/// The demo course's lessons: the ops name real ones, so their size is real.
const COURSE: &str = "can-bo-co-so";
const LESSONS: [&str; 12] = [
    "nhan-dien-tham-nhung",
    "ke-khai-tai-san-thu-nhap",
    "khi-phat-hien-tham-nhung",
    "can-kiem-liem-chinh",
    "ton-trong-nhan-dan",
    "neu-guong",
    "nguon-tu-lieu-lich-su",
    "ghi-chep-loi-ke-nhan-chung",
    "hoc-tap-tai-di-tich",
    "lang-nghe-nhan-dan",
    "hop-thon-ban",
    "dong-bao-dan-toc-thieu-so",
];

#[derive(Parser)]
#[command(about = "Pushes queued ops to a running Lophoc server and times the drain")]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080 (plain HTTP).
    #[arg(long)]
    url: String,
    /// Ops each device queues and pushes.
    #[arg(long, default_value_t = 10_000)]
    ops: u64,
    /// Devices pushing concurrently (each with its own connection and device
    /// id; its own login up to 8 devices, then shared sessions).
    #[arg(long, default_value_t = 1)]
    devices: usize,
    #[arg(long, default_value = "hocvien")]
    username: String,
    #[arg(long, default_value = "hocvien123")]
    password: String,
    /// Write the body of the first full push here, as sent.
    #[arg(long)]
    sample_batch: Option<PathBuf>,
}

fn now_ms() -> Result<u64> {
    let since = SystemTime::now().duration_since(UNIX_EPOCH)?;
    Ok(u64::try_from(since.as_millis())?)
}

fn new_id() -> Result<String> {
    let mut random = [0_u8; 10];
    OsRng.fill_bytes(&mut random);
    Ok(uuid_v7(now_ms()?, random))
}

/// One simulated browser: a session and a device log full of queued ops.
struct Device {
    client: Client,
    cookie: String,
    log: DeviceLog,
}

fn event(n: u64) -> Event {
    let lesson = LESSONS[usize::try_from(n / 2).unwrap_or_default() % LESSONS.len()];
    let (course_id, lesson_id) = (COURSE.to_owned(), lesson.to_owned());
    if n.is_multiple_of(2) {
        Event::LessonOpened {
            course_id,
            lesson_id,
        }
    } else {
        Event::LessonCompleted {
            course_id,
            lesson_id,
        }
    }
}

/// The body of one push, as the client builds it: the ops as JSON values.
fn push_body(device_id: &str, batch: &[Op]) -> Result<Vec<u8>> {
    let request = PushRequest {
        device_id: device_id.to_owned(),
        ops: batch
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()?,
    };
    Ok(serde_json::to_vec(&request)?)
}

/// What one device's drain took.
struct Drain {
    batches: u64,
    applied: u64,
    elapsed: Duration,
    /// Round trip of each push.
    round_trips: Vec<Duration>,
    reply_bytes: usize,
}

/// Pushes the device's outbox until it is empty, one batch after another.
async fn drain(url: &str, device: &mut Device, barrier: &Barrier) -> Result<Drain> {
    let push_url = format!("{url}/api/sync/push");
    barrier.wait().await;
    let started = Instant::now();
    let mut batches = 0_u64;
    let mut applied = 0_u64;
    let mut round_trips = Vec::new();
    let mut reply_bytes = 0;
    loop {
        let batch = device.log.batch(MAX_BATCH);
        if batch.is_empty() {
            break;
        }
        let sent = Instant::now();
        let body = push_body(&device.log.device_id, &batch)?;
        let response = device
            .client
            .post(&push_url)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &device.cookie)
            .body(body)
            .send()
            .await
            .context("POST /api/sync/push")?;
        let status = response.status();
        let bytes = response.bytes().await.context("the push reply")?;
        round_trips.push(sent.elapsed());
        if status != StatusCode::OK {
            bail!(
                "push {} answered {status}: {}",
                batches + 1,
                String::from_utf8_lossy(&bytes)
            );
        }
        reply_bytes = bytes.len();
        let reply: PushResponse = serde_json::from_slice(&bytes).context("the push reply")?;
        if let Some(rejected) = reply.rejected {
            bail!(
                "the server refused op {}: {:?}",
                rejected.seq,
                rejected.reason
            );
        }
        let before = device.log.acked_seq;
        device.log.acknowledge(reply.acked_seq);
        ensure!(
            device.log.acked_seq > before,
            "push {} made no progress (acked_seq {})",
            batches + 1,
            reply.acked_seq
        );
        batches += 1;
        applied += u64::from(reply.applied);
    }
    Ok(Drain {
        batches,
        applied,
        elapsed: started.elapsed(),
        round_trips,
        reply_bytes,
    })
}

/// The user's events on the server, pulled page by page.
async fn pull_all(url: &str, device: &Device) -> Result<Vec<Op>> {
    let mut events = Vec::new();
    let mut cursor = 0;
    loop {
        let response = device
            .client
            .get(format!("{url}/api/sync/pull?cursor={cursor}"))
            .header(header::COOKIE, &device.cookie)
            .send()
            .await
            .context("GET /api/sync/pull")?;
        if response.status() != StatusCode::OK {
            bail!("GET /api/sync/pull answered {}", response.status());
        }
        let page: PullResponse = response.json().await.context("the pull reply")?;
        events.extend(page.events);
        cursor = page.cursor;
        if !page.has_more {
            return Ok(events);
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let url = args.url.trim_end_matches('/').to_owned();
    ensure!(args.ops > 0, "--ops must be at least 1");
    ensure!(args.devices > 0, "--devices must be at least 1");

    // Log in (one session per device, at most MAX_LOGINS, then shared) and
    // queue the ops: not timed.
    let mut devices = Vec::with_capacity(args.devices);
    let mut sessions: Vec<String> = Vec::new();
    let mut user_id = None;
    for i in 0..args.devices {
        let client = Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(60))
            .build()?;
        let cookie = if i < MAX_LOGINS {
            let (cookie, user) = login(&client, &url, &args.username, &args.password).await?;
            user_id = Some(user.id);
            sessions.push(cookie.clone());
            cookie
        } else {
            sessions[i % MAX_LOGINS].clone()
        };
        let user_id = user_id.context("no login")?;
        let mut log = DeviceLog::new(new_id()?);
        let start = i64::try_from(now_ms()?)?;
        for n in 0..args.ops {
            log.record(new_id()?, user_id, start + i64::try_from(n)?, event(n));
        }
        devices.push(Device {
            client,
            cookie,
            log,
        });
    }
    let user_id = user_id.context("no device")?;

    // Sizes, from the first device's queue.
    let first = &devices[0];
    let queued = first.log.batch(usize::MAX);
    let op_json: usize = queued
        .iter()
        .map(|op| serde_json::to_value(op).map(|v| v.to_string().len()))
        .sum::<Result<_, _>>()?;
    let op_json_mean = op_json as f64 / queued.len() as f64;
    // The client stores each op as JSON text (`serde_json::to_string(&op)`)
    // in `outbox` under `<device>/<seq, 12 digits>` and in `events` under
    // `<user>/<op_id>`.
    let stored_json: usize = queued
        .iter()
        .map(|op| serde_json::to_string(op).map(|s| s.len()))
        .sum::<Result<_, _>>()?;
    let stored_keys: usize = queued
        .iter()
        .map(|op| {
            format!("{}/{:012}", op.device_id, op.seq).len()
                + format!("{user_id}/{}", op.op_id).len()
        })
        .sum();
    let batch = first.log.batch(MAX_BATCH);
    let body = push_body(&first.log.device_id, &batch)?;
    if let Some(path) = &args.sample_batch {
        std::fs::write(path, &body).with_context(|| format!("writing {}", path.display()))?;
    }

    // The drain: every device starts at once.
    let barrier = std::sync::Arc::new(Barrier::new(args.devices + 1));
    let mut tasks = Vec::new();
    for mut device in devices {
        let (url, barrier) = (url.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let result = drain(&url, &mut device, &barrier).await;
            (device, result)
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut drains = Vec::new();
    let mut devices = Vec::new();
    for task in tasks {
        let (device, result) = task.await?;
        drains.push(result?);
        devices.push(device);
    }
    let elapsed = started.elapsed();

    // Exactly once: every op of every device is on the server, once.
    let events = pull_all(&url, &devices[0]).await?;
    for device in &devices {
        let mine: Vec<&Op> = events
            .iter()
            .filter(|e| e.device_id == device.log.device_id)
            .collect();
        let distinct: std::collections::BTreeSet<u64> = mine.iter().map(|e| e.seq).collect();
        ensure!(
            mine.len() as u64 == args.ops
                && distinct.len() as u64 == args.ops
                && distinct.last() == Some(&args.ops),
            "device {}: {} events stored, {} distinct seqs, expected 1..={}",
            device.log.device_id,
            mine.len(),
            distinct.len(),
            args.ops
        );
        ensure!(device.log.pending() == 0, "the outbox is not empty");
    }

    let total_ops = args.ops * args.devices as u64;
    let applied: u64 = drains.iter().map(|d| d.applied).sum();
    ensure!(
        applied == total_ops,
        "the server applied {applied} ops, expected {total_ops}"
    );
    let batches: u64 = drains.iter().map(|d| d.batches).sum();
    let mut round_trips: Vec<Duration> = drains
        .iter()
        .flat_map(|d| d.round_trips.iter().copied())
        .collect();
    round_trips.sort_unstable();
    let slowest = drains.iter().map(|d| d.elapsed).max().unwrap_or_default();
    let ops_per_s = total_ops as f64 / elapsed.as_secs_f64();

    println!("DEVICES={}", args.devices);
    println!("SESSIONS={}", sessions.len());
    println!("OPS_PER_DEVICE={}", args.ops);
    println!("OPS_TOTAL={total_ops}");
    println!("MAX_BATCH={MAX_BATCH}");
    println!("BATCHES={batches}");
    println!("BATCHES_PER_DEVICE={}", drains[0].batches);
    println!("DRAIN_MS={:.1}", ms(elapsed));
    println!("SLOWEST_DEVICE_MS={:.1}", ms(slowest));
    println!("OPS_PER_S={ops_per_s:.0}");
    println!("PUSH_MS_P50={:.2}", ms(percentile(&round_trips, 50.0)));
    println!("PUSH_MS_P95={:.2}", ms(percentile(&round_trips, 95.0)));
    println!(
        "PUSH_MS_MAX={:.2}",
        ms(round_trips.last().copied().unwrap_or_default())
    );
    println!("VERIFIED_EVENTS={}", events.len());
    println!("OP_JSON_BYTES={op_json_mean:.1}");
    println!("BATCH_OPS={}", batch.len());
    println!("BATCH_BODY_BYTES={}", body.len());
    println!("PUSH_REPLY_BYTES={}", drains[0].reply_bytes);
    println!(
        "IDB_JSON_BYTES_PER_OP={:.1}",
        2.0 * stored_json as f64 / queued.len() as f64
    );
    println!(
        "IDB_KEY_BYTES_PER_OP={:.1}",
        stored_keys as f64 / queued.len() as f64
    );
    eprintln!(
        "sync_load: {total_ops} ops from {} device(s) in {batches} pushes, {:.0} ms: {ops_per_s:.0} ops/s \
         (push round trip p50 {:.1} ms, p95 {:.1} ms); {} events on the server, each once",
        args.devices,
        ms(elapsed),
        ms(percentile(&round_trips, 50.0)),
        ms(percentile(&round_trips, 95.0)),
        events.len()
    );
    Ok(())
}
