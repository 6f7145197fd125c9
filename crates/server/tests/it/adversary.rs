//! A scripted malicious client: a trainee, a lecturer of another centre and
//! an admin of another centre, each signed in with their own account,
//! pushing by hand what an honest device never would — every forgery of
//! issue 13 and more. Each push goes through the real router against a
//! real SQLite file; each forgery must be refused with its code, the
//! victims' records must stay exactly as they were, and no certificate may
//! be issued from it.
//!
//! The table of `every_event_kind_by_every_role` is the authority table of
//! `docs/sync-protocol.md` as data, through the real handler: a kind added
//! without a row there fails to compile (the `match`).
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should fail the test loudly"
)]

use crate::common::{
    body_json,
    classes::{attempt_events, full_grades, read_lessons, session_for, ASSESSMENT, COURSE},
    test_app, TestApp,
};
use axum::http::StatusCode;
use lophoc_core::{
    accounts::Role,
    calendar::vn_date,
    classes::NewClass,
    events::{Event, Op, RejectReason},
    limits::TextField,
    question::Answer,
    sync::{DeviceLog, MAX_BATCH},
};
use serde_json::{json, Value};

const AN: i64 = 1; // hocvien: the attacker trainee
const LECTURER: i64 = 2; // giangvien: teaches the demo class
const ADMIN: i64 = 3; // quantri: admin of the demo centre
const DUNG: i64 = 4; // hocvien2: the victim, An's classmate
const PROVINCE: i64 = 5; // quantritinh
const DISCUSSION: &str = "thao-luan-hop-thon";

/// The demo data, and a second centre with its own lecturer, admin and
/// trainee in a class of the same course.
struct World {
    app: TestApp,
    other_lecturer: i64,
    other_admin: i64,
    khoa: i64,
}

async fn world() -> World {
    let app = test_app().await;
    let store = &app.store;
    let centre = store
        .accounts
        .create_centre("Trung tâm Chính trị huyện Thanh Thuỷ")
        .await
        .unwrap();
    let hash = lophoc_server::auth::hash_password("matkhau-khac").unwrap();
    let mut ids = Vec::new();
    for (username, name, role) in [
        ("giangvienb", "Đỗ Văn Giang", Role::Lecturer),
        ("quantrib", "Vũ Thị Hạnh", Role::CentreAdmin),
        ("hocvienb", "Bùi Văn Khoa", Role::Trainee),
    ] {
        let id = store
            .accounts
            .create_user(username, name, role, &hash)
            .await
            .unwrap();
        store.accounts.set_user_centre(id, centre).await.unwrap();
        ids.push(id);
    }
    let today = vn_date(lophoc_server::store::now() * 1000);
    let class = store
        .classes
        .create_class(
            centre,
            &NewClass {
                name: "Lớp khác".into(),
                course_id: COURSE.into(),
                starts_on: today.clone(),
                ends_on: today,
                lecturer_ids: vec![ids[0]],
            },
        )
        .await
        .unwrap();
    store.classes.add_member(class, ids[2]).await.unwrap();
    World {
        app,
        other_lecturer: ids[0],
        other_admin: ids[1],
        khoa: ids[2],
    }
}

/// A hand-driven device of one user: ops as JSON values, pushed as they are.
struct Client {
    user: i64,
    cookie: String,
    log: DeviceLog,
}

static NEXT_DEVICE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Client {
    async fn new(app: &TestApp, user: i64) -> Client {
        let n = NEXT_DEVICE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Client {
            user,
            cookie: session_for(&app.store, user).await,
            log: DeviceLog::new(format!("adv-{user}-{n}")),
        }
    }

    /// The next op of this device for `event`, as JSON.
    fn op(&mut self, event: Event) -> Value {
        let op_id = format!("{}-{}", self.log.device_id, self.log.next_seq);
        let now = lophoc_server::store::now_ms();
        serde_json::to_value(self.log.record(op_id, self.user, now, event)).unwrap()
    }

    async fn push_values(&self, app: &TestApp, ops: Vec<Value>) -> (StatusCode, Value) {
        self.push_raw(app, &self.log.device_id, ops).await
    }

    async fn push_raw(&self, app: &TestApp, device: &str, ops: Vec<Value>) -> (StatusCode, Value) {
        let body = json!({ "device_id": device, "ops": ops }).to_string();
        let response = app
            .post_json("/api/sync/push", &body, Some(&self.cookie))
            .await;
        let status = response.status();
        let text = crate::common::body_text(response).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Pushes one op for `event` and returns the reason it was refused, if
    /// it was (the device always moves past it).
    async fn push_one(&mut self, app: &TestApp, event: Event) -> Option<RejectReason> {
        let value = self.op(event);
        self.push_value(app, value).await
    }

    /// Pushes one op given as JSON (possibly forged by hand).
    async fn push_value(&mut self, app: &TestApp, value: Value) -> Option<RejectReason> {
        let seq = value["seq"].as_u64().unwrap();
        let (status, reply) = self.push_values(app, vec![value]).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["acked_seq"], seq, "never held: {reply}");
        assert_eq!(reply["rejected"], Value::Null, "{reply}");
        let refused = reply["refused"]
            .as_array()
            .map(|r| r.to_vec())
            .unwrap_or_default();
        self.log.acknowledge(seq);
        refused
            .first()
            .map(|r| serde_json::from_value(r["reason"].clone()).unwrap())
    }
}

fn seed(app: &TestApp, user: i64, rank: u32) -> u64 {
    app.store.sync.attempt_seed(user, COURSE, ASSESSMENT, rank)
}

