//! Load test of a live session against a running server (`make bench` runs
//! it; see `scripts/bench.sh`):
//!
//! ```text
//! cargo run --profile server -p lophoc-server --example live_load -- \
//!     --url http://127.0.0.1:PORT --players 2000 --pid SERVER_PID
//! ```
//!
//! The lecturer (`giangvien`) logs in, opens a session of three questions of
//! the demo course that admits guests, and connects as the presenter. Then
//! `--players` guests connect over loopback, each with an address of its own
//! in `X-Forwarded-For` (the server limits joins per address), and join (at most
//! `--join-concurrency` handshakes in flight), each on its own WebSocket. For
//! each question the presenter sends `next`; every player notes when the
//! question reaches it (fan-out latency, measured from the moment just before
//! the presenter sent the command: one process, one clock), answers after a
//! random pause within `--answer-spread-ms` (as a class does), and notes
//! when its acknowledgement comes back (answer-ack latency). When every
//! answer is acknowledged the presenter closes and reveals, and every player
//! waits for its own result. The server's CPU time and memory are read from
//! `/proc/<pid>/stat` and `/proc/<pid>/status` before and after.
//!
//! With `--relay-url`, a second instance on the same database (issue 17):
//! every other player connects through it, and it relays their sockets to
//! the instance holding the session (`--url`, where the session is opened
//! and the presenter connects); `--relay-pid` reads its CPU time and memory.
//!
//! It prints `KEY=VALUE` lines (times in ms, memory in kB) for the benchmark
//! report, and a human summary on stderr. It fails if any player misses a
//! question, an acknowledgement or its result.

mod common;

use common::{login, ms, percentile};
use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::{bail, ensure, Context, Result};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use lophoc_core::{
    live::{Ack, ClientMsg, Command, LiveSummary, PhaseName, ServerMsg},
    question::Answer,
};
use rand_core::{OsRng, RngCore};
use reqwest::{header, Client, StatusCode};
use tokio::{
    net::TcpStream,
    sync::{mpsc, Semaphore},
};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{client::IntoClientRequest, http::HeaderValue, Message},
    MaybeTlsStream, WebSocketStream,
};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Three questions of the demo course, with an answer each.
const QUESTIONS: [(&str, &str); 3] = [
    ("tinh-huong-phong-bi", "q1"),
    ("tinh-huong-phong-bi", "q3"),
    ("tinh-huong-phong-bi", "q2"),
];

#[derive(Parser)]
#[command(about = "Runs a live session with N guest players against a running Lophoc server")]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080 (plain HTTP).
    #[arg(long)]
    url: String,
    #[arg(long, default_value_t = 200)]
    players: usize,
    /// The server's PID, for its CPU time and memory.
    #[arg(long)]
    pid: Option<u32>,
    /// Players answer after a random pause below this.
    #[arg(long, default_value_t = 3000)]
    answer_spread_ms: u64,
    /// Joins in flight at once.
    #[arg(long, default_value_t = 100)]
    join_concurrency: usize,
    /// Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`).
    #[arg(long, default_value_t = 100)]
    clk_tck: u64,
    /// A second instance of the same database that every other player
    /// connects through.
    #[arg(long)]
    relay_url: Option<String>,
    /// The second instance's PID, for its CPU time and memory.
    #[arg(long)]
    relay_pid: Option<u32>,
    #[arg(long, default_value = "giangvien")]
    username: String,
    #[arg(long, default_value = "giangvien123")]
    password: String,
}

/// What a player tells the coordinator.
enum Report {
    Joined(Duration),
    Fanout(usize, Duration),
    Acked(Duration, Ack),
    Result(usize),
    Failed(String),
}

/// The server's CPU time (ticks) and memory (kB).
struct Sample {
    ticks: u64,
    rss_kb: u64,
    hwm_kb: u64,
    at: Instant,
}

fn sample(pid: u32) -> Result<Sample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').context("odd /proc stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line (1-based),
    // i.e. 11 and 12 after the state field here (0-based from "state").
    let ticks = fields.get(11).context("no utime")?.parse::<u64>()?
        + fields.get(12).context("no stime")?.parse::<u64>()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb = |key: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok(Sample {
        ticks,
        rss_kb: kb("VmRSS:"),
        hwm_kb: kb("VmHWM:"),
        at: Instant::now(),
    })
}

