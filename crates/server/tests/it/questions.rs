//! Situation sets and assessments through the HTTP API, with events pushed
//! through `POST /api/sync/push` the way a device does: the outline, the
//! rendered sets, the answer-free paper, discussion responses without names,
//! and attempts scored on the server from the synced events.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::collections::HashMap;

use crate::common::{body_json, body_text, demo_content, test_app, TestApp};
use axum::http::StatusCode;
use lophoc_core::{
    assessment::{
        attempt_questions, attempts, gap_answer_text, AssessmentPaper, AttemptReport, PaperQuestion,
    },
    content::{CourseOutline, DiscussionResponse, SituationMode, SituationSet},
    events::Event,
    question::{full_marks, numeric_text, Answer, Correctness, Gap, Question, QuestionBody},
    sync::{DeviceLog, PushRequest, PushResponse, MAX_BATCH},
};
use lophoc_server::content::{load_course, CompiledCourse};
use serde_json::Value;

const COURSE: &str = "can-bo-co-so";
const ASSESSMENT: &str = "kiem-tra-chuyen-de-1";
const DISCUSSION: &str = "thao-luan-hop-thon";
const PRACTICE: &str = "tinh-huong-phong-bi";
const HOCVIEN: i64 = 1;
const HOCVIEN2: i64 = 4;
/// 2026-01-01T00:00:00Z.
const NOW_MS: i64 = 1_767_225_600_000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------
// Helpers.

fn demo() -> CompiledCourse {
    load_course(&demo_content().join(COURSE)).unwrap()
}

fn uri(rest: &str) -> String {
    format!("/api/courses/{COURSE}/{rest}")
}

async fn get_json(app: &TestApp, uri: &str, cookie: &str) -> (StatusCode, Value) {
    let response = app.get(uri, Some(cookie)).await;
    let status = response.status();
    (status, body_json(response).await)
}

/// A signed-in device: records ops in its outbox and pushes them.
struct Device {
    log: DeviceLog,
    user_id: i64,
    cookie: String,
}

impl Device {
    async fn sign_in(app: &TestApp, device_id: &str, username: &str, user_id: i64) -> Device {
        // Both demo trainees have the same password.
        Device {
            log: DeviceLog::new(device_id),
            user_id,
            cookie: app.login(username, "hocvien123").await,
        }
    }

    /// Records an action at `time` on the device's clock.
    fn record(&mut self, time: i64, event: Event) {
        let op_id = format!("{}-{}", self.log.device_id, self.log.next_seq);
        self.log.record(op_id, self.user_id, time, event);
    }

    /// Pushes the outbox; every op must be stored.
    async fn sync(&mut self, app: &TestApp) {
        let ops = self.log.batch(MAX_BATCH);
        let body = serde_json::to_string(&PushRequest {
            device_id: self.log.device_id.clone(),
            ops: ops
                .iter()
                .map(|op| serde_json::to_value(op).unwrap())
                .collect(),
        })
        .unwrap();
        let response = app
            .post_json("/api/sync/push", &body, Some(&self.cookie))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let reply: PushResponse = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(reply.rejected, None);
        assert_eq!(reply.acked_seq, self.log.next_seq - 1);
        self.log.acknowledge(reply.acked_seq);
        assert_eq!(self.log.pending(), 0);
    }

    async fn get(&self, app: &TestApp, uri: &str) -> (StatusCode, Value) {
        get_json(app, uri, &self.cookie).await
    }
}

fn opinion(situation: &str, question: &str, text: &str) -> Event {
    situation_answer(situation, question, Answer::Opinion { text: text.into() })
}

fn situation_answer(situation: &str, question: &str, answer: Answer) -> Event {
    Event::SituationAnswered {
        course_id: COURSE.into(),
        situation_id: situation.into(),
        question_id: question.into(),
        answer,
    }
}

fn started(attempt: &str, seed: u64) -> Event {
    Event::AttemptStarted {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.into(),
        seed,
        course_version: None,
    }
}

fn answered(attempt: &str, question: &str, answer: Answer) -> Event {
    Event::AttemptAnswered {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.into(),
        question_id: question.into(),
        answer,
    }
}

fn submitted(attempt: &str) -> Event {
    Event::AttemptSubmitted {
        course_id: COURSE.into(),
        assessment_id: ASSESSMENT.into(),
        attempt_id: attempt.into(),
    }
}

/// The answer that earns full marks, typed as a trainee might.
fn correct_answer(q: &Question) -> Answer {
    match &q.body {
        QuestionBody::SingleChoice { options } => Answer::SingleChoice {
            option: options.iter().find(|o| o.correct).unwrap().id.clone(),
        },
        QuestionBody::MultipleChoice { options } => Answer::MultipleChoice {
            options: options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect(),
        },
        QuestionBody::TrueFalse { answer, .. } => Answer::TrueFalse { value: *answer },
        QuestionBody::ShortAnswer { accepted, .. } => Answer::ShortAnswer {
            text: format!("  {}  ", accepted[0].text.to_uppercase()),
        },
        // Typed the Vietnamese way: a thousands dot, a decimal comma.
        QuestionBody::Numerical { answers } => Answer::Numerical {
            text: answers[0].value.display(true).replace('\u{202f}', "."),
        },
        QuestionBody::FillBlanks { gaps } => Answer::FillBlanks {
            gaps: gaps
                .iter()
                .map(|g| match g {
                    Gap::ShortAnswer { accepted, .. } => accepted[0].text.clone(),
                    Gap::Numerical { answers, .. } => answers[0].value.display(true),
                    Gap::Choice { options, .. } => {
                        options.iter().find(|o| o.correct).unwrap().id.clone()
                    }
                })
                .collect(),
        },
        // Waits for a lecturer, whatever it says.
        QuestionBody::Essay { .. } => Answer::Essay {
            text: "Ghi nhận, báo cáo, giữ kín tên người cung cấp thông tin.".into(),
        },
        other => panic!("no assessment question is a {other:?}"),
    }
}