/// The victim's records as the server holds them: the events and the
/// derived progress report.
async fn snapshot(app: &TestApp, user: i64) -> (Vec<Op>, Value) {
    let events = app.store.sync.user_events(user).await.unwrap();
    let cookie = session_for(&app.store, user).await;
    let response = app.get("/api/me/progress", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    (events, body_json(response).await)
}

/// Dung hands in an attempt with an essay that waits for a lecturer;
/// returns her attempt id and the essay questions.
async fn victim_attempt(
    app: &TestApp,
) -> (String, Vec<(String, Vec<lophoc_core::question::Criterion>)>) {
    let mut dung = Client::new(app, DUNG).await;
    let attempt = "dung-attempt-1";
    let (events, essays) = attempt_events(&app.store, attempt, seed(app, DUNG, 1), |_| true).await;
    let mut all = read_lessons(&app.store, usize::MAX).await;
    all.extend(events);
    let ops: Vec<Value> = all.into_iter().map(|e| dung.op(e)).collect();
    let (status, reply) = dung.push_values(app, ops).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["refused"], Value::Null, "an honest push: {reply}");
    assert!(!essays.is_empty());
    (attempt.to_string(), essays)
}

fn live_answered(earned: u32) -> Event {
    Event::LiveAnswered {
        session_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        course_id: COURSE.into(),
        situation_id: "tinh-huong-phong-bi".into(),
        question_id: "q1".into(),
        answer: Answer::SingleChoice { option: "c".into() },
        earned,
        max: earned,
    }
}

// ---------------------------------------------------------------------------
// Server devices and server events.

/// Probe: pushing to `live:<victim>` with no ops used to claim the victim's
/// live device, after which the victim's live results were dropped.
#[tokio::test]
async fn a_trainee_cannot_claim_or_push_to_a_server_device() {
    let w = world().await;
    let an = Client::new(&w.app, AN).await;
    for device in [
        format!("live:{DUNG}"),
        format!("live:{AN}"),
        "server:x".into(),
    ] {
        let (status, _) = an.push_raw(&w.app, &device, vec![]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{device}");
    }
    assert_eq!(
        w.app
            .store
            .sync
            .acked_seq(&format!("live:{DUNG}"))
            .await
            .unwrap(),
        None,
        "nothing was claimed"
    );
    // The server still writes Dung's live results to her live device.
    let attended = Event::LiveAttended {
        session_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        course_id: COURSE.into(),
        title: "Phiên thử".into(),
    };
    w.app
        .store
        .sync
        .append_server_events(&[(
            DUNG,
            format!("live:{DUNG}"),
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a00".into(),
            attended,
        )])
        .await
        .unwrap();
    let events = w.app.store.sync.user_events(DUNG).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].device_id, format!("live:{DUNG}"));
}

/// Probe: a trainee's own device pushing `live_answered` with any
/// `earned`/`max` was stored and counted in the class matrix and xAPI.
#[tokio::test]
async fn live_results_from_a_client_are_refused_and_count_nowhere() {
    let w = world().await;
    let mut an = Client::new(&w.app, AN).await;
    assert_eq!(
        an.push_one(&w.app, live_answered(100_000)).await,
        Some(RejectReason::ServerOnly)
    );
    let attended = Event::LiveAttended {
        session_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        course_id: COURSE.into(),
        title: "Giả".into(),
    };
    assert_eq!(
        an.push_one(&w.app, attended).await,
        Some(RejectReason::ServerOnly)
    );
    assert!(w.app.store.sync.user_events(AN).await.unwrap().is_empty());
    // Nothing in the class matrix nor in xAPI.
    let lecturer = session_for(&w.app.store, LECTURER).await;
    let matrix = body_json(w.app.get("/api/classes/1/matrix", Some(&lecturer)).await).await;
    let row = matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"]["id"] == AN)
        .expect("An's row");
    assert_eq!(row["live_sessions"], 0, "{row}");
    let xapi = w.app.get("/api/classes/1/xapi", Some(&lecturer)).await;
    assert_eq!(xapi.status(), StatusCode::OK);
    let text = crate::common::body_text(xapi).await;
    assert!(
        !text.contains("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
        "{text}"
    );
    // Staff see what was refused in the trainee's record.
    let record = body_json(
        w.app
            .get(&format!("/api/classes/1/trainees/{AN}"), Some(&lecturer))
            .await,
    )
    .await;
    let refused = record["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{record}");
    assert_eq!(refused[0]["reason"]["code"], "server_only");
    assert_eq!(refused[1]["kind"], "live_answered");
}

// ---------------------------------------------------------------------------
// Grades.

/// Probe: an essay grade was accepted from any lecturer or centre admin, of
/// any class or centre, for any attempt id, and could complete a course
/// and issue a certificate. Also: the trainee's own grade, and a province
/// admin's.
#[tokio::test]
async fn only_the_trainees_own_lecturers_and_centre_admin_may_grade() {
    let w = world().await;
    let (attempt, essays) = victim_attempt(&w.app).await;
    let before = snapshot(&w.app, DUNG).await;
    let graders = [
        (w.other_lecturer, Some(RejectReason::NotYourTrainee)),
        (w.other_admin, Some(RejectReason::NotYourTrainee)),
        (PROVINCE, Some(RejectReason::NotAllowed)),
        (DUNG, Some(RejectReason::NotAllowed)),
        (AN, Some(RejectReason::NotAllowed)),
        (w.khoa, Some(RejectReason::NotAllowed)),
    ];
    for (grader, expected) in graders {
        let mut client = Client::new(&w.app, grader).await;
        for grade in full_grades(&attempt, &essays) {
            assert_eq!(
                client.push_one(&w.app, grade).await,
                expected,
                "grade by {grader}"
            );
        }
        // A grade for an attempt that does not exist.
        let mut ghost = full_grades("no-such-attempt", &essays);
        let expected_ghost = match expected {
            Some(RejectReason::NotAllowed) => Some(RejectReason::NotAllowed),
            _ => Some(RejectReason::NotYourTrainee),
        };
        assert_eq!(
            client.push_one(&w.app, ghost.remove(0)).await,
            expected_ghost
        );
    }
    assert!(
        w.app
            .store
            .sync
            .grade_events(COURSE, ASSESSMENT)
            .await
            .unwrap()
            .is_empty(),
        "no grade was accepted"
    );
    let essay_rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'essay_graded'")
            .fetch_one(&w.app.store.pool_for_tests())
            .await
            .unwrap();
    assert_eq!(essay_rows, 0, "no refused grade is in the log");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        snapshot(&w.app, DUNG).await,
        before,
        "Dung's records intact"
    );
    assert_eq!(
        w.app
            .store
            .classes
            .certificate_code(DUNG, COURSE)
            .await
            .unwrap(),
        None,
        "no certificate from a forged grade"
    );
    // Her own lecturer's grade counts, and so would her centre admin's.
    let mut lecturer = Client::new(&w.app, LECTURER).await;
    for grade in full_grades(&attempt, &essays) {
        assert_eq!(lecturer.push_one(&w.app, grade).await, None);
    }
    let mut admin = Client::new(&w.app, ADMIN).await;
    for grade in full_grades(&attempt, &essays) {
        assert_eq!(admin.push_one(&w.app, grade).await, None);
    }
    assert_eq!(
        w.app
            .store
            .sync
            .grade_events(COURSE, ASSESSMENT)
            .await
            .unwrap()
            .len(),
        2 * essays.len()
    );
}

