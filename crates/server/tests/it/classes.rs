//! Classes through the HTTP API: roster imports (CSV and XLSX) and first
//! passwords, password resets, the class matrix, certificates and their
//! public check, exports, question statistics, the centre report, xAPI,
//! and upgrading a database made before classes.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::collections::BTreeSet;

use crate::common::{
    body_json, body_text,
    classes::{
        attempt_events, complete_course, push_events, read_lessons, session_for, ASSESSMENT, COURSE,
    },
    test_app, TestApp,
};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use lophoc_core::{accounts::Role, calendar::vn_date, classes::NewClass, question::QuestionBody};
use serde_json::{json, Value};

const HEADER: &str = "Họ và tên,Ngày sinh,Đơn vị,Chức vụ,Số điện thoại";

async fn get_json(app: &TestApp, uri: &str, cookie: Option<&str>) -> (StatusCode, Value) {
    let response = app.get(uri, cookie).await;
    let status = response.status();
    (status, body_json(response).await)
}

async fn post(app: &TestApp, uri: &str, body: Value, cookie: &str) -> (StatusCode, Value) {
    let response = app.post_json(uri, &body.to_string(), Some(cookie)).await;
    let status = response.status();
    let text = body_text(response).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn import(app: &TestApp, csv: &str, dry_run: bool) -> (StatusCode, Value) {
    let admin = session_for(&app.store, 3).await;
    let body = json!({ "csv": csv, "dry_run": dry_run });
    post(app, "/api/classes/1/roster", body, &admin).await
}

/// The id of the class 1 member with `username`.
async fn member_id(app: &TestApp, username: &str) -> i64 {
    let admin = session_for(&app.store, 3).await;
    let (_, detail) = get_json(app, "/api/classes/1", Some(&admin)).await;
    detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == username)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn login_status(app: &TestApp, username: &str, password: &str) -> StatusCode {
    let body = json!({ "username": username, "password": password }).to_string();
    app.post_json("/api/auth/login", &body, None).await.status()
}

#[tokio::test]
async fn a_clean_roster_makes_accounts_whose_first_password_must_be_changed() {
    let app = test_app().await;
    let csv = format!(
        "{HEADER}\n\
         Nguyễn Văn An,05/03/1980,UBND xã Tà Lèng,Phó Chủ tịch,0912 345 678\n\
         Nguyễn Văn An,12/11/1975,UBND xã Kiệt Sơn,Chủ tịch,\n\
         Lò Thị Mai,14/07/1985,Hội Phụ nữ xã,Chủ tịch,0987654321\n"
    );
    let users = app.store.accounts.user_count().await.unwrap();
    let (status, dry) = import(&app, &csv, true).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dry["rows"], 3);
    assert_eq!(dry["accounts"], json!([]));
    assert_eq!(
        app.store.accounts.user_count().await.unwrap(),
        users,
        "a dry run creates nothing"
    );

    let (status, done) = import(&app, &csv, false).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["problems"], json!([]));
    let accounts = done["accounts"].as_array().unwrap();
    let names: Vec<&str> = accounts
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["annv", "annv2", "mailt"]);
    assert_eq!(accounts[2]["birth_date"], "1985-07-14");
    assert_eq!(app.store.accounts.user_count().await.unwrap(), users + 3);
    let admin = session_for(&app.store, 3).await;
    let (_, detail) = get_json(&app, "/api/classes/1", Some(&admin)).await;
    assert_eq!(detail["members"].as_array().unwrap().len(), 5);

    // Mai signs in with the printed password and must choose her own.
    let first = accounts[2]["password"].as_str().unwrap().to_string();
    assert_eq!(first.len(), 10);
    let mai = app.login("mailt", &first).await;
    let (_, me) = get_json(&app, "/api/me", Some(&mai)).await;
    assert_eq!(me["must_change_password"], true);
    let change = |current: &str, new: &str| json!({ "current": current, "new": new });
    let (status, error) = post(
        &app,
        "/api/me/password",
        change("sai", "mat-khau-moi"),
        &mai,
    )
    .await;
    assert_eq!(
        (status, &error["code"]),
        (StatusCode::BAD_REQUEST, &json!("wrong_password"))
    );
    let (status, error) = post(&app, "/api/me/password", change(&first, "ngan"), &mai).await;
    assert_eq!(
        (status, &error["code"]),
        (StatusCode::BAD_REQUEST, &json!("weak_password"))
    );
    let (status, _) = post(
        &app,
        "/api/me/password",
        change(&first, "mat-khau-moi"),
        &mai,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, me) = get_json(&app, "/api/me", Some(&mai)).await;
    assert_eq!(me["must_change_password"], false);
    assert_eq!(
        login_status(&app, "mailt", &first).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "mailt", "mat-khau-moi").await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_roster_with_problems_creates_no_account_and_says_where() {
    let app = test_app().await;
    let users = app.store.accounts.user_count().await.unwrap();
    let csv = format!(
        "{HEADER}\n\
         Hà Văn Bình,31/02/1980,,,\n\
         ,01/01/1980,UBND xã,,\n\
         Đinh Văn Cao,01/01/1981,,,12345\n\
         Triệu Thị Duyên,02/02/1982,,,\n\
         Triệu Thị Duyên,02/02/1982,,,\n"
    );
    let (status, result) = import(&app, &csv, false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        result["problems"],
        json!([
            { "row": 2, "kind": { "kind": "bad_date", "value": "31/02/1980" } },
            { "row": 3, "kind": { "kind": "missing_name" } },
            { "row": 4, "kind": { "kind": "bad_phone", "value": "12345" } },
            { "row": 6, "kind": { "kind": "duplicate", "first_row": 5 } },
        ])
    );
    assert_eq!(result["accounts"], json!([]));
    assert_eq!(app.store.accounts.user_count().await.unwrap(), users);

    let huge = format!(
        "{HEADER}\n{}",
        "a".repeat(lophoc_server::classes::MAX_ROSTER_BYTES)
    );
    let (status, error) = import(&app, &huge, false).await;
    assert_eq!(
        (status, &error["code"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("too_large"))
    );
    assert_eq!(app.store.accounts.user_count().await.unwrap(), users);
}

async fn post_xlsx(app: &TestApp, bytes: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::post("/api/classes/1/roster.xlsx")
        .header(header::COOKIE, session_for(&app.store, 3).await)
        .body(Body::from(bytes))
        .unwrap();
    let response = app.send(request).await;
    let status = response.status();
    (status, body_json(response).await)
}

#[tokio::test]
async fn a_roster_spreadsheet_is_read_and_anything_else_is_unreadable() {
    let app = test_app().await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "DANH SÁCH HỌC VIÊN").unwrap();
    for (c, title) in (0_u16..).zip(HEADER.split(',')) {
        sheet.write_string(1, c, title).unwrap();
    }
    for (r, (name, born)) in
        (2_u32..).zip([("Sùng A Páo", "20/10/1990"), ("Hà Thị Nga", "1988-01-31")])
    {
        sheet.write_string(r, 0, name).unwrap();
        sheet.write_string(r, 1, born).unwrap();
    }
    let (status, result) = post_xlsx(&app, workbook.save_to_buffer().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["problems"], json!([]));
    let names: Vec<&str> = result["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sùng A Páo", "Hà Thị Nga"]);
    assert_eq!(result["accounts"][1]["birth_date"], "1988-01-31");

    let users = app.store.accounts.user_count().await.unwrap();
    let (status, result) = post_xlsx(&app, b"Ho va ten,Ngay sinh\nA,01/01/1990\n".to_vec()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        result["problems"],
        json!([{ "row": 0, "kind": { "kind": "unreadable" } }])
    );
    assert_eq!(app.store.accounts.user_count().await.unwrap(), users);
}