/// An answer that earns nothing.
fn wrong_answer(q: &Question) -> Answer {
    match &q.body {
        QuestionBody::SingleChoice { options } => Answer::SingleChoice {
            option: options.iter().find(|o| !o.correct).unwrap().id.clone(),
        },
        QuestionBody::MultipleChoice { options } => Answer::MultipleChoice {
            options: options
                .iter()
                .filter(|o| !o.correct)
                .map(|o| o.id.clone())
                .collect(),
        },
        QuestionBody::TrueFalse { answer, .. } => Answer::TrueFalse { value: !*answer },
        QuestionBody::ShortAnswer { .. } => Answer::ShortAnswer {
            text: "không biết".into(),
        },
        QuestionBody::Numerical { .. } => Answer::Numerical { text: "-1".into() },
        QuestionBody::FillBlanks { gaps } => Answer::FillBlanks {
            gaps: vec![String::new(); gaps.len()],
        },
        QuestionBody::Essay { .. } => Answer::Essay {
            text: "Không biết.".into(),
        },
        other => panic!("no assessment question is a {other:?}"),
    }
}

/// The feedback a wrong choice unlocks, to check the review.
fn chosen_feedback(q: &Question, answer: &Answer) -> Vec<String> {
    match (&q.body, answer) {
        (QuestionBody::SingleChoice { options }, Answer::SingleChoice { option }) => options
            .iter()
            .filter(|o| o.id == *option)
            .filter_map(|o| o.feedback.clone())
            .collect(),
        (QuestionBody::MultipleChoice { options }, Answer::MultipleChoice { options: chosen }) => {
            options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .filter_map(|o| o.feedback.clone())
                .collect()
        }
        (
            QuestionBody::TrueFalse {
                feedback_true,
                feedback_false,
                ..
            },
            Answer::TrueFalse { value },
        ) => {
            let text = if *value {
                feedback_true
            } else {
                feedback_false
            };
            text.iter().cloned().collect()
        }
        _ => Vec::new(),
    }
}

/// Every object key and every string value in `value`, recursively.
fn walk(value: &Value, keys: &mut Vec<String>, strings: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                keys.push(k.clone());
                walk(v, keys, strings);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, keys, strings)),
        Value::String(s) => strings.push(s.clone()),
        _ => {}
    }
}

/// Text without HTML tags, to compare rendered Markdown by its words.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// Reading sets and the paper.

#[tokio::test]
async fn the_outline_lists_the_sets_and_the_assessment_with_counts() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let (status, body) = get_json(&app, &format!("/api/courses/{COURSE}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let outline: CourseOutline = serde_json::from_value(body).unwrap();
    let demo = demo();

    let sets: Vec<(&str, &str, SituationMode, u32)> = outline
        .modules
        .iter()
        .flat_map(|m| {
            m.situations
                .iter()
                .map(move |s| (m.id.as_str(), s.id.as_str(), s.mode, s.question_count))
        })
        .collect();
    // The demo's sets (others may follow) with their modes and counts.
    for expected in [
        (
            "phong-chong-tham-nhung",
            PRACTICE,
            SituationMode::Practice,
            7,
        ),
        (
            "hoc-tap-tu-tuong-ho-chi-minh",
            "tinh-huong-neu-guong",
            SituationMode::Practice,
            4,
        ),
        ("ky-nang-dan-van", DISCUSSION, SituationMode::Discussion, 3),
    ] {
        assert!(sets.contains(&expected), "{expected:?} not in {sets:?}");
    }
    for (_, id, _, count) in &sets {
        let set = demo.situations.iter().find(|s| s.id == *id).unwrap();
        assert_eq!(*count as usize, set.questions.len(), "{id}");
    }

    let assessments: Vec<_> = outline
        .modules
        .iter()
        .flat_map(|m| m.assessments.iter().map(move |a| (m.id.as_str(), a)))
        .collect();
    assert_eq!(assessments.len(), 1);
    let (module, listed) = assessments[0];
    assert_eq!(
        (module, listed.id.as_str()),
        ("phong-chong-tham-nhung", ASSESSMENT)
    );
    // One attempt asks the pools' total, not the whole bank.
    let compiled = &demo.assessments[0];
    let pooled: u32 = compiled.paper.pools.iter().map(|p| p.count).sum();
    assert!(listed.question_count >= 8);
    assert_eq!(listed.question_count, pooled);
    assert!(compiled.bank.len() > 8);
    assert_eq!(listed.settings, compiled.paper.settings);
    assert_eq!(listed.title, compiled.paper.title);
    // The published outline lists exactly what the loader compiled.
    for (published, loaded) in outline.modules.iter().zip(&demo.outline.modules) {
        assert_eq!(published.situations, loaded.situations);
        assert_eq!(published.assessments, loaded.assessments);
    }
}

#[tokio::test]
async fn a_situation_set_comes_as_rendered_html() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let demo = demo();
    for id in [PRACTICE, "tinh-huong-neu-guong", DISCUSSION] {
        let (status, body) = get_json(&app, &uri(&format!("situations/{id}")), &cookie).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        let text = body.to_string();
        assert!(!text.contains("<script"), "{id}");
        let set: SituationSet = serde_json::from_value(body).unwrap();
        assert_eq!(
            (set.course_id.as_str(), set.id.as_str()),
            (COURSE, id),
            "{id}"
        );
        assert!(set.scenario_html.starts_with('<'), "{id}");
        assert!(set.scenario_html.contains("<p>"), "{id}");
        assert!(!set.scenario_html.contains("\n- "), "Markdown left in {id}");
        for q in &set.questions {
            assert!(q.prompt.starts_with('<'), "{id}/{}: {}", q.id, q.prompt);
        }
        let loaded = demo.situations.iter().find(|s| s.id == id).unwrap();
        assert_eq!(set, loaded.clone().for_trainee(), "{id}");
    }
    let (_, discussion) = get_json(&app, &uri(&format!("situations/{DISCUSSION}")), &cookie).await;
    let guidance = discussion["guidance_html"].as_str().unwrap();
    assert!(
        guidance.contains("<h2>") && guidance.contains("<blockquote>"),
        "{guidance}"
    );
}

