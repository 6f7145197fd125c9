//! Staff accounts in the browser (issue 14): centres and their admins made
//! by the province admin, lecturers and reviewers made by a centre admin,
//! deactivation (no sign-in, sessions end at once, records stay),
//! reactivation, and password resets with a one-time password. Who may call
//! each route at all is in `tests/it/authz.rs`; these follow whole journeys.

use crate::common::{
    body_json, body_text,
    classes::{push_events, read_lessons, session_for},
    test_app, TestApp,
};
use axum::http::{header, StatusCode};
use serde_json::Value;

/// Logs in; returns the status and the reply.
async fn try_login(app: &TestApp, username: &str, password: &str) -> (StatusCode, Value) {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let response = app.post_json("/api/auth/login", &body, None).await;
    let status = response.status();
    (status, body_json(response).await)
}

async fn post(app: &TestApp, uri: &str, body: Value, cookie: &str) -> (StatusCode, Value) {
    let response = app.post_json(uri, &body.to_string(), Some(cookie)).await;
    let status = response.status();
    let text = body_text(response).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn me_status(app: &TestApp, cookie: &str) -> StatusCode {
    app.get("/api/me", Some(cookie)).await.status()
}

/// Signs in with a handed-out password and chooses a new one, as the
/// first login asks; returns the session.
async fn first_login(app: &TestApp, username: &str, password: &str) -> String {
    let cookie = app.login(username, password).await;
    let change = serde_json::json!({ "current": password, "new": "mat-khau-rieng-2026" });
    let (status, _) = post(app, "/api/me/password", change, &cookie).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.login(username, "mat-khau-rieng-2026").await
}

#[tokio::test]
async fn the_province_admin_opens_a_centre_and_its_admin_signs_in_with_the_printed_password() {
    let app = test_app().await;
    let province = app.login("quantritinh", "quantri123").await;

    let (status, centre) = post(
        &app,
        "/api/centres",
        serde_json::json!({ "name": "  Trung tâm Chính trị   huyện Thanh Sơn " }),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{centre}");
    assert_eq!(centre["name"], "Trung tâm Chính trị huyện Thanh Sơn");
    let (status, again) = post(
        &app,
        "/api/centres",
        serde_json::json!({ "name": "Trung tâm Chính trị huyện Thanh Sơn" }),
        &province,
    )
    .await;
    assert_eq!(
        (status, again["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_exists"))
    );

    let (status, slip) = post(
        &app,
        "/api/accounts",
        serde_json::json!({ "full_name": "Đinh Thị Lan", "username": "lan.dt",
                            "role": "centre_admin", "centre_id": centre["id"] }),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{slip}");
    assert_eq!(slip["unit"], "Trung tâm Chính trị huyện Thanh Sơn");
    let password = slip["password"].as_str().unwrap().to_string();
    assert_eq!(password.len(), 10);
    // The same username again is refused, and nothing changes.
    let (status, _) = post(
        &app,
        "/api/accounts",
        serde_json::json!({ "full_name": "Người khác", "username": "lan.dt",
                            "role": "centre_admin", "centre_id": centre["id"] }),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // The province admin makes no lecturer (the centre's admin does).
    let (status, _) = post(
        &app,
        "/api/accounts",
        serde_json::json!({ "full_name": "Giảng viên", "username": "gv.moi",
                            "role": "lecturer", "centre_id": centre["id"] }),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let centres = body_json(app.get("/api/centres", Some(&province)).await).await;
    let listed = centres
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == centre["id"])
        .unwrap();
    assert_eq!(listed["admins"][0]["username"], "lan.dt");
    assert_eq!(listed["admins"][0]["must_change_password"], true);

    // She signs in with the printed password, is asked to change it, and
    // manages her own centre: her list has no trainee of another centre.
    let (status, user) = try_login(&app, "lan.dt", &password).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["role"], "centre_admin");
    assert_eq!(user["must_change_password"], true);
    let lan = first_login(&app, "lan.dt", &password).await;
    let list = body_json(app.get("/api/accounts", Some(&lan)).await).await;
    assert_eq!(list["centre_name"], "Trung tâm Chính trị huyện Thanh Sơn");
    assert_eq!(list["trainees_found"], 0);
    assert_eq!(list["staff"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_centre_admin_adds_a_lecturer_and_names_a_reviewer() {
    let app = test_app().await;
    let admin = app.login("quantri", "quantri123").await;

    for (body, want) in [
        // Not a username one can type safely.
        (
            serde_json::json!({ "full_name": "Trần Văn Hùng", "username": "Hùng", "role": "lecturer" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            serde_json::json!({ "full_name": "   ", "username": "hung.tv", "role": "lecturer" }),
            StatusCode::BAD_REQUEST,
        ),
        // A centre admin makes lecturers only, of their own centre.
        (
            serde_json::json!({ "full_name": "Trần Văn Hùng", "username": "hung.tv", "role": "centre_admin" }),
            StatusCode::FORBIDDEN,
        ),
        (
            serde_json::json!({ "full_name": "Trần Văn Hùng", "username": "hung.tv", "role": "lecturer", "centre_id": 99 }),
            StatusCode::FORBIDDEN,
        ),
        // Taken by the demo lecturer.
        (
            serde_json::json!({ "full_name": "Trần Văn Hùng", "username": "giangvien", "role": "lecturer" }),
            StatusCode::CONFLICT,
        ),
    ] {
        let (status, reply) = post(&app, "/api/accounts", body.clone(), &admin).await;
        assert_eq!(status, want, "{body} → {reply}");
    }
    let (status, slip) = post(
        &app,
        "/api/accounts",
        serde_json::json!({ "full_name": "Trần Văn Hùng", "username": "hung.tv", "role": "lecturer" }),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{slip}");
    let password = slip["password"].as_str().unwrap();
    let (status, user) = try_login(&app, "hung.tv", password).await;
    assert_eq!(
        (status, &user["role"]),
        (StatusCode::OK, &Value::from("lecturer"))
    );
    let hung = user["id"].as_i64().unwrap();

    // Offered for new classes of the centre, and named reviewer.
    let lecturers = body_json(app.get("/api/centre/lecturers", Some(&admin)).await).await;
    assert!(lecturers
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == hung));
    let (status, _) = post(
        &app,
        "/api/authoring/reviewers",
        serde_json::json!({ "user_id": hung, "reviewer": true }),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let list = body_json(app.get("/api/accounts", Some(&admin)).await).await;
    let entry = list["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == hung)
        .unwrap()
        .clone();
    assert_eq!(entry["reviewer"], true);
    assert_eq!(entry["active"], true);
    assert_eq!(entry["must_change_password"], true);
    let hung_cookie = first_login(&app, "hung.tv", password).await;
    let queue = app.get("/api/authoring/reviews", Some(&hung_cookie)).await;
    assert_eq!(queue.status(), StatusCode::OK, "a reviewer sees the queue");
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in_its_sessions_end_and_its_records_stay() {
    let app = test_app().await;
    let admin = app.login("quantri", "quantri123").await;
    let an = app.login("hocvien", "hocvien123").await;
    let an_other_phone = app.login("hocvien", "hocvien123").await;
    let events = read_lessons(&app.store, 2).await;
    push_events(&app, &an, 1, events).await;
    let lecturer = app.login("giangvien", "giangvien123").await;

    let (status, account) = post(
        &app,
        "/api/accounts/1/active",
        serde_json::json!({ "active": false }),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["active"], false);
    // Every session ended at once, on every device.
    assert_eq!(me_status(&app, &an).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_status(&app, &an_other_phone).await,
        StatusCode::UNAUTHORIZED
    );
    // The right password says the account is closed; a wrong one says no
    // more than for anyone else.
    let (status, reply) = try_login(&app, "hocvien", "hocvien123").await;
    assert_eq!(
        (status, reply["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("account_disabled"))
    );
    let (status, reply) = try_login(&app, "hocvien", "sai-mat-khau").await;
    assert_eq!(
        (status, reply["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_credentials"))
    );
    // A session made some other way still does not let her in.
    let forged = session_for(&app.store, 1).await;
    assert_eq!(me_status(&app, &forged).await, StatusCode::UNAUTHORIZED);

    // Her records stay: the roster, her events, her progress in the matrix.
    assert_eq!(app.store.sync.user_events(1).await.unwrap().len(), 2);
    let matrix = body_json(app.get("/api/classes/1/matrix", Some(&lecturer)).await).await;
    let row = matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"]["id"] == 1)
        .unwrap()
        .clone();
    assert!(row["percent"].as_u64().unwrap() > 0, "{row}");
    let list = body_json(
        app.get("/api/accounts?q=nguyen%20van%20an", Some(&admin))
            .await,
    )
    .await;
    assert_eq!(
        list["trainees_found"], 1,
        "found without tone marks: {list}"
    );
    assert_eq!(list["trainees"][0]["active"], false);

    // Reactivated: the same account, the same password, the same records.
    let (status, _) = post(
        &app,
        "/api/accounts/1/active",
        serde_json::json!({ "active": true }),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let an = app.login("hocvien", "hocvien123").await;
    let pulled = body_json(app.get("/api/sync/pull?cursor=0", Some(&an)).await).await;
    assert_eq!(pulled["events"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_deactivated_lecturer_is_not_offered_for_new_classes() {
    let app = test_app().await;
    let admin = app.login("quantri", "quantri123").await;
    let (status, _) = post(
        &app,
        "/api/accounts/2/active",
        serde_json::json!({ "active": false }),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let lecturers = body_json(app.get("/api/centre/lecturers", Some(&admin)).await).await;
    assert_eq!(lecturers, serde_json::json!([]));
    // Still listed, as deactivated, on the accounts page and on the class.
    let list = body_json(app.get("/api/accounts", Some(&admin)).await).await;
    let giang = list["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == 2)
        .unwrap()
        .clone();
    assert_eq!(giang["active"], false);
    let class = body_json(app.get("/api/classes/1", Some(&admin)).await).await;
    assert_eq!(class["class"]["lecturers"][0]["id"], 2);
}

#[tokio::test]
async fn a_reset_password_is_shown_once_ends_every_session_and_must_be_changed() {
    let app = test_app().await;
    let admin = app.login("quantri", "quantri123").await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let response = app
        .post_json("/api/accounts/2/password", "", Some(&admin))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "no-store",
        "the password is not kept by any cache"
    );
    let slip = body_json(response).await;
    assert_eq!(slip["username"], "giangvien");
    assert_eq!(slip["unit"], "Trung tâm Chính trị huyện Tân Sơn");
    let password = slip["password"].as_str().unwrap();
    assert_eq!(me_status(&app, &lecturer).await, StatusCode::UNAUTHORIZED);
    let (status, _) = try_login(&app, "giangvien", "giangvien123").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old password is gone");
    let (status, user) = try_login(&app, "giangvien", password).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["must_change_password"], true);
    // The province admin resets a centre admin's password; nobody resets
    // their own here.
    let province = app.login("quantritinh", "quantri123").await;
    let response = app
        .post_json("/api/accounts/3/password", "", Some(&province))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(me_status(&app, &admin).await, StatusCode::UNAUTHORIZED);
    let response = app
        .post_json("/api/accounts/5/password", "", Some(&province))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn trainees_are_found_by_name_with_or_without_tone_marks() {
    let app = test_app().await;
    let admin = app.login("quantri", "quantri123").await;
    let all = body_json(app.get("/api/accounts", Some(&admin)).await).await;
    assert_eq!(all["trainees_found"], 2);
    let names = |list: &Value| -> Vec<String> {
        list["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["full_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&all), ["Nguyễn Văn An", "Phạm Thị Dung"]);
    for q in [
        "Ph%E1%BA%A1m%20Th%E1%BB%8B",
        "pham%20thi",
        "hocvien2",
        "DUNG",
    ] {
        let found = body_json(app.get(&format!("/api/accounts?q={q}"), Some(&admin)).await).await;
        assert_eq!(names(&found), ["Phạm Thị Dung"], "{q}");
    }
    let none = body_json(app.get("/api/accounts?q=khong-ai", Some(&admin)).await).await;
    assert_eq!(none["trainees_found"], 0);
}
