//! Live sessions with real WebSocket clients (tokio-tungstenite) against the
//! real router, served on a free loopback port: the lecturer drives, trainees
//! and guests answer, a phone drops and rejoins mid-question, and whatever
//! is refused is refused with a clear code.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failing step should fail the test loudly"
)]

use std::time::Duration;

use crate::common::{body_json, test_app, TestApp};
use axum::http::StatusCode;
use futures_util::{SinkExt, StreamExt};
use lophoc_core::{
    events::Event,
    live::{Ack, ClientMsg, Command, Distribution, LiveError, PhaseName, ServerMsg, View},
    question::{Answer, Correctness},
};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    connect_async,
    tungstenite::{client::IntoClientRequest, http::HeaderValue, Message},
    MaybeTlsStream, WebSocketStream,
};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The app, served on a free port.
struct Live {
    app: TestApp,
    addr: std::net::SocketAddr,
}

async fn live() -> Live {
    let app = test_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    // With each connection's peer address, as `main.rs` serves it.
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
    Live { app, addr }
}

/// The phong-bì practice set's single choice (correct: c) and true/false
/// (correct: false), then the discussion set's first opinion prompt.
const QUESTIONS: &str =
    r#"[["tinh-huong-phong-bi","q1"],["tinh-huong-phong-bi","q3"],["thao-luan-hop-thon","q1"]]"#;