/// Issue 19: a question's grader note is for staff. Trainees never receive
/// it — not in a situation set, not in the assessment paper, not in the
/// grading queue's place (they have none) — while lecturers do, and the
/// grading queue carries it with the model answer.
#[tokio::test]
async fn grader_notes_reach_staff_only() {
    let app = test_app().await;
    let trainee = app.login("hocvien", "hocvien123").await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let demo = demo();
    let loaded = demo.situations.iter().find(|s| s.id == DISCUSSION).unwrap();
    assert!(
        loaded.questions.iter().any(|q| q.grader_note.is_some()),
        "the demo discussion has a grader note"
    );
    assert!(
        !loaded.guidance_html.contains("Gợi ý khi chấm"),
        "grading hints are not in the trainees' guidance"
    );
    let path = uri(&format!("situations/{DISCUSSION}"));
    let (_, as_trainee) = get_json(&app, &path, &trainee).await;
    assert!(
        !as_trainee.to_string().contains("grader_note"),
        "{as_trainee}"
    );
    let (_, as_lecturer) = get_json(&app, &path, &lecturer).await;
    let note = as_lecturer["questions"][2]["grader_note"].as_str().unwrap();
    assert!(
        note.starts_with("<p>") && note.contains("<strong>"),
        "rendered: {note}"
    );
    let (_, paper) = get_json(&app, &uri(&format!("assessments/{ASSESSMENT}")), &trainee).await;
    let paper = paper.to_string();
    assert!(
        !paper.contains("grader_note") && !paper.contains("Đủ điểm"),
        "{paper}"
    );
}

/// Issue 19: the size offered before a download is what the device stores
/// after it (lesson HTML in bytes, each set and paper as a trainee gets
/// it, the media).
#[tokio::test]
async fn the_download_estimate_is_what_a_download_stores() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let (_, outline) = get_json(&app, &format!("/api/courses/{COURSE}"), &cookie).await;
    let outline: lophoc_core::content::CourseOutline = serde_json::from_value(outline).unwrap();
    let mut stored = 0_u64;
    for module in &outline.modules {
        for l in &module.lessons {
            let (_, lesson) = get_json(&app, &uri(&format!("lessons/{}", l.id)), &cookie).await;
            stored += lesson["html"].as_str().unwrap().len() as u64;
        }
        for s in &module.situations {
            let (_, set) = get_json(&app, &uri(&format!("situations/{}", s.id)), &cookie).await;
            let set: SituationSet = serde_json::from_value(set).unwrap();
            stored += lophoc_core::content::stored_bytes(&set);
        }
        for a in &module.assessments {
            let (_, paper) = get_json(&app, &uri(&format!("assessments/{}", a.id)), &cookie).await;
            let paper: lophoc_core::assessment::AssessmentPaper =
                serde_json::from_value(paper).unwrap();
            assert!(
                paper.seeds.is_some(),
                "the trainee's seeds come with the paper"
            );
            stored += lophoc_core::content::stored_bytes(&paper.course_part());
        }
    }
    for name in &outline.media {
        let response = app.get(&uri(&format!("media/{name}")), Some(&cookie)).await;
        stored += body_text(response).await.len() as u64;
    }
    assert_eq!(outline.download_bytes, stored);
}