/// An `essay_graded` written into the log by any other way than an
/// accepted push (an old database, a hand-edited one) counts for nothing.
#[tokio::test]
async fn grades_in_the_log_that_were_never_accepted_count_for_nothing() {
    let w = world().await;
    let (attempt, essays) = victim_attempt(&w.app).await;
    let pool = w.app.store.pool_for_tests();
    for (n, (grader, grade)) in [w.other_lecturer, DUNG, LECTURER]
        .into_iter()
        .flat_map(|g| {
            full_grades(&attempt, &essays)
                .into_iter()
                .map(move |e| (g, e))
        })
        .enumerate()
    {
        let device = format!("direct-{grader}");
        sqlx::query("INSERT INTO devices (device_id, user_id, acked_seq, last_seen) VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING")
            .bind(&device)
            .bind(grader)
            .execute(&pool)
            .await
            .unwrap();
        let op = Op {
            op_id: format!("direct-{n}"),
            device_id: device.clone(),
            seq: u64::try_from(n).unwrap() + 1,
            user_id: grader,
            client_time_ms: 0,
            schema: 1,
            event: grade,
        };
        sqlx::query("INSERT INTO events (op_id, device_id, seq, user_id, schema, client_time_ms, server_time, body) VALUES ($1, $2, $3, $4, 1, 0, 0, $5)")
            .bind(&op.op_id)
            .bind(&device)
            .bind(i64::try_from(op.seq).unwrap())
            .bind(grader)
            .bind(serde_json::to_string(&op).unwrap())
            .execute(&pool)
            .await
            .unwrap();
    }
    assert!(w
        .app
        .store
        .sync
        .grade_events(COURSE, ASSESSMENT)
        .await
        .unwrap()
        .is_empty());
    let cookie = session_for(&w.app.store, DUNG).await;
    let reports = body_json(
        w.app
            .get(
                &format!("/api/courses/{COURSE}/assessments/{ASSESSMENT}/attempts"),
                Some(&cookie),
            )
            .await,
    )
    .await;
    assert_eq!(reports[0]["passed"], Value::Null, "still awaiting grading");
    let lecturer = session_for(&w.app.store, LECTURER).await;
    let queue = body_json(w.app.get("/api/grading", Some(&lecturer)).await).await;
    assert_eq!(
        queue.as_array().unwrap().len(),
        essays.len(),
        "the essays still wait for a real grade"
    );
    assert_eq!(
        w.app
            .store
            .classes
            .certificate_code(DUNG, COURSE)
            .await
            .unwrap(),
        None
    );
}

// ---------------------------------------------------------------------------
// Attempts.

/// Probe: attempts were ordered and limited by `client_time_ms`: one more
/// attempt pushed later with an earlier device time replaced the first one.
/// Now they count by receipt and the one beyond the limit is refused.
#[tokio::test]
async fn attempts_count_by_receipt_and_none_beyond_the_limit() {
    let w = world().await;
    let mut an = Client::new(&w.app, AN).await;
    let mut last_time = 0;
    for rank in 1..=3 {
        let (events, _) = attempt_events(
            &w.app.store,
            &format!("an-{rank}"),
            seed(&w.app, AN, rank),
            |_| false,
        )
        .await;
        for event in events {
            assert_eq!(an.push_one(&w.app, event).await, None);
        }
        last_time = lophoc_server::store::now_ms();
    }
    // A fourth attempt, all right, stamped ten days before the first.
    let (events, _) = attempt_events(&w.app.store, "an-4", seed(&w.app, AN, 3), |_| true).await;
    let mut first = true;
    for event in events {
        let mut value = an.op(event);
        value["client_time_ms"] = json!(last_time - 10 * 24 * 3600 * 1000);
        let expected = if first {
            Some(RejectReason::NoAttemptsLeft)
        } else {
            Some(RejectReason::UnknownAttempt)
        };
        first = false;
        assert_eq!(an.push_value(&w.app, value).await, expected);
    }
    let cookie = session_for(&w.app.store, AN).await;
    let reports = body_json(
        w.app
            .get(
                &format!("/api/courses/{COURSE}/assessments/{ASSESSMENT}/attempts"),
                Some(&cookie),
            )
            .await,
    )
    .await;
    let ids: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["attempt_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["an-1", "an-2", "an-3"], "in order of receipt");
    assert!(reports
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["percent"] == 0));
}