impl Live {
    async fn create(&self, cookie: &str, guests: bool) -> String {
        let body = format!(
            r#"{{"course_id":"can-bo-co-so","questions":{QUESTIONS},"seconds":30,"allow_guests":{guests},"leaderboard":true}}"#
        );
        let response = self.app.post_json("/api/live", &body, Some(cookie)).await;
        assert_eq!(response.status(), StatusCode::OK);
        body_json(response).await["code"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn socket(&self, code: &str, cookie: Option<&str>) -> Ws {
        socket_at(self.addr, code, cookie).await
    }
}

/// A socket to the session `code` through the server at `addr`.
async fn socket_at(addr: std::net::SocketAddr, code: &str, cookie: Option<&str>) -> Ws {
    let mut request = format!("ws://{addr}/api/live/{code}/ws")
        .into_client_request()
        .unwrap();
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", HeaderValue::from_str(cookie).unwrap());
    }
    connect_async(request).await.unwrap().0
}

async fn send(ws: &mut Ws, msg: &ClientMsg) {
    ws.send(Message::text(serde_json::to_string(msg).unwrap()))
        .await
        .unwrap();
}

/// The next server message (pings skipped), within 5 s.
async fn next(ws: &mut Ws) -> ServerMsg {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message within 5 s")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = msg {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

/// Reads until a state in `phase` arrives.
async fn state(ws: &mut Ws, phase: PhaseName) -> View {
    loop {
        if let ServerMsg::State { view } = next(ws).await {
            if view.phase == phase {
                return *view;
            }
        }
    }
}

async fn ack(ws: &mut Ws) -> Ack {
    loop {
        if let ServerMsg::Ack { ack, .. } = next(ws).await {
            return ack;
        }
    }
}

async fn error(ws: &mut Ws) -> LiveError {
    loop {
        if let ServerMsg::Error { code } = next(ws).await {
            return code;
        }
    }
}

/// Joins; returns the token.
async fn join(ws: &mut Ws, name: Option<&str>, token: Option<String>) -> (String, ServerMsg) {
    send(
        ws,
        &ClientMsg::Join {
            token,
            name: name.map(str::to_string),
        },
    )
    .await;
    let welcome = next(ws).await;
    let ServerMsg::Welcome {
        token: Some(token), ..
    } = &welcome
    else {
        panic!("expected a welcome, got {welcome:?}");
    };
    (token.clone(), welcome)
}

fn cmd(cmd: Command) -> ClientMsg {
    ClientMsg::Cmd { cmd }
}

fn answer(q: u32, id: &str, answer: Answer) -> ClientMsg {
    ClientMsg::Answer {
        q,
        id: id.into(),
        answer,
    }
}

fn pick(option: &str) -> Answer {
    Answer::SingleChoice {
        option: option.into(),
    }
}

#[tokio::test]
async fn a_lecturer_runs_a_session_and_results_become_events() {
    let live = live().await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let trainee = live.app.login("hocvien", "hocvien123").await;
    let code = live.create(&lecturer, true).await;

    let info = body_json(live.app.get(&format!("/api/live/{code}"), None).await).await;
    assert_eq!(info["allow_guests"], true);
    assert_eq!(info["phase"], "lobby");

    let mut presenter = live.socket(&code, Some(&lecturer)).await;
    send(&mut presenter, &ClientMsg::Present).await;
    assert!(matches!(
        next(&mut presenter).await,
        ServerMsg::Welcome { .. }
    ));
    state(&mut presenter, PhaseName::Lobby).await;

    let mut an = live.socket(&code, Some(&trainee)).await;
    let (_, welcome) = join(&mut an, None, None).await;
    assert!(
        matches!(welcome, ServerMsg::Welcome { name: Some(ref n), .. } if n == "Nguyễn Văn An")
    );
    let lobby = state(&mut an, PhaseName::Lobby).await;
    assert!(lobby.names.is_empty(), "phones never get the list of names");

    let mut guest = live.socket(&code, None).await;
    send(
        &mut guest,
        &ClientMsg::Join {
            token: None,
            name: Some("   ".into()),
        },
    )
    .await;
    assert_eq!(error(&mut guest).await, LiveError::BadName);
    join(&mut guest, Some("Khách  Một"), None).await;

    // The presenter's lobby lists who joined (coalesced, within a moment).
    let lobby = loop {
        let view = state(&mut presenter, PhaseName::Lobby).await;
        if view.joined == 2 {
            break view;
        }
    };
    assert_eq!(lobby.names, vec!["Nguyễn Văn An", "Khách Một"]);

    // A trainee cannot drive the session; garbage changes nothing.
    send(&mut an, &cmd(Command::Start)).await;
    assert_eq!(error(&mut an).await, LiveError::Forbidden);
    an.send(Message::text("{not json")).await.unwrap();
    assert_eq!(error(&mut an).await, LiveError::BadMessage);
    // A trainee's cookie does not make a presenter either.
    let mut sneaky = live.socket(&code, Some(&trainee)).await;
    send(&mut sneaky, &ClientMsg::Present).await;
    assert_eq!(error(&mut sneaky).await, LiveError::Forbidden);

    send(&mut presenter, &cmd(Command::Start)).await;
    let open = state(&mut an, PhaseName::Open).await;
    let shown = serde_json::to_string(&open).unwrap();
    assert!(
        !shown.contains("\"correct\""),
        "no answer key before reveal: {shown}"
    );
    assert!(open.remaining_ms.unwrap() > 25_000);
    state(&mut guest, PhaseName::Open).await;

    send(&mut an, &answer(0, "an-1", pick("c"))).await;
    assert_eq!(ack(&mut an).await, Ack::Received);
    send(&mut an, &answer(0, "an-1", pick("c"))).await;
    assert_eq!(
        ack(&mut an).await,
        Ack::AlreadyReceived,
        "a resend counts once"
    );
    send(&mut an, &answer(0, "an-2", pick("a"))).await;
    assert_eq!(ack(&mut an).await, Ack::AlreadyAnswered);
    send(
        &mut guest,
        &answer(0, "g-1", Answer::TrueFalse { value: true }),
    )
    .await;
    assert_eq!(ack(&mut guest).await, Ack::Invalid, "wrong kind");
    send(&mut guest, &answer(0, "g-1", pick("a"))).await;
    assert_eq!(ack(&mut guest).await, Ack::Received);

    send(&mut presenter, &cmd(Command::Close)).await;
    let closed = state(&mut presenter, PhaseName::Closed).await;
    let Some(Distribution::Options { counts }) = closed.distribution else {
        panic!("bars after closing: {closed:?}");
    };
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<u32>(), 2);
    assert_eq!(counts.iter().find(|(id, _)| id == "c").unwrap().1, 1);
    // The presenter cannot reveal twice or close a closed question.
    send(&mut presenter, &cmd(Command::Close)).await;
    assert_eq!(error(&mut presenter).await, LiveError::WrongPhase);

    send(&mut presenter, &cmd(Command::Reveal)).await;
    let revealed = state(&mut an, PhaseName::Revealed).await;
    assert!(revealed.reveal.is_some());
    let ServerMsg::Mine { mine } = next(&mut an).await else {
        panic!("own result after the reveal");
    };
    assert_eq!(mine.correctness, Some(Correctness::Correct));
    assert_eq!(mine.rank, Some(1));
    state(&mut guest, PhaseName::Revealed).await;
    let ServerMsg::Mine { mine } = next(&mut guest).await else {
        panic!("own result after the reveal");
    };
    assert_eq!(mine.correctness, Some(Correctness::Incorrect));

    // Question 2: more time, then closed early; what arrives after is late.
    send(&mut presenter, &cmd(Command::Next)).await;
    state(&mut an, PhaseName::Open).await;
    send(&mut presenter, &cmd(Command::Extend { secs: 10 })).await;
    let extended = state(&mut an, PhaseName::Open).await;
    assert!(extended.remaining_ms.unwrap() > 30_000);
    send(&mut presenter, &cmd(Command::Close)).await;
    state(&mut an, PhaseName::Closed).await;
    send(
        &mut an,
        &answer(1, "an-3", Answer::TrueFalse { value: false }),
    )
    .await;
    assert_eq!(ack(&mut an).await, Ack::TooLate);

    // The opinion prompt fills the wall live, without names.
    send(&mut presenter, &cmd(Command::Next)).await;
    state(&mut an, PhaseName::Open).await;
    let text = "Gặp riêng từng hộ trước khi họp.";
    send(
        &mut an,
        &answer(2, "an-4", Answer::Opinion { text: text.into() }),
    )
    .await;
    assert_eq!(ack(&mut an).await, Ack::Received);
    let wall = loop {
        let view = state(&mut presenter, PhaseName::Open).await;
        if let Some(Distribution::Wall { entries }) = view.distribution {
            if !entries.is_empty() {
                break entries;
            }
        }
    };
    assert_eq!(wall[0].text, text);
    assert!(!serde_json::to_string(&wall).unwrap().contains("Nguyễn"));
    send(&mut presenter, &cmd(Command::Hide { q: 2, entry: 0 })).await;
    loop {
        let view = state(&mut presenter, PhaseName::Open).await;
        if let Some(Distribution::Wall { entries }) = view.distribution {
            if entries[0].hidden {
                break;
            }
        }
    }
    send(&mut presenter, &cmd(Command::End)).await;
    let ended = state(&mut presenter, PhaseName::Ended).await;
    assert_eq!(ended.summary.len(), 3);
    assert_eq!(
        (ended.summary[0].answered, ended.summary[0].correct),
        (2, 1)
    );
    state(&mut an, PhaseName::Ended).await;

    // The signed-in trainee's attendance and counted answers are events
    // of their own, pulled like any other.
    let user = live
        .app
        .store
        .accounts
        .credentials("hocvien")
        .await
        .unwrap()
        .unwrap()
        .user;
    let events = loop {
        let events = live.app.store.sync.user_events(user.id).await.unwrap();
        if events.len() >= 3 {
            break events;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        matches!(&events[0].event, Event::LiveAttended { course_id, .. } if course_id == "can-bo-co-so")
    );
    let answered: Vec<(&str, u32)> = events
        .iter()
        .filter_map(|op| match &op.event {
            Event::LiveAnswered {
                question_id,
                earned,
                ..
            } => Some((question_id.as_str(), *earned)),
            _ => None,
        })
        .collect();
    assert_eq!(
        answered,
        vec![("q1", 100), ("q1", 0)],
        "the late answer is not recorded"
    );
    assert!(events
        .iter()
        .all(|op| op.device_id == format!("live:{}", user.id)));
    let pulled = body_json(
        live.app
            .get("/api/sync/pull?cursor=0", Some(&trainee))
            .await,
    )
    .await;
    assert_eq!(pulled["events"].as_array().unwrap().len(), 3);
    let progress = body_json(live.app.get("/api/progress", Some(&trainee)).await).await;
    assert_eq!(progress["live_sessions"].as_array().unwrap().len(), 1);
    assert_eq!(progress["live_sessions"][0][0], "can-bo-co-so");
}

#[tokio::test]
async fn a_phone_that_drops_mid_question_rejoins_as_itself() {
    let live = live().await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let code = live.create(&lecturer, true).await;
    let mut presenter = live.socket(&code, Some(&lecturer)).await;
    send(&mut presenter, &ClientMsg::Present).await;

    let mut phone = live.socket(&code, None).await;
    let (token, _) = join(&mut phone, Some("Lò Văn Sình"), None).await;
    let mut other = live.socket(&code, None).await;
    let (other_token, _) = join(&mut other, Some("Hà Thị Mai"), None).await;
    send(&mut presenter, &cmd(Command::Start)).await;
    state(&mut phone, PhaseName::Open).await;
    send(&mut phone, &answer(0, "sinh-1", pick("c"))).await;
    assert_eq!(ack(&mut phone).await, Ack::Received);

    // The network drops (no close handshake): the socket is just gone.
    drop(phone);
    drop(other);
    let mut phone = live.socket(&code, None).await;
    let (again, welcome) = join(&mut phone, None, Some(token.clone())).await;
    assert_eq!(again, token, "the same participant");
    let ServerMsg::Welcome { name, answered, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(name.as_deref(), Some("Lò Văn Sình"));
    let answered = answered.expect("the answer given before the drop");
    assert_eq!((answered.q, answered.id.as_str()), (0, "sinh-1"));
    let view = state(&mut phone, PhaseName::Open).await;
    assert_eq!(view.joined, 2, "rejoining adds nobody");
    // Its queued copy of the answer, resent on reconnect, counts once.
    send(&mut phone, &answer(0, "sinh-1", pick("c"))).await;
    assert_eq!(ack(&mut phone).await, Ack::AlreadyReceived);

    // The other phone queued its answer while offline and resends it on
    // reconnect while the question is still open: it counts.
    let mut other = live.socket(&code, None).await;
    join(&mut other, None, Some(other_token.clone())).await;
    send(&mut other, &answer(0, "mai-1", pick("a"))).await;
    assert_eq!(ack(&mut other).await, Ack::Received);

    send(&mut presenter, &cmd(Command::Reveal)).await;
    state(&mut phone, PhaseName::Revealed).await;
    let ServerMsg::Mine { mine } = next(&mut phone).await else {
        panic!("own result");
    };
    assert_eq!(mine.correctness, Some(Correctness::Correct));
    assert!(
        mine.total_points > 500,
        "the points earned before the drop are kept"
    );
    assert_eq!(mine.rank, Some(1));

    // Reconnecting after the reveal brings the result back at once.
    drop(phone);
    let mut phone = live.socket(&code, None).await;
    join(&mut phone, None, Some(token)).await;
    state(&mut phone, PhaseName::Revealed).await;
    assert!(
        matches!(next(&mut phone).await, ServerMsg::Mine { mine } if mine.correctness == Some(Correctness::Correct))
    );

    // An answer queued offline for a question that closed meanwhile is late.
    send(&mut presenter, &cmd(Command::Next)).await;
    state(&mut other, PhaseName::Open).await;
    send(&mut presenter, &cmd(Command::Close)).await;
    state(&mut other, PhaseName::Closed).await;
    send(
        &mut other,
        &answer(1, "mai-2", Answer::TrueFalse { value: false }),
    )
    .await;
    assert_eq!(ack(&mut other).await, Ack::TooLate);
}

#[tokio::test]
async fn refusals_are_clear() {
    let live = live().await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let trainee = live.app.login("hocvien", "hocvien123").await;
    let body = format!(
        r#"{{"course_id":"can-bo-co-so","questions":{QUESTIONS},"seconds":30,"allow_guests":false,"leaderboard":false}}"#
    );
    let response = live.app.post_json("/api/live", &body, Some(&trainee)).await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "trainees cannot open sessions"
    );
    let bad = body.replace("\"q1\"]]", "\"nope\"]]");
    let response = live.app.post_json("/api/live", &bad, Some(&lecturer)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let bad = body.replace("\"seconds\":30", "\"seconds\":1");
    let response = live.app.post_json("/api/live", &bad, Some(&lecturer)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let code = live.create(&lecturer, false).await;
    assert_eq!(
        live.app.get("/api/live/000000x", None).await.status(),
        StatusCode::NOT_FOUND
    );
    let mine = body_json(live.app.get("/api/live", Some(&lecturer)).await).await;
    assert_eq!(mine[0]["code"], code.as_str());

    let mut guest = live.socket(&code, None).await;
    send(
        &mut guest,
        &ClientMsg::Join {
            token: None,
            name: Some("Khách".into()),
        },
    )
    .await;
    assert_eq!(error(&mut guest).await, LiveError::LoginRequired);
    send(&mut guest, &answer(0, "x", pick("a"))).await;
    assert_eq!(error(&mut guest).await, LiveError::NotJoined);

    let unknown = if code == "999999" { "999998" } else { "999999" };
    let mut nobody = live.socket(unknown, None).await;
    assert_eq!(error(&mut nobody).await, LiveError::NoSession);

    // A signed-in trainee's token does not let a guest take their place.
    let mut an = live.socket(&code, Some(&trainee)).await;
    let (token, _) = join(&mut an, None, None).await;
    let mut thief = live.socket(&code, None).await;
    send(
        &mut thief,
        &ClientMsg::Join {
            token: Some(token),
            name: Some("X".into()),
        },
    )
    .await;
    assert_eq!(error(&mut thief).await, LiveError::LoginRequired);
}

/// Another centre with its admin and a second lecturer at the demo centre;
/// returns their session cookies (other centre's admin, colleague).
async fn other_staff(app: &TestApp) -> (String, String) {
    use crate::common::classes::session_for;
    use lophoc_core::accounts::Role;
    let hash = lophoc_server::auth::hash_password("matkhau-khac").unwrap();
    let centre = app
        .store
        .accounts
        .create_centre("Trung tâm khác")
        .await
        .unwrap();
    let admin = app
        .store
        .accounts
        .create_user("quantrib", "Vũ Thị Hạnh", Role::CentreAdmin, &hash)
        .await
        .unwrap();
    app.store
        .accounts
        .set_user_centre(admin, centre)
        .await
        .unwrap();
    let colleague = app
        .store
        .accounts
        .create_user("giangvien3", "Ngô Văn Phúc", Role::Lecturer, &hash)
        .await
        .unwrap();
    app.store
        .accounts
        .set_user_centre(colleague, 1)
        .await
        .unwrap();
    (
        session_for(&app.store, admin).await,
        session_for(&app.store, colleague).await,
    )
}

/// Says `present` on a new socket; returns the first reply.
async fn present(live: &Live, code: &str, cookie: &str) -> ServerMsg {
    let mut ws = live.socket(code, Some(cookie)).await;
    send(&mut ws, &ClientMsg::Present).await;
    next(&mut ws).await
}

#[tokio::test]
async fn only_the_owner_and_the_admins_of_its_centre_drive_a_session() {
    let live = live().await;
    let (other_admin, colleague) = other_staff(&live.app).await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let admin = live.app.login("quantri", "quantri123").await;
    let code = live.create(&lecturer, false).await;
    assert!(matches!(
        present(&live, &code, &lecturer).await,
        ServerMsg::Welcome { .. }
    ));
    assert!(
        matches!(
            present(&live, &code, &admin).await,
            ServerMsg::Welcome { .. }
        ),
        "the admin of the lecturer's centre"
    );
    for (who, cookie) in [
        ("another centre's admin", &other_admin),
        ("a colleague", &colleague),
    ] {
        assert_eq!(
            present(&live, &code, cookie).await,
            ServerMsg::Error {
                code: LiveError::Forbidden
            },
            "{who}"
        );
    }
    // A session the centre admin opened: the lecturers of the centre do not
    // drive it, the other centre's admin neither.
    let code = live.create(&admin, false).await;
    assert!(matches!(
        present(&live, &code, &admin).await,
        ServerMsg::Welcome { .. }
    ));
    for cookie in [&lecturer, &other_admin] {
        assert_eq!(
            present(&live, &code, cookie).await,
            ServerMsg::Error {
                code: LiveError::Forbidden
            }
        );
    }
}

#[tokio::test]
async fn joining_again_without_the_token_resumes_the_same_participant() {
    let live = live().await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let trainee = live.app.login("hocvien", "hocvien123").await;
    let code = live.create(&lecturer, false).await;
    let mut presenter = live.socket(&code, Some(&lecturer)).await;
    send(&mut presenter, &ClientMsg::Present).await;

    let mut first = live.socket(&code, Some(&trainee)).await;
    let (token, _) = join(&mut first, None, None).await;
    // A script (or a second tab) joins again and again without the token.
    for _ in 0..5 {
        let mut again = live.socket(&code, Some(&trainee)).await;
        let (same, welcome) = join(&mut again, None, None).await;
        assert_eq!(same, token, "the same participant, with its token");
        assert!(
            matches!(welcome, ServerMsg::Welcome { name: Some(ref n), .. } if n == "Nguyễn Văn An")
        );
    }
    let lobby = loop {
        let view = state(&mut presenter, PhaseName::Lobby).await;
        if view.joined > 0 {
            break view;
        }
    };
    assert_eq!(lobby.joined, 1);
    assert_eq!(lobby.names, vec!["Nguyễn Văn An"]);
    // Attendance is recorded once.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let events = live.app.store.sync.user_events(1).await.unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
}

#[tokio::test]
async fn a_lecturer_holds_a_bounded_number_of_open_sessions() {
    use lophoc_core::live::MAX_OPEN_SESSIONS;
    let live = live().await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let mut codes = Vec::new();
    for _ in 0..MAX_OPEN_SESSIONS {
        codes.push(live.create(&lecturer, false).await);
    }
    let body = format!(
        r#"{{"course_id":"can-bo-co-so","questions":{QUESTIONS},"seconds":30,"allow_guests":false,"leaderboard":false}}"#
    );
    let response = live
        .app
        .post_json("/api/live", &body, Some(&lecturer))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let reply = body_json(response).await;
    assert_eq!(reply["code"], "too_many_sessions");
    assert_eq!(reply["max"], MAX_OPEN_SESSIONS);
    // Another lecturer is not held up by it.
    let admin = live.app.login("quantri", "quantri123").await;
    live.create(&admin, false).await;
    // Ending one frees a place.
    let mut presenter = live.socket(&codes[0], Some(&lecturer)).await;
    send(&mut presenter, &ClientMsg::Present).await;
    send(&mut presenter, &cmd(Command::End)).await;
    state(&mut presenter, PhaseName::Ended).await;
    live.create(&lecturer, false).await;
}

/// `GET uri` from `addr`, as a reverse proxy on this machine forwards it.
async fn from_address(
    app: &TestApp,
    uri: &str,
    addr: &str,
) -> axum::http::Response<axum::body::Body> {
    let mut request = axum::http::Request::get(uri)
        .header("x-forwarded-for", format!("10.9.9.9, {addr}"))
        .body(axum::body::Body::empty())
        .unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        "127.0.0.1:40000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    app.send(request).await
}

#[tokio::test]
async fn code_lookups_are_limited_per_address_and_guessing_shuts_the_address_out() {
    use lophoc_server::live::limit::{LOOKUP_BURST, MISS_BURST};
    let live = live().await;
    let lecturer = live.app.login("giangvien", "giangvien123").await;
    let code = live.create(&lecturer, true).await;
    let unknown = if code == "999999" { "999998" } else { "999999" };

    // A classroom behind one address: every phone looks the right code up,
    // a few mistype it.
    for i in 0..LOOKUP_BURST / 2 {
        let asked = if i % 25 == 0 { unknown } else { code.as_str() };
        let response = from_address(&live.app, &format!("/api/live/{asked}"), "203.0.113.1").await;
        let want = if asked == code {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(response.status(), want, "look-up {i}");
    }
    // Someone guessing codes is refused after a few guesses…
    let mut misses = 0;
    let refused = loop {
        let response =
            from_address(&live.app, &format!("/api/live/{unknown}"), "203.0.113.2").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break response;
        }
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        misses += 1;
        assert!(misses <= MISS_BURST, "{misses} guesses and still answered");
    };
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let reply = body_json(refused).await;
    assert_eq!(reply["code"], "too_many_requests");
    assert_eq!(reply["retry_after"], wait);
    // …and then learns nothing, not even about the right code, nor through
    // the socket; the classroom's address is not affected.
    let response = from_address(&live.app, &format!("/api/live/{code}"), "203.0.113.2").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    // Posing as another instance relaying the look-up (which the holder
    // does not count) takes the key every instance reads from the database.
    let mut forged = axum::http::Request::get(format!("/api/live/{code}"))
        .header("x-forwarded-for", "203.0.113.2")
        .header(lophoc_server::live::relay::RELAY_HEADER, "00".repeat(32))
        .body(axum::body::Body::empty())
        .unwrap();
    forged.extensions_mut().insert(axum::extract::ConnectInfo(
        "127.0.0.1:40000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    assert_eq!(
        live.app.send(forged).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut request = format!("ws://{}/api/live/{code}/ws", live.addr)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("x-forwarded-for", HeaderValue::from_static("203.0.113.2"));
    match connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        }
        other => panic!("the socket should be refused: {:?}", other.map(|_| ())),
    }
    let response = from_address(&live.app, &format!("/api/live/{code}"), "203.0.113.1").await;
    assert_eq!(response.status(), StatusCode::OK);
    // A flood of right look-ups from one address meets the burst too.
    let mut answered = 0;
    while from_address(&live.app, &format!("/api/live/{code}"), "203.0.113.3")
        .await
        .status()
        == StatusCode::OK
    {
        answered += 1;
        assert!(
            answered <= 2 * LOOKUP_BURST,
            "no limit after {answered} look-ups"
        );
    }
}

/// Two instances on one database (`instances.rs`; PostgreSQL only): the
/// session is opened through A, its presenter drives it through B, one
/// phone joins through A and one through B, a phone reconnects through the
/// other instance, and every look-up works through either.
#[tokio::test]
async fn a_session_spread_over_two_instances_runs_as_one() {
    use crate::instances::{get_json, two_instances};
    let Some(two) = two_instances().await else {
        return;
    };
    let http = reqwest::Client::new();
    let lecturer = crate::common::classes::session_for(&two.a.store, 2).await;
    let created: serde_json::Value = http
        .post(format!("{}/api/live", two.a.url))
        .header("cookie", &lecturer)
        .json(&serde_json::json!({
            "course_id": "can-bo-co-so",
            "questions": serde_json::from_str::<serde_json::Value>(QUESTIONS).unwrap(),
            "seconds": 30, "allow_guests": true, "leaderboard": true
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = created["code"].as_str().unwrap().to_string();

    // The join page's look-up and the lecturer's list, through B.
    let info = get_json(&format!("{}/api/live/{code}", two.b.url), None).await;
    assert_eq!(
        (info["code"].as_str(), info["phase"].as_str()),
        (Some(code.as_str()), Some("lobby"))
    );
    let listed = get_json(&format!("{}/api/live", two.b.url), Some(&lecturer)).await;
    assert_eq!(listed[0]["code"], code.as_str(), "{listed}");
    let unknown = if code == "000000" { "000001" } else { "000000" };
    let missing = http
        .get(format!("{}/api/live/{unknown}", two.b.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let mut presenter = socket_at(two.b.addr, &code, Some(&lecturer)).await;
    send(&mut presenter, &ClientMsg::Present).await;
    assert!(matches!(
        next(&mut presenter).await,
        ServerMsg::Welcome { .. }
    ));
    let mut sinh = socket_at(two.a.addr, &code, None).await;
    let (sinh_token, _) = join(&mut sinh, Some("Lò Văn Sình"), None).await;
    let mut mai = socket_at(two.b.addr, &code, None).await;
    let (mai_token, _) = join(&mut mai, Some("Hà Thị Mai"), None).await;
    let lobby = loop {
        let view = state(&mut presenter, PhaseName::Lobby).await;
        if view.joined == 2 {
            break view;
        }
    };
    assert_eq!(lobby.names, vec!["Lò Văn Sình", "Hà Thị Mai"]);

    send(&mut presenter, &cmd(Command::Start)).await;
    state(&mut sinh, PhaseName::Open).await;
    state(&mut mai, PhaseName::Open).await;
    send(&mut mai, &answer(0, "mai-1", pick("c"))).await;
    assert_eq!(ack(&mut mai).await, Ack::Received);

    // Mai's phone drops and comes back through A; Sình's through B.
    drop(mai);
    let mut mai = socket_at(two.a.addr, &code, None).await;
    let (again, welcome) = join(&mut mai, None, Some(mai_token.clone())).await;
    assert_eq!(again, mai_token, "the same participant");
    let ServerMsg::Welcome { answered, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(answered.map(|a| a.id), Some("mai-1".to_string()));
    drop(sinh);
    let mut sinh = socket_at(two.b.addr, &code, None).await;
    join(&mut sinh, None, Some(sinh_token)).await;
    let view = state(&mut sinh, PhaseName::Open).await;
    assert_eq!(view.joined, 2, "reconnecting adds nobody");
    send(&mut sinh, &answer(0, "sinh-1", pick("a"))).await;
    assert_eq!(ack(&mut sinh).await, Ack::Received);

    send(&mut presenter, &cmd(Command::Reveal)).await;
    for phone in [&mut mai, &mut sinh] {
        state(phone, PhaseName::Revealed).await;
    }
    let ServerMsg::Mine { mine } = next(&mut mai).await else {
        panic!("Mai's own result");
    };
    assert_eq!(mine.correctness, Some(Correctness::Correct));
    let ServerMsg::Mine { mine } = next(&mut sinh).await else {
        panic!("Sình's own result");
    };
    assert_eq!(mine.correctness, Some(Correctness::Incorrect));
    // The presenter, through B, saw both answers.
    let revealed = state(&mut presenter, PhaseName::Revealed).await;
    assert_eq!(revealed.answered, 2, "{revealed:?}");
}
