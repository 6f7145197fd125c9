//! Course ownership (issue 14): every published course belongs to a centre
//! or to the province; only the owning centre drafts, imports and approves
//! changes to it; the province admin hands a course over, and a draft in
//! progress goes along. Also the migration that gives courses published
//! before ownership their owner.
#![expect(clippy::unwrap_used, reason = "a failing step should fail the test")]

use crate::common::{body_json, classes::session_for, json::call, test_app, TestApp};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use lophoc_core::accounts::Role;
use serde_json::{json, Value};

const COURSE: &str = "can-bo-co-so";
const LESSON_PATH: &str = "phong-chong-tham-nhung/nhan-dien-tham-nhung.md";

async fn import(app: &TestApp, zip: Vec<u8>, cookie: &str) -> StatusCode {
    let request = Request::post("/api/authoring/import")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/zip")
        .body(Body::from(zip))
        .unwrap();
    app.send(request).await.status()
}

fn draft(course: &str, rest: &str) -> String {
    format!("/api/authoring/drafts/{course}{rest}")
}

/// The other centre: its id, a lecturer's and its admin's sessions.
struct Other {
    centre: i64,
    lecturer: String,
    admin: String,
}

async fn other_centre(app: &TestApp) -> Other {
    let hash = lophoc_server::auth::hash_password("matkhau-khac").unwrap();
    let centre = app
        .store
        .accounts
        .create_centre("Trung tâm Chính trị huyện Thanh Thuỷ")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (username, name, role) in [
        ("giangvienb", "Đỗ Văn Giang", Role::Lecturer),
        ("quantrib", "Vũ Thị Hạnh", Role::CentreAdmin),
    ] {
        let id = app
            .store
            .accounts
            .create_user(username, name, role, &hash)
            .await
            .unwrap();
        app.store
            .accounts
            .set_user_centre(id, centre)
            .await
            .unwrap();
        ids.push(session_for(&app.store, id).await);
    }
    let admin = ids.pop().unwrap();
    Other {
        centre,
        lecturer: ids.pop().unwrap(),
        admin,
    }
}

async fn owner(app: &TestApp, course: &str) -> Value {
    let province = app.login("quantritinh", "quantri123").await;
    let owners = body_json(app.get("/api/course-owners", Some(&province)).await).await;
    owners
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["course_id"] == course)
        .unwrap()["owner"]
        .clone()
}