/// Probe: the draw seed was chosen by the device, so a trainee could
/// re-roll until the paper suited them. Only an issued seed is taken.
#[tokio::test]
async fn a_device_cannot_choose_its_paper() {
    let w = world().await;
    let mut an = Client::new(&w.app, AN).await;
    let start = |attempt: &str, seed: u64| Event::AttemptStarted {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.into(),
        seed,
        course_version: None,
    };
    for chosen in [7, 0, u64::MAX, seed(&w.app, DUNG, 1), seed(&w.app, AN, 2)] {
        assert_eq!(
            an.push_one(&w.app, start(&format!("roll-{chosen}"), chosen))
                .await,
            Some(RejectReason::SeedNotIssued),
            "seed {chosen}"
        );
    }
    assert_eq!(
        w.app
            .store
            .sync
            .attempts_received(AN, COURSE, ASSESSMENT)
            .await
            .unwrap(),
        0,
        "no re-roll used an attempt"
    );
    // The paper says which seeds are hers; the first is taken.
    let cookie = an.cookie.clone();
    let paper = body_json(
        w.app
            .get(
                &format!("/api/courses/{COURSE}/assessments/{ASSESSMENT}"),
                Some(&cookie),
            )
            .await,
    )
    .await;
    assert_eq!(paper["seeds"]["user_id"], AN);
    let seeds: Vec<u64> = serde_json::from_value(paper["seeds"]["seeds"].clone()).unwrap();
    assert_eq!(seeds.len(), 3, "one per allowed attempt");
    assert_eq!(seeds[0], seed(&w.app, AN, 1));
    assert_eq!(an.push_one(&w.app, start("fair-1", seeds[0])).await, None);
    // The same paper again (its review may have shown the answers): no.
    assert_eq!(
        an.push_one(&w.app, start("replay-1", seeds[0])).await,
        Some(RejectReason::SeedNotIssued)
    );
    assert_eq!(an.push_one(&w.app, start("fair-2", seeds[1])).await, None);
    // Another trainee's paper carries other seeds.
    let other = session_for(&w.app.store, DUNG).await;
    let paper = body_json(
        w.app
            .get(
                &format!("/api/courses/{COURSE}/assessments/{ASSESSMENT}"),
                Some(&other),
            )
            .await,
    )
    .await;
    let theirs: Vec<u64> = serde_json::from_value(paper["seeds"]["seeds"].clone()).unwrap();
    assert!(theirs.iter().all(|s| !seeds.contains(s)));
}

/// A one-assessment course with `settings` (TOML lines), published.
async fn tiny_course(app: &TestApp, settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "course.toml",
        "id = \"han-chot\"\ntitle = \"Khoá thử hạn chót\"\n\n[[modules]]\nid = \"mot\"\ntitle = \"Chuyên đề một\"\nlessons = [\"bai-a\"]\nassessments = [\"kiem-tra\"]\n",
    );
    write(
        "mot/bai-a.md",
        "+++\ntitle = \"Bài A\"\nminutes = 5\n+++\n\nNội dung.\n",
    );
    write(
        "mot/kiem-tra.assessment.toml",
        &format!(
            "title = \"Kiểm tra\"\n\n[settings]\npass_percent = 50\nreview = \"after_submit\"\n{settings}\n\n[[questions]]\nid = \"cau-1\"\nprompt = \"Chọn\"\n[questions.body]\nkind = \"single_choice\"\n[[questions.body.options]]\nid = \"a\"\ntext = \"A\"\ncorrect = true\n[[questions.body.options]]\nid = \"b\"\ntext = \"B\"\ncorrect = false\n"
        ),
    );
    let report = lophoc_server::seed::publish_content(&app.store, dir.path())
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    dir
}

fn day(offset_days: i64) -> String {
    vn_date(lophoc_server::store::now_ms() + offset_days * 24 * 3600 * 1000)
}