/// Opens the session's socket as player `n` (`None`: the presenter). Each
/// player says it comes from an address of its own, as phones do: the
/// server counts joins per address and, its peer being this machine,
/// takes the address from `X-Forwarded-For` as from a local proxy.
async fn connect(url: &str, code: &str, cookie: Option<&str>, n: Option<usize>) -> Result<Ws> {
    let ws_url = format!("{}/api/live/{code}/ws", url.replacen("http", "ws", 1));
    let mut request = ws_url.into_client_request()?;
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", HeaderValue::from_str(cookie)?);
    }
    if let Some(n) = n {
        let address = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
        request
            .headers_mut()
            .insert("x-forwarded-for", HeaderValue::from_str(&address)?);
    }
    Ok(connect_async(request).await?.0)
}

async fn send(ws: &mut Ws, msg: &ClientMsg) -> Result<()> {
    ws.send(Message::text(serde_json::to_string(msg)?)).await?;
    Ok(())
}

/// The next server message, within 120 s.
async fn next(ws: &mut Ws) -> Result<ServerMsg> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(120), ws.next())
            .await
            .context("no message for 120 s")?
            .context("the socket closed")??;
        if let Message::Text(text) = msg {
            return Ok(serde_json::from_str(&text)?);
        }
    }
}

fn answer(k: usize, n: usize) -> Answer {
    match k {
        0 => Answer::SingleChoice {
            option: ["a", "b", "c", "d"][n % 4].into(),
        },
        1 => Answer::TrueFalse {
            value: n.is_multiple_of(3),
        },
        _ => Answer::MultipleChoice {
            options: vec!["a".into(), ["b", "c", "d"][n % 3].into()],
        },
    }
}

