//! Loading, validating and publishing course folders: a broken file is
//! reported with its path and line and the course is not published at all.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use crate::common::test_database_url;
use lophoc_server::{
    content::load_course,
    courses::store::Published,
    seed::{publish_content, seed_demo_accounts},
    store::Store,
};

fn demo_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const GOOD_COURSE: &str = r#"id = "thu"
title = "Khoá thử"
summary = "Để kiểm thử"

[[modules]]
id = "mot"
title = "Chuyên đề một"
lessons = ["bai-a", "bai-b"]
"#;

const LESSON: &str = "+++\ntitle = \"Bài A\"\nminutes = 5\n+++\n\n## Mở đầu\n\nNội dung.\n";

fn good_course(dir: &Path) {
    write(dir, "course.toml", GOOD_COURSE);
    write(dir, "mot/bai-a.md", LESSON);
    write(dir, "mot/bai-b.md", &LESSON.replace("Bài A", "Bài B"));
}

fn errors_of(dir: &Path) -> Vec<String> {
    load_course(dir)
        .unwrap_err()
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_demo_course_loads() {
    let course = load_course(&demo_content().join("can-bo-co-so")).unwrap();
    assert!(course.outline.modules.len() >= 3);
    assert!(course.lessons.len() >= 8);
    assert!(!course.media.is_empty());
    assert!(course.outline.problems().is_empty());
}

#[test]
fn a_toml_syntax_error_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    good_course(dir.path());
    write(
        dir.path(),
        "course.toml",
        &GOOD_COURSE.replace("summary = \"Để kiểm thử\"", "summary = \"chưa đóng"),
    );
    let errors = errors_of(dir.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("course.toml:3:"), "{errors:?}");
}

#[test]
fn a_missing_lesson_file_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    good_course(dir.path());
    fs::remove_file(dir.path().join("mot/bai-b.md")).unwrap();
    let errors = errors_of(dir.path());
    assert!(errors[0].contains("course.toml:8:"), "{errors:?}");
    assert!(errors[0].contains("bai-b"), "{errors:?}");
}

#[test]
fn bad_front_matter_and_missing_images_point_into_the_lesson() {
    let dir = tempfile::tempdir().unwrap();
    good_course(dir.path());
    write(
        dir.path(),
        "mot/bai-a.md",
        "+++\ntitle = \"Bài A\"\nminutes = \"năm\"\n+++\nx\n",
    );
    write(
        dir.path(),
        "mot/bai-b.md",
        "+++\ntitle = \"Bài B\"\nminutes = 3\n+++\n\nDòng một.\n\n![Sơ đồ](../media/khong-co.svg)\n",
    );
    let errors = errors_of(dir.path());
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("bai-a.md:3:")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("bai-b.md:8:") && e.contains("khong-co.svg")),
        "{errors:?}"
    );
}

#[test]
fn bad_ids_duplicates_and_unknown_fields_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    good_course(dir.path());
    write(
        dir.path(),
        "course.toml",
        &GOOD_COURSE.replace(
            "lessons = [\"bai-a\", \"bai-b\"]",
            "lessons = [\"bai-a\", \"bai-a\", \"Bài C\"]\ncolour = \"đỏ\"",
        ),
    );
    let errors = errors_of(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("course.toml:9:") && e.contains("colour")),
        "{errors:?}"
    );
    write(
        dir.path(),
        "course.toml",
        &GOOD_COURSE.replace(
            "lessons = [\"bai-a\", \"bai-b\"]",
            "lessons = [\"bai-a\", \"bai-a\", \"Bài C\"]",
        ),
    );
    let errors = errors_of(dir.path());
    assert!(
        errors.iter().any(|e| e.contains("used twice")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("“Bài C”")), "{errors:?}");
}

#[test]
fn raw_html_in_lessons_is_sanitized() {
    let dir = tempfile::tempdir().unwrap();
    good_course(dir.path());
    write(
        dir.path(),
        "mot/bai-a.md",
        "+++\ntitle = \"A\"\nminutes = 1\n+++\n<script>alert(1)</script>\n\n<p onclick=\"x()\">Chữ</p>\n\n<iframe src=\"https://example.org\"></iframe>\n",
    );
    let course = load_course(dir.path()).unwrap();
    let html = &course.lessons[0].html;
    assert!(
        !html.contains("script") && !html.contains("onclick") && !html.contains("iframe"),
        "{html}"
    );
    assert!(html.contains("Chữ"));
}

#[tokio::test]
async fn a_broken_course_is_not_published_and_the_old_version_stays() {
    let db = tempfile::tempdir().unwrap();
    let store = Store::open(&test_database_url(db.path()).await)
        .await
        .unwrap();
    let content = tempfile::tempdir().unwrap();
    let course_dir = content.path().join("thu");
    good_course(&course_dir);

    let report = publish_content(&store, content.path()).await.unwrap();
    assert_eq!(report.published, vec![("thu".to_string(), 1)]);
    // Same files again: nothing new.
    let report = publish_content(&store, content.path()).await.unwrap();
    assert_eq!(report.unchanged, vec![("thu".to_string(), 1)]);

    // Break one lesson: the course is skipped whole; version 1 stays readable.
    write(&course_dir, "mot/bai-b.md", "no front matter");
    let report = publish_content(&store, content.path()).await.unwrap();
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].1.contains("bai-b.md:1:"),
        "{:?}",
        report.failed
    );
    let outline = store.courses.outline("thu").await.unwrap().unwrap();
    assert_eq!(outline.version, 1);
    assert_eq!(outline.modules[0].lessons.len(), 2);

    // Fixed and changed: version 2.
    write(
        &course_dir,
        "mot/bai-b.md",
        &LESSON.replace("Bài A", "Bài B mới"),
    );
    let course = load_course(&course_dir).unwrap();
    assert_eq!(
        store.courses.publish(&course).await.unwrap(),
        Published::New { version: 2 }
    );
    let lesson = store.courses.lesson("thu", "bai-b").await.unwrap().unwrap();
    assert_eq!(lesson.title, "Bài B mới");
}

#[tokio::test]
async fn demo_accounts_are_seeded_once_and_never_over_existing_data() {
    let db = tempfile::tempdir().unwrap();
    let store = Store::open(&test_database_url(db.path()).await)
        .await
        .unwrap();
    assert!(seed_demo_accounts(&store).await.unwrap());
    assert!(!seed_demo_accounts(&store).await.unwrap());
    assert_eq!(
        store.accounts.user_count().await.unwrap(),
        lophoc_server::seed::DEMO_ACCOUNTS.len() as i64
    );
}

#[test]
fn the_check_subcommand_reports_file_and_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    good_course(dir.path());
    write(
        dir.path(),
        "course.toml",
        &GOOD_COURSE.replace("title = \"Khoá thử\"", "title = "),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_lophoc-server"))
        .args(["content", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("course.toml:2:"), "{stderr}");

    let ok = Command::new(env!("CARGO_BIN_EXE_lophoc-server"))
        .args(["content", "check"])
        .arg(demo_content())
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("ok"));
}
