//! The question bank endpoints: import Aiken and GIFT (dry run, all or
//! nothing, partial), the size limit, per-owner banks, GIFT export, roles.

use crate::common::{body_json, body_text, test_app};
use axum::http::StatusCode;

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
    let stored = app.store.authoring.bank(2).await.unwrap();
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

// --- Moodle XML and QTI 3.0 (issue 18) ---

use std::io::Write as _;
use std::path::PathBuf;

use axum::{
    body::Body,
    http::{header, Request},
};

/// The shared fixtures of the formats journey.
fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../e2e/fixtures/formats")
        .join(path)
}

/// The fixture QTI package, zipped as a lecturer's tool would.
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a failure fails the test"
)]
fn qti_package() -> Vec<u8> {
    let root = fixture("qti");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut files = vec!["imsmanifest.xml".to_string(), "media/so-do.png".to_string()];
    for e in std::fs::read_dir(root.join("items")).unwrap() {
        files.push(format!(
            "items/{}",
            e.unwrap().file_name().to_string_lossy()
        ));
    }
    files.sort();
    for f in files {
        zip.start_file(f.as_str(), options).unwrap();
        zip.write_all(&std::fs::read(root.join(&f)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a failure fails the test"
)]
async fn post_bytes(
    app: &crate::common::TestApp,
    uri: &str,
    body: Vec<u8>,
    cookie: &str,
) -> axum::http::Response<Body> {
    app.send(
        Request::post(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_moodle_xml_bank_imports_with_its_images_and_exports_back() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let xml = std::fs::read(fixture("moi-loai.moodle.xml")).unwrap();

    let dry = body_json(
        post_bytes(
            &app,
            "/api/bank/import-moodle?dry_run=true",
            xml.clone(),
            &lecturer,
        )
        .await,
    )
    .await;
    let report = &dry["report"];
    let ids: Vec<&str> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "lap-hien",
            "hanh-vi-tham-nhung",
            "ke-khai-tai-san",
            "ten-hanh-vi",
            "nam-thanh-lap",
            "ghep-nguyen-tac",
            "bai-luan-dan-van",
            "trinh-tu-tiep-cong-dan",
            "hop-nhat"
        ]
    );
    // The description is named, at its line, and stops an all-or-nothing import.
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["line"], 299);
    assert_eq!(problems[0]["problem"]["code"], "description");
    assert_eq!(dry["media"], 1);
    let kinds: Vec<&str> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"]["body"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "single_choice",
            "multiple_choice",
            "true_false",
            "short_answer",
            "numerical",
            "matching",
            "essay",
            "ordering",
            "fill_blanks"
        ]
    );
    let first = &report["questions"][0];
    assert_eq!(first["line"], 18);
    assert_eq!(first["question"]["points"], 2);
    assert_eq!(
        first["question"]["tags"],
        serde_json::json!(["Phòng chống tham nhũng", "Hiến pháp"])
    );
    assert_eq!(first["question"]["body"]["options"][0]["text"], "Quốc hội");
    let prompt = first["question"]["prompt"].as_str().unwrap();
    assert!(
        prompt.starts_with("Cơ quan nào có quyền **lập hiến**?"),
        "{prompt}"
    );
    let image = prompt
        .split("/api/bank/media/")
        .nth(1)
        .unwrap()
        .trim_end_matches(')')
        .to_string();
    // Moodle's "any other answer" and units are named, never dropped silently.
    let notes = report["questions"][3]["notes"].as_array().unwrap();
    let catch_all = notes
        .iter()
        .find(|n| n["note"]["code"] == "catch_all_left_out")
        .unwrap_or_else(|| panic!("{notes:?}"));
    assert_eq!(catch_all["note"]["number"], false);
    let text_en = catch_all["text_en"].as_str().unwrap();
    assert!(text_en.contains("any other answer"), "{text_en}");
    let text_vi = catch_all["text_vi"].as_str().unwrap();
    assert!(text_vi.contains("mọi câu trả lời khác"), "{text_vi}");
    let cloze = &report["questions"][8]["question"];
    assert_eq!(
        cloze["prompt"],
        "Đảng Cộng sản Việt Nam ra đời ngày 3/2/{1} tại {2}, do đồng chí {3} chủ trì."
    );
    assert_eq!(cloze["body"]["gaps"][2]["accepted"][1]["credit"], "50");

    // Nothing is stored by a dry run or, with the problem, by "import all".
    let all =
        body_json(post_bytes(&app, "/api/bank/import-moodle", xml.clone(), &lecturer).await).await;
    assert_eq!(all["imported"], 0);
    assert_eq!(
        app.get(&format!("/api/bank/media/{image}"), Some(&lecturer))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let partial =
        body_json(post_bytes(&app, "/api/bank/import-moodle?partial=true", xml, &lecturer).await)
            .await;
    assert_eq!(partial["imported"], 9);

    // The image is the owner's, and only the owner's.
    let own = app
        .get(&format!("/api/bank/media/{image}"), Some(&lecturer))
        .await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(own.headers()[header::CONTENT_TYPE], "image/png");
    let admin = app.login("quantri", "quantri123").await;
    assert_eq!(
        app.get(&format!("/api/bank/media/{image}"), Some(&admin))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Exported, the bank reads back as the same questions, image included.
    let exported = body_text(
        app.get("/api/bank/export.moodle.xml", Some(&lecturer))
            .await,
    )
    .await;
    assert!(exported.contains("encoding=\"base64\""));
    let again = body_json(
        post_bytes(
            &app,
            "/api/bank/import-moodle?dry_run=true",
            exported.into_bytes(),
            &admin,
        )
        .await,
    )
    .await;
    assert_eq!(again["report"]["problems"], serde_json::json!([]));
    let stored: Vec<_> = app.store.authoring.bank(2).await.unwrap();
    let back: Vec<serde_json::Value> = again["report"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"].clone())
        .collect();
    assert_eq!(back.len(), stored.len());
    for ((_, q), b) in stored.iter().zip(&back) {
        assert_eq!(&serde_json::to_value(q).unwrap(), b);
    }
}

#[tokio::test]
async fn a_qti_package_imports_every_kind_and_exports_as_a_package() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let zip = qti_package();
    let dry = body_json(
        post_bytes(
            &app,
            "/api/bank/import-qti?dry_run=true",
            zip.clone(),
            &lecturer,
        )
        .await,
    )
    .await;
    let report = &dry["report"];
    assert_eq!(report["numbered"], "questions");
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    let kinds: Vec<&str> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"]["body"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "single_choice",
            "multiple_choice",
            "true_false",
            "ordering",
            "matching",
            "short_answer",
            "numerical",
            "fill_blanks",
            "essay"
        ]
    );
    let q = |i: usize| report["questions"][i]["question"].clone();
    assert_eq!(q(0)["difficulty"], "easy");
    assert_eq!(q(0)["tags"], serde_json::json!(["Hiến pháp"]));
    assert_eq!(q(0)["body"]["options"][0]["feedback"], "Đúng: Điều 69.");
    assert!(q(0)["prompt"]
        .as_str()
        .unwrap()
        .contains("Cơ quan nào có quyền **lập hiến**?"));
    assert_eq!(q(1)["points"], 2);
    assert_eq!(q(3)["body"]["items"][0], "Đón tiếp, xác định nhân thân");
    assert_eq!(
        q(4)["body"]["distractors"],
        serde_json::json!(["Khen thưởng"])
    );
    assert_eq!(q(5)["body"]["accepted"][1]["credit"], "50");
    assert_eq!(q(6)["explanation"], "Ngày 3/2/1930, tại Hồng Kông.");
    assert_eq!(
        q(7)["prompt"],
        "Đảng ra đời năm {1} tại {2}, do đồng chí {3} chủ trì."
    );
    assert_eq!(q(8)["body"]["rubric"][0]["max_points"], 4);
    assert_eq!(dry["media"], 1);
    assert_eq!(report["questions"][8]["line"], 9, "numbered by question");

    let stored = body_json(post_bytes(&app, "/api/bank/import-qti", zip, &lecturer).await).await;
    assert_eq!(stored["imported"], 9);
    let package = app.get("/api/bank/export.qti.zip", Some(&lecturer)).await;
    assert_eq!(package.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(package.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let admin = app.login("quantri", "quantri123").await;
    let again =
        body_json(post_bytes(&app, "/api/bank/import-qti?dry_run=true", bytes, &admin).await).await;
    assert_eq!(again["report"]["problems"], serde_json::json!([]));
    assert_eq!(again["report"]["questions"].as_array().unwrap().len(), 9);
    assert_eq!(again["media"], 1);
    // One question as an item.
    let item = body_text(
        app.get("/api/bank/questions/nam-thanh-lap/qti.xml", Some(&lecturer))
            .await,
    )
    .await;
    assert!(item.contains("<qti-assessment-item"));
    assert!(item.contains("base-type=\"float\""));
}

#[tokio::test]
async fn unreadable_or_oversized_files_are_refused_and_change_nothing() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    let broken = "<quiz>\n<question type=\"truefalse\">\n<name><text>x</text></name>\n</quiz>";
    let response = post_bytes(
        &app,
        "/api/bank/import-moodle?partial=true",
        broken.into(),
        &lecturer,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error = body_json(response).await;
    assert_eq!(error["code"], "unreadable_file");
    assert_eq!(
        error["problem"],
        serde_json::json!({"kind": "not_xml", "line": 4})
    );
    let response = post_bytes(
        &app,
        "/api/bank/import-moodle",
        b"<html><body/></html>".to_vec(),
        &lecturer,
    )
    .await;
    assert_eq!(
        body_json(response).await["problem"]["kind"],
        "not_moodle_xml"
    );
    for bad in [
        b"PK\x03\x04 not really a zip".to_vec(),
        b"<quiz/>".to_vec(),
        vec![0xff, 0xfe],
    ] {
        let response = post_bytes(&app, "/api/bank/import-qti?partial=true", bad, &lecturer).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body_json(response).await["problem"]["kind"], "not_qti");
    }
    // A package that unpacks to more than its limit (a ZIP bomb).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("imsmanifest.xml", options).unwrap();
    zip.write_all(&vec![b' '; 70 * 1024 * 1024]).unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1024 * 1024);
    let response = post_bytes(&app, "/api/bank/import-qti?partial=true", bomb, &lecturer).await;
    assert_eq!(
        body_json(response).await["problem"]["kind"],
        "too_large_unpacked"
    );
    // Past the upload limit.
    let huge = vec![b'a'; lophoc_core::api::MAX_PACKAGE_BYTES + 1];
    let response = post_bytes(&app, "/api/bank/import-moodle", huge, &lecturer).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.store.authoring.bank(2).await.unwrap().len(),
        0,
        "nothing was stored"
    );
}