#[tokio::test]
async fn the_assessment_paper_gives_no_answer_away() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let (status, body) = get_json(&app, &uri(&format!("assessments/{ASSESSMENT}")), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let demo = demo();
    let compiled = &demo.assessments[0];
    // As compiled, with the version it was published as, and the attempt
    // seeds issued to the asker (one per allowed attempt).
    let mut published = compiled.paper.clone();
    published.course_version = 1;
    published.seeds = Some(lophoc_core::assessment::IssuedSeeds {
        user_id: HOCVIEN,
        seeds: (1..=3)
            .map(|n| app.store.sync.attempt_seed(HOCVIEN, COURSE, ASSESSMENT, n))
            .collect(),
    });
    assert_eq!(body, serde_json::to_value(&published).unwrap());
    let paper: AssessmentPaper = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(paper.bank.len(), compiled.bank.len());

    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    walk(&body, &mut keys, &mut strings);
    for key in [
        "correct",
        "feedback",
        "feedback_true",
        "feedback_false",
        "accepted",
        "ignore_tone_marks",
        "explanation",
        "answer",
    ] {
        assert!(!keys.iter().any(|k| k == key), "key {key:?} in the paper");
    }
    let plain: Vec<String> = strings
        .iter()
        .map(|s| strip_tags(s).to_lowercase())
        .collect();
    let mut checked = 0;
    // A long secret must not appear anywhere; a short one ("Đúng.") may be
    // part of a prompt ("Chọn tất cả các ý đúng."), just not a whole string.
    let mut absent = |secret: &str, what: &str| {
        let secret = strip_tags(secret).to_lowercase();
        let short = secret.split_whitespace().count() < 4;
        assert!(
            !plain
                .iter()
                .any(|s| *s == secret || (!short && s.contains(&secret))),
            "{what} {secret:?} is in the paper"
        );
        checked += 1;
    };
    for q in &compiled.bank {
        let explanation = q.explanation.as_deref().unwrap();
        absent(explanation, "the explanation");
        // Each paragraph on its own too.
        for paragraph in explanation.split("</p>").filter(|p| p.len() > 40) {
            absent(paragraph, "explanation paragraph");
        }
        match &q.body {
            QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
                assert!(options.iter().any(|o| o.correct));
                for o in options {
                    absent(o.feedback.as_deref().unwrap(), "option feedback");
                }
            }
            QuestionBody::TrueFalse {
                feedback_true,
                feedback_false,
                ..
            } => {
                absent(feedback_true.as_deref().unwrap(), "feedback");
                absent(feedback_false.as_deref().unwrap(), "feedback");
            }
            QuestionBody::ShortAnswer { accepted, .. } => {
                for a in accepted {
                    absent(&a.text, "the accepted answer");
                }
            }
            QuestionBody::Numerical { answers } => {
                for a in answers {
                    absent(&format!("\"{}\"", a.value), "the accepted value");
                }
            }
            QuestionBody::FillBlanks { gaps } => {
                for g in gaps {
                    match g {
                        Gap::ShortAnswer { accepted, .. } => {
                            for a in accepted {
                                absent(&a.text, "a gap's accepted answer");
                            }
                        }
                        Gap::Numerical { answers, .. } => {
                            for a in answers {
                                absent(&format!("\"{}\"", a.value), "a gap's value");
                            }
                        }
                        Gap::Choice { .. } => absent("\"correct\"", "a correct flag"),
                    }
                }
            }
            // The rubric is shown; an essay has nothing else to hide.
            QuestionBody::Essay { .. } => {}
            other => panic!("unexpected kind {other:?}"),
        }
    }
    assert!(checked > 60, "only {checked} secrets checked");
    // Drawing an attempt from the paper needs no more than the paper.
    let drawn = attempt_questions(&paper, 1).unwrap();
    let pooled: u32 = paper.pools.iter().map(|p| p.count).sum();
    assert_eq!(drawn.len(), pooled as usize);
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_a_session_is_needed() {
    let app = test_app().await;
    let endpoints = [
        format!("situations/{DISCUSSION}"),
        format!("situations/{DISCUSSION}/responses"),
        format!("assessments/{ASSESSMENT}"),
        format!("assessments/{ASSESSMENT}/attempts"),
    ];
    for rest in &endpoints {
        for cookie in [None, Some("lophoc_session=00ff")] {
            let response = app.get(&uri(rest), cookie).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{rest}");
            assert_eq!(body_json(response).await["code"], "unauthenticated");
        }
    }
    let cookie = app.login("hocvien", "hocvien123").await;
    let missing = [
        uri("situations/khong-co"),
        uri("situations/khong-co/responses"),
        uri("assessments/khong-co"),
        uri("assessments/khong-co/attempts"),
        uri("situations/Bad%20Id"),
        uri("assessments/Bad%20Id/attempts"),
        // A set is not an assessment, nor the other way round.
        uri(&format!("assessments/{DISCUSSION}")),
        uri(&format!("assessments/{DISCUSSION}/attempts")),
        uri(&format!("situations/{ASSESSMENT}")),
        uri(&format!("situations/{ASSESSMENT}/responses")),
        format!("/api/courses/khong-co/situations/{DISCUSSION}"),
        format!("/api/courses/khong-co/situations/{DISCUSSION}/responses"),
        format!("/api/courses/khong-co/assessments/{ASSESSMENT}"),
        format!("/api/courses/khong-co/assessments/{ASSESSMENT}/attempts"),
    ];
    for uri in &missing {
        let (status, body) = get_json(&app, uri, &cookie).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body["code"], "not_found", "{uri}");
    }
}

// ---------------------------------------------------------------------------
// Discussion responses.

#[tokio::test]
async fn discussion_responses_are_anonymous_and_only_after_answering() {
    let app = test_app().await;
    let responses = uri(&format!("situations/{DISCUSSION}/responses"));
    let mut an = Device::sign_in(&app, "an-phone", "hocvien", HOCVIEN).await;
    let mut dung = Device::sign_in(&app, "dung-phone", "hocvien2", HOCVIEN2).await;

    let (status, body) = an.get(&app, &responses).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "forbidden");

    const DUNG_FIRST: &str = "Cán bộ xã nói nhiều, nghe ít (ý kiến đầu của Dung).";
    const DUNG_LATER: &str = "Nên gặp riêng từng hộ và cụ Sình trước khi họp (Dung, sửa lại).";
    const DUNG_ESSAY: &str = "Kế hoạch ba bước của Dung: trước, trong và sau cuộc họp.";
    const AN_Q1: &str = "Chưa công khai khoản thu làm mương năm trước (ý kiến của An).";
    const AN_Q2: &str = "Với chị Mai, bàn giảm bề rộng đoạn qua nhà chị (ý kiến của An).";

    dung.record(NOW_MS, opinion(DISCUSSION, "q1", DUNG_FIRST));
    dung.sync(&app).await;
    // Someone else's answer does not open the responses to An.
    let (status, _) = an.get(&app, &responses).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Dung answered, but nobody else has: an empty list, not Dung's own.
    let (status, body) = dung.get(&app, &responses).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!([]));

    // An's device clock is days behind; it does not matter here.
    an.record(NOW_MS - 3 * DAY_MS, opinion(DISCUSSION, "q1", AN_Q1));
    an.record(NOW_MS - 3 * DAY_MS + 1, opinion(DISCUSSION, "q2", AN_Q2));
    an.sync(&app).await;

    let (status, body) = an.get(&app, &responses).await;
    assert_eq!(status, StatusCode::OK);
    let text = body.to_string();
    let seen: Vec<DiscussionResponse> = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        seen,
        vec![DiscussionResponse {
            question_id: "q1".into(),
            text: DUNG_FIRST.into(),
        }]
    );
    assert!(!text.contains(AN_Q1) && !text.contains(AN_Q2), "{text}");
    assert_anonymous(&body);

    let (_, body) = dung.get(&app, &responses).await;
    let seen: Vec<DiscussionResponse> = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        seen,
        vec![
            DiscussionResponse {
                question_id: "q1".into(),
                text: AN_Q1.into(),
            },
            DiscussionResponse {
                question_id: "q2".into(),
                text: AN_Q2.into(),
            },
        ]
    );
    assert_anonymous(&body);

    // Dung changes her mind on q1 and writes the essay of q3.
    dung.record(NOW_MS + 60_000, opinion(DISCUSSION, "q1", DUNG_LATER));
    dung.record(
        NOW_MS + 120_000,
        situation_answer(
            DISCUSSION,
            "q3",
            Answer::Essay {
                text: DUNG_ESSAY.into(),
            },
        ),
    );
    dung.sync(&app).await;
    let (_, body) = an.get(&app, &responses).await;
    let text = body.to_string();
    let mut seen: Vec<DiscussionResponse> = serde_json::from_value(body.clone()).unwrap();
    seen.sort_by(|a, b| a.question_id.cmp(&b.question_id));
    assert_eq!(
        seen,
        vec![
            DiscussionResponse {
                question_id: "q1".into(),
                text: DUNG_LATER.into(),
            },
            DiscussionResponse {
                question_id: "q3".into(),
                text: DUNG_ESSAY.into(),
            },
        ]
    );
    assert!(
        !text.contains(DUNG_FIRST),
        "the replaced answer is gone: {text}"
    );
    assert_anonymous(&body);
}

