//! Branching scenarios in situation sets: a `[branching]` table is checked
//! when the course loads (unreachable steps, unmarked loops and dead ends
//! are reported with file and line, and the course is not published), a
//! sound one is rendered and served with its set, and the choices a trainee
//! makes sync as `scenario_choice` events.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::{fs, path::Path};

use crate::common::{body_json, body_text, test_app, TestApp};
use axum::http::StatusCode;
use lophoc_core::{
    content::{CourseOutline, SituationSet},
    events::Event,
    question::{validate_scenario, walk, Next},
    sync::{DeviceLog, PullResponse, PushRequest, PushResponse, MAX_BATCH},
};
use lophoc_server::{content::load_course, seed::publish_content};

const COURSE_TOML: &str = r#"id = "thu-re-nhanh"
title = "Khoá thử tình huống rẽ nhánh"

[[modules]]
id = "mot"
title = "Chuyên đề một"
lessons = ["bai-a"]
situations = ["re-nhanh"]
"#;

const LESSON: &str = "+++\ntitle = \"Bài A\"\nminutes = 5\n+++\n\nNội dung.\n";

/// The head of a practice set with no questions; a `[branching]` table
/// follows.
const HEAD: &str = r#"title = "Quà biếu ngày Tết"
mode = "practice"
scenario = "Anh Tuấn nhận được một món quà."
"#;

/// A sound scenario: two steps, three endings; `bao-cao` can be reached
/// directly or after thinking it over.
const GOOD: &str = r#"
[branching]
start = "nhan-qua"

[[branching.steps]]
id = "nhan-qua"
text = "Một người **vừa được giải quyết hồ sơ** mang quà đến."

[[branching.steps.choices]]
id = "tu-choi"
text = "Từ chối khéo"
next = { step = "bao-cao" }

[[branching.steps.choices]]
id = "suy-nghi"
text = "Hẹn trả lời sau"
next = { step = "nghi-lai" }

[[branching.steps.choices]]
id = "nhan"
text = "Nhận quà"
next = { ending = "vi-pham" }

[[branching.steps]]
id = "nghi-lai"
text = "Anh Tuấn nghĩ lại."

[[branching.steps.choices]]
id = "tu-choi"
text = "Gọi điện từ chối"
next = { step = "bao-cao" }

[[branching.steps]]
id = "bao-cao"
text = "Có nên báo cáo <script>alert(1)</script>không?"

[[branching.steps.choices]]
id = "bao-cao-ngay"
text = "Báo cáo ngay"
next = { ending = "dung" }

[[branching.steps.choices]]
id = "im-lang"
text = "Im lặng"
next = { ending = "chua-du" }

[[branching.endings]]
id = "dung"
debrief = "Làm **đúng**."
score = 10

[[branching.endings]]
id = "chua-du"
debrief = "Chưa đủ."
score = 5

[[branching.endings]]
id = "vi-pham"
debrief = "Vi phạm."
score = 0
"#;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A course folder `<root>/thu-re-nhanh` whose one set is `HEAD` + `branching`.
fn course_with(root: &Path, branching: &str) -> std::path::PathBuf {
    let dir = root.join("thu-re-nhanh");
    write(&dir, "course.toml", COURSE_TOML);
    write(&dir, "mot/bai-a.md", LESSON);
    write(
        &dir,
        "mot/re-nhanh.situation.toml",
        &format!("{HEAD}{branching}"),
    );
    dir
}