/// One player: join, then for each question wait for it, answer, wait for
/// the ack and for the result.
#[expect(
    clippy::too_many_arguments,
    reason = "an example's task; a struct would only rename them"
)]
async fn player(
    n: usize,
    url: String,
    code: String,
    spread: u64,
    sent_at: Arc<Vec<AtomicU64>>,
    base: Instant,
    joins: Arc<Semaphore>,
    reports: mpsc::UnboundedSender<Report>,
) -> Result<()> {
    let mut ws = {
        let _permit = joins.acquire().await?;
        let started = Instant::now();
        let mut ws = connect(&url, &code, None, Some(n)).await?;
        send(
            &mut ws,
            &ClientMsg::Join {
                token: None,
                name: Some(format!("Học viên {n}")),
            },
        )
        .await?;
        match next(&mut ws).await? {
            ServerMsg::Welcome { .. } => {}
            other => bail!("player {n}: expected a welcome, got {other:?}"),
        }
        let _ = reports.send(Report::Joined(started.elapsed()));
        ws
    };
    for k in 0..QUESTIONS.len() {
        // The question arrives.
        loop {
            if let ServerMsg::State { view } = next(&mut ws).await? {
                if view.phase == PhaseName::Open
                    && view.question.as_ref().map(|q| q.index as usize) == Some(k)
                {
                    break;
                }
            }
        }
        let sent = Duration::from_nanos(sent_at[k].load(Ordering::Acquire));
        let _ = reports.send(Report::Fanout(k, base.elapsed().saturating_sub(sent)));
        tokio::time::sleep(Duration::from_millis(OsRng.next_u64() % spread.max(1))).await;
        let started = Instant::now();
        let id = format!("p{n}-q{k}");
        send(
            &mut ws,
            &ClientMsg::Answer {
                q: u32::try_from(k)?,
                id: id.clone(),
                answer: answer(k, n),
            },
        )
        .await?;
        loop {
            if let ServerMsg::Ack { id: acked, ack, .. } = next(&mut ws).await? {
                if acked == id {
                    let _ = reports.send(Report::Acked(started.elapsed(), ack));
                    break;
                }
            }
        }
        loop {
            if let ServerMsg::Mine { mine } = next(&mut ws).await? {
                if mine.q.map(|q| q as usize) == Some(k) {
                    let _ = reports.send(Report::Result(k));
                    break;
                }
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let url = args.url.trim_end_matches('/').to_owned();
    ensure!(args.players > 0, "--players must be at least 1");
    let n = args.players;

    let client = Client::builder().timeout(Duration::from_secs(60)).build()?;
    let (cookie, _) = login(&client, &url, &args.username, &args.password).await?;
    let questions: Vec<(String, String)> = QUESTIONS
        .iter()
        .map(|(s, q)| ((*s).to_string(), (*q).to_string()))
        .collect();
    let response = client
        .post(format!("{url}/api/live"))
        .header(header::COOKIE, &cookie)
        .json(&lophoc_core::live::CreateLive {
            course_id: "can-bo-co-so".into(),
            questions,
            seconds: 120,
            allow_guests: true,
            leaderboard: true,
        })
        .send()
        .await
        .context("POST /api/live")?;
    if response.status() != StatusCode::OK {
        bail!("POST /api/live answered {}", response.status());
    }
    let session: LiveSummary = response.json().await?;
    let code = session.code;

    let mut presenter = connect(&url, &code, Some(&cookie), None).await?;
    send(&mut presenter, &ClientMsg::Present).await?;
    match next(&mut presenter).await? {
        ServerMsg::Welcome { .. } => {}
        other => bail!("the presenter was refused: {other:?}"),
    }
    // The presenter's own frames (5/s at most) are read and dropped by a
    // task, as a projector would; commands go through the sink.
    let (mut commands, mut frames) = presenter.split();
    tokio::spawn(async move { while frames.next().await.is_some() {} });

    let before = args.pid.map(sample).transpose()?;
    let relay_before = args.relay_pid.map(sample).transpose()?;
    let relay_url = args
        .relay_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_owned());
    let base = Instant::now();
    let sent_at: Arc<Vec<AtomicU64>> =
        Arc::new((0..QUESTIONS.len()).map(|_| AtomicU64::new(0)).collect());
    let joins = Arc::new(Semaphore::new(args.join_concurrency.max(1)));
    let (reports, mut inbox) = mpsc::unbounded_channel();
    let join_started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let reports = reports.clone();
        let fail = reports.clone();
        let through = match &relay_url {
            Some(relay) if i % 2 == 1 => relay.clone(),
            _ => url.clone(),
        };
        let task = player(
            i,
            through,
            code.clone(),
            args.answer_spread_ms,
            sent_at.clone(),
            base,
            joins.clone(),
            reports,
        );
        tasks.push(tokio::spawn(async move {
            if let Err(e) = task.await {
                let _ = fail.send(Report::Failed(format!("player {i}: {e:#}")));
            }
        }));
    }
    drop(reports);

    let mut joined = Vec::with_capacity(n);
    let mut fanout: Vec<Vec<Duration>> = vec![Vec::new(); QUESTIONS.len()];
    let mut acks: Vec<Duration> = Vec::with_capacity(n * QUESTIONS.len());
    let mut refused = 0_usize;
    let mut results = vec![0_usize; QUESTIONS.len()];
    // Everyone joins.
    while joined.len() < n {
        match inbox.recv().await.context("players stopped")? {
            Report::Joined(d) => joined.push(d),
            Report::Failed(e) => bail!("{e}"),
            _ => {}
        }
    }
    let join_all = join_started.elapsed();

    for k in 0..QUESTIONS.len() {
        let command = if k == 0 {
            Command::Start
        } else {
            Command::Next
        };
        sent_at[k].store(u64::try_from(base.elapsed().as_nanos())?, Ordering::Release);
        commands
            .send(Message::text(serde_json::to_string(&ClientMsg::Cmd {
                cmd: command,
            })?))
            .await?;
        let mut acked = 0;
        while acked < n {
            match inbox.recv().await.context("players stopped")? {
                Report::Fanout(q, d) => fanout[q].push(d),
                Report::Acked(d, ack) => {
                    acked += 1;
                    acks.push(d);
                    if ack != Ack::Received {
                        refused += 1;
                    }
                }
                Report::Failed(e) => bail!("{e}"),
                _ => {}
            }
        }
        for cmd in [Command::Close, Command::Reveal] {
            commands
                .send(Message::text(serde_json::to_string(&ClientMsg::Cmd {
                    cmd,
                })?))
                .await?;
        }
        while results[k] < n {
            match inbox.recv().await.context("players stopped")? {
                Report::Result(q) => results[q] += 1,
                Report::Failed(e) => bail!("{e}"),
                _ => {}
            }
        }
    }
    let after = args.pid.map(sample).transpose()?;
    let relay_after = args.relay_pid.map(sample).transpose()?;
    for task in tasks {
        task.await?;
    }
    ensure!(refused == 0, "{refused} answers were refused");

    joined.sort_unstable();
    acks.sort_unstable();
    let mut all_fanout: Vec<Duration> = fanout.iter().flatten().copied().collect();
    all_fanout.sort_unstable();
    let fanout_last: Vec<f64> = fanout
        .iter()
        .map(|f| f.iter().max().copied().map_or(0.0, ms))
        .collect();
    println!("PLAYERS={n}");
    println!("SPREAD_MS={}", args.answer_spread_ms);
    println!("QUESTIONS={}", QUESTIONS.len());
    println!("JOIN_ALL_MS={:.1}", ms(join_all));
    println!("JOIN_P50_MS={:.1}", ms(percentile(&joined, 50.0)));
    println!("JOIN_P99_MS={:.1}", ms(percentile(&joined, 99.0)));
    println!("ACKS={}", acks.len());
    println!("ACK_P50_MS={:.2}", ms(percentile(&acks, 50.0)));
    println!("ACK_P95_MS={:.2}", ms(percentile(&acks, 95.0)));
    println!("ACK_P99_MS={:.2}", ms(percentile(&acks, 99.0)));
    println!(
        "ACK_MAX_MS={:.2}",
        ms(acks.last().copied().unwrap_or_default())
    );
    println!("FANOUT_P50_MS={:.2}", ms(percentile(&all_fanout, 50.0)));
    println!("FANOUT_P99_MS={:.2}", ms(percentile(&all_fanout, 99.0)));
    println!(
        "FANOUT_LAST_MS={}",
        fanout_last
            .iter()
            .map(|f| format!("{f:.1}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    if let (Some(before), Some(after)) = (&before, &after) {
        let cpu_s = (after.ticks - before.ticks) as f64 / args.clk_tck as f64;
        let wall = after.at.duration_since(before.at).as_secs_f64();
        println!("SERVER_CPU_S={cpu_s:.2}");
        println!("SERVER_WALL_S={wall:.2}");
        println!("SERVER_CPU_PERCENT={:.0}", cpu_s / wall * 100.0);
        println!("SERVER_RSS_BEFORE_KB={}", before.rss_kb);
        println!("SERVER_RSS_AFTER_KB={}", after.rss_kb);
        println!("SERVER_RSS_PEAK_KB={}", after.hwm_kb);
    }
    if relay_url.is_some() {
        println!("RELAYED_PLAYERS={}", n / 2);
    }
    if let (Some(before), Some(after)) = (&relay_before, &relay_after) {
        let cpu_s = (after.ticks - before.ticks) as f64 / args.clk_tck as f64;
        let wall = after.at.duration_since(before.at).as_secs_f64();
        println!("RELAY_CPU_S={cpu_s:.2}");
        println!("RELAY_CPU_PERCENT={:.0}", cpu_s / wall * 100.0);
        println!("RELAY_RSS_AFTER_KB={}", after.rss_kb);
        println!("RELAY_RSS_PEAK_KB={}", after.hwm_kb);
    }
    eprintln!(
        "live_load: {n} players joined in {:.0} ms (p99 {:.0} ms); {} answers acked p50 {:.1} / p95 {:.1} / p99 {:.1} ms; question fan-out p99 {:.1} ms",
        ms(join_all),
        ms(percentile(&joined, 99.0)),
        acks.len(),
        ms(percentile(&acks, 50.0)),
        ms(percentile(&acks, 95.0)),
        ms(percentile(&acks, 99.0)),
        ms(percentile(&all_fanout, 99.0)),
    );
    Ok(())
}