/// Responses name nobody: only question ids and texts, no user id,
/// username or full name anywhere.
fn assert_anonymous(body: &Value) {
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    walk(body, &mut keys, &mut strings);
    assert!(
        keys.iter().all(|k| k == "question_id" || k == "text"),
        "{keys:?}"
    );
    let text = body.to_string();
    for name in [
        "hocvien",
        "Nguyễn Văn An",
        "Phạm Thị Dung",
        "user",
        "device",
        "an-phone",
        "dung-phone",
    ] {
        assert!(!text.contains(name), "{name:?} in {text}");
    }
    for item in body.as_array().unwrap() {
        assert_eq!(item.as_object().unwrap().len(), 2, "{item}");
    }
}

#[tokio::test]
async fn practice_sets_have_no_responses() {
    let app = test_app().await;
    let mut an = Device::sign_in(&app, "an-phone", "hocvien", HOCVIEN).await;
    let mut dung = Device::sign_in(&app, "dung-phone", "hocvien2", HOCVIEN2).await;
    let practice = uri(&format!("situations/{PRACTICE}/responses"));
    let (status, _) = an.get(&app, &practice).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for device in [&mut an, &mut dung] {
        device.record(
            NOW_MS,
            situation_answer(PRACTICE, "q1", Answer::SingleChoice { option: "a".into() }),
        );
        device.record(
            NOW_MS + 1,
            situation_answer(
                PRACTICE,
                "q5",
                Answer::ShortAnswer {
                    text: "tham nhũng".into(),
                },
            ),
        );
        device.sync(&app).await;
    }
    let (status, body) = an.get(&app, &practice).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "forbidden");
    // Answering a practice set does not open a discussion set either.
    let (status, _) = an
        .get(&app, &uri(&format!("situations/{DISCUSSION}/responses")))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

// ---------------------------------------------------------------------------
// Attempts.

/// What the trainee does with one drawn question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Correct,
    Wrong,
    /// Right first, then changed to a wrong answer.
    CorrectThenWrong,
    /// Wrong first, then corrected.
    WrongThenCorrect,
    /// Right, recorded exactly at the end of the grace period.
    CorrectAtEndOfGrace,
    /// Right, but recorded a millisecond after the grace period.
    CorrectTooLate,
}

/// How a drawn question should come out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Right,
    Wrong,
    /// An essay, answered in time: waits for a lecturer.
    Waiting,
    Unanswered,
}

/// `plan` for the first questions, then `rest` for any further ones, so
/// the tests follow the demo's pools whatever their total.
fn plan(plan: &[Plan], rest: Plan, n: usize) -> Vec<Plan> {
    (0..n)
        .map(|i| plan.get(i).copied().unwrap_or(rest))
        .collect()
}

/// The seed the server issued with `paper` for attempt `n + 1`.
fn issued(paper: &AssessmentPaper, n: usize) -> u64 {
    paper.seeds.as_ref().unwrap().seeds[n]
}

/// Records one attempt as a device would: start, answers, maybe submit
/// (and, after submitting, a change that must not count). Returns the
/// questions drawn and each one's expected outcome.
fn take_attempt(
    device: &mut Device,
    (paper, bank): (&AssessmentPaper, &HashMap<String, Question>),
    attempt: &str,
    seed: u64,
    t0: i64,
    plan: &[Plan],
    submit: bool,
) -> Vec<(PaperQuestion, Outcome)> {
    let limit = i64::from(paper.settings.time_limit_secs.unwrap()) * 1000;
    let end_of_grace = t0 + limit + lophoc_core::assessment::GRACE_MS;
    let drawn = attempt_questions(paper, seed).unwrap();
    assert_eq!(drawn.len(), plan.len());
    device.record(t0, started(attempt, seed));
    let mut expected = Vec::new();
    let mut time = t0;
    for (q, plan) in drawn.iter().zip(plan) {
        let full = &bank[&q.id];
        let give = |device: &mut Device, at: i64, answer: Answer| {
            device.record(at, answered(attempt, &q.id, answer));
        };
        time += 20_000;
        let right = match plan {
            Plan::Correct => {
                give(device, time, correct_answer(full));
                Some(true)
            }
            Plan::Wrong => {
                give(device, time, wrong_answer(full));
                Some(false)
            }
            Plan::CorrectThenWrong => {
                give(device, time, correct_answer(full));
                give(device, time + 5_000, wrong_answer(full));
                Some(false)
            }
            Plan::WrongThenCorrect => {
                give(device, time, wrong_answer(full));
                give(device, time + 5_000, correct_answer(full));
                Some(true)
            }
            Plan::CorrectAtEndOfGrace => {
                give(device, end_of_grace, correct_answer(full));
                Some(true)
            }
            Plan::CorrectTooLate => {
                give(device, end_of_grace + 1, correct_answer(full));
                None
            }
        };
        let outcome = match (right, &full.body) {
            (None, _) => Outcome::Unanswered,
            (Some(_), QuestionBody::Essay { .. }) => Outcome::Waiting,
            (Some(true), _) => Outcome::Right,
            (Some(false), _) => Outcome::Wrong,
        };
        expected.push((q.clone(), outcome));
    }
    if submit {
        device.record(end_of_grace + 2, submitted(attempt));
        // A change after handing in does not count.
        if let Some((q, _)) = expected.iter().find(|(_, o)| *o == Outcome::Wrong) {
            device.record(
                end_of_grace + 3,
                answered(attempt, &q.id, correct_answer(&bank[&q.id])),
            );
        }
    }
    expected
}

