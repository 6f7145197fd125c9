//! The question bank endpoints: import Aiken and GIFT (dry run, all or
//! nothing, partial), the size limit, per-owner banks, GIFT export, roles.

mod common;

use axum::http::StatusCode;
use common::{body_json, body_text, test_app};

const AIKEN: &str = "Tham nhũng là gì?\nA. Lợi dụng chức vụ vì vụ lợi\nB. Làm việc chăm chỉ\nANSWER: A\n\nCâu thiếu đáp án\nA. Một\nB. Hai\n";

fn request(format: &str, text: &str, partial: bool, dry_run: bool) -> String {
    serde_json::json!({ "format": format, "text": text, "partial": partial, "dry_run": dry_run })
        .to_string()
}

#[tokio::test]
async fn a_file_with_problems_imports_nothing_unless_the_valid_part_is_asked_for() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;

    let dry = body_json(
        app.post_json(
            "/api/bank/import",
            &request("aiken", AIKEN, false, true),
            Some(&lecturer),
        )
        .await,
    )
    .await;
    assert_eq!(dry["imported"], 0);
    assert_eq!(dry["report"]["questions"].as_array().unwrap().len(), 1);
    let problem = &dry["report"]["problems"][0];
    assert_eq!(problem["line"], 6, "{problem}");

    let all = body_json(
        app.post_json(
            "/api/bank/import",
            &request("aiken", AIKEN, false, false),
            Some(&lecturer),
        )
        .await,
    )
    .await;
    assert_eq!(all["imported"], 0, "problems stop an all-or-nothing import");
    let bank = body_json(app.get("/api/bank", Some(&lecturer)).await).await;
    assert_eq!(bank.as_array().unwrap().len(), 0);

    let partial = body_json(
        app.post_json(
            "/api/bank/import",
            &request("aiken", AIKEN, true, false),
            Some(&lecturer),
        )
        .await,
    )
    .await;
    assert_eq!(partial["imported"], 1);
    let bank = body_json(app.get("/api/bank", Some(&lecturer)).await).await;
    assert_eq!(bank[0]["kind"], "single_choice");

    // Importing the same file again replaces, it does not duplicate.
    app.post_json(
        "/api/bank/import",
        &request("aiken", AIKEN, true, false),
        Some(&lecturer),
    )
    .await;
    let bank = body_json(app.get("/api/bank", Some(&lecturer)).await).await;
    assert_eq!(bank.as_array().unwrap().len(), 1);
    let stored = app.store.bank(2).await.unwrap();
    assert_eq!(stored.len(), 1, "stored under the lecturer (user 2)");

    let gift = app.get("/api/bank/export.gift", Some(&lecturer)).await;
    assert_eq!(gift.status(), StatusCode::OK);
    assert!(body_text(gift).await.contains("Lợi dụng chức vụ vì vụ lợi"));

    // Another lecturer-level user has a bank of their own.
    let admin = app.login("quantri", "quantri123").await;
    let theirs = body_json(app.get("/api/bank", Some(&admin)).await).await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn oversized_files_trainees_and_strangers_are_refused() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let big = "a".repeat(600 * 1024);
    let response = app
        .post_json(
            "/api/bank/import",
            &request("gift", &big, false, true),
            Some(&lecturer),
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body_json(response).await["code"], "too_large");

    let huge = "a".repeat(3 * 1024 * 1024);
    let response = app
        .post_json(
            "/api/bank/import",
            &request("gift", &huge, false, true),
            Some(&lecturer),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "past the body limit too"
    );

    let trainee = app.login("hocvien", "hocvien123").await;
    for uri in ["/api/bank", "/api/bank/export.gift", "/api/grading"] {
        assert_eq!(
            app.get(uri, Some(&trainee)).await.status(),
            StatusCode::FORBIDDEN,
            "{uri}"
        );
        assert_eq!(
            app.get(uri, None).await.status(),
            StatusCode::UNAUTHORIZED,
            "{uri}"
        );
    }
    let response = app
        .post_json(
            "/api/bank/import",
            &request("aiken", AIKEN, true, false),
            Some(&trainee),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
