//! Authoring, review and approval over the HTTP API: drafts started from the
//! published course, versioned saves and conflicts, media, preview, the
//! review workflow with its permissions, publishing, zip export and import.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use crate::common::{body_json, classes::session_for, demo_content, json::call, test_app, TestApp};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use lophoc_core::accounts::Role;
use serde_json::{json, Value};

const COURSE: &str = "can-bo-co-so";
const MODULE: &str = "phong-chong-tham-nhung";
const LESSON: &str = "phong-bi-ngay-tet";
const LESSON_PATH: &str = "phong-chong-tham-nhung/phong-bi-ngay-tet.md";
/// The smallest PNG header; the server stores media as given.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

async fn send(
    app: &TestApp,
    method: Method,
    uri: &str,
    body: Body,
    cookie: &str,
) -> (StatusCode, String) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap();
    let response = app.send(request).await;
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Uploads a media file to the demo course's draft.
async fn upload(app: &TestApp, name: &str, body: Body, cookie: &str) -> (StatusCode, String) {
    send(
        app,
        Method::POST,
        &draft(&format!("/media/{name}")),
        body,
        cookie,
    )
    .await
}

/// Starts a draft of the demo course from its published files.
async fn start_draft(app: &TestApp, cookie: &str) {
    let new = json!({"course_id": COURSE, "from_published": true});
    let (status, _) = call(app, Method::POST, "/api/authoring/drafts", new, cookie).await;
    assert_eq!(status, StatusCode::CREATED);
}

fn draft(rest: &str) -> String {
    format!("/api/authoring/drafts/{COURSE}{rest}")
}

/// A second lecturer of the demo centre, and another centre's admin.
async fn extra_users(app: &TestApp) -> (i64, i64) {
    let hash = lophoc_server::auth::hash_password("matkhau-khac").unwrap();
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
    (colleague, admin)
}

fn lesson_text(body: &str) -> String {
    format!("+++\ntitle = \"Phong bì ngày Tết\"\nminutes = 4\n+++\n\n## Tình huống\n\n{body}\n")
}