async fn attempts_of(device: &Device, app: &TestApp) -> Vec<AttemptReport> {
    let (status, body) = device
        .get(app, &uri(&format!("assessments/{ASSESSMENT}/attempts")))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

/// Checks a report against what the attempt was expected to score.
fn check_report(
    report: &AttemptReport,
    expected: &[(PaperQuestion, Outcome)],
    bank: &HashMap<String, Question>,
    pass_percent: u32,
) {
    let marks = |outcome: Option<Outcome>| -> u64 {
        expected
            .iter()
            .filter(|(_, o)| outcome.is_none_or(|want| *o == want))
            .map(|(q, _)| u64::from(full_marks(&bank[&q.id])))
            .sum()
    };
    let (earned, max, waiting) = (
        marks(Some(Outcome::Right)),
        marks(None),
        marks(Some(Outcome::Waiting)),
    );
    assert_eq!((report.earned, report.max), (earned, max), "{report:?}");
    assert_eq!(u64::from(report.percent), earned * 100 / max);
    let passes = |e: u64| e * 100 >= u64::from(pass_percent) * max;
    let passed = if passes(earned) {
        Some(true)
    } else if passes(earned + waiting) {
        None
    } else {
        Some(false)
    };
    assert_eq!(report.passed, passed, "{report:?}");
    assert_eq!(report.question_count as usize, expected.len());
    let answered = expected
        .iter()
        .filter(|(_, o)| *o != Outcome::Unanswered)
        .count();
    assert_eq!(report.answered as usize, answered);
}

#[tokio::test]
async fn attempts_are_scored_on_the_server_from_synced_events() {
    let app = test_app().await;
    let mut an = Device::sign_in(&app, "an-phone", "hocvien", HOCVIEN).await;
    let mut dung = Device::sign_in(&app, "dung-phone", "hocvien2", HOCVIEN2).await;
    let (status, body) = an
        .get(&app, &uri(&format!("assessments/{ASSESSMENT}")))
        .await;
    assert_eq!(status, StatusCode::OK);
    let paper: AssessmentPaper = serde_json::from_value(body).unwrap();
    let demo = demo();
    let bank: HashMap<String, Question> = demo.assessments[0]
        .bank
        .iter()
        .map(|q| (q.id.clone(), q.clone()))
        .collect();
    let pass = paper.settings.pass_percent;
    let n: usize = paper.pools.iter().map(|p| p.count as usize).sum();
    assert!(n >= 8, "the demo draws {n} questions");
    assert!(attempts_of(&an, &app).await.is_empty());

    // An's first attempt, on a device clock three days behind, handed in.
    use Plan::*;
    let first = take_attempt(
        &mut an,
        (&paper, &bank),
        "an-attempt-1",
        issued(&paper, 0),
        NOW_MS - 3 * DAY_MS,
        &plan(
            &[
                Correct,
                Wrong,
                Correct,
                CorrectThenWrong,
                WrongThenCorrect,
                CorrectTooLate,
                CorrectAtEndOfGrace,
            ],
            Correct,
            n,
        ),
        true,
    );
    an.sync(&app).await;
    let reports = attempts_of(&an, &app).await;
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert_eq!(report.attempt_id, "an-attempt-1");
    assert_eq!(report.started_ms, NOW_MS - 3 * DAY_MS);
    assert!(report.submitted);
    check_report(report, &first, &bank, pass);
    assert_eq!(
        report.answered as usize,
        n - 1,
        "the late answer is ignored"
    );
    assert!(report.earned > 0 && report.earned < report.max);

    // Review after submitting: per question, in the order drawn.
    let review = report.review.as_ref().unwrap();
    assert_eq!(
        review
            .iter()
            .map(|r| r.question_id.as_str())
            .collect::<Vec<_>>(),
        first.iter().map(|(q, _)| q.id.as_str()).collect::<Vec<_>>()
    );
    for (item, (q, outcome)) in review.iter().zip(&first) {
        let full = &bank[&q.id];
        let marks = full_marks(full);
        let earned = if *outcome == Outcome::Right { marks } else { 0 };
        assert_eq!((item.earned, item.max), (earned, marks), "{}", q.id);
        let correctness = match outcome {
            Outcome::Right => Correctness::Correct,
            Outcome::Waiting => Correctness::NeedsGrading,
            Outcome::Wrong | Outcome::Unanswered => Correctness::Incorrect,
        };
        assert_eq!(item.correctness, correctness, "{}", q.id);
        assert_eq!(item.explanation, full.explanation, "{}", q.id);
        let correct: Vec<String> = match &full.body {
            QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
                options
                    .iter()
                    .filter(|o| o.correct)
                    .map(|o| o.text.clone())
                    .collect()
            }
            QuestionBody::TrueFalse { answer, .. } => vec![answer.to_string()],
            QuestionBody::ShortAnswer { accepted, .. } => {
                accepted.iter().map(|a| a.text.clone()).collect()
            }
            QuestionBody::Numerical { answers } => answers.iter().map(numeric_text).collect(),
            QuestionBody::FillBlanks { gaps } => gaps
                .iter()
                .enumerate()
                .map(|(i, g)| format!("({}) {}", i + 1, gap_answer_text(g)))
                .collect(),
            _ => Vec::new(),
        };
        assert_eq!(item.correct, correct, "{}", q.id);
        let given = match outcome {
            Outcome::Unanswered => None,
            Outcome::Right | Outcome::Waiting => Some(correct_answer(full)),
            Outcome::Wrong => Some(wrong_answer(full)),
        };
        let feedback = given.map(|a| chosen_feedback(full, &a)).unwrap_or_default();
        assert_eq!(item.feedback, feedback, "{}", q.id);
    }

    // A second attempt, a day later, not handed in: scored, but no review.
    let second = take_attempt(
        &mut an,
        (&paper, &bank),
        "an-attempt-2",
        issued(&paper, 1),
        NOW_MS - 2 * DAY_MS,
        &plan(&[Correct, Correct, Wrong], Correct, n),
        false,
    );
    an.sync(&app).await;
    let reports = attempts_of(&an, &app).await;
    assert_eq!(
        reports
            .iter()
            .map(|r| r.attempt_id.as_str())
            .collect::<Vec<_>>(),
        vec!["an-attempt-1", "an-attempt-2"]
    );
    assert_eq!(reports[0], *report, "the first attempt is unchanged");
    assert!(!reports[1].submitted);
    assert_eq!(reports[1].review, None);
    check_report(&reports[1], &second, &bank, pass);

    // Dung sees only her own attempt, and An never sees it.
    assert!(attempts_of(&dung, &app).await.is_empty());
    let hers = take_attempt(
        &mut dung,
        (&paper, &bank),
        "dung-attempt-1",
        app.store.sync.attempt_seed(HOCVIEN2, COURSE, ASSESSMENT, 1),
        NOW_MS,
        &plan(&[], Correct, n),
        true,
    );
    dung.sync(&app).await;
    let reports = attempts_of(&dung, &app).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].attempt_id, "dung-attempt-1");
    check_report(&reports[0], &hers, &bank, pass);
    if hers.iter().all(|(_, o)| *o == Outcome::Right) {
        assert_eq!((reports[0].percent, reports[0].passed), (100, Some(true)));
    }
    assert!(reports[0].review.is_some());
    let an_reports = attempts_of(&an, &app).await;
    assert_eq!(an_reports.len(), 2);
    assert!(an_reports.iter().all(|r| r.attempt_id.starts_with("an-")));

    // The API reports exactly what the core computes from the stored events.
    let events = app.store.sync.user_events(HOCVIEN).await.unwrap();
    let rebuilt = attempts(&events, COURSE, ASSESSMENT, &paper.settings);
    let expected: Vec<AttemptReport> = rebuilt
        .iter()
        .map(|a| lophoc_core::assessment::report(a, &paper, &demo.assessments[0].bank, false))
        .collect();
    assert_eq!(an_reports, expected);
}