/// A user made in the store, whose password nobody uses.
async fn new_user(app: &TestApp, username: &str, full_name: &str, role: Role) -> i64 {
    let hash = lophoc_server::auth::hash_password("khong-dung-den").unwrap();
    app.store
        .accounts
        .create_user(username, full_name, role, &hash)
        .await
        .unwrap()
}

/// A lecturer of the demo centre who teaches another class, not class 1.
async fn other_lecturer(app: &TestApp) -> i64 {
    let id = new_user(app, "giangvien3", "Đặng Văn Ba", Role::Lecturer).await;
    app.store.accounts.set_user_centre(id, 1).await.unwrap();
    let today = vn_date(lophoc_server::store::now() * 1000);
    let class = NewClass {
        name: "Lớp khoá 2".into(),
        course_id: COURSE.into(),
        starts_on: today.clone(),
        ends_on: today,
        lecturer_ids: vec![id],
    };
    app.store.classes.create_class(1, &class).await.unwrap();
    id
}

#[tokio::test]
async fn a_lecturer_resets_a_members_password_and_signs_them_out() {
    let app = test_app().await;
    let old = app.login("hocvien", "hocvien123").await;
    let stranger = session_for(&app.store, other_lecturer(&app).await).await;
    let uri = "/api/classes/1/trainees/1/password";
    let (status, _) = post(&app, uri, Value::Null, &stranger).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/me", Some(&old)).await.status(),
        StatusCode::OK
    );

    let lecturer = session_for(&app.store, 2).await;
    let (status, account) = post(&app, uri, Value::Null, &lecturer).await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["username"], "hocvien");
    assert_eq!(
        app.get("/api/me", Some(&old)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "hocvien", "hocvien123").await,
        StatusCode::UNAUTHORIZED
    );
    let new = app
        .login("hocvien", account["password"].as_str().unwrap())
        .await;
    let (_, me) = get_json(&app, "/api/me", Some(&new)).await;
    assert_eq!(me["must_change_password"], true);
}

