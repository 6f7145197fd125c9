//! `lophoc-server copy-to`: the demo database, with a trainee's events, a
//! class, a certificate and a draft, copied into an empty database —
//! PostgreSQL in `make test-postgres`, a SQLite file otherwise — without
//! loss, and served from there.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use axum::http::{Method, StatusCode};
use lophoc_server::{copy::copy_database, store::Store};
use serde_json::{json, Value};

use crate::common::{
    classes::{complete_course, push_events, read_lessons, session_for},
    json::call,
    test_app_on, test_database_url,
};

/// The rows a query answers, each as text, for comparing two databases.
async fn rows(store: &Store, sql: &str) -> Vec<String> {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_all(&store.pool_for_tests())
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<Option<i64>, _>(i)
                        .map(|v| format!("{v:?}"))
                        .or_else(|_| {
                            row.try_get::<Option<String>, _>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .or_else(|_| {
                            row.try_get::<Option<Vec<u8>>, _>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .unwrap()
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

#[tokio::test]
async fn the_demo_database_with_its_records_moves_to_an_empty_one_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let source_url = format!("sqlite://{}", dir.path().join("source.db").display());
    let app = test_app_on(dir, &source_url).await;
    let an = session_for(&app.store, 1).await;
    let lecturer = session_for(&app.store, 2).await;
    complete_course(&app, (1, &an), (2, &lecturer), "an-1").await;
    let (status, matrix) = call(
        &app,
        Method::GET,
        "/api/classes/1/matrix",
        Value::Null,
        &lecturer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        matrix.to_string().contains("\"certificate\":\""),
        "a certificate: {matrix}"
    );
    let new = json!({"course_id": "can-bo-co-so", "from_published": true});
    let (status, _) = call(&app, Method::POST, "/api/authoring/drafts", new, &lecturer).await;
    assert_eq!(status, StatusCode::CREATED);

    let target_dir = tempfile::tempdir().unwrap();
    let target_url = test_database_url(target_dir.path()).await;
    let counts = copy_database(&source_url, &target_url).await.unwrap();
    let count = |table: &str| counts.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(count("users"), 5);
    assert!(count("events") > 10, "{counts:?}");
    assert_eq!(count("certificates"), 1);
    assert!(
        count("classes") >= 1 && count("class_members") >= 1,
        "{counts:?}"
    );
    assert_eq!(count("drafts"), 1);
    assert!(count("draft_files") >= 10, "{counts:?}");
    assert!(
        count("attempts") >= 1 && count("accepted_grades") >= 1,
        "{counts:?}"
    );

    // Samples compared row by row: the log, the certificate, the keys.
    let copy = Store::open(&target_url).await.unwrap();
    for sql in [
        "SELECT version, op_id, device_id, seq, user_id, body, kind, course_id FROM events ORDER BY version",
        "SELECT code, user_id, course_id, class_id, trainee_name, issued_at FROM certificates",
        "SELECT attempt_id, seed, rank FROM attempts ORDER BY attempt_id",
        "SELECT value FROM server_secrets",
        "SELECT token_hash, user_id FROM sessions ORDER BY user_id, created_at",
        "SELECT course_id, path, version, content FROM draft_files ORDER BY path",
        "SELECT id, username, password_hash, must_change_password FROM users ORDER BY id",
    ] {
        let (before, after) = (rows(&app.store, sql).await, rows(&copy, sql).await);
        assert!(!before.is_empty(), "{sql}");
        assert_eq!(before, after, "{sql}");
    }
    copy.close().await;

    // The copy serves the same sessions and the same events, and what is
    // written next gets ids after the copied ones.
    let served = test_app_on(tempfile::tempdir().unwrap(), &target_url).await;
    let (status, me) = call(&served, Method::GET, "/api/me", Value::Null, &an).await;
    assert_eq!(
        (status, me["username"].as_str()),
        (StatusCode::OK, Some("hocvien"))
    );
    let pull = "/api/sync/pull?cursor=0";
    let (_, was) = call(&app, Method::GET, pull, Value::Null, &an).await;
    let (_, is) = call(&served, Method::GET, pull, Value::Null, &an).await;
    assert_eq!(was["events"], is["events"]);
    let newest = |pulled: &Value| pulled["events"].as_array().map_or(0, |e| e.len());
    push_events(&served, &an, 1, read_lessons(&served.store, 1).await).await;
    let (_, after) = call(&served, Method::GET, pull, Value::Null, &an).await;
    assert_eq!(
        newest(&after),
        newest(&is) + 1,
        "the new event is pulled after the others"
    );
    // A new row of a table with generated ids (PostgreSQL's counters were
    // moved past the copied ids; a clash would fail the insert).
    let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM centres")
        .fetch_one(&served.store.pool_for_tests())
        .await
        .unwrap();
    let id = served
        .store
        .accounts
        .create_centre_named("Trung tâm mới")
        .await
        .unwrap();
    assert_eq!(id, Some(last + 1));

    // A database that holds data is never a copy's target.
    let again = copy_database(&source_url, &target_url).await.unwrap_err();
    assert!(again.to_string().contains("already holds data"), "{again}");
}