#[tokio::test]
async fn only_the_owning_centre_drafts_or_imports_a_course() {
    let app = test_app().await;
    let other = other_centre(&app).await;
    assert_eq!(
        owner(&app, COURSE).await["name"],
        "Trung tâm Chính trị huyện Tân Sơn"
    );

    // The other centre is not offered the course, cannot start a draft of
    // it, nor bring one in as a zip.
    let (status, home) = call(
        &app,
        Method::GET,
        "/api/authoring",
        Value::Null,
        &other.lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(home["published"], json!([]), "{home}");
    let new = json!({"course_id": COURSE, "from_published": true});
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/authoring/drafts",
        new.clone(),
        &other.lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let sources = app.store.authoring.published_sources(COURSE).await.unwrap();
    let zip = lophoc_server::authoring::files::export_zip(COURSE, &sources).unwrap();
    assert_eq!(
        import(&app, zip.clone(), &other.admin).await,
        StatusCode::FORBIDDEN
    );
    assert!(
        app.store.authoring.draft(COURSE).await.unwrap().is_none(),
        "nothing stored"
    );

    // The owner's lecturer can.
    let lecturer = session_for(&app.store, 2).await;
    let (status, home) = call(&app, Method::GET, "/api/authoring", Value::Null, &lecturer).await;
    assert_eq!(
        (status, &home["published"][0][0]),
        (StatusCode::OK, &json!(COURSE))
    );
    assert_eq!(import(&app, zip, &lecturer).await, StatusCode::OK);
    assert_eq!(
        app.store
            .authoring
            .draft(COURSE)
            .await
            .unwrap()
            .unwrap()
            .centre_id,
        1
    );
}

#[tokio::test]
async fn the_province_admin_hands_a_course_over_and_its_draft_goes_along() {
    let app = test_app().await;
    let other = other_centre(&app).await;
    let lecturer = session_for(&app.store, 2).await;
    let admin = session_for(&app.store, 3).await;
    let province = session_for(&app.store, 5).await;
    let new = json!({"course_id": COURSE, "from_published": true});
    let (status, _) = call(&app, Method::POST, "/api/authoring/drafts", new, &lecturer).await;
    assert_eq!(status, StatusCode::CREATED);
    let save = json!({"base_version": 1, "content": "+++\ntitle = \"Nhận diện tham nhũng\"\nminutes = 4\n+++\n\nBản sửa của trung tâm.\n"});
    let (status, _) = call(
        &app,
        Method::PUT,
        &draft(COURSE, &format!("/files/{LESSON_PATH}")),
        save,
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        Method::POST,
        &draft(COURSE, "/submit"),
        json!({"text": ""}),
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // A centre admin hands nothing over.
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/course-owners/{COURSE}"),
        json!({"centre_id": other.centre}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/course-owners/khong-co",
        json!({"centre_id": null}),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/course-owners/{COURSE}"),
        json!({"centre_id": 999}),
        &province,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // To the province: the centre keeps its draft to read and export, but
    // changes and approves nothing more.
    let (status, reply) = call(
        &app,
        Method::POST,
        &format!("/api/course-owners/{COURSE}"),
        json!({"centre_id": null}),
        &province,
    )
    .await;
    assert_eq!((status, &reply["owner"]), (StatusCode::OK, &Value::Null));
    let (status, detail) = call(
        &app,
        Method::GET,
        &draft(COURSE, ""),
        Value::Null,
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (detail["can_edit"].clone(), detail["can_decide"].clone()),
        (json!(false), json!(false))
    );
    let save = json!({"base_version": 2, "content": "+++\ntitle = \"X\"\n+++\n"});
    let (status, _) = call(
        &app,
        Method::PUT,
        &draft(COURSE, &format!("/files/{LESSON_PATH}")),
        save,
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        Method::POST,
        &draft(COURSE, "/approve"),
        json!({"text": ""}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, queue) = call(
        &app,
        Method::GET,
        "/api/authoring/reviews",
        Value::Null,
        &admin,
    )
    .await;
    assert_eq!(queue[0]["can_decide"], false, "{queue}");
    assert_eq!(
        app.get(&draft(COURSE, "/export.zip"), Some(&lecturer))
            .await
            .status(),
        StatusCode::OK
    );
    let (_, home) = call(&app, Method::GET, "/api/authoring", Value::Null, &lecturer).await;
    assert_eq!(home["published"], json!([]));

    // To the other centre: the draft, its submission and history go along.
    let (status, reply) = call(
        &app,
        Method::POST,
        &format!("/api/course-owners/{COURSE}"),
        json!({"centre_id": other.centre}),
        &province,
    )
    .await;
    assert_eq!(
        (status, &reply["owner"]["id"]),
        (StatusCode::OK, &json!(other.centre))
    );
    let (status, _) = call(
        &app,
        Method::GET,
        &draft(COURSE, ""),
        Value::Null,
        &lecturer,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "no longer the first centre's"
    );
    let (status, detail) = call(
        &app,
        Method::GET,
        &draft(COURSE, ""),
        Value::Null,
        &other.admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["can_edit"], true);
    assert_eq!(detail["can_decide"], true, "{detail}");
    let (status, published) = call(
        &app,
        Method::POST,
        &draft(COURSE, "/approve"),
        json!({"text": "Đồng ý"}),
        &other.admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let lesson = body_json(
        app.get(
            &format!("/api/courses/{COURSE}/lessons/nhan-dien-tham-nhung"),
            Some(&lecturer),
        )
        .await,
    )
    .await;
    assert!(
        lesson["html"]
            .as_str()
            .is_some_and(|h| h.contains("Bản sửa của trung tâm.")),
        "{lesson}"
    );
    assert_eq!(owner(&app, COURSE).await["id"], other.centre);
}

#[tokio::test]
async fn a_new_course_belongs_to_the_centre_that_wrote_it() {
    let app = test_app().await;
    let other = other_centre(&app).await;
    let course = "ky-nang-dan-van";
    let new = json!({"course_id": course, "title": "Kỹ năng dân vận", "from_published": false});
    let (status, reply) = call(
        &app,
        Method::POST,
        "/api/authoring/drafts",
        new,
        &other.lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let (status, reply) = call(
        &app,
        Method::POST,
        &draft(course, "/submit"),
        json!({"text": ""}),
        &other.lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let (status, reply) = call(
        &app,
        Method::POST,
        &draft(course, "/approve"),
        json!({"text": ""}),
        &other.admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(owner(&app, course).await["id"], other.centre);
    // The first centre teaches it, but does not change it.
    let lecturer = session_for(&app.store, 2).await;
    assert_eq!(
        app.get(&format!("/api/courses/{course}"), Some(&lecturer))
            .await
            .status(),
        StatusCode::OK
    );
    let sources = app.store.authoring.published_sources(course).await.unwrap();
    let zip = lophoc_server::authoring::files::export_zip(course, &sources).unwrap();
    assert_eq!(import(&app, zip, &lecturer).await, StatusCode::FORBIDDEN);
}

/// Migration 0016 on a database from before ownership: a course some
/// centre has a draft of goes to that centre, every other to the province.
#[tokio::test]
async fn the_migration_gives_older_courses_an_owner() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    {
        let store = lophoc_server::store::Store::open(&url).await.unwrap();
        lophoc_server::seed::seed_demo_accounts(&store)
            .await
            .unwrap();
        lophoc_server::seed::publish_content(&store, &crate::common::demo_content())
            .await
            .unwrap();
        // A second course, published before ownership existed, with a
        // draft at the demo centre.
        let mut sources = store.authoring.published_sources(COURSE).await.unwrap();
        for (path, content) in &mut sources {
            if path == "course.toml" {
                let text = String::from_utf8(content.clone()).unwrap();
                *content = text
                    .replacen(&format!("id = \"{COURSE}\""), "id = \"ban-sao\"", 1)
                    .into_bytes();
            }
        }
        let compiled = lophoc_server::authoring::files::compile(&sources).unwrap();
        store.courses.publish(&compiled).await.unwrap();
        assert!(store
            .authoring
            .create_draft("ban-sao", 1, 2, &sources)
            .await
            .unwrap());
        // Back to before migration 0016.
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        for statement in [
            "DROP TABLE course_owners",
            "DELETE FROM _sqlx_migrations WHERE version = 16",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
        store.close().await;
    }
    let store = lophoc_server::store::Store::open(&url).await.unwrap();
    use lophoc_server::courses::store::Ownership;
    assert_eq!(
        store.courses.ownership(COURSE).await.unwrap(),
        Ownership::Owned(None),
        "the demo course of an existing database: the province"
    );
    assert_eq!(
        store.courses.ownership("ban-sao").await.unwrap(),
        Ownership::Owned(Some(1)),
        "the centre with the draft"
    );
    assert_eq!(
        store.courses.ownership("khong-co").await.unwrap(),
        Ownership::Unpublished
    );
}