#[tokio::test]
async fn a_lesson_goes_from_draft_through_review_to_trainees() {
    let app = test_app().await;
    let (colleague, other_admin) = extra_users(&app).await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let admin = session_for(&app.store, 3).await;
    let trainee = session_for(&app.store, 1).await;
    let colleague = session_for(&app.store, colleague).await;
    let other_admin = session_for(&app.store, other_admin).await;

    // Start from the published course: its files, first versions.
    let (status, home) = call(&app, Method::GET, "/api/authoring", Value::Null, &lecturer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(home["published"][0][0], COURSE, "{home}");
    let new = json!({"course_id": COURSE, "from_published": true});
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/authoring/drafts",
        new.clone(),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(&app, Method::POST, "/api/authoring/drafts", new, &admin).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "one draft per course");

    // Trainees and other centres see no draft.
    for cookie in [&trainee, &other_admin] {
        let (status, _) = call(&app, Method::GET, &draft(""), Value::Null, cookie).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // A new lesson: its file and its place in course.toml.
    let item =
        json!({"kind": "lesson", "module": MODULE, "id": LESSON, "title": "Phong bì ngày Tết"});
    let (status, body) = call(&app, Method::POST, &draft("/items"), item, &lecturer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, manifest) = call(
        &app,
        Method::GET,
        &draft("/files/course.toml"),
        Value::Null,
        &lecturer,
    )
    .await;
    assert!(manifest["content"].as_str().unwrap().contains(LESSON));
    assert!(
        manifest["content"]
            .as_str()
            .unwrap()
            .contains("# Hoàn thành khoá học"),
        "comments kept"
    );

    // An image, then the lesson using it; preview points at the draft's copy.
    let (status, text) = upload(&app, "phong-bi.png", Body::from(PNG), &lecturer).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let uploaded: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(uploaded["name"], "phong-bi.png");
    let (status, _) = send(
        &app,
        Method::GET,
        &draft("/media/phong-bi.png"),
        Body::empty(),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let content = lesson_text("![Phong bì](../media/phong-bi.png)\n\n**Không nhận.**");
    let (_, file) = call(
        &app,
        Method::GET,
        &draft(&format!("/files/{LESSON_PATH}")),
        Value::Null,
        &lecturer,
    )
    .await;
    let v1 = file["version"].as_i64().unwrap();
    let save = |base: i64, content: &str| json!({"base_version": base, "content": content});
    let uri = draft(&format!("/files/{LESSON_PATH}"));
    let (status, saved) = call(&app, Method::PUT, &uri, save(v1, &content), &lecturer).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], v1 + 1);
    let (_, preview) = call(
        &app,
        Method::POST,
        &draft("/preview"),
        json!({"path": LESSON_PATH, "content": content}),
        &lecturer,
    )
    .await;
    assert_eq!(preview["title"], "Phong bì ngày Tết");
    let html = preview["html"].as_str().unwrap();
    assert!(
        html.contains(&format!(
            "/api/authoring/drafts/{COURSE}/media/phong-bi.png"
        )),
        "{html}"
    );
    assert!(html.contains("<strong>Không nhận.</strong>"), "{html}");

    // Not yet published: trainees do not have it.
    let lesson_uri = format!("/api/courses/{COURSE}/lessons/{LESSON}");
    assert_eq!(
        app.get(&lesson_uri, Some(&trainee)).await.status(),
        StatusCode::NOT_FOUND
    );

    // Submit; nobody approves their own submission.
    let (status, body) = call(
        &app,
        Method::POST,
        &draft("/submit"),
        json!({"text": "Bài mới"}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = call(&app, Method::POST, &draft("/approve"), json!({}), &lecturer).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "own submission");
    let (status, _) = call(
        &app,
        Method::POST,
        &draft("/approve"),
        json!({}),
        &colleague,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not a reviewer yet");
    let (status, _) = call(
        &app,
        Method::POST,
        &draft("/approve"),
        json!({}),
        &other_admin,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another centre");

    // The reviewer sees the changes, and returns the draft with a comment.
    let (_, diff) = call(&app, Method::GET, &draft("/diff"), Value::Null, &admin).await;
    let changed: Vec<&str> = diff["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        changed,
        vec!["course.toml", "media/phong-bi.png", LESSON_PATH],
        "{diff}"
    );
    assert_eq!(diff["files"][0]["change"], "modified");
    assert_eq!(diff["changed_questions"], json!([]), "no question changed");
    assert!(diff["files"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["op"] == "added"));
    let (status, _) = call(
        &app,
        Method::POST,
        &draft("/return"),
        json!({"text": ""}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a return says why");
    let (status, _) = call(
        &app,
        Method::POST,
        &draft("/return"),
        json!({"text": "Thêm một câu kết luận."}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, detail) = call(&app, Method::GET, &draft(""), Value::Null, &lecturer).await;
    assert_eq!(detail["summary"]["status"], "returned");
    assert_eq!(detail["reviews"][0]["decision"], "returned");
    assert_eq!(
        detail["reviews"][0]["comments"][0]["body"],
        "Thêm một câu kết luận."
    );

    // Fixed and resubmitted; a lecturer the admin made reviewer approves.
    let fixed = lesson_text(
        "![Phong bì](../media/phong-bi.png)\n\n**Không nhận.** Kết luận: báo cáo ngay.",
    );
    let (status, _) = call(&app, Method::PUT, &uri, save(v1 + 1, &fixed), &lecturer).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&app, Method::POST, &draft("/submit"), json!({}), &lecturer).await;
    assert_eq!(status, StatusCode::OK);
    let colleague_id = app
        .store
        .accounts
        .credentials("giangvien3")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/authoring/reviewers",
        json!({"user_id": colleague_id, "reviewer": true}),
        &lecturer,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the centre admin grants"
    );
    let (status, list) = call(
        &app,
        Method::POST,
        "/api/authoring/reviewers",
        json!({"user_id": colleague_id, "reviewer": true}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["user_id"] == colleague_id && r["reviewer"] == true));
    let (_, queue) = call(
        &app,
        Method::GET,
        "/api/authoring/reviews",
        Value::Null,
        &colleague,
    )
    .await;
    assert_eq!(queue[0]["draft"]["course_id"], COURSE);
    assert_eq!(queue[0]["can_decide"], true);
    let before = app
        .store
        .courses
        .course_title(COURSE)
        .await
        .unwrap()
        .unwrap()
        .1;
    let (status, approved) = call(
        &app,
        Method::POST,
        &draft("/approve"),
        json!({}),
        &colleague,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["version"], before + 1);

    // Trainees get it, image included.
    let response = app.get(&lesson_uri, Some(&trainee)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let lesson = body_json(response).await;
    assert!(lesson["html"].as_str().unwrap().contains("báo cáo ngay"));
    let media = app
        .get(
            &format!("/api/courses/{COURSE}/media/phong-bi.png"),
            Some(&trainee),
        )
        .await;
    assert_eq!(media.status(), StatusCode::OK);

    // A restart loads the unchanged folder again: the approval stands.
    lophoc_server::seed::publish_content(&app.store, &demo_content())
        .await
        .unwrap();
    assert_eq!(
        app.get(&lesson_uri, Some(&trainee)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.store
            .courses
            .course_title(COURSE)
            .await
            .unwrap()
            .unwrap()
            .1,
        before + 1
    );

    // History: who saved which version.
    let (_, history) = call(
        &app,
        Method::GET,
        &draft(&format!("/history/{LESSON_PATH}")),
        Value::Null,
        &lecturer,
    )
    .await;
    assert_eq!(history[0]["saved_by"], "Trần Thị Bình");
    assert!(history[0]["content"]
        .as_str()
        .unwrap()
        .contains("báo cáo ngay"));
}

#[tokio::test]
async fn a_save_on_an_old_version_is_refused_with_the_newer_one() {
    let app = test_app().await;
    let (colleague, _) = extra_users(&app).await;
    let lecturer = session_for(&app.store, 2).await;
    let colleague = session_for(&app.store, colleague).await;
    start_draft(&app, &lecturer).await;
    let uri = draft("/files/course.toml");
    let (_, file) = call(&app, Method::GET, &uri, Value::Null, &lecturer).await;
    let base = file["version"].as_i64().unwrap();
    let original = file["content"].as_str().unwrap().to_string();
    let theirs = original.replace("summary = \"Khoá", "summary = \"Bản của Phúc. Khoá");
    let mine = original.replace("summary = \"Khoá", "summary = \"Bản của Bình. Khoá");
    let (status, _) = call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": base, "content": theirs}),
        &colleague,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, conflict) = call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": base, "content": mine}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["current"]["version"], base + 1);
    assert_eq!(conflict["current"]["content"], theirs.as_str());
    assert_eq!(conflict["current"]["updated_by"], "Ngô Văn Phúc");
    // The same save again (a retry) is no conflict; resolving on the newer
    // version stores mine.
    let (status, _) = call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": base, "content": theirs}),
        &colleague,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, saved) = call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": base + 1, "content": mine}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(saved["version"], base + 2);
}

#[tokio::test]
async fn problems_are_reported_with_file_and_line_and_nothing_is_submitted() {
    let app = test_app().await;
    let lecturer = session_for(&app.store, 2).await;
    start_draft(&app, &lecturer).await;
    let uri = draft("/files/course.toml");
    let (_, file) = call(&app, Method::GET, &uri, Value::Null, &lecturer).await;
    let broken = file["content"]
        .as_str()
        .unwrap()
        .replacen("title = ", "title = = ", 1);
    call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": file["version"], "content": broken}),
        &lecturer,
    )
    .await;
    let (status, report) = call(&app, Method::POST, &draft("/submit"), json!({}), &lecturer).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(report["problems"][0]["file"], "course.toml");
    assert_eq!(report["problems"][0]["line"], 2, "{report}");
    let (_, detail) = call(&app, Method::GET, &draft(""), Value::Null, &lecturer).await;
    assert_eq!(detail["summary"]["status"], "editing");
    assert!(detail["reviews"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn drafts_export_as_zip_and_bad_zips_import_nothing() {
    let app = test_app().await;
    let lecturer = session_for(&app.store, 2).await;
    start_draft(&app, &lecturer).await;
    let response = app.get(&draft("/export.zip"), Some(&lecturer)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let zip = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let files = lophoc_server::authoring::files::import_zip(&zip).unwrap();
    assert!(files
        .iter()
        .any(|(p, _)| p == "phong-chong-tham-nhung/nhan-dien-tham-nhung.md"));
    // The same zip back: nothing changes.
    let (status, text) = send(
        &app,
        Method::POST,
        "/api/authoring/import",
        Body::from(zip.clone()),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["changed"], 0);
    // Malformed TOML: the problem and its line, nothing stored.
    let mut broken = files.clone();
    for (path, content) in &mut broken {
        if path.ends_with("tinh-huong-phong-bi.situation.toml") {
            *content = b"title = \"x\"\nmode = practice\n".to_vec();
        }
    }
    let zip = lophoc_server::authoring::files::export_zip(COURSE, &broken).unwrap();
    let (status, text) = send(
        &app,
        Method::POST,
        "/api/authoring/import",
        Body::from(zip),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        report["problems"][0]["file"],
        "phong-chong-tham-nhung/tinh-huong-phong-bi.situation.toml"
    );
    assert_eq!(report["problems"][0]["line"], 2);
    let (_, file) = call(
        &app,
        Method::GET,
        &draft("/files/phong-chong-tham-nhung/tinh-huong-phong-bi.situation.toml"),
        Value::Null,
        &lecturer,
    )
    .await;
    assert_eq!(file["version"], 1, "nothing stored");
    let (status, _) = send(
        &app,
        Method::POST,
        "/api/authoring/import",
        Body::from("not a zip"),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn uploads_over_the_limit_and_foreign_types_are_refused() {
    let app = test_app().await;
    let lecturer = session_for(&app.store, 2).await;
    start_draft(&app, &lecturer).await;
    let big = vec![0_u8; 12 * 1024 * 1024 + 1];
    let (status, text) = upload(&app, "lon.png", Body::from(big), &lecturer).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    let (status, _) = upload(&app, "x.exe", Body::from(PNG), &lecturer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Within the upload limit but not an image that shrinks: over the
    // stored-file limit.
    let stored_limit = vec![0_u8; 5 * 1024 * 1024 + 1];
    let (status, text) = upload(&app, "hong.png", Body::from(stored_limit), &lecturer).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    // A wide photo is scaled down to the widest kept.
    let wide = image::RgbImage::from_fn(2400, 1200, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(wide)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let (status, text) = upload(&app, "rong.png", Body::from(png), &lecturer).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let response = app.get(&draft("/media/rong.png"), Some(&lecturer)).await;
    let stored = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let stored = image::load_from_memory(&stored).unwrap();
    assert_eq!((stored.width(), stored.height()), (1280, 640));
    // The same name again with other bytes gets a free name.
    upload(&app, "anh.png", Body::from(PNG), &lecturer).await;
    let (_, text) = upload(
        &app,
        "anh.png",
        Body::from(&b"\x89PNG other"[..]),
        &lecturer,
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["name"],
        "anh-2.png"
    );
}

/// Issue 19: what an author types is kept in NFC whatever the keyboard
/// sent; the draft's outline names modules and items by title in course
/// order; a submission names who may review it, the province admin among
/// them, who may then decide on it.
#[tokio::test]
async fn drafts_keep_nfc_show_their_outline_and_name_their_reviewers() {
    let app = test_app().await;
    let lecturer = session_for(&app.store, 2).await;
    let province = app.login("quantritinh", "quantri123").await;
    start_draft(&app, &lecturer).await;
    let uri = draft("/files/phong-chong-tham-nhung/nhan-dien-tham-nhung.md");
    let (_, file) = call(&app, Method::GET, &uri, Value::Null, &lecturer).await;
    let base = file["version"].as_i64().unwrap();
    let decomposed = file["content"].as_str().unwrap().replace(
        "## Tham nhũng là gì?",
        "## Ne\u{302}\u{301}u ho\u{302}\u{300} so\u{31b}",
    );
    let (status, _) = call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": base, "content": decomposed}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, file) = call(&app, Method::GET, &uri, Value::Null, &lecturer).await;
    let stored = file["content"].as_str().unwrap();
    assert!(stored.contains("## Nếu hồ sơ"), "{stored}");
    assert!(!stored.contains('\u{301}'), "precomposed");

    let (_, detail) = call(&app, Method::GET, &draft(""), Value::Null, &lecturer).await;
    let outline = detail["outline"].as_array().unwrap();
    assert_eq!(outline.len(), 4);
    assert_eq!(
        outline[0]["title"],
        "Phòng, chống tham nhũng, tiêu cực ở cơ sở"
    );
    let items: Vec<(&str, &str)> = outline[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        items,
        vec![
            (
                "lesson",
                "Nhận diện hành vi tham nhũng trong công việc ở xã"
            ),
            ("lesson", "Kê khai tài sản, thu nhập: hiểu đúng, làm đúng"),
            (
                "lesson",
                "Khi phát hiện tham nhũng, tiêu cực: làm gì, báo ai?"
            ),
            ("situation", "Chiếc phong bì sau khi làm xong hồ sơ đất"),
            (
                "assessment",
                "Kiểm tra chuyên đề 1: Phòng, chống tham nhũng"
            ),
        ]
    );

    // Nobody may read or review before it is submitted but the centre and
    // the province; the province admin cannot edit.
    let (status, _) = call(
        &app,
        Method::PUT,
        &uri,
        json!({"base_version": null, "content": "x"}),
        &province,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the province reviews, it does not edit"
    );
    let (status, report) = call(
        &app,
        Method::POST,
        &draft("/submit"),
        json!({"text": ""}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let names: Vec<&str> = report["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(names.contains(&"Lê Văn Cường"), "{names:?}");
    assert!(!names.contains(&"Trần Thị Bình"), "never the submitter");
    assert_eq!(
        names.len(),
        2,
        "the centre admin and the province admin: {names:?}"
    );
    let (status, queue) = call(
        &app,
        Method::GET,
        "/api/authoring/reviews",
        Value::Null,
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue[0]["can_decide"], true);
    let (status, _) = call(
        &app,
        Method::POST,
        &draft("/return"),
        json!({"text": "Cần thêm ví dụ ở cơ sở."}),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "the province admin decides");
}
