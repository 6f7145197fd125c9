//! Issue 16, item 4: the problems of a broken course folder, a broken draft
//! and a broken question-bank file reach a lecturer in Vietnamese. Each
//! travels as a code with its parameters and file and line, beside its
//! sentences the server formatted (`text_vi`, `text_en`); in `Lang::Vi`,
//! none reads as the English sentences the loader and the import readers
//! used to send. The notes on each question a bank file gave travel the
//! same way.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::{fs, path::Path};

use axum::http::{Method, StatusCode};
use lophoc_core::{
    authoring::CheckReport, i18n::Lang, note::Note, problem::Problem,
    question::import::ImportReport,
};
use lophoc_server::content::load_course;
use serde_json::{json, Value};

use crate::common::{classes::session_for, json::call, test_app, TestApp};

/// Words of the old English messages ("question \"q1\" has an empty
/// prompt", "needs at least 2 options", "expected `=`"…). Case matters:
/// Aiken's own keyword `ANSWER:` may be named in a Vietnamese sentence.
const ENGLISH: &[&str] = &[
    " has ",
    " needs ",
    " is ",
    " the ",
    " not ",
    "question",
    "option",
    "answer",
    "expected",
    "missing",
    "invalid",
    "unreadable",
];

/// Every text formatted in Vietnamese, checked against [`ENGLISH`].
fn assert_vietnamese(texts: &[String]) {
    assert!(!texts.is_empty());
    for text in texts {
        for word in ENGLISH {
            assert!(!text.contains(word), "{word:?} in {text:?}");
        }
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn a_broken_course_folder_is_reported_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    write(
        dir,
        "course.toml",
        r#"id = "thu-loi"
title = "Khoá thử lỗi"

[[modules]]
id = "mot"
title = "Chuyên đề một"
lessons = ["bai-a", "bai-thieu", "bai-hong"]
assessments = ["kiem-tra"]
"#,
    );
    // Line 3 of the file, column 9: a value with no closing quote.
    write(
        dir,
        "mot/bai-a.md",
        "+++\ntitle = \"Bài A\"\nminutes = \"năm\n+++\n\nNội dung.\n",
    );
    write(dir, "mot/bai-hong.md", "Nội dung không có phần đầu bài.\n");
    write(
        dir,
        "mot/kiem-tra.assessment.toml",
        r#"title = "Kiểm tra thử"

[settings]
pass_percent = 120
review = "after_submit"

[[questions]]
id = "cau-mot"
prompt = " "

[questions.body]
kind = "single_choice"
options = [{ id = "a", text = "Có", correct = true }]
"#,
    );
    let errors = load_course(dir).unwrap_err().0;
    let at = |file: &str| -> Vec<(Option<usize>, String)> {
        errors
            .iter()
            .filter(|e| e.file == dir.join(file))
            .map(|e| (e.line, e.problem.text(Lang::Vi)))
            .collect()
    };
    let lesson = at("mot/bai-a.md");
    assert_eq!(lesson.len(), 1, "{lesson:?}");
    assert_eq!(lesson[0].0, Some(3));
    assert!(
        lesson[0].1.starts_with("Viết sai cú pháp ở dòng 3, cột "),
        "{lesson:?}"
    );
    assert_eq!(
        at("mot/bai-hong.md"),
        [(
            Some(1),
            "Bài học phải bắt đầu bằng phần thông tin đầu bài, đặt giữa hai dòng “+++”."
                .to_string()
        )]
    );
    assert_eq!(
        at("course.toml"),
        [(
            Some(7),
            "Không tìm thấy tệp mot/bai-thieu.md của bài học “bai-thieu”.".to_string()
        )]
    );
    let assessment: Vec<String> = at("mot/kiem-tra.assessment.toml")
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    for expected in [
        "Điểm đạt đang là 120%, vượt quá 100%.",
        "Câu hỏi “cau-mot”: chưa có nội dung câu hỏi.",
        "Câu hỏi “cau-mot”: cần ít nhất 2 phương án, hiện mới có 1.",
    ] {
        assert!(
            assessment.iter().any(|t| t == expected),
            "{expected:?} not in {assessment:?}"
        );
    }
    // The parser's own English words stay apart, as a detail.
    let syntax = &errors
        .iter()
        .find(|e| matches!(e.problem, Problem::Syntax { .. }))
        .unwrap()
        .problem;
    assert!(syntax.detail().is_some_and(|d| !d.is_empty()));
    let all: Vec<String> = errors.iter().map(|e| e.problem.text(Lang::Vi)).collect();
    assert_vietnamese(&all);
    // The log and the command line stay English, with the file and line.
    let missing = errors
        .iter()
        .find(|e| matches!(e.problem, Problem::FileMissing { .. }))
        .unwrap();
    assert!(missing.to_string().ends_with(
        "course.toml:7: The file mot/bai-thieu.md of the lesson “bai-thieu” is missing."
    ));
}

const DRAFT: &str = "/api/authoring/drafts/can-bo-co-so";
const LESSON: &str = "phong-chong-tham-nhung/nhan-dien-tham-nhung.md";

/// Replaces a file of the demo course's draft.
async fn save(app: &TestApp, cookie: &str, path: &str, edit: impl Fn(&str) -> String) {
    let uri = format!("{DRAFT}/files/{path}");
    let (_, file) = call(app, Method::GET, &uri, Value::Null, cookie).await;
    let content = edit(
        file["content"]
            .as_str()
            .unwrap_or_else(|| panic!("{uri}: {file}")),
    );
    let (status, _) = call(
        app,
        Method::PUT,
        &uri,
        json!({"base_version": file["version"], "content": content}),
        cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_broken_draft_is_reported_in_vietnamese() {
    let app = test_app().await;
    let lecturer = session_for(&app.store, 2).await;
    let new = json!({"course_id": "can-bo-co-so", "from_published": true});
    let (status, _) = call(&app, Method::POST, "/api/authoring/drafts", new, &lecturer).await;
    assert_eq!(status, StatusCode::CREATED);

    // A link to a lesson the course does not have.
    save(&app, &lecturer, LESSON, |text| {
        format!("{text}\nXem thêm [bài này](bai-khong-co.md).\n")
    })
    .await;
    let (status, report) = call(
        &app,
        Method::POST,
        &format!("{DRAFT}/submit"),
        json!({}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let report: CheckReport = serde_json::from_value(report).unwrap();
    assert_eq!(report.problems.len(), 1, "{report:?}");
    let link = &report.problems[0];
    assert_eq!(link.file, LESSON);
    assert!(link.line.is_some());
    assert_eq!(
        link.problem,
        Problem::MissingLesson {
            link: "bai-khong-co.md".into(),
            lesson: "bai-khong-co".into()
        }
    );
    assert_eq!(
        link.text_vi,
        "Liên kết bai-khong-co.md: chương trình không có bài học “bai-khong-co”."
    );

    // course.toml that no longer parses: the check names its line and column.
    save(&app, &lecturer, "course.toml", |text| {
        text.replacen("title = ", "title = = ", 1)
    })
    .await;
    let (status, report) = call(
        &app,
        Method::GET,
        &format!("{DRAFT}/check"),
        Value::Null,
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let report: CheckReport = serde_json::from_value(report).unwrap();
    let syntax = &report.problems[0];
    assert_eq!(
        (syntax.file.as_str(), syntax.line),
        ("course.toml", Some(2))
    );
    assert!(
        matches!(
            syntax.problem,
            Problem::Syntax {
                line: Some(2),
                column: Some(_),
                ..
            }
        ),
        "{syntax:?}"
    );
    let text = &syntax.text_vi;
    assert!(
        text.starts_with("Viết sai cú pháp ở dòng 2, cột "),
        "{text}"
    );
    let all: Vec<String> = report
        .problems
        .iter()
        .chain([link])
        .map(|p| p.text_vi.clone())
        .collect();
    assert_vietnamese(&all);
}

/// A GIFT file with a brace never closed, a question without options and
/// a short answer with no full-marks answer; an Aiken file with a question
/// that lacks its `ANSWER:` line and one whose answer names no option.
const GIFT: &str = "\
::Thiếu ngoặc::Đảng Cộng sản Việt Nam ra đời năm nào?{=1930 ~1945

::Câu tốt::Nghị quyết có hiệu lực ngay.{T}

::Trả lời ngắn::Tên đầy đủ của Đảng?{=%50%Đảng Cộng sản}
";

const AIKEN: &str = "\
Cơ quan nào có quyền lập hiến?
A. Quốc hội
B. Chính phủ

Câu đúng chuẩn?
A. Có
B. Không
ANSWER: C
";

async fn import(app: &TestApp, cookie: &str, format: &str, text: &str) -> ImportReport {
    let body = json!({"format": format, "text": text, "partial": false, "dry_run": true});
    let (status, result) = call(app, Method::POST, "/api/bank/import", body, cookie).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    serde_json::from_value(result["report"].clone()).unwrap()
}

/// A report's problems as (line, the Vietnamese sentence the server sent).
fn vietnamese_by_line(report: &ImportReport) -> Vec<(usize, String)> {
    report
        .problems
        .iter()
        .map(|p| (p.line, p.text_vi.clone()))
        .collect()
}

#[tokio::test]
async fn a_broken_bank_file_is_reported_in_vietnamese() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;

    let gift = import(&app, &lecturer, "gift", GIFT).await;
    let texts = vietnamese_by_line(&gift);
    assert_eq!(
        texts,
        [
            (1, "Dấu { ở dòng này không có dấu } đóng lại.".to_string()),
            (
                5,
                "Không có đáp án nào được 100% số điểm; cần ít nhất một đáp án đúng hoàn toàn."
                    .to_string()
            ),
        ]
    );
    assert_eq!(gift.questions.len(), 1);
    // What the reader noted on the question it read: codes, and their
    // Vietnamese sentences, with none of the old English notes' words.
    let read = &gift.questions[0];
    let codes: Vec<&Note> = read.notes.iter().map(|n| &n.note).collect();
    assert_eq!(
        codes,
        [
            &Note::IdFromTitle {
                title: "Câu tốt".into(),
                id: "cau-tot".into()
            },
            &Note::TrueFalse { answer: true },
        ]
    );
    let notes: Vec<String> = read.notes.iter().map(|n| n.text_vi.clone()).collect();
    assert_eq!(
        notes,
        [
            "Mã câu hỏi “cau-tot” được lấy từ tiêu đề “Câu tốt”.",
            "Câu đúng/sai: nhận định này là “Đúng”.",
        ]
    );
    assert_vietnamese(&notes);
    for note in &notes {
        for old in ["title", "gave the id", "true/false", "statement", "true"] {
            assert!(!note.contains(old), "{old:?} in {note:?}");
        }
    }

    let aiken = import(&app, &lecturer, "aiken", AIKEN).await;
    let texts = vietnamese_by_line(&aiken);
    assert_eq!(
        texts,
        [
            (
                1,
                "Thiếu dòng ANSWER: sau các phương án (dòng 2–3).".to_string()
            ),
            (
                8,
                "Đáp án ghi C nhưng không có phương án C; các phương án là A, B.".to_string()
            ),
        ]
    );
    let all: Vec<String> = gift
        .problems
        .iter()
        .chain(&aiken.problems)
        .map(|p| p.text_vi.clone())
        .collect();
    assert_vietnamese(&all);
}