/// Probe: `closes_on` was never checked on the server. Now: refused after
/// the close, unless started offline (device time) before it and synced
/// within the grace — then kept, counted and flagged late for the lecturer.
#[tokio::test]
async fn the_closing_date_is_judged_by_the_server() {
    let w = world().await;
    // Closed yesterday (end of that day, Vietnam time).
    let _dir = tiny_course(&w.app, &format!("closes_on = \"{}\"", day(-2))).await;
    let closed_ms = lophoc_core::calendar::end_of_day_vn_ms(&day(-2)).expect("a date") - 1;
    let issued = |user: i64, rank: u32| {
        w.app
            .store
            .sync
            .attempt_seed(user, "han-chot", "kiem-tra", rank)
    };
    let attempt = |id: &str, seed: u64| {
        vec![
            Event::AttemptStarted {
                course_id: "han-chot".into(),
                assessment_id: "kiem-tra".into(),
                attempt_id: id.into(),
                seed,
                course_version: None,
            },
            Event::AttemptAnswered {
                course_id: "han-chot".into(),
                assessment_id: "kiem-tra".into(),
                attempt_id: id.into(),
                question_id: "cau-1".into(),
                answer: Answer::SingleChoice { option: "a".into() },
            },
            Event::AttemptSubmitted {
                course_id: "han-chot".into(),
                assessment_id: "kiem-tra".into(),
                attempt_id: id.into(),
            },
        ]
    };
    // Started now, after the close: refused, and so are its answers.
    let mut an = Client::new(&w.app, AN).await;
    let results: Vec<_> = {
        let mut out = Vec::new();
        for event in attempt("after", issued(AN, 1)) {
            out.push(an.push_one(&w.app, event).await);
        }
        out
    };
    assert_eq!(
        results,
        [
            Some(RejectReason::AssessmentClosed),
            Some(RejectReason::UnknownAttempt),
            Some(RejectReason::UnknownAttempt)
        ]
    );
    // Started offline before the close (device time), synced now: kept,
    // counted, and flagged for the lecturer.
    for event in attempt("offline-before", issued(AN, 1)) {
        let mut value = an.op(event);
        value["client_time_ms"] = json!(closed_ms - 60_000);
        assert_eq!(an.push_value(&w.app, value).await, None);
    }
    let cookie = an.cookie.clone();
    let reports = body_json(
        w.app
            .get(
                "/api/courses/han-chot/assessments/kiem-tra/attempts",
                Some(&cookie),
            )
            .await,
    )
    .await;
    assert_eq!(reports.as_array().unwrap().len(), 1);
    assert_eq!(reports[0]["attempt_id"], "offline-before");
    assert_eq!(reports[0]["percent"], 100);
    assert_eq!(
        w.app
            .store
            .sync
            .late_attempts_in(AN, "han-chot")
            .await
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        ["offline-before"]
    );
    // After the close, the paper comes with no seeds.
    let paper = body_json(
        w.app
            .get("/api/courses/han-chot/assessments/kiem-tra", Some(&cookie))
            .await,
    )
    .await;
    assert_eq!(paper["seeds"]["seeds"], json!([]));

    // Closed ten days ago: beyond the grace, even started "before".
    let _dir = tiny_course(&w.app, &format!("closes_on = \"{}\"", day(-10))).await;
    let long_ago = lophoc_core::calendar::end_of_day_vn_ms(&day(-10)).unwrap() - 60_000;
    let mut dung = Client::new(&w.app, DUNG).await;
    let mut value = dung.op(attempt("too-late", issued(DUNG, 1)).remove(0));
    value["client_time_ms"] = json!(long_ago);
    assert_eq!(
        dung.push_value(&w.app, value).await,
        Some(RejectReason::AssessmentClosed)
    );
}

/// The late flag reaches the lecturer's view of the trainee.
#[tokio::test]
async fn a_late_attempt_is_flagged_in_the_trainees_record() {
    let w = world().await;
    // The demo course itself, closed yesterday.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &crate::common::demo_content().join(COURSE),
        &dir.path().join(COURSE),
    );
    let file = dir
        .path()
        .join(COURSE)
        .join("phong-chong-tham-nhung/kiem-tra-chuyen-de-1.assessment.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "max_attempts = 3",
        &format!("max_attempts = 3\ncloses_on = \"{}\"", day(-1)),
    );
    std::fs::write(&file, text).unwrap();
    let report = lophoc_server::seed::publish_content(&w.app.store, dir.path())
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let before_close = lophoc_core::calendar::end_of_day_vn_ms(&day(-1)).unwrap() - 3_600_000;
    let mut an = Client::new(&w.app, AN).await;
    let (events, _) = attempt_events(&w.app.store, "late-1", seed(&w.app, AN, 1), |_| true).await;
    for event in events {
        let mut value = an.op(event);
        value["client_time_ms"] = json!(before_close);
        assert_eq!(an.push_value(&w.app, value).await, None);
    }
    let lecturer = session_for(&w.app.store, LECTURER).await;
    let record = body_json(
        w.app
            .get(&format!("/api/classes/1/trainees/{AN}"), Some(&lecturer))
            .await,
    )
    .await;
    let attempts = record["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{record}");
    assert_eq!(attempts[0]["late"], true);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Someone else's attempt: answering it, handing it in, or starting one
/// under its id are refused; Dung's attempt is untouched.
#[tokio::test]
async fn another_trainees_attempt_cannot_be_touched() {
    let w = world().await;
    let (attempt, _) = victim_attempt(&w.app).await;
    let before = snapshot(&w.app, DUNG).await;
    let mut an = Client::new(&w.app, AN).await;
    let answered = Event::AttemptAnswered {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.clone(),
        question_id: "cau-1".into(),
        answer: Answer::TrueFalse { value: true },
    };
    assert_eq!(
        an.push_one(&w.app, answered).await,
        Some(RejectReason::UnknownAttempt)
    );
    let submitted = Event::AttemptSubmitted {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.clone(),
    };
    assert_eq!(
        an.push_one(&w.app, submitted).await,
        Some(RejectReason::UnknownAttempt)
    );
    let started = Event::AttemptStarted {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.clone(),
        seed: seed(&w.app, AN, 1),
        course_version: None,
    };
    assert_eq!(
        an.push_one(&w.app, started).await,
        Some(RejectReason::DuplicateAttempt)
    );
    assert_eq!(snapshot(&w.app, DUNG).await, before);
}

// ---------------------------------------------------------------------------
// Sizes, shapes and times.