fn errors_of(dir: &Path) -> Vec<String> {
    load_course(dir)
        .unwrap_err()
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The 1-based line of the first line of `source` containing `needle`.
fn line_with(source: &str, needle: &str) -> usize {
    source.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn has_error(errors: &[String], line: usize, message: &str) -> bool {
    errors
        .iter()
        .any(|e| e.contains(&format!("re-nhanh.situation.toml:{line}: ")) && e.contains(message))
}

#[test]
fn an_unreachable_step_is_reported_at_its_line() {
    let root = tempfile::tempdir().unwrap();
    let lost = "\n[[branching.steps]]\nid = \"lac\"\ntext = \"Không ai tới đây.\"\n\n\
                [[branching.steps.choices]]\nid = \"x\"\ntext = \"Đi\"\nnext = { ending = \"dung\" }\n";
    let branching = format!("{GOOD}{lost}");
    let dir = course_with(root.path(), &branching);
    let errors = errors_of(&dir);
    let source = format!("{HEAD}{branching}");
    let line = line_with(&source, "id = \"lac\"");
    assert!(
        has_error(&errors, line, "“lac” cannot be reached from the start"),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn a_loop_without_allow_revisit_is_reported_and_allowed_once_marked() {
    let root = tempfile::tempdir().unwrap();
    // "Think again" goes back to the start: a loop nhan-qua → nghi-lai → nhan-qua.
    let looping = GOOD.replace(
        "text = \"Gọi điện từ chối\"\nnext = { step = \"bao-cao\" }",
        "text = \"Gọi điện từ chối\"\nnext = { step = \"bao-cao\" }\n\n\
         [[branching.steps.choices]]\nid = \"xem-lai\"\ntext = \"Xem lại từ đầu\"\nnext = { step = \"nhan-qua\" }",
    );
    assert_ne!(looping, GOOD);
    let dir = course_with(root.path(), &looping);
    let errors = errors_of(&dir);
    let line = line_with(&format!("{HEAD}{looping}"), "id = \"nhan-qua\"");
    assert!(
        has_error(
            &errors,
            line,
            "The steps “nhan-qua”, “nghi-lai” form a loop; mark one allow_revisit"
        ),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 1, "{errors:?}");

    let marked = looping.replace(
        "id = \"nghi-lai\"\n",
        "id = \"nghi-lai\"\nallow_revisit = true\n",
    );
    let dir = course_with(root.path(), &marked);
    let course = load_course(&dir).unwrap();
    let scenario = course.situations[0].scenario.as_ref().unwrap();
    assert!(scenario.steps[1].allow_revisit);
    let w = walk(
        scenario,
        &["suy-nghi", "xem-lai", "tu-choi", "bao-cao-ngay"],
    )
    .unwrap();
    assert_eq!(w.path, ["nhan-qua", "nghi-lai", "nhan-qua", "bao-cao"]);
    assert_eq!(w.score, Some(10));
}

#[test]
fn dead_ends_and_unknown_targets_are_reported() {
    let root = tempfile::tempdir().unwrap();
    // nghi-lai offers nothing; a choice of bao-cao leads nowhere known.
    let broken = GOOD
        .replace(
            "\n[[branching.steps.choices]]\nid = \"tu-choi\"\ntext = \"Gọi điện từ chối\"\nnext = { step = \"bao-cao\" }\n",
            "",
        )
        .replace("next = { ending = \"chua-du\" }", "next = { ending = \"khong-co\" }");
    assert!(!broken.contains("Gọi điện") && broken.contains("khong-co"));
    let dir = course_with(root.path(), &broken);
    let errors = errors_of(&dir);
    let source = format!("{HEAD}{broken}");
    assert!(
        has_error(
            &errors,
            line_with(&source, "id = \"nghi-lai\""),
            "The step “nghi-lai” offers no choice"
        ),
        "{errors:?}"
    );
    assert!(
        has_error(
            &errors,
            line_with(&source, "id = \"im-lang\""),
            "The choice “im-lang” of step “bao-cao” leads to ending “khong-co”, which does not exist"
        ),
        "{errors:?}"
    );
    assert!(
        has_error(
            &errors,
            line_with(&source, "id = \"chua-du\""),
            "“chua-du” cannot be reached from the start"
        ),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn unknown_fields_and_empty_texts_are_reported() {
    let root = tempfile::tempdir().unwrap();
    let typo = GOOD.replace(
        "id = \"nghi-lai\"\n",
        "id = \"nghi-lai\"\nallow_revisits = true\n",
    );
    let dir = course_with(root.path(), &typo);
    let errors = errors_of(&dir);
    let line = line_with(&format!("{HEAD}{typo}"), "allow_revisits");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("re-nhanh.situation.toml:{line}:"))
                && e.contains("allow_revisits")),
        "{errors:?}"
    );

    let empty = GOOD.replace("debrief = \"Chưa đủ.\"", "debrief = \" \"");
    let dir = course_with(root.path(), &empty);
    let errors = errors_of(&dir);
    let line = line_with(&format!("{HEAD}{empty}"), "id = \"chua-du\"");
    assert!(
        has_error(&errors, line, "The ending “chua-du” has no debrief"),
        "{errors:?}"
    );
}

#[test]
fn a_set_without_questions_needs_a_scenario() {
    let root = tempfile::tempdir().unwrap();
    let dir = course_with(root.path(), "");
    let errors = errors_of(&dir);
    assert!(
        errors.iter().any(|e| e.contains("has no questions")),
        "{errors:?}"
    );
}

async fn get_json(app: &TestApp, uri: &str, cookie: &str) -> (StatusCode, serde_json::Value) {
    let response = app.get(uri, Some(cookie)).await;
    let status = response.status();
    (status, body_json(response).await)
}

#[tokio::test]
async fn a_sound_scenario_is_published_rendered_and_served() {
    let app = test_app().await;
    let root = tempfile::tempdir().unwrap();
    course_with(root.path(), GOOD);
    let report = publish_content(&app.store, root.path()).await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.published.len(), 1);
    let cookie = app.login("hocvien", "hocvien123").await;

    let (status, outline) = get_json(&app, "/api/courses/thu-re-nhanh", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let outline: CourseOutline = serde_json::from_value(outline).unwrap();
    let listed = &outline.modules[0].situations[0];
    assert_eq!((listed.id.as_str(), listed.question_count), ("re-nhanh", 0));

    let (status, set) = get_json(
        &app,
        "/api/courses/thu-re-nhanh/situations/re-nhanh",
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        set["scenario"]["steps"][0]["choices"][0]["next"]["step"],
        "bao-cao"
    );
    let set: SituationSet = serde_json::from_value(set).unwrap();
    assert!(set.questions.is_empty());
    let scenario = set.scenario.unwrap();
    assert_eq!(validate_scenario(&scenario), vec![]);
    assert_eq!(
        (scenario.id.as_str(), scenario.title.as_str()),
        ("re-nhanh", "Quà biếu ngày Tết")
    );
    assert_eq!(scenario.start, "nhan-qua");
    // Markdown rendered and sanitized; choice texts stay plain.
    let first = scenario.step("nhan-qua").unwrap();
    assert!(
        first
            .text
            .contains("<strong>vừa được giải quyết hồ sơ</strong>"),
        "{}",
        first.text
    );
    assert_eq!(first.choices[2].next, Next::Ending("vi-pham".into()));
    assert_eq!(first.choices[0].text, "Từ chối khéo");
    let risky = &scenario.step("bao-cao").unwrap().text;
    assert!(!risky.contains("script"), "{risky}");
    assert!(scenario
        .ending("dung")
        .unwrap()
        .debrief
        .contains("<strong>đúng</strong>"));
    assert_eq!(scenario.max_score(), 10);
    // Two paths reach bao-cao.
    let direct = walk(&scenario, &["tu-choi", "im-lang"]).unwrap();
    let around = walk(&scenario, &["suy-nghi", "tu-choi", "bao-cao-ngay"]).unwrap();
    assert_eq!(direct.score, Some(5));
    assert_eq!(around.path, ["nhan-qua", "nghi-lai", "bao-cao"]);

    // Not signed in: refused.
    let response = app
        .get("/api/courses/thu-re-nhanh/situations/re-nhanh", None)
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_demo_scenario_is_served_and_choices_sync_step_by_step() {
    let app = test_app().await;
    let cookie = app.login("hocvien", "hocvien123").await;
    let (status, set) = get_json(
        &app,
        "/api/courses/can-bo-co-so/situations/tinh-huong-re-nhanh-dat-dai",
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let set: SituationSet = serde_json::from_value(set).unwrap();
    assert!(set.questions.is_empty());
    let scenario = set.scenario.unwrap();
    assert_eq!(validate_scenario(&scenario), vec![]);
    assert!((5..=7).contains(&scenario.steps.len()));
    assert!((3..=4).contains(&scenario.endings.len()));
    // Some step is the target of choices in two different steps.
    let two_ways = scenario.steps.iter().any(|target| {
        scenario
            .steps
            .iter()
            .filter(|s| {
                s.choices
                    .iter()
                    .any(|c| c.next == Next::Step(target.id.clone()))
            })
            .count()
            >= 2
    });
    assert!(two_ways);

    // A run of three choices, pushed like a device does, comes back in order.
    let choices = ["lang-nghe", "do-dac", "goi-y-phuong-an", "lap-bien-ban"];
    let run = walk(&scenario, &choices).unwrap();
    assert_eq!(run.score, Some(10));
    let mut log = DeviceLog::new("may-1");
    for (step, choice) in choices.iter().enumerate() {
        let op_id = format!("may-1-{}", log.next_seq);
        let event = Event::ScenarioChoice {
            course_id: "can-bo-co-so".into(),
            situation_id: set.id.clone(),
            run_id: "run-1".into(),
            step: u32::try_from(step).unwrap(),
            step_id: run.path[step].clone(),
            choice_id: (*choice).into(),
        };
        log.record(op_id, 1, 1_767_225_600_000, event);
    }
    let body = serde_json::to_string(&PushRequest {
        device_id: "may-1".into(),
        ops: log
            .batch(MAX_BATCH)
            .iter()
            .map(|op| serde_json::to_value(op).unwrap())
            .collect(),
    })
    .unwrap();
    let response = app.post_json("/api/sync/push", &body, Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reply: PushResponse = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!((reply.acked_seq, reply.rejected), (4, None));
    let (status, pulled) = get_json(&app, "/api/sync/pull?cursor=0", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let pulled: PullResponse = serde_json::from_value(pulled).unwrap();
    let steps: Vec<(u32, String)> = pulled
        .events
        .into_iter()
        .filter_map(|op| match op.event {
            Event::ScenarioChoice {
                step, choice_id, ..
            } => Some((step, choice_id)),
            _ => None,
        })
        .collect();
    let expected: Vec<(u32, String)> = (0..)
        .zip(choices.iter().map(|c| (*c).to_string()))
        .collect();
    assert_eq!(steps, expected);
}
