//! Heavy authoring work stays off the async workers (issue 14): while a zip
//! import is under way — held in the middle, its photo waiting for the
//! server's one image-decoding permit — a trainee's live-quiz answer is
//! still acknowledged at once.
//!
//! The server runs on this test's single-threaded runtime: if the import
//! ran on it (unzipping, decoding, compiling in the handler), nothing else
//! could be answered until it finished, and the answer below would time out.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failing step should fail the test loudly"
)]

mod common;

use std::{io::Cursor, time::Duration};

use common::{body_json, demo_content, test_app};
use futures_util::{SinkExt, StreamExt};
use lophoc_core::{
    live::{Ack, ClientMsg, Command, PhaseName, ServerMsg},
    question::Answer,
};
use lophoc_server::authoring::{files, images};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{client::IntoClientRequest, http::HeaderValue, Message},
};

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn send(ws: &mut Ws, msg: &ClientMsg) {
    ws.send(Message::text(serde_json::to_string(msg).unwrap()))
        .await
        .unwrap();
}

/// The next message of the kind `pick` accepts, within 10 s.
async fn until<T>(ws: &mut Ws, mut pick: impl FnMut(ServerMsg) -> Option<T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let msg = ws.next().await.unwrap().unwrap();
            if let Message::Text(text) = msg {
                if let Some(found) = pick(serde_json::from_str(&text).unwrap()) {
                    return found;
                }
            }
        }
    })
    .await
    .expect("the server answered within 10 s")
}

/// A PNG wider than the server keeps, which the import must scale.
fn wide_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(2400, 60, |x, y| {
        image::Rgb([(x % 256) as u8, (y * 4 % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test(flavor = "current_thread")]
async fn a_live_answer_is_acknowledged_while_a_large_import_runs() {
    let app = test_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let lecturer = app.login("giangvien", "giangvien123").await;
    let trainee = app.login("hocvien", "hocvien123").await;
    let admin = app.login("quantri", "quantri123").await;

    // A live question is open; An is in the room.
    let body = r#"{"course_id":"can-bo-co-so","questions":[["tinh-huong-phong-bi","q1"]],"seconds":60,"allow_guests":false,"leaderboard":false}"#;
    let response = app.post_json("/api/live", body, Some(&lecturer)).await;
    let code = body_json(response).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let socket = |cookie: String| {
        let mut request = format!("ws://{addr}/api/live/{code}/ws")
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("cookie", HeaderValue::from_str(&cookie).unwrap());
        async move { connect_async(request).await.unwrap().0 }
    };
    let mut presenter = socket(lecturer).await;
    send(&mut presenter, &ClientMsg::Present).await;
    let mut an = socket(trainee).await;
    send(
        &mut an,
        &ClientMsg::Join {
            token: None,
            name: None,
        },
    )
    .await;
    until(&mut an, |m| {
        matches!(m, ServerMsg::Welcome { .. }).then_some(())
    })
    .await;
    send(
        &mut presenter,
        &ClientMsg::Cmd {
            cmd: Command::Start,
        },
    )
    .await;
    until(&mut an, |m| match m {
        ServerMsg::State { view } if view.phase == PhaseName::Open => Some(()),
        _ => None,
    })
    .await;

    // The centre admin imports the whole course with a wide photo, while
    // the test holds the image-decoding permit: the import stops there.
    let mut course = files::read_folder(&demo_content().join("can-bo-co-so")).unwrap();
    course.push(("media/anh-lop-hoc.png".into(), wide_png()));
    let zip = files::export_zip("can-bo-co-so", &course).unwrap();
    let permit = images::decode_permits().acquire().await.unwrap();
    let import = tokio::spawn(
        reqwest::Client::new()
            .post(format!("http://{addr}/api/authoring/import"))
            .header("cookie", admin.clone())
            .body(zip)
            .send(),
    );
    tokio::time::timeout(Duration::from_secs(30), async {
        while images::decodes_waiting() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the import reached its photo");

    // An answers: acknowledged while the import waits in the middle.
    send(
        &mut an,
        &ClientMsg::Answer {
            q: 0,
            id: "an-q0".into(),
            answer: Answer::SingleChoice { option: "c".into() },
        },
    )
    .await;
    let ack = until(&mut an, |m| match m {
        ServerMsg::Ack { ack, .. } => Some(ack),
        _ => None,
    })
    .await;
    assert_eq!(ack, Ack::Received);
    assert!(!import.is_finished(), "the import was still under way");
    assert_eq!(images::decodes_waiting(), 1);

    // Let it go: it completes, its photo scaled.
    drop(permit);
    let response = tokio::time::timeout(Duration::from_secs(60), import)
        .await
        .expect("the import finished")
        .unwrap()
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let stored = app
        .get(
            "/api/authoring/drafts/can-bo-co-so/media/anh-lop-hoc.png",
            Some(&admin),
        )
        .await;
    assert_eq!(stored.status(), 200, "the photo is in the draft");
    let bytes = http_body_util::BodyExt::collect(stored.into_body())
        .await
        .unwrap()
        .to_bytes();
    let width = image::load_from_memory(&bytes).unwrap().width();
    assert_eq!(width, images::MAX_IMAGE_WIDTH);
}