fn row_of<'a>(matrix: &'a Value, username: &str) -> &'a Value {
    matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"]["username"] == username)
        .unwrap()
}

#[tokio::test]
async fn the_matrix_certificates_exports_and_report_follow_what_trainees_did() {
    let app = test_app().await;
    let (an, lecturer) = (
        session_for(&app.store, 1).await,
        session_for(&app.store, 2).await,
    );
    let (status, roster) = import(
        &app,
        &format!("{HEADER}\nLò Thị Mai,14/07/1985,,,\n"),
        false,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{roster}");
    let mai_id = member_id(&app, "mailt").await;
    let mai = session_for(&app.store, mai_id).await;

    // An reads the three lessons of the first module.
    push_events(&app, &an, 1, read_lessons(&app.store, 3).await).await;
    let (status, matrix) = get_json(&app, "/api/classes/1/matrix", Some(&lecturer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(matrix["rows"].as_array().unwrap().len(), 3);
    let row = row_of(&matrix, "hocvien");
    // The first module also asks for its assessment.
    assert_eq!(
        row["cells"][0],
        json!({ "status": "in_progress", "done": 3, "required": 4 })
    );
    assert_eq!(row["cells"][1]["status"], "not_started");
    assert_eq!(
        (&row["completed"], &row["certificate"]),
        (&json!(false), &Value::Null)
    );
    assert_eq!(
        row_of(&matrix, "hocvien2")["cells"][0]["status"],
        "not_started"
    );

    // An and Mai complete the course; Dung opens it.
    complete_course(&app, (1, &an), (2, &lecturer), "an-1").await;
    complete_course(&app, (mai_id, &mai), (2, &lecturer), "mai-1").await;
    let dung = session_for(&app.store, 4).await;
    push_events(&app, &dung, 4, read_lessons(&app.store, 1).await).await;
    let (_, matrix) = get_json(&app, "/api/classes/1/matrix", Some(&lecturer)).await;
    let row = row_of(&matrix, "hocvien");
    assert_eq!(row["completed"], true);
    assert_eq!(row["results"][0]["passed"], true);
    let code = row["certificate"].as_str().unwrap().to_string();
    let (_, mine) = get_json(&app, "/api/me/progress", Some(&an)).await;
    let course = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["progress"]["course_id"] == COURSE)
        .unwrap();
    assert_eq!(course["certificate"]["code"], code.as_str());
    assert_eq!(course["progress"]["completed"], true);

    // The public check: names, no birth date (Mai's is on her certificate).
    let mai_code = row_of(&matrix, "mailt")["certificate"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, own) = get_json(
        &app,
        &format!("/api/certificates/{mai_code}"),
        Some(&lecturer),
    )
    .await;
    assert_eq!(own["birth_date"], "1985-07-14");
    let response = app
        .get(&format!("/api/verify/{}", mai_code.to_lowercase()), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = body_text(response).await;
    assert!(!text.contains("1985"), "{text}");
    let verified: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(verified["trainee_name"], "Lò Thị Mai");
    assert_eq!(verified["centre_name"], lophoc_server::seed::DEMO_CENTRE);
    assert_eq!(verified["class_name"], lophoc_server::seed::DEMO_CLASS);
    assert_eq!(verified["revoked"], Value::Null);

    // Exports.
    let response = app.get("/api/classes/1/export.csv", Some(&lecturer)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = body_text(response).await;
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("\u{feff}Họ và tên,"), "{}", lines[0]);
    let line = |name: &str| *lines.iter().find(|l| l.starts_with(name)).unwrap();
    assert!(line("Nguyễn Văn An").contains("Hoàn thành (4/4)"), "{csv}");
    assert!(line("Nguyễn Văn An").contains(&code));
    assert!(line("Phạm Thị Dung").contains("Đang học (1/4)"), "{csv}");
    assert!(line("Phạm Thị Dung").contains("Chưa bắt đầu"), "{csv}");
    let response = app.get("/api/classes/1/export.xlsx", Some(&lecturer)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(bytes.starts_with(b"PK"));
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = calamine::Reader::sheet_names(&book)[0].clone();
    let range = calamine::Reader::worksheet_range(&mut book, &name).unwrap();
    let cells: Vec<String> = range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(cells.iter().any(|c| c == "Nguyễn Văn An"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "Họ và tên"));

    // The centre report for the class's year.
    let year = &app.store.classes.class(1).await.unwrap().unwrap().starts_on[..4];
    let uri = format!("/api/report?year={year}");
    let expected = json!({
        "centre_name": lophoc_server::seed::DEMO_CENTRE,
        "course_id": COURSE,
        "classes": 1, "trainees": 3, "completed": 2, "passed": 2,
    });
    for admin in [3, 5] {
        let cookie = session_for(&app.store, admin).await;
        let (status, report) = get_json(&app, &uri, Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let rows = report["rows"].as_array().unwrap();
        let row = rows.iter().find(|r| r["course_id"] == COURSE).unwrap();
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&row[key], value, "{key} in {row}");
        }
    }
    let (status, _) = get_json(&app, &uri, Some(&lecturer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Revocation: not by the trainee, not without a reason.
    let revoke = format!("/api/certificates/{code}/revoke");
    let reason = |text: &str| json!({ "reason": text });
    let (status, _) = post(&app, &revoke, reason("Tự huỷ"), &an).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&app, &revoke, reason("   "), &lecturer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, verified) = get_json(&app, &format!("/api/verify/{code}"), None).await;
    assert_eq!(verified["revoked"], Value::Null);
    let (status, _) = post(&app, &revoke, reason("Gian lận khi làm bài"), &lecturer).await;
    assert_eq!(status, StatusCode::OK);
    let (_, verified) = get_json(&app, &format!("/api/verify/{code}"), None).await;
    assert_eq!(verified["trainee_name"], "Nguyễn Văn An");
    assert_eq!(verified["revoked"]["reason"], "Gian lận khi làm bài");
}

#[tokio::test]
async fn question_statistics_count_each_trainees_first_attempt() {
    let app = test_app().await;
    let rows: String = (1..=6)
        .map(|i| format!("Hoàng Văn Học{i},0{i}/01/1990,,,\n"))
        .collect();
    let (status, result) = import(&app, &format!("{HEADER}\n{rows}"), false).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    let (paper, bank) = app
        .store
        .courses
        .assessment(COURSE, ASSESSMENT)
        .await
        .unwrap()
        .unwrap();
    let is_essay = |id: &str| {
        matches!(
            bank.iter().find(|q| q.id == id).unwrap().body,
            QuestionBody::Essay { .. }
        )
    };
    // Each trainee draws the paper of the seed the server issued them; the
    // first trainee's first non-essay question is answered right by
    // everyone who drew it.
    let mut drawn = Vec::new();
    let mut easy = None;
    for (i, account) in result["accounts"].as_array().unwrap().iter().enumerate() {
        let id = member_id(&app, account["username"].as_str().unwrap()).await;
        let cookie = session_for(&app.store, id).await;
        let seed = app.store.sync.attempt_seed(id, COURSE, ASSESSMENT, 1);
        let paper_i = lophoc_core::assessment::attempt_questions(&paper, seed).unwrap();
        let easy_id = easy
            .get_or_insert_with(|| {
                paper_i
                    .iter()
                    .find(|q| !is_essay(&q.id))
                    .unwrap()
                    .id
                    .clone()
            })
            .clone();
        if drawn.is_empty() {
            drawn = paper_i.clone();
        }
        let right = |j: usize| paper_i[j].id == easy_id || !(i + j).is_multiple_of(3);
        let (mut events, _) = attempt_events(&app.store, &format!("first-{i}"), seed, right).await;
        // A second attempt, all right, on the second issued seed, does not
        // count.
        let second = app.store.sync.attempt_seed(id, COURSE, ASSESSMENT, 2);
        events.extend(
            attempt_events(&app.store, &format!("second-{i}"), second, |_| true)
                .await
                .0,
        );
        push_events(&app, &cookie, id, events).await;
    }
    let easy = easy.unwrap();
    let lecturer = session_for(&app.store, 2).await;
    let (status, stats) = get_json(&app, "/api/classes/1/stats", Some(&lecturer)).await;
    assert_eq!(status, StatusCode::OK);
    let stats = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["assessment_id"] == ASSESSMENT)
        .unwrap();
    assert_eq!(stats["attempts"], 6);
    let questions = stats["questions"].as_array().unwrap();
    let facility = |id: &str| {
        questions.iter().find(|q| q["question_id"] == id).unwrap()["stat"]["facility_percent"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(facility(&easy), 100);
    let mut below = 0;
    for q in drawn.iter().filter(|q| !is_essay(&q.id)) {
        let f = facility(&q.id);
        assert!(f <= 100);
        below += usize::from(f < 100);
    }
    assert!(below > 0, "the first attempts were not all right");
}

/// Statement ids of an xAPI answer, and the learners' usernames in it.
fn statements(body: &Value) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let list = body.as_array().unwrap();
    let field = |f: &dyn Fn(&Value) -> &Value| -> BTreeSet<String> {
        list.iter()
            .map(|s| f(s).as_str().unwrap().to_string())
            .collect()
    };
    (
        field(&|s| &s["id"]),
        field(&|s| &s["actor"]["account"]["name"]),
        field(&|s| &s["verb"]["id"]),
    )
}

#[tokio::test]
async fn xapi_statements_are_the_pushed_ops_of_the_askers_or_the_class() {
    let app = test_app().await;
    let an = session_for(&app.store, 1).await;
    let mut events = read_lessons(&app.store, 2).await;
    let seed = app.store.sync.attempt_seed(1, COURSE, ASSESSMENT, 1);
    events.extend(attempt_events(&app.store, "an-1", seed, |_| true).await.0);
    let pushed: BTreeSet<String> = push_events(&app, &an, 1, events)
        .await
        .into_iter()
        .collect();
    let (status, body) = get_json(&app, "/api/me/xapi", Some(&an)).await;
    assert_eq!(status, StatusCode::OK);
    let (ids, actors, verbs) = statements(&body);
    assert_eq!(ids, pushed);
    assert_eq!(actors, BTreeSet::from(["hocvien".to_string()]));
    assert!(
        verbs.contains("http://adlnet.gov/expapi/verbs/completed"),
        "{verbs:?}"
    );

    // Dung, and someone on no class, learn too.
    let dung = session_for(&app.store, 4).await;
    push_events(&app, &dung, 4, read_lessons(&app.store, 1).await).await;
    let outsider = new_user(&app, "ngoailop", "Ngoài Lớp", Role::Trainee).await;
    let cookie = session_for(&app.store, outsider).await;
    push_events(&app, &cookie, outsider, read_lessons(&app.store, 1).await).await;
    let lecturer = session_for(&app.store, 2).await;
    let (status, body) = get_json(&app, "/api/classes/1/xapi", Some(&lecturer)).await;
    assert_eq!(status, StatusCode::OK);
    let (ids, actors, _) = statements(&body);
    assert_eq!(
        actors,
        BTreeSet::from(["hocvien".to_string(), "hocvien2".to_string()])
    );
    assert!(ids.is_superset(&pushed));
}

#[tokio::test]
async fn a_database_from_before_classes_keeps_its_sessions_and_events() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).unwrap();
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut copied = 0;
    for entry in std::fs::read_dir(&migrations).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.as_str() < "0006" {
            std::fs::copy(&path, old.join(&name)).unwrap();
            copied += 1;
        }
    }
    assert_eq!(copied, 5);
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
    let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true).foreign_keys(true))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let token_hash = sha2::Sha256::digest(b"old-token").to_vec();
    let mut log = lophoc_core::sync::DeviceLog::new("old-phone");
    let op = log.record(
        "0190a000-0000-7000-8000-000000000001".into(),
        1,
        1_767_225_600_000,
        read_lessons_event(),
    );
    for (sql, binds) in [
        (
            "INSERT INTO users (id, username, full_name, role, password_hash, created_at)
             VALUES (1, 'cu', 'Người Cũ', 'trainee', 'x', 0)",
            vec![],
        ),
        (
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES ($1, 1, 0, 99999999999)",
            vec![json!(null)],
        ),
        (
            "INSERT INTO devices (device_id, user_id, acked_seq, last_seen)
             VALUES ('old-phone', 1, 1, 0)",
            vec![],
        ),
        (
            "INSERT INTO events (op_id, device_id, seq, user_id, schema, client_time_ms,
                                 server_time, body)
             VALUES ($1, 'old-phone', 1, 1, 1, 0, 0, $2)",
            vec![json!(op.op_id), json!(serde_json::to_string(&op).unwrap())],
        ),
    ] {
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = match bind {
                Value::String(s) => query.bind(s),
                _ => query.bind(token_hash.clone()),
            };
        }
        query.execute(&pool).await.unwrap();
    }
    pool.close().await;

    let store = lophoc_server::store::Store::open(&url).await.unwrap();
    let user = store.accounts.session_user(&token_hash).await.unwrap();
    assert_eq!(user.map(|u| u.username), Some("cu".to_string()));
    assert_eq!(store.sync.user_events(1).await.unwrap(), vec![op]);
    let id = store
        .accounts
        .create_user("quantritinh", "Tỉnh", Role::ProvinceAdmin, "x")
        .await
        .unwrap();
    let profile = store.accounts.profile(id).await.unwrap().unwrap();
    assert_eq!(profile.user.role, Role::ProvinceAdmin);
    store.close().await;
    // Opening again changes nothing.
    let store = lophoc_server::store::Store::open(&url).await.unwrap();
    assert!(store
        .accounts
        .session_user(&token_hash)
        .await
        .unwrap()
        .is_some());
}

fn read_lessons_event() -> lophoc_core::events::Event {
    lophoc_core::events::Event::LessonCompleted {
        course_id: COURSE.into(),
        lesson_id: "nhan-dien-tham-nhung".into(),
    }
}