// ---------------------------------------------------------------------------
// Bugs found (ignored until fixed).

/// A course whose assessment has pools with overlapping tags: question `x`
/// (hard) carries both tags, so when the first rule takes `x` the second
/// finds no hard question and the draw fails, for some seeds only.
fn overlapping_pools_course(dir: &std::path::Path) {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "course.toml",
        r#"id = "thu-bo-cau-hoi"
title = "Khoá thử bộ câu hỏi"

[[modules]]
id = "mot"
title = "Chuyên đề một"
lessons = ["bai-a"]
assessments = ["kiem-tra"]
"#,
    );
    write(
        "mot/bai-a.md",
        "+++\ntitle = \"Bài A\"\nminutes = 5\n+++\n\nNội dung.\n",
    );
    write(
        "mot/kiem-tra.assessment.toml",
        r#"title = "Kiểm tra thử"

[settings]
pass_percent = 50
review = "after_submit"

[[pools]]
tag = "a"
count = 1

[[pools]]
tag = "b"
count = 1
min_hard = 1

[[questions]]
id = "y"
prompt = "Câu y"
tags = ["a"]

[questions.body]
kind = "true_false"
answer = false

[[questions]]
id = "x"
prompt = "Câu x"
difficulty = "hard"
tags = ["a", "b"]

[questions.body]
kind = "true_false"
answer = true
"#,
    );
}