/// Probe: any text field and unknown extra fields were stored as sent (a
/// 2 MB opinion, a 100 KB junk field), and a device time ten years ahead
/// was kept.
#[tokio::test]
async fn oversized_text_unknown_fields_and_future_times_are_bounded() {
    let w = world().await;
    let mut an = Client::new(&w.app, AN).await;
    let set = w
        .app
        .store
        .courses
        .situation(COURSE, DISCUSSION)
        .await
        .unwrap()
        .unwrap();
    let opinion = |text: String| Event::SituationAnswered {
        course_id: COURSE.into(),
        situation_id: DISCUSSION.into(),
        question_id: set.questions[0].id.clone(),
        answer: Answer::Opinion { text },
    };
    // Just under 2 MB: the request is under the body limit, the op over its
    // field's.
    assert_eq!(
        an.push_one(&w.app, opinion("ý".repeat(900_000))).await,
        Some(RejectReason::TooLong {
            field: TextField::Opinion,
            max: 5_000
        })
    );
    // Over 2 MB the whole request is refused before it is read.
    let value = an.op(opinion("a".repeat(2_100_000)));
    let (status, _) = an.push_values(&w.app, vec![value]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // (Only a hand-made client sends one: the app stops typing at the
    // limit.) A new device of the same user syncs normally.
    let mut an = Client::new(&w.app, AN).await;
    let mut value = an.op(opinion("Ý kiến bình thường".into()));
    value["event"]["junk"] = json!("x".repeat(100_000));
    assert_eq!(
        an.push_value(&w.app, value).await,
        Some(RejectReason::UnknownField {
            field: "event.junk".into()
        })
    );
    let mut value = an.op(opinion("Ý kiến bình thường".into()));
    value["answer_extra"] = json!({"x": 1});
    assert!(matches!(
        an.push_value(&w.app, value).await,
        Some(RejectReason::UnknownField { .. })
    ));
    for (field, bad) in [
        ("lesson_id", json!("Bài 1")),
        ("lesson_id", json!("x".repeat(65))),
        ("course_id", json!("")),
    ] {
        let mut value = an.op(read_lessons(&w.app.store, 1).await.remove(0));
        value["event"][field] = bad;
        assert!(
            matches!(
                an.push_value(&w.app, value).await,
                Some(RejectReason::BadId { .. })
            ),
            "{field}"
        );
    }
    // Ten years ahead: stored at the server's receipt time.
    let before = lophoc_server::store::now_ms();
    let mut value = an.op(opinion("Ý kiến từ tương lai".into()));
    value["client_time_ms"] = json!(before + 10 * 365 * 24 * 3600 * 1000);
    assert_eq!(an.push_value(&w.app, value).await, None);
    let after = lophoc_server::store::now_ms();
    let stored = w.app.store.sync.user_events(AN).await.unwrap();
    assert_eq!(stored.len(), 1, "only the honest opinion is stored");
    assert!((before..=after).contains(&stored[0].client_time_ms));
    let refused: i64 =
        sqlx::query_scalar("SELECT MAX(LENGTH(body)) FROM refused_ops WHERE user_id = $1")
            .bind(AN)
            .fetch_one(&w.app.store.pool_for_tests())
            .await
            .unwrap();
    assert!(refused <= 4096, "refused bodies are cut: {refused}");
}

/// Probe: `/responses` mixed the answers of all centres. Only classmates'
/// latest answers are shown.
#[tokio::test]
async fn discussion_answers_are_those_of_classmates_only() {
    let w = world().await;
    let set = w
        .app
        .store
        .courses
        .situation(COURSE, DISCUSSION)
        .await
        .unwrap()
        .unwrap();
    let q = set.questions[0].id.clone();
    let opinion = |text: &str| Event::SituationAnswered {
        course_id: COURSE.into(),
        situation_id: DISCUSSION.into(),
        question_id: q.clone(),
        answer: Answer::Opinion { text: text.into() },
    };
    for (user, texts) in [
        (AN, vec!["An nghĩ thế này"]),
        (DUNG, vec!["Dung lúc đầu", "Dung nghĩ lại"]),
        (w.khoa, vec!["Khoa ở trung tâm khác"]),
        (LECTURER, vec!["Giảng viên không phải bạn học"]),
    ] {
        let mut client = Client::new(&w.app, user).await;
        for text in texts {
            assert_eq!(client.push_one(&w.app, opinion(text)).await, None);
        }
    }
    let an = session_for(&w.app.store, AN).await;
    let responses = body_json(
        w.app
            .get(
                &format!("/api/courses/{COURSE}/situations/{DISCUSSION}/responses"),
                Some(&an),
            )
            .await,
    )
    .await;
    let texts: Vec<&str> = responses
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Dung nghĩ lại"]);
    let khoa = session_for(&w.app.store, w.khoa).await;
    let responses = body_json(
        w.app
            .get(
                &format!("/api/courses/{COURSE}/situations/{DISCUSSION}/responses"),
                Some(&khoa),
            )
            .await,
    )
    .await;
    assert_eq!(responses, json!([]), "Khoa has no classmate who answered");
}

// ---------------------------------------------------------------------------
// Ids, devices, batches, sequences.

/// Replayed op ids: another user's, and another device's of the same
/// user. Each is refused — never silently taken as "already stored" — and
/// the original stays as it was.
#[tokio::test]
async fn replayed_op_ids_are_refused_and_the_originals_kept() {
    let w = world().await;
    let mut dung = Client::new(&w.app, DUNG).await;
    let lesson = read_lessons(&w.app.store, 1).await.remove(0);
    assert_eq!(dung.push_one(&w.app, lesson.clone()).await, None);
    let original = w.app.store.sync.user_events(DUNG).await.unwrap();
    let stolen_id = original[0].op_id.clone();
    let mut an = Client::new(&w.app, AN).await;
    let mut value = an.op(lesson.clone());
    value["op_id"] = json!(stolen_id);
    assert_eq!(
        an.push_value(&w.app, value).await,
        Some(RejectReason::DuplicateOpId)
    );
    // Dung's second device replays her first device's op id.
    let mut second = Client::new(&w.app, DUNG).await;
    let mut value = second.op(lesson);
    value["op_id"] = json!(stolen_id);
    assert_eq!(
        second.push_value(&w.app, value).await,
        Some(RejectReason::DuplicateOpId)
    );
    assert_eq!(w.app.store.sync.user_events(DUNG).await.unwrap(), original);
    assert!(w.app.store.sync.user_events(AN).await.unwrap().is_empty());
    // Pushing from Dung's device id: 403, whatever the ops say.
    let (status, _) = an.push_raw(&w.app, &dung.log.device_id, vec![]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// A forged `user_id`: refused as another user's op, and the device moves
/// on; the other user's records are untouched.
#[tokio::test]
async fn a_forged_user_id_is_refused() {
    let w = world().await;
    let before = snapshot(&w.app, DUNG).await;
    let mut an = Client::new(&w.app, AN).await;
    // Signed in the ordinary way, with her own password.
    an.cookie = w.app.login("hocvien", "hocvien123").await;
    let mut value = an.op(read_lessons(&w.app.store, 1).await.remove(0));
    value["user_id"] = json!(DUNG);
    assert_eq!(
        an.push_value(&w.app, value).await,
        Some(RejectReason::WrongUser)
    );
    // The next honest op goes through: the refusal did not block.
    assert_eq!(
        an.push_one(&w.app, read_lessons(&w.app.store, 1).await.remove(0))
            .await,
        None
    );
    assert_eq!(snapshot(&w.app, DUNG).await, before);
}

/// Huge batches and sequences near `u64::MAX`.
#[tokio::test]
async fn huge_batches_and_extreme_sequences_change_nothing() {
    let w = world().await;
    let mut an = Client::new(&w.app, AN).await;
    let lesson = read_lessons(&w.app.store, 1).await.remove(0);
    let ops: Vec<Value> = (0..=MAX_BATCH).map(|_| an.op(lesson.clone())).collect();
    let (status, _) = an.push_values(&w.app, ops).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "more than {MAX_BATCH} ops");
    let device = "adv-extreme";
    for seq in [u64::MAX, u64::MAX - 1, i64::MAX as u64, i64::MAX as u64 + 1] {
        let mut log = DeviceLog::new(device);
        let op = log.record(format!("far-{seq}"), AN, 0, lesson.clone());
        let mut value = serde_json::to_value(op).unwrap();
        value["seq"] = json!(seq);
        let (status, reply) = an.push_raw(&w.app, device, vec![value]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reply["acked_seq"], 0, "a gap: nothing applied ({seq})");
    }
    // Seq 0, negative, text: never applied.
    for bad in [json!(0), json!(-1), json!("1"), json!(1.5)] {
        let mut log = DeviceLog::new(device);
        let op = log.record(format!("bad-{bad}"), AN, 0, lesson.clone());
        let mut value = serde_json::to_value(op).unwrap();
        value["seq"] = bad.clone();
        let (status, reply) = an.push_raw(&w.app, device, vec![value]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reply["acked_seq"], 0, "{bad}");
    }
    assert!(w.app.store.sync.user_events(AN).await.unwrap().is_empty());
    assert_eq!(w.app.store.sync.acked_seq(device).await.unwrap(), Some(0));
}

// ---------------------------------------------------------------------------
// The table, kind by kind and role by role, through the real handler.

#[tokio::test]
async fn every_event_kind_by_every_role() {
    let w = world().await;
    let (dung_attempt, essays) = victim_attempt(&w.app).await;
    let authors = [
        (AN, Role::Trainee),
        (LECTURER, Role::Lecturer),
        (ADMIN, Role::CentreAdmin),
        (PROVINCE, Role::ProvinceAdmin),
    ];
    let set = w
        .app
        .store
        .courses
        .situation(COURSE, DISCUSSION)
        .await
        .unwrap()
        .unwrap();
    for (user, role) in authors {
        let mut client = Client::new(&w.app, user).await;
        let own = format!("own-{user}");
        let samples = vec![
            read_lessons(&w.app.store, 1).await.remove(0),
            Event::LessonOpened {
                course_id: COURSE.into(),
                lesson_id: "nhan-dien-tham-nhung".into(),
            },
            Event::SituationAnswered {
                course_id: COURSE.into(),
                situation_id: DISCUSSION.into(),
                question_id: set.questions[0].id.clone(),
                answer: Answer::Opinion {
                    text: "Ý kiến".into(),
                },
            },
            Event::ScenarioChoice {
                course_id: COURSE.into(),
                situation_id: "kich-ban".into(),
                run_id: format!("run-{user}"),
                step: 0,
                step_id: "bat-dau".into(),
                choice_id: "a".into(),
            },
            Event::AttemptStarted {
                course_id: COURSE.into(),
                assessment_id: ASSESSMENT.into(),
                attempt_id: own.clone(),
                seed: seed(&w.app, user, 1),
                course_version: None,
            },
            Event::AttemptAnswered {
                course_id: COURSE.into(),
                assessment_id: ASSESSMENT.into(),
                attempt_id: own.clone(),
                question_id: "cau-1".into(),
                answer: Answer::TrueFalse { value: true },
            },
            Event::AttemptSubmitted {
                course_id: COURSE.into(),
                assessment_id: ASSESSMENT.into(),
                attempt_id: own.clone(),
            },
            full_grades(&dung_attempt, &essays).remove(0),
            Event::LiveAttended {
                session_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
                course_id: COURSE.into(),
                title: "Phiên".into(),
            },
            live_answered(100),
        ];
        let mut kinds = std::collections::BTreeSet::new();
        for event in samples {
            kinds.insert(event.kind());
            // The authority table as it must be, kind by kind, role by role.
            let expected = match &event {
                Event::LessonOpened { .. }
                | Event::LessonCompleted { .. }
                | Event::SituationAnswered { .. }
                | Event::ScenarioChoice { .. }
                | Event::AttemptStarted { .. }
                | Event::AttemptAnswered { .. }
                | Event::AttemptSubmitted { .. } => None,
                // Dung is on giangvien's class and in quantri's centre.
                Event::EssayGraded { .. } => match role {
                    Role::Lecturer | Role::CentreAdmin => None,
                    Role::Trainee | Role::ProvinceAdmin => Some(RejectReason::NotAllowed),
                },
                Event::LiveAttended { .. } | Event::LiveAnswered { .. } => {
                    Some(RejectReason::ServerOnly)
                }
            };
            let kind = event.kind();
            assert_eq!(
                client.push_one(&w.app, event).await,
                expected,
                "{kind} by {role:?}"
            );
        }
        assert_eq!(kinds.len(), 10, "one sample of every kind");
    }
}

// ---------------------------------------------------------------------------
// A database from before: cleaned up by migrations 0011 and 0012.

/// Builds a database with the migrations before this issue only, fills it
/// with what the old server stored from forged pushes, then opens it with
/// the current server: the forged grades and live results leave the log for
/// `refused_ops`, the good grade is kept, the attempts are ranked by
/// receipt, and a claimed live device goes back to the server.
#[tokio::test]
async fn an_old_database_is_cleaned_up_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir_all(&old).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&all).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if name.as_str() < "0011" {
            std::fs::copy(entry.path(), old.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let script = [
        "INSERT INTO centres (id, name, created_at) VALUES (1, 'A', 0), (2, 'B', 0)",
        "INSERT INTO users (id, username, full_name, role, password_hash, created_at, centre_id) VALUES
            (1, 't', 'T', 'trainee', 'x', 0, 1), (2, 'l', 'L', 'lecturer', 'x', 0, 1),
            (3, 'x', 'X', 'lecturer', 'x', 0, 2), (4, 'a', 'A', 'centre_admin', 'x', 0, 2)",
        "INSERT INTO classes (id, centre_id, course_id, name, starts_on, ends_on, created_at) VALUES (1, 1, 'c', 'K', '2026-01-01', '2026-12-31', 0)",
        "INSERT INTO class_lecturers VALUES (1, 2)",
        "INSERT INTO class_members VALUES (1, 1)",
        "INSERT INTO devices VALUES ('t-phone', 1, 3, 0), ('l-phone', 2, 1, 0), ('x-phone', 3, 1, 0), ('a-phone', 4, 1, 0), ('live:1', 3, 1, 0)",
    ];
    for sql in script {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let mut version = 0;
    let mut insert = |device: &str, seq: u64, user: i64, time: i64, event: Event| {
        version += 1;
        let op = Op {
            op_id: format!("old-{version}"),
            device_id: device.into(),
            seq,
            user_id: user,
            client_time_ms: time,
            schema: 1,
            event,
        };
        (op.clone(), serde_json::to_string(&op).unwrap())
    };
    let started = |id: &str| Event::AttemptStarted {
        course_id: "c".into(),
        assessment_id: "k".into(),
        attempt_id: id.into(),
        seed: 1,
        course_version: None,
    };
    let grade = |attempt: &str| Event::EssayGraded {
        course_id: "c".into(),
        assessment_id: "k".into(),
        attempt_id: attempt.into(),
        question_id: "q".into(),
        scores: vec![("r".into(), 100)],
        comment: String::new(),
    };
    let rows = vec![
        // The second attempt arrived later with an earlier device time.
        insert("t-phone", 1, 1, 5_000, started("first")),
        insert("t-phone", 2, 1, 1_000, started("second")),
        insert("t-phone", 3, 1, 6_000, live_answered(999)),
        insert("l-phone", 1, 2, 0, grade("first")),
        insert("x-phone", 1, 3, 0, grade("first")),
        insert("a-phone", 1, 4, 0, grade("first")),
        insert("live:1", 1, 3, 0, live_answered(5)),
    ];
    for (op, body) in &rows {
        sqlx::query("INSERT INTO events (op_id, device_id, seq, user_id, schema, client_time_ms, server_time, body) VALUES ($1, $2, $3, $4, 1, $5, 0, $6)")
            .bind(&op.op_id)
            .bind(&op.device_id)
            .bind(i64::try_from(op.seq).unwrap())
            .bind(op.user_id)
            .bind(op.client_time_ms)
            .bind(body)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;

    let store = lophoc_server::store::Store::open(&url).await.unwrap();
    let grades = store.sync.grade_events("c", "k").await.unwrap();
    assert_eq!(
        grades.iter().map(|o| o.user_id).collect::<Vec<_>>(),
        [2],
        "only the trainee's own lecturer's grade"
    );
    let pool = store.pool_for_tests();
    let ranks: Vec<(String, i64)> =
        sqlx::query_as("SELECT attempt_id, rank FROM attempts ORDER BY rank")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        ranks,
        [("first".to_string(), 1), ("second".to_string(), 2)],
        "ranked by receipt"
    );
    let refused: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT user_id, kind, code FROM refused_ops ORDER BY user_id, id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        refused,
        [
            (1, "live_answered".into(), "server_only".into()),
            (3, "essay_graded".into(), "not_your_trainee".into()),
            (3, "live_answered".into(), "server_only".into()),
            (4, "essay_graded".into(), "not_your_trainee".into()),
        ]
    );
    let live: Vec<(String, i64)> =
        sqlx::query_as("SELECT device_id, user_id FROM devices WHERE device_id LIKE '%live:%'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(live, [("claimed-live:1".to_string(), 3)]);
    // The server can write trainee 1's live results again.
    store
        .sync
        .append_server_events(&[(1, "live:1".into(), "new-live".into(), live_answered(1))])
        .await
        .unwrap();
    let events = store.sync.user_events(1).await.unwrap();
    assert!(events
        .iter()
        .any(|o| o.op_id == "new-live" && o.device_id == "live:1"));
    assert!(
        !events.iter().any(|o| o.op_id == "old-3"),
        "the forged live result left the log"
    );
}