/// The loader checks the pools with seed 0 only
/// (`parse_assessment`, crates/server/src/content.rs:966,
/// `attempt_questions(&paper, 0)`), so
/// it publishes an assessment whose pools cannot be filled for other
/// seeds. The device shows such an attempt with no questions
/// (src/pages/assessment.rs:173) and the server scores it from an empty
/// draw (crates/core/src/assessment.rs:347-349): handed in untouched, it
/// passes with 100%.
#[tokio::test]
async fn an_assessment_is_published_only_if_every_seed_fills_its_pools() {
    let app = test_app().await;
    let dir = tempfile::tempdir().unwrap();
    overlapping_pools_course(dir.path());
    let loaded = load_course(dir.path());
    let Ok(course) = loaded else {
        return; // refused at load: what the fix would do
    };
    let paper = &course.assessments[0].paper;
    let failing: Vec<u64> = (0..64)
        .filter(|&seed| attempt_questions(paper, seed).is_err())
        .collect();
    assert!(
        attempt_questions(paper, 0).is_ok(),
        "seed 0 draws, so the loader accepts the course"
    );

    // Published, a trainee starts with a failing seed and hands in at once.
    let report = lophoc_server::seed::publish_content(&app.store, dir.path())
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let mut an = Device::sign_in(&app, "an-phone", "hocvien", HOCVIEN).await;
    let (course_id, id) = ("thu-bo-cau-hoi", "kiem-tra");
    for event in [
        Event::AttemptStarted {
            course_id: course_id.into(),
            assessment_id: id.into(),
            attempt_id: "a1".into(),
            seed: failing[0],
            course_version: None,
        },
        Event::AttemptSubmitted {
            course_id: course_id.into(),
            assessment_id: id.into(),
            attempt_id: "a1".into(),
        },
    ] {
        an.record(NOW_MS, event);
    }
    an.sync(&app).await;
    let (status, body) = an
        .get(
            &app,
            &format!("/api/courses/{course_id}/assessments/{id}/attempts"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let reports: Vec<AttemptReport> = serde_json::from_value(body).unwrap();
    assert_ne!(
        reports[0].passed,
        Some(true),
        "passed without a question: {:?}",
        reports[0]
    );
    assert!(
        failing.is_empty(),
        "published, yet seeds {failing:?} of 0..64 cannot draw an attempt"
    );
}

// ---------------------------------------------------------------------------
// Answers stay tied to the version they answered.

/// A one-question course whose key is `correct` ("a" or "b").
fn one_question_course(dir: &std::path::Path, correct: &str) {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "course.toml",
        "id = \"phien-ban\"\ntitle = \"Khoá thử phiên bản\"\n\n[[modules]]\nid = \"mot\"\ntitle = \"Chuyên đề một\"\nlessons = [\"bai-a\"]\nassessments = [\"kiem-tra\"]\n",
    );
    write(
        "mot/bai-a.md",
        "+++\ntitle = \"Bài A\"\nminutes = 5\n+++\n\nNội dung.\n",
    );
    let (a, b) = (correct == "a", correct == "b");
    write(
        "mot/kiem-tra.assessment.toml",
        &format!(
            "title = \"Kiểm tra\"\n\n[settings]\npass_percent = 50\nreview = \"after_submit\"\n\n[[questions]]\nid = \"cau-1\"\nprompt = \"Chọn\"\n[questions.body]\nkind = \"single_choice\"\n[[questions.body.options]]\nid = \"a\"\ntext = \"A\"\ncorrect = {a}\n[[questions.body.options]]\nid = \"b\"\ntext = \"B\"\ncorrect = {b}\n"
        ),
    );
}

/// A new version that changes a question's key under the same id does not
/// change the mark of an attempt started on the old version; attempts on
/// the new version are marked by the new key; an attempt from a device that
/// did not say its version is marked by the current one.
#[tokio::test]
async fn an_attempt_is_marked_against_the_version_it_was_started_on() {
    let app = test_app().await;
    let dir = tempfile::tempdir().unwrap();
    one_question_course(dir.path(), "a");
    let report = lophoc_server::seed::publish_content(&app.store, dir.path())
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let (course_id, id) = ("phien-ban", "kiem-tra");
    let (paper, _) = app
        .store
        .courses
        .assessment(course_id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(paper.course_version, 1, "the paper says its version");

    let mut an = Device::sign_in(&app, "an-phone", "hocvien", HOCVIEN).await;
    // Attempt n draws with the n-th seed the server issued.
    let attempt = |attempt: &str, n: u32, version: Option<i64>, option: &str| {
        [
            Event::AttemptStarted {
                course_id: course_id.into(),
                assessment_id: id.into(),
                attempt_id: attempt.into(),
                seed: app.store.sync.attempt_seed(HOCVIEN, course_id, id, n),
                course_version: version,
            },
            Event::AttemptAnswered {
                course_id: course_id.into(),
                assessment_id: id.into(),
                attempt_id: attempt.into(),
                question_id: "cau-1".into(),
                answer: Answer::SingleChoice {
                    option: option.into(),
                },
            },
            Event::AttemptSubmitted {
                course_id: course_id.into(),
                assessment_id: id.into(),
                attempt_id: attempt.into(),
            },
        ]
    };
    for event in attempt("v1", 1, Some(1), "a") {
        an.record(NOW_MS, event);
    }
    an.sync(&app).await;

    // Version 2: the key is now "b".
    one_question_course(dir.path(), "b");
    let report = lophoc_server::seed::publish_content(&app.store, dir.path())
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let (paper, _) = app
        .store
        .courses
        .assessment(course_id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(paper.course_version, 2);

    for event in
        attempt("v2", 2, Some(2), "a")
            .into_iter()
            .chain(attempt("old-device", 3, None, "b"))
    {
        an.record(NOW_MS, event);
    }
    an.sync(&app).await;
    let (status, body) = an
        .get(
            &app,
            &format!("/api/courses/{course_id}/assessments/{id}/attempts"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let reports: Vec<AttemptReport> = serde_json::from_value(body).unwrap();
    let percent = |attempt: &str| {
        reports
            .iter()
            .find(|r| r.attempt_id == attempt)
            .map(|r| r.percent)
    };
    assert_eq!(
        percent("v1"),
        Some(100),
        "answered \"a\" when \"a\" was right"
    );
    assert_eq!(
        percent("v2"),
        Some(0),
        "answered \"a\" when \"b\" was right"
    );
    assert_eq!(
        percent("old-device"),
        Some(100),
        "no version: the current key"
    );
}

/// The demo practice set carries a numerical and a fill-in question: their
/// prompts reach the phone as HTML with the blank markers in place, and
/// answers typed the Vietnamese way score as the author meant.
#[test]
fn the_demo_set_has_a_numerical_and_a_fill_in_question() {
    let demo = demo();
    let set = demo.situations.iter().find(|s| s.id == PRACTICE).unwrap();
    let q6 = set.questions.iter().find(|q| q.id == "q6").unwrap();
    let q7 = set.questions.iter().find(|q| q.id == "q7").unwrap();
    assert!(matches!(q6.body, QuestionBody::Numerical { .. }));
    let QuestionBody::FillBlanks { gaps } = &q7.body else {
        panic!("{:?}", q7.body)
    };
    assert_eq!(gaps.len(), 3);
    for marker in ["{1}", "{2}", "{3}"] {
        assert_eq!(
            q7.prompt.matches(marker).count(),
            1,
            "{marker} in {}",
            q7.prompt
        );
    }
    let says = |q: &Question, a: Answer| lophoc_core::question::score(q, &a).correctness;
    let number = |t: &str| Answer::Numerical { text: t.into() };
    assert_eq!(says(q6, number("1.000.000")), Correctness::Correct);
    assert_eq!(says(q6, number("1 000 000")), Correctness::Correct);
    assert_eq!(says(q6, number("1.000")), Correctness::Partial);
    assert_eq!(says(q6, number("100.000")), Correctness::Incorrect);
    let fill = |g: [&str; 3]| Answer::FillBlanks {
        gaps: g.iter().map(|s| s.to_string()).collect(),
    };
    assert_eq!(
        says(q7, fill(["2018", "b", "nguoi dung dau"])),
        Correctness::Correct
    );
    assert_eq!(says(q7, fill(["2018", "a", ""])), Correctness::Partial);
    assert_eq!(says(q7, fill(["2005", "c", "x"])), Correctness::Incorrect);
}
