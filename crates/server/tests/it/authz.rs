//! The authorization table: every API route, asked by every kind of user,
//! with the status each must get — the policy at the top of
//! `src/classes/mod.rs` as data. A second test reads the router's source
//! and fails when a route is missing from the table, so a new route cannot
//! ship without a decision about who may call it.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::{collections::BTreeSet, path::Path};

use crate::common::{
    body_json, body_text,
    classes::{
        attempt_events, complete_course, full_grades, push_events, push_events_reply, raw_session,
        session_for, ASSESSMENT, COURSE,
    },
    test_app, TestApp,
};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use lophoc_core::{
    accounts::Role, calendar::vn_date, classes::NewClass, events::Event, question::Answer,
};
use serde_json::Value;

const DISCUSSION: &str = "thao-luan-hop-thon";
/// The demo trainees' full names (seed.rs), and the other centre's trainee.
const AN: &str = "Nguyễn Văn An";
const DUNG: &str = "Phạm Thị Dung";
const KHOA: &str = "Bùi Văn Khoa";
/// Khoa's certificate, issued directly on the other centre's class (An
/// earns hers by completing the course).
const CERT_KHOA: &str = "TESTB-33333";

/// Who asks, in the order of a table row's statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    /// hocvien: on class 1, holds the certificate she earned.
    Trainee,
    /// hocvien2: on class 1 too, but owns nothing asked about.
    OtherTrainee,
    /// giangvien: teaches class 1.
    Lecturer,
    /// Teaches class 2 of the other centre, not class 1.
    OtherLecturer,
    /// quantri: admin of class 1's centre.
    CentreAdmin,
    /// Admin of the other centre.
    OtherCentreAdmin,
    /// quantritinh.
    ProvinceAdmin,
}

const ACTORS: [Actor; 8] = [
    Actor::Anonymous,
    Actor::Trainee,
    Actor::OtherTrainee,
    Actor::Lecturer,
    Actor::OtherLecturer,
    Actor::CentreAdmin,
    Actor::OtherCentreAdmin,
    Actor::ProvinceAdmin,
];

/// The demo data plus a second centre with its own lecturer, admin,
/// trainee and class, two certificates and some synced activity.
struct World {
    app: TestApp,
    /// User id of each actor but the anonymous one, in `ACTORS` order.
    ids: [i64; 7],
    /// Khoa, the other centre's trainee.
    khoa: i64,
    class2: i64,
    cert_an: String,
}

impl World {
    fn user(&self, actor: Actor) -> Option<i64> {
        let index = ACTORS.iter().position(|a| *a == actor).unwrap();
        index.checked_sub(1).map(|i| self.ids[i])
    }

    /// A fresh session for each request: some requests (a password reset)
    /// end the sessions of the user they are about. A user whose password a
    /// row reset has chosen a new one since (`session_for`; else every later
    /// row would answer `password_change_required`, tested on its own below).
    async fn cookie(&self, actor: Actor) -> Option<String> {
        match self.user(actor) {
            Some(id) => Some(session_for(&self.app.store, id).await),
            None => None,
        }
    }
}

async fn world() -> World {
    let app = test_app().await;
    let store = &app.store;
    let centre = store
        .accounts
        .create_centre("Trung tâm Chính trị huyện Thanh Thuỷ")
        .await
        .unwrap();
    let hash = lophoc_server::auth::hash_password("matkhau-khac").unwrap();
    let mut ids = Vec::new();
    for (username, name, role) in [
        ("giangvienb", "Đỗ Văn Giang", Role::Lecturer),
        ("quantrib", "Vũ Thị Hạnh", Role::CentreAdmin),
        ("hocvienb", KHOA, Role::Trainee),
    ] {
        let id = store
            .accounts
            .create_user(username, name, role, &hash)
            .await
            .unwrap();
        store.accounts.set_user_centre(id, centre).await.unwrap();
        ids.push(id);
    }
    let [lecturer, admin, khoa] = ids[..] else {
        unreachable!()
    };
    let today = vn_date(lophoc_server::store::now() * 1000);
    let class2 = store
        .classes
        .create_class(
            centre,
            &NewClass {
                name: "Lớp khác".into(),
                course_id: COURSE.into(),
                starts_on: today.clone(),
                ends_on: today,
                lecturer_ids: vec![lecturer],
            },
        )
        .await
        .unwrap();
    store.classes.add_member(class2, khoa).await.unwrap();
    let profile = store.accounts.profile(khoa).await.unwrap().unwrap();
    let class = store.classes.class(class2).await.unwrap().unwrap();
    store
        .classes
        .issue_certificate(
            CERT_KHOA,
            &profile,
            COURSE,
            "Khoá",
            &class.centre_name,
            Some(&class),
        )
        .await
        .unwrap();
    let (an, giangvien) = (session_for(store, 1).await, session_for(store, 2).await);
    complete_course(&app, (1, &an), (2, &giangvien), "an-1").await;
    // Her dashboard issues the certificate if the push has not yet.
    let response = app.get("/api/me/progress", Some(&an)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cert_an = store
        .classes
        .certificate_code(1, COURSE)
        .await
        .unwrap()
        .unwrap();
    let world = World {
        app,
        ids: [1, 4, 2, lecturer, 3, admin, 5],
        khoa,
        class2,
        cert_an,
    };
    // An and Dung answer the discussion; Dung and Khoa hand in attempts
    // whose essays wait for a lecturer.
    let set = world
        .app
        .store
        .courses
        .situation(COURSE, DISCUSSION)
        .await
        .unwrap()
        .unwrap();
    for (user, words) in [(1, "Ý kiến của An"), (4, "Ý kiến của Dung")] {
        let cookie = session_for(&world.app.store, user).await;
        let answer = Event::SituationAnswered {
            course_id: COURSE.into(),
            situation_id: DISCUSSION.into(),
            question_id: set.questions[0].id.clone(),
            answer: Answer::Opinion { text: words.into() },
        };
        push_events(&world.app, &cookie, user, vec![answer]).await;
    }
    // A draft of the course at the first centre, submitted by its lecturer
    // (authoring, issue 7).
    let sources = world
        .app
        .store
        .authoring
        .published_sources(COURSE)
        .await
        .unwrap();
    let store = &world.app.store;
    assert!(store
        .authoring
        .create_draft(COURSE, 1, 2, &sources)
        .await
        .unwrap());
    store.authoring.submit(COURSE, 2, "").await.unwrap();
    for (user, attempt) in [(4, "dung-1"), (khoa, "khoa-1")] {
        let cookie = session_for(&world.app.store, user).await;
        let seed = world
            .app
            .store
            .sync
            .attempt_seed(user, COURSE, ASSESSMENT, 1);
        let (events, _) = attempt_events(&world.app.store, attempt, seed, |_| true).await;
        push_events(&world.app, &cookie, user, events).await;
    }
    // The lecturer's question bank holds a question with an image (issue
    // 18); nobody else's does.
    let (question, media) = bank_question_with_image();
    store
        .authoring
        .save_bank_import(2, &[(question.id.clone(), None, question)], &[media])
        .await
        .unwrap();
    world
}

/// A bank question showing an image, and the image.
fn bank_question_with_image() -> (
    lophoc_core::question::Question,
    lophoc_formats::media::Media,
) {
    let mut png = Vec::new();
    image::RgbImage::new(1, 1)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let media = lophoc_formats::media::make(png).unwrap();
    let question: lophoc_core::question::Question = serde_json::from_value(serde_json::json!({
        "id": "cau-anh",
        "prompt": format!("Xem hình: ![sơ đồ](/api/bank/media/{})", media.name),
        "body": {"kind": "true_false", "answer": true}
    }))
    .unwrap();
    (question, media)
}

/// The name of the image `bank_question_with_image` stores.
fn bank_image_name() -> String {
    bank_question_with_image().1.name
}

/// One row of the table: a request and the status each actor gets, in
/// `ACTORS` order.
struct Row {
    method: Method,
    /// The route as the router declares it, with `/api`.
    route: &'static str,
    uri: String,
    body: Option<String>,
    expect: [u16; 8],
}

fn row(method: Method, route: &'static str, uri: &str, expect: [u16; 8]) -> Row {
    Row {
        method,
        route,
        uri: uri.to_string(),
        body: None,
        expect,
    }
}

fn with_body(mut row: Row, body: &str) -> Row {
    row.body = Some(body.to_string());
    row
}

/// Every route × actor. Statuses: anonymous, trainee, other trainee,
/// lecturer of class 1, lecturer of another class, centre admin, admin of
/// another centre, province admin.
fn table(w: &World) -> Vec<Row> {
    use Method as M;
    let (khoa, class2, cert_an) = (w.khoa, w.class2, &w.cert_an);
    const ALL: [u16; 8] = [200; 8];
    const SIGNED_IN: [u16; 8] = [401, 200, 200, 200, 200, 200, 200, 200];
    const STAFF: [u16; 8] = [401, 403, 403, 200, 200, 200, 200, 403];
    const CLASS_1: [u16; 8] = [401, 403, 403, 200, 403, 200, 403, 200];
    const CLASS_2: [u16; 8] = [401, 403, 403, 403, 200, 403, 200, 200];
    const IMPORT_1: [u16; 8] = [401, 403, 403, 403, 403, 200, 403, 403];
    const RESET_1: [u16; 8] = [401, 403, 403, 200, 403, 200, 403, 403];
    const NOT_ON_1: [u16; 8] = [401, 403, 403, 404, 403, 404, 403, 403];
    let course = |rest: &str| format!("/api/courses/{COURSE}{rest}");
    let bad_xlsx = "this is not a spreadsheet";
    let new_class = format!(
        r#"{{"name":"Lớp mới","course_id":"{COURSE}","starts_on":"2026-03-02",
            "ends_on":"2026-04-30","lecturer_ids":[2]}}"#
    );
    vec![
        row(M::GET, "/api/health", "/api/health", ALL),
        // Empty credentials are refused before any account is looked at.
        with_body(
            row(M::POST, "/api/auth/login", "/api/auth/login", [400; 8]),
            r#"{"username":"","password":""}"#,
        ),
        row(M::POST, "/api/auth/logout", "/api/auth/logout", [204; 8]),
        row(M::GET, "/api/me", "/api/me", SIGNED_IN),
        row(M::GET, "/api/courses", "/api/courses", SIGNED_IN),
        row(M::GET, "/api/courses/{course}", &course(""), SIGNED_IN),
        row(
            M::GET,
            "/api/courses/{course}/lessons/{lesson}",
            &course("/lessons/nhan-dien-tham-nhung"),
            SIGNED_IN,
        ),
        row(
            M::GET,
            "/api/courses/{course}/media/{name}",
            &course("/media/sau-chu-dan.svg"),
            SIGNED_IN,
        ),
        row(
            M::GET,
            "/api/courses/{course}/situations/{situation}",
            &course(&format!("/situations/{DISCUSSION}")),
            SIGNED_IN,
        ),
        // Only those who answered the discussion read the others' views.
        row(
            M::GET,
            "/api/courses/{course}/situations/{situation}/responses",
            &course(&format!("/situations/{DISCUSSION}/responses")),
            [401, 200, 200, 403, 403, 403, 403, 403],
        ),
        row(
            M::GET,
            "/api/courses/{course}/assessments/{assessment}",
            &course(&format!("/assessments/{ASSESSMENT}")),
            SIGNED_IN,
        ),
        // Each asker's own attempts.
        row(
            M::GET,
            "/api/courses/{course}/assessments/{assessment}/attempts",
            &course(&format!("/assessments/{ASSESSMENT}/attempts")),
            SIGNED_IN,
        ),
        // Province admins grade nothing.
        row(M::GET, "/api/grading", "/api/grading", STAFF),
        // A staff member's home page counts (issue 19).
        row(
            M::GET,
            "/api/staff/home",
            "/api/staff/home",
            [401, 403, 403, 200, 200, 200, 200, 200],
        ),
        row(M::GET, "/api/bank", "/api/bank", STAFF),
        with_body(
            row(M::POST, "/api/bank/import", "/api/bank/import", STAFF),
            r#"{"format":"aiken","text":"Hỏi?\nA. Một\nB. Hai\nANSWER: A\n","dry_run":true}"#,
        ),
        // Refused before the file is read; read (and found bad) otherwise.
        with_body(
            row(
                M::POST,
                "/api/bank/import-xlsx",
                "/api/bank/import-xlsx?dry_run=true",
                [401, 403, 403, 400, 400, 400, 400, 403],
            ),
            bad_xlsx,
        ),
        row(
            M::GET,
            "/api/bank/template.xlsx",
            "/api/bank/template.xlsx",
            STAFF,
        ),
        row(
            M::GET,
            "/api/bank/export.gift",
            "/api/bank/export.gift",
            STAFF,
        ),
        // Moodle XML and QTI (issue 18): staff import into and export their
        // own bank; one item and an image only from the bank that holds it.
        with_body(
            row(
                M::POST,
                "/api/bank/import-moodle",
                "/api/bank/import-moodle?dry_run=true",
                STAFF,
            ),
            r#"<quiz><question type="truefalse"><name><text>q</text></name><questiontext format="html"><text>Đúng?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>"#,
        ),
        // Refused before the file is read; read (and found unreadable) otherwise.
        with_body(
            row(
                M::POST,
                "/api/bank/import-qti",
                "/api/bank/import-qti?dry_run=true",
                [401, 403, 403, 400, 400, 400, 400, 403],
            ),
            bad_xlsx,
        ),
        row(
            M::GET,
            "/api/bank/export.moodle.xml",
            "/api/bank/export.moodle.xml",
            STAFF,
        ),
        row(
            M::GET,
            "/api/bank/export.qti.zip",
            "/api/bank/export.qti.zip",
            STAFF,
        ),
        row(
            M::GET,
            "/api/bank/questions/{id}/qti.xml",
            "/api/bank/questions/cau-anh/qti.xml",
            [401, 403, 403, 200, 404, 404, 404, 403],
        ),
        row(
            M::GET,
            "/api/bank/media/{name}",
            &format!("/api/bank/media/{}", bank_image_name()),
            [401, 403, 403, 200, 404, 404, 404, 403],
        ),
        // A device belongs to the first user who pushes from it.
        with_body(
            row(
                M::POST,
                "/api/sync/push",
                "/api/sync/push",
                [401, 200, 403, 403, 403, 403, 403, 403],
            ),
            r#"{"device_id":"authz-shared-device","ops":[]}"#,
        ),
        row(
            M::GET,
            "/api/sync/pull",
            "/api/sync/pull?cursor=0",
            SIGNED_IN,
        ),
        row(M::GET, "/api/sync/stream", "/api/sync/stream", SIGNED_IN),
        row(M::GET, "/api/progress", "/api/progress", SIGNED_IN),
        row(M::GET, "/api/me/progress", "/api/me/progress", SIGNED_IN),
        row(M::GET, "/api/me/xapi", "/api/me/xapi", SIGNED_IN),
        // Everyone signed in may change their own password (here: with a
        // wrong current one).
        with_body(
            row(
                M::POST,
                "/api/me/password",
                "/api/me/password",
                [401, 400, 400, 400, 400, 400, 400, 400],
            ),
            r#"{"current":"khong-dung-mat-khau","new":"mat-khau-moi-123"}"#,
        ),
        row(
            M::GET,
            "/api/classes",
            "/api/classes",
            [401, 403, 403, 200, 200, 200, 200, 200],
        ),
        // Centre admins create classes, only with their own centre's
        // lecturers (giangvien is not the other centre's).
        with_body(
            row(
                M::POST,
                "/api/classes",
                "/api/classes",
                [401, 403, 403, 403, 403, 201, 400, 403],
            ),
            &new_class,
        ),
        row(
            M::GET,
            "/api/centre/lecturers",
            "/api/centre/lecturers",
            [401, 403, 403, 403, 403, 200, 200, 403],
        ),
        row(M::GET, "/api/classes/{id}", "/api/classes/1", CLASS_1),
        row(
            M::GET,
            "/api/classes/{id}",
            &format!("/api/classes/{class2}"),
            CLASS_2,
        ),
        // A class that does not exist: trainees learn nothing either way.
        row(
            M::GET,
            "/api/classes/{id}",
            "/api/classes/999",
            [401, 403, 403, 404, 404, 404, 404, 404],
        ),
        row(
            M::GET,
            "/api/classes/{id}/matrix",
            "/api/classes/1/matrix",
            CLASS_1,
        ),
        row(
            M::GET,
            "/api/classes/{id}/matrix",
            &format!("/api/classes/{class2}/matrix"),
            CLASS_2,
        ),
        row(
            M::GET,
            "/api/classes/{id}/export.csv",
            "/api/classes/1/export.csv",
            CLASS_1,
        ),
        row(
            M::GET,
            "/api/classes/{id}/export.xlsx",
            "/api/classes/1/export.xlsx",
            CLASS_1,
        ),
        row(
            M::GET,
            "/api/classes/{id}/stats",
            "/api/classes/1/stats",
            CLASS_1,
        ),
        row(
            M::GET,
            "/api/classes/{id}/xapi",
            "/api/classes/1/xapi",
            CLASS_1,
        ),
        row(
            M::GET,
            "/api/classes/{id}/xapi",
            &format!("/api/classes/{class2}/xapi"),
            CLASS_2,
        ),
        with_body(
            row(
                M::POST,
                "/api/classes/{id}/roster",
                "/api/classes/1/roster",
                IMPORT_1,
            ),
            r#"{"csv":"Họ và tên,Ngày sinh\nLò Văn Mạnh,02/03/1990\n","dry_run":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/classes/{id}/roster.xlsx",
                "/api/classes/1/roster.xlsx?dry_run=true",
                IMPORT_1,
            ),
            bad_xlsx,
        ),
        // A member's record, and a trainee who is not on the class.
        row(
            M::GET,
            "/api/classes/{id}/trainees/{user}",
            "/api/classes/1/trainees/1",
            CLASS_1,
        ),
        row(
            M::GET,
            "/api/classes/{id}/trainees/{user}",
            &format!("/api/classes/1/trainees/{khoa}"),
            [401, 403, 403, 404, 403, 404, 403, 404],
        ),
        row(
            M::GET,
            "/api/classes/{id}/trainees/{user}",
            &format!("/api/classes/{class2}/trainees/{khoa}"),
            CLASS_2,
        ),
        // Resets: a member; a trainee of another class; the centre admin,
        // who is no trainee of the class.
        row(
            M::POST,
            "/api/classes/{id}/trainees/{user}/password",
            "/api/classes/1/trainees/4/password",
            RESET_1,
        ),
        row(
            M::POST,
            "/api/classes/{id}/trainees/{user}/password",
            &format!("/api/classes/1/trainees/{khoa}/password"),
            NOT_ON_1,
        ),
        row(
            M::POST,
            "/api/classes/{id}/trainees/{user}/password",
            "/api/classes/1/trainees/3/password",
            NOT_ON_1,
        ),
        row(
            M::GET,
            "/api/report",
            "/api/report",
            [401, 403, 403, 403, 403, 200, 200, 200],
        ),
        // Owner, lecturer of the class, admin of the centre, province.
        row(
            M::GET,
            "/api/certificates/{code}",
            &format!("/api/certificates/{cert_an}"),
            [401, 200, 403, 200, 403, 200, 403, 200],
        ),
        row(
            M::GET,
            "/api/certificates/{code}",
            &format!("/api/certificates/{CERT_KHOA}"),
            [401, 403, 403, 403, 200, 403, 200, 200],
        ),
        row(
            M::GET,
            "/api/certificates/{code}",
            "/api/certificates/NOPE0-00000",
            [401, 404, 404, 404, 404, 404, 404, 404],
        ),
        with_body(
            row(
                M::POST,
                "/api/certificates/{code}/revoke",
                &format!("/api/certificates/{CERT_KHOA}/revoke"),
                [401, 403, 403, 403, 200, 403, 200, 403],
            ),
            r#"{"reason":"Kiểm tra quyền"}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/certificates/{code}/revoke",
                &format!("/api/certificates/{cert_an}/revoke"),
                RESET_1,
            ),
            r#"{"reason":"Kiểm tra quyền"}"#,
        ),
        // Public.
        row(
            M::GET,
            "/api/verify/{code}",
            &format!("/api/verify/{cert_an}"),
            ALL,
        ),
        row(
            M::GET,
            "/api/verify/{code}",
            "/api/verify/NOPE0-00000",
            [404; 8],
        ),
    ]
    .into_iter()
    .chain(authoring_rows())
    .chain(live_rows())
    .chain(account_rows(w))
    .collect()
}

/// Staff accounts, centres and course owners (issue 14). Bodies are chosen
/// so that no row changes what a later one finds: reactivating an active
/// account, handing the course to the owner it has.
fn account_rows(w: &World) -> Vec<Row> {
    use Method as M;
    const PROVINCE: [u16; 8] = [401, 403, 403, 403, 403, 403, 403, 200];
    // The centre admin of class 1's centre, on its lecturers and trainees.
    const CENTRE_1: [u16; 8] = [401, 403, 403, 403, 403, 200, 403, 403];
    let khoa = w.khoa;
    let other_admin = w.user(Actor::OtherCentreAdmin).unwrap_or_default();
    vec![
        row(M::GET, "/api/centres", "/api/centres", PROVINCE),
        with_body(
            row(
                M::POST,
                "/api/centres",
                "/api/centres",
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            r#"{"name":"Trung tâm Chính trị huyện Yên Lập"}"#,
        ),
        // Each centre admin sees their own centre's accounts.
        row(
            M::GET,
            "/api/accounts",
            "/api/accounts",
            [401, 403, 403, 403, 403, 200, 200, 403],
        ),
        // A lecturer, made by a centre admin for their own centre (the
        // second admin finds the username taken, past the permission check).
        with_body(
            row(
                M::POST,
                "/api/accounts",
                "/api/accounts",
                [401, 403, 403, 403, 403, 201, 409, 403],
            ),
            r#"{"full_name":"Giảng viên mới","username":"gv.moi","role":"lecturer"}"#,
        ),
        // A centre admin, made by the province admin only.
        with_body(
            row(
                M::POST,
                "/api/accounts",
                "/api/accounts",
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            r#"{"full_name":"Quản trị mới","username":"qt.moi","role":"centre_admin","centre_id":1}"#,
        ),
        // Reactivating (a no-op): giangvien, An, quantri, the other
        // centre's Khoa and admin, and nobody.
        with_body(
            row(
                M::POST,
                "/api/accounts/{id}/active",
                "/api/accounts/2/active",
                CENTRE_1,
            ),
            r#"{"active":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/accounts/{id}/active",
                "/api/accounts/1/active",
                CENTRE_1,
            ),
            r#"{"active":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/accounts/{id}/active",
                "/api/accounts/3/active",
                PROVINCE,
            ),
            r#"{"active":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/accounts/{id}/active",
                &format!("/api/accounts/{khoa}/active"),
                [401, 403, 403, 403, 403, 403, 200, 403],
            ),
            r#"{"active":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/accounts/{id}/active",
                &format!("/api/accounts/{other_admin}/active"),
                PROVINCE,
            ),
            r#"{"active":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/accounts/{id}/active",
                "/api/accounts/999/active",
                [401, 403, 403, 403, 403, 404, 404, 404],
            ),
            r#"{"active":true}"#,
        ),
        // Resets: Dung (a trainee of centre 1), the demo centre's admin
        // (the province admin's to reset, not her own).
        row(
            M::POST,
            "/api/accounts/{id}/password",
            "/api/accounts/4/password",
            CENTRE_1,
        ),
        row(
            M::POST,
            "/api/accounts/{id}/password",
            "/api/accounts/3/password",
            PROVINCE,
        ),
        row(
            M::POST,
            "/api/accounts/{id}/password",
            &format!("/api/accounts/{khoa}/password"),
            [401, 403, 403, 403, 403, 403, 200, 403],
        ),
        // The province admin resets no province admin, herself included.
        row(
            M::POST,
            "/api/accounts/{id}/password",
            "/api/accounts/5/password",
            [401, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(M::GET, "/api/course-owners", "/api/course-owners", PROVINCE),
        with_body(
            row(
                M::POST,
                "/api/course-owners/{course}",
                &format!("/api/course-owners/{COURSE}"),
                PROVINCE,
            ),
            r#"{"centre_id":1}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/course-owners/{course}",
                "/api/course-owners/khong-co",
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            r#"{"centre_id":null}"#,
        ),
    ]
}

/// Live sessions (issue 6): lecturers and centre admins open and list them;
/// joining needs only the code (guests may be allowed), and the socket
/// refuses anything that is not a WebSocket upgrade.
fn live_rows() -> Vec<Row> {
    use Method as M;
    const PRESENTERS: [u16; 8] = [401, 403, 403, 200, 200, 200, 200, 403];
    const PRESENTERS_BAD: [u16; 8] = [401, 403, 403, 400, 400, 400, 400, 403];
    vec![
        row(M::GET, "/api/live", "/api/live", PRESENTERS),
        with_body(
            row(M::POST, "/api/live", "/api/live", PRESENTERS_BAD),
            r#"{"course_id":"can-bo-co-so","questions":[]}"#,
        ),
        row(M::GET, "/api/live/{code}", "/api/live/000000", [404; 8]),
        row(
            M::GET,
            "/api/live/{code}/ws",
            "/api/live/000000/ws",
            [400; 8],
        ),
    ]
}

/// Authoring (issue 7): the draft of class 1's centre, submitted by its
/// lecturer; its centre admin reviews. Bodies are chosen so that no row
/// changes what a later one finds.
fn authoring_rows() -> Vec<Row> {
    use Method as M;
    const AUTHORS: [u16; 8] = [401, 403, 403, 200, 200, 200, 200, 403];
    const CENTRE_1: [u16; 8] = [401, 403, 403, 200, 403, 200, 403, 403];
    const ADMINS: [u16; 8] = [401, 403, 403, 403, 403, 200, 200, 403];
    const CENTRE_1_BAD: [u16; 8] = [401, 403, 403, 400, 403, 400, 403, 403];
    // The submitter may not decide; the reviewer gets as far as the body.
    const DECIDE: [u16; 8] = [401, 403, 403, 403, 403, 400, 403, 400];
    // Reading and reviewing: the centre's staff, and the province admin
    // (who reviews every centre's drafts but edits none, issue 19).
    const REVIEW_1: [u16; 8] = [401, 403, 403, 200, 403, 200, 403, 200];
    let draft = |rest: &str| format!("/api/authoring/drafts/{COURSE}{rest}");
    let lesson = "phong-chong-tham-nhung/nhan-dien-tham-nhung.md";
    vec![
        row(M::GET, "/api/authoring", "/api/authoring", AUTHORS),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts",
                "/api/authoring/drafts",
                [401, 403, 403, 404, 404, 404, 404, 403],
            ),
            r#"{"course_id":"khong-co","from_published":true}"#,
        ),
        // The demo course belongs to class 1's centre (issue 14): its
        // authors find its draft already there, the other centre's may not
        // start one at all.
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts",
                "/api/authoring/drafts",
                [401, 403, 403, 400, 403, 400, 403, 403],
            ),
            r#"{"course_id":"can-bo-co-so","from_published":true}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/import",
                "/api/authoring/import",
                [401, 403, 403, 400, 400, 400, 400, 403],
            ),
            "not a zip",
        ),
        row(
            M::GET,
            "/api/authoring/reviews",
            "/api/authoring/reviews",
            [401, 403, 403, 403, 403, 200, 200, 200],
        ),
        row(
            M::GET,
            "/api/authoring/reviewers",
            "/api/authoring/reviewers",
            ADMINS,
        ),
        // Taking the role from giangvien, who does not hold it: a no-op.
        with_body(
            row(
                M::POST,
                "/api/authoring/reviewers",
                "/api/authoring/reviewers",
                [401, 403, 403, 403, 403, 200, 400, 403],
            ),
            r#"{"user_id":2,"reviewer":false}"#,
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}",
            &draft(""),
            REVIEW_1,
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}/files/{*path}",
            &draft("/files/course.toml"),
            REVIEW_1,
        ),
        // The same new file twice: stored, then already there.
        with_body(
            row(
                M::PUT,
                "/api/authoring/drafts/{course}/files/{*path}",
                &draft("/files/phong-chong-tham-nhung/authz.md"),
                CENTRE_1,
            ),
            r#"{"base_version":null,"content":"+++\ntitle = \"A\"\n+++\n"}"#,
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}/history/{*path}",
            &draft(&format!("/history/{lesson}")),
            REVIEW_1,
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}/media/{name}",
            &draft("/media/sau-chu-dan.svg"),
            REVIEW_1,
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/media/{name}",
                &draft("/media/authz.png"),
                CENTRE_1,
            ),
            "png bytes",
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/items",
                &draft("/items"),
                CENTRE_1_BAD,
            ),
            r#"{"kind":"module","id":"Bad Id","title":"M"}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/preview",
                &draft("/preview"),
                CENTRE_1,
            ),
            &format!(r#"{{"path":"{lesson}","content":"+++\ntitle = \"T\"\n+++\nx"}}"#),
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}/check",
            &draft("/check"),
            REVIEW_1,
        ),
        // Already waiting for review.
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/submit",
                &draft("/submit"),
                CENTRE_1_BAD,
            ),
            "{}",
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}/diff",
            &draft("/diff"),
            REVIEW_1,
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/comments",
                &draft("/comments"),
                [401, 403, 403, 204, 403, 204, 403, 204],
            ),
            r#"{"text":"Góp ý"}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/return",
                &draft("/return"),
                DECIDE,
            ),
            r#"{"text":""}"#,
        ),
        with_body(
            row(
                M::POST,
                "/api/authoring/drafts/{course}/approve",
                &draft("/approve"),
                DECIDE,
            ),
            r#"{"text":5}"#,
        ),
        row(
            M::GET,
            "/api/authoring/drafts/{course}/export.zip",
            &draft("/export.zip"),
            REVIEW_1,
        ),
    ]
}

/// The server's name in these requests, as a browser sends it.
const HOST: &str = "lophoc.test";

async fn send(w: &World, row: &Row, actor: Actor) -> (StatusCode, Option<String>) {
    send_from(w, row, actor, &[("origin", "http://lophoc.test")]).await
}

/// Sends a row's request as a page of this server would (`Host`,
/// `Sec-Fetch-Site: same-origin`), with `extra` headers on top.
async fn send_from(
    w: &World,
    row: &Row,
    actor: Actor,
    extra: &[(&'static str, &str)],
) -> (StatusCode, Option<String>) {
    let cookie = w.cookie(actor).await;
    send_with_cookie(w, row, cookie, extra).await
}

async fn send_with_cookie(
    w: &World,
    row: &Row,
    cookie: Option<String>,
    extra: &[(&'static str, &str)],
) -> (StatusCode, Option<String>) {
    let mut request = Request::builder()
        .method(row.method.clone())
        .uri(&row.uri)
        .header(header::HOST, HOST)
        .header("sec-fetch-site", "same-origin");
    if let Some(headers) = request.headers_mut() {
        for (name, value) in extra {
            headers.insert(*name, value.parse().unwrap());
        }
    }
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = match &row.body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.clone())
        }
        None => Body::empty(),
    };
    let response = w.app.send(request.body(body).unwrap()).await;
    let status = response.status();
    let streaming = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
    // The event stream never ends; spreadsheets are zipped (errors are
    // JSON); images are images.
    let binary = row.uri.ends_with(".xlsx")
        || row.uri.ends_with(".zip")
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"image/"));
    let text = if streaming || (binary && status.is_success()) {
        None
    } else {
        Some(body_text(response).await)
    };
    (status, text)
}

/// Names an actor must never read, outside the public verify page.
fn hidden_names(actor: Actor) -> &'static [&'static str] {
    match actor {
        Actor::Anonymous | Actor::ProvinceAdmin => &[],
        Actor::Trainee => &[DUNG, KHOA],
        Actor::OtherTrainee => &[AN, KHOA],
        Actor::Lecturer | Actor::CentreAdmin => &[KHOA],
        Actor::OtherLecturer | Actor::OtherCentreAdmin => &[AN, DUNG],
    }
}

#[tokio::test]
async fn every_route_answers_each_kind_of_user_as_the_policy_says() {
    let w = world().await;
    let mut wrong = Vec::new();
    for row in table(&w) {
        for (actor, want) in ACTORS.iter().zip(row.expect) {
            let (status, text) = send(&w, &row, *actor).await;
            if status.as_u16() != want {
                wrong.push(format!(
                    "{} {} as {actor:?}: {status}, expected {want}: {}",
                    row.method,
                    row.uri,
                    text.unwrap_or_default()
                ));
                continue;
            }
            if !status.is_success() || row.route == "/api/verify/{code}" {
                continue;
            }
            for name in hidden_names(*actor) {
                if text.as_deref().is_some_and(|t| t.contains(name)) {
                    wrong.push(format!(
                        "{} {} as {actor:?} shows {name}",
                        row.method, row.uri
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The routes the router declares: each `.route("…", get(…).post(…))` of
/// `src/**/*.rs`, with the prefix its router is nested under in `lib.rs`.
fn declared_routes() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    // `.nest("/auth", auth::router())` → ("auth", "router") ↦ "/auth".
    let mut nests = Vec::new();
    for part in lib.split(".nest(\"").skip(1) {
        let (prefix, rest) = part.split_once('"').unwrap();
        let call = rest.trim_start_matches([',', ' ']);
        if let Some((module, rest)) = call.split_once("::") {
            let function = rest.split('(').next().unwrap();
            nests.push((module.to_string(), function.to_string(), prefix.to_string()));
        }
    }
    assert!(nests.len() >= 2, "nests found in lib.rs: {nests:?}");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut routes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let relative = file.strip_prefix(&src).unwrap().with_extension("");
        let module = match relative.file_name().unwrap().to_str().unwrap() {
            "mod" => relative.parent().unwrap().display().to_string(),
            _ => relative.display().to_string(),
        };
        for (at, _) in text.match_indices(".route(") {
            let function = text[..at]
                .rsplit_once("fn ")
                .map(|(_, f)| f.split('(').next().unwrap().to_string())
                .unwrap();
            let prefix = nests
                .iter()
                .find(|(m, f, _)| *m == module && *f == function)
                .map_or("", |(_, _, p)| p.as_str());
            // The route's arguments, up to the `)` closing `.route(`.
            let args = &text[at + ".route(".len()..];
            let mut depth = 1;
            let end = args
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .unwrap()
                .0;
            let args = &args[..end];
            let path = args.split('"').nth(1).unwrap();
            let full = match path {
                "/" => format!("/api{prefix}"),
                _ => format!("/api{prefix}{path}"),
            };
            let handlers = &args[args.find(',').unwrap()..];
            let mut methods = 0;
            for method in ["get", "post", "put", "patch", "delete"] {
                let call = format!("{method}(");
                let called = handlers.match_indices(&call).any(|(i, _)| {
                    !handlers[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if called {
                    routes.insert((method.to_uppercase(), full.clone()));
                    methods += 1;
                }
            }
            assert!(
                methods > 0,
                "no method found for {full} in {}",
                file.display()
            );
        }
    }
    routes
}

#[tokio::test]
async fn the_table_covers_every_route_of_the_router() {
    let declared = declared_routes();
    // Sanity: the extraction sees routes of every area, nest prefixes
    // included.
    for known in [
        ("GET", "/api/health"),
        ("POST", "/api/auth/login"),
        ("GET", "/api/courses"),
        ("GET", "/api/courses/{course}/lessons/{lesson}"),
        ("POST", "/api/classes"),
        ("POST", "/api/classes/{id}/trainees/{user}/password"),
        ("GET", "/api/verify/{code}"),
    ] {
        assert!(
            declared.contains(&(known.0.to_string(), known.1.to_string())),
            "{known:?} not found in {declared:?}"
        );
    }
    let w = world().await;
    let tabled: BTreeSet<(String, String)> = table(&w)
        .iter()
        .map(|r| (r.method.to_string(), r.route.to_string()))
        .collect();
    let missing: Vec<_> = declared.difference(&tabled).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the table: {missing:?}"
    );
    let stale: Vec<_> = tabled.difference(&declared).collect();
    assert!(stale.is_empty(), "table rows for no route: {stale:?}");
}

/// Ids of the essay questions waiting in `GET /api/grading`, by trainee.
async fn waiting(w: &World, actor: Actor) -> BTreeSet<String> {
    let cookie = w.cookie(actor).await.unwrap();
    let response = w.app.get("/api/grading", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let items = body_json(response).await;
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["trainee"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn grading_lists_only_the_askers_trainees() {
    let w = world().await;
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(waiting(&w, Actor::Lecturer).await, set(&[DUNG]));
    assert_eq!(waiting(&w, Actor::CentreAdmin).await, set(&[DUNG]));
    assert_eq!(waiting(&w, Actor::OtherLecturer).await, set(&[KHOA]));
    assert_eq!(waiting(&w, Actor::OtherCentreAdmin).await, set(&[KHOA]));
}

/// Dung's attempt report as she sees it.
async fn dung_attempt(w: &World, cookie: &str) -> Value {
    let uri = format!("/api/courses/{COURSE}/assessments/{ASSESSMENT}/attempts");
    let response = w.app.get(&uri, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    body_json(response).await[0].clone()
}

#[tokio::test]
async fn only_staff_grades_count_not_a_trainees_own_or_a_province_admins() {
    let w = world().await;
    let dung = w.app.login("hocvien2", "hocvien123").await;
    let before = dung_attempt(&w, &dung).await;
    assert_eq!(before["passed"], Value::Null, "the essay waits: {before}");
    let seed = w.app.store.sync.attempt_seed(4, COURSE, ASSESSMENT, 1);
    let (_, essays) = attempt_events(&w.app.store, "dung-1", seed, |_| true).await;
    let grades = full_grades("dung-1", &essays);
    // Dung grades her own essay; the province admin grades it: neither is
    // taken, and neither counts.
    for user in [4, 5] {
        let cookie = session_for(&w.app.store, user).await;
        let (_, reply) = push_events_reply(&w.app, &cookie, user, grades.clone()).await;
        assert_eq!(
            reply["refused"][0]["reason"]["code"], "not_allowed",
            "{reply}"
        );
        let report = dung_attempt(&w, &dung).await;
        assert_eq!(report["earned"], before["earned"], "{report}");
        assert_eq!(report["passed"], Value::Null);
    }
    // Her lecturer's grade does.
    let cookie = session_for(&w.app.store, 2).await;
    push_events(&w.app, &cookie, 2, grades).await;
    let after = dung_attempt(&w, &dung).await;
    assert!(
        after["earned"].as_u64() > before["earned"].as_u64(),
        "{after}"
    );
    assert_eq!(after["passed"], true);
}

/// Every route that can change something (any method but GET) refuses a
/// request from another site's page — by its `Origin`, or by
/// `Sec-Fetch-Site` alone — whoever is signed in, before doing anything:
/// JSON bodies, requests without a body (logout, a reset), uploads, zip
/// imports, PUTs. Reads are not refused (a browser keeps another site from
/// reading them).
#[tokio::test]
async fn every_route_that_changes_something_refuses_another_sites_page() {
    let w = world().await;
    let rows = table(&w);
    let writes: Vec<&Row> = rows.iter().filter(|r| r.method != Method::GET).collect();
    let kinds: BTreeSet<&str> = writes
        .iter()
        .map(|r| match (&r.method, &r.body) {
            (&Method::PUT, _) => "put",
            (_, None) => "no body",
            (_, Some(b)) if r.uri.contains("import") && !b.starts_with('{') => "file upload",
            (_, Some(b)) if b.starts_with('{') => "json",
            _ => "other upload",
        })
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["file upload", "json", "no body", "other upload", "put"]),
        "the table covers every kind of write"
    );
    let mut wrong = Vec::new();
    for row in &writes {
        for actor in [Actor::Anonymous, Actor::Lecturer, Actor::CentreAdmin] {
            for extra in [
                &[("origin", "https://evil.example")][..],
                &[("origin", "null")][..],
                &[("sec-fetch-site", "cross-site")][..],
                &[
                    ("origin", "http://lophoc.test"),
                    ("sec-fetch-site", "same-site"),
                ][..],
            ] {
                let (status, text) = send_from(&w, row, actor, extra).await;
                let code = text
                    .as_deref()
                    .and_then(|t| serde_json::from_str::<Value>(t).ok())
                    .map(|v| v["code"].clone());
                if status != StatusCode::FORBIDDEN || code != Some(Value::from("cross_site")) {
                    wrong.push(format!(
                        "{} {} as {actor:?} with {extra:?}: {status} {code:?}",
                        row.method, row.uri
                    ));
                }
            }
        }
    }
    // A read from another site's page is not refused here.
    let health = row(Method::GET, "/api/health", "/api/health", [200; 8]);
    let (status, _) = send_from(
        &w,
        &health,
        Actor::Trainee,
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        wrong.is_empty(),
        "{} requests let through:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// A WebSocket (a live session's) opened by another site's page is refused
/// like a write; one from this server's page is not refused for its origin.
#[tokio::test]
async fn a_websocket_from_another_site_is_refused() {
    let w = world().await;
    for (origin, refused) in [
        ("https://evil.example", true),
        ("http://lophoc.test", false),
    ] {
        let request = Request::get("/api/live/000000/ws")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
            .header(header::CONNECTION, "upgrade")
            .header(header::UPGRADE, "websocket")
            .header(header::SEC_WEBSOCKET_VERSION, "13")
            .header(header::SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
            .header(header::COOKIE, w.cookie(Actor::Trainee).await.unwrap())
            .body(Body::empty())
            .unwrap();
        let response = w.app.send(request).await;
        let status = response.status();
        let text = body_text(response).await;
        assert_eq!(
            status == StatusCode::FORBIDDEN && text.contains("cross_site"),
            refused,
            "{origin}: {status} {text}"
        );
    }
}

/// Routes that stay open to an account that must change its password.
const OPEN_TO_A_PASSWORD_CHANGE: [&str; 3] = ["/api/me", "/api/me/password", "/api/auth/logout"];

/// An account whose password someone else chose (a reset) gets 403
/// `password_change_required` from every route that needs a sign-in, but
/// `GET /api/me`, the password change and logout.
#[tokio::test]
async fn an_account_that_must_change_its_password_gets_nothing_else() {
    let w = world().await;
    let store = &w.app.store;
    let hash = lophoc_server::auth::hash_password("do-nguoi-khac-dat").unwrap();
    let id = store
        .accounts
        .create_user("hocvienmoi", "Lò Thị Mai", Role::Trainee, &hash)
        .await
        .unwrap();
    store.accounts.set_user_centre(id, 1).await.unwrap();
    store.classes.add_member(1, id).await.unwrap();
    store.accounts.set_password(id, &hash, true).await.unwrap();
    let mut wrong = Vec::new();
    let mut refused = 0;
    for row in table(&w) {
        let cookie = raw_session(store, id).await;
        let (status, text) = send_with_cookie(&w, &row, Some(cookie), &[]).await;
        let text = text.unwrap_or_default();
        let open = OPEN_TO_A_PASSWORD_CHANGE.contains(&row.route);
        if open {
            if text.contains("password_change_required") {
                wrong.push(format!("{} {} is refused: {status}", row.method, row.uri));
            }
        } else if row.expect[0] == 401 {
            refused += 1;
            if status != StatusCode::FORBIDDEN || !text.contains("password_change_required") {
                wrong.push(format!("{} {}: {status} {text}", row.method, row.uri));
            }
        }
    }
    assert!(refused > 40, "only {refused} routes tried");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // /api/me says why, so the app can send them to the password change.
    let cookie = raw_session(store, id).await;
    let me = w.app.get("/api/me", Some(&cookie)).await;
    assert_eq!(body_json(me).await["must_change_password"], true);
}

/// A trainee page's document (`src/document.rs`): the page's first screen
/// for whoever may read it through the API, the plain shell for anyone
/// else — never a word of the page.
#[tokio::test]
async fn a_page_s_document_holds_it_only_for_who_may_read_it() {
    let w = world().await;
    let store = &w.app.store;
    // The built shell has the mark where the page goes (as the source has).
    std::fs::write(
        w.app.dist_dir.join("index.html"),
        include_str!("../../../../index.html"),
    )
    .unwrap();
    const LESSON: &str = "/courses/can-bo-co-so/lessons/nhan-dien-tham-nhung";
    const LESSON_TITLE: &str = "Nhận diện hành vi tham nhũng trong công việc ở xã";
    let document = |uri: &'static str, cookie: Option<String>| {
        let app = &w.app;
        async move {
            let response = app.get(uri, cookie.as_deref()).await;
            let status = response.status();
            let headers = response.headers().clone();
            (status, headers, body_text(response).await)
        }
    };
    // Every signed-in user reads published courses, so every one of them
    // gets the lesson in the document; the visitor the shell alone.
    for actor in ACTORS {
        let (status, headers, html) = document(LESSON, w.cookie(actor).await).await;
        assert_eq!(status, StatusCode::OK, "{actor:?}");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(
            headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "{actor:?}"
        );
        if actor == Actor::Anonymous {
            assert!(
                !html.contains("boot-page"),
                "a visitor's document has no page"
            );
            assert!(!html.contains(LESSON_TITLE));
        } else {
            assert!(
                html.contains(r#"<div id="boot-page" data-lang="vi" data-signed-in="true">"#),
                "{actor:?}"
            );
            assert!(
                html.contains(&format!("<h1>{LESSON_TITLE}</h1>")),
                "{actor:?}"
            );
            assert!(html.contains(&format!("<title>{LESSON_TITLE} · Lophoc</title>")));
            assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
            assert_eq!(headers[header::VARY], "Cookie");
        }
    }
    let trainee = || w.cookie(Actor::Trainee);
    // No such page, a malformed id, an ended session, a page not drawn
    // here: the plain shell.
    for uri in [
        "/courses/can-bo-co-so/lessons/khong-co-bai-nay",
        "/courses/khong-co/lessons/nhan-dien-tham-nhung",
        "/courses/can-bo-co-so/lessons/..%2F..%2Fetc",
        "/courses/can-bo-co-so/media/x.png",
    ] {
        let (status, _, html) = document(uri, trainee().await).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!html.contains("boot-page"), "{uri}");
    }
    let ended = trainee().await.unwrap();
    let token = ended.split_once('=').unwrap().1;
    store
        .accounts
        .delete_session(&lophoc_server::auth::token_hash(token))
        .await
        .unwrap();
    let (_, _, html) = document(LESSON, Some(ended)).await;
    assert!(
        !html.contains(LESSON_TITLE),
        "an ended session sees nothing"
    );
    // An account that must change its password first sees nothing else.
    let id = w.user(Actor::Trainee).unwrap();
    let hash = store.accounts.password_hash(id).await.unwrap().unwrap();
    store.accounts.set_password(id, &hash, true).await.unwrap();
    let (_, _, html) = document(LESSON, Some(raw_session(store, id).await)).await;
    assert!(!html.contains(LESSON_TITLE));
    // A trainee's situation set comes without the grader-only notes (the
    // document draws the scenario; nothing of the notes may travel).
    let set = "/courses/can-bo-co-so/situations/thao-luan-hop-thon";
    let (_, _, html) = document(set, w.cookie(Actor::OtherTrainee).await).await;
    assert!(html.contains(r#"<section class="scenario""#), "{html}");
    assert!(!html.contains("Trừ điểm bài chỉ chép lại khẩu hiệu"));
    // An assessment's start page: the answer-free paper's title and facts.
    let (_, _, html) = document(
        "/courses/can-bo-co-so/assessments/kiem-tra-chuyen-de-1",
        w.cookie(Actor::OtherTrainee).await,
    )
    .await;
    assert!(
        html.contains("<h1>Kiểm tra chuyên đề 1: Phòng, chống tham nhũng</h1>"),
        "{html}"
    );
    // The progress page: the asker's own figures, nobody else's.
    let (_, _, html) = document("/progress", w.cookie(Actor::Trainee).await).await;
    assert!(
        html.contains(r#"<section class="panel course-result""#),
        "{html}"
    );
    let (_, _, html) = document("/progress", None).await;
    assert!(!html.contains("course-result"));
    // A trainee's home is drawn, with their name; staff and visitors get
    // the shell there. The live code field is the same for everyone.
    let (_, _, html) = document("/", w.cookie(Actor::Trainee).await).await;
    assert!(html.contains("<h1>Xin chào, Nguyễn Văn An</h1>"), "{html}");
    for actor in [Actor::Anonymous, Actor::Lecturer, Actor::CentreAdmin] {
        let (_, _, html) = document("/", w.cookie(actor).await).await;
        assert!(!html.contains("boot-page"), "{actor:?}");
    }
    let (_, _, html) = document("/live", None).await;
    assert!(html.contains(r#"<input id="live-code""#));
    // In the device's language.
    let english = format!(
        "{}; {}=en",
        w.cookie(Actor::OtherTrainee).await.unwrap(),
        lophoc_core::i18n::LANG_COOKIE
    );
    let response = w.app.get(LESSON, Some(&english)).await;
    let html = body_text(response).await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"<div id="boot-page" data-lang="en" data-signed-in="true">"#));
    assert!(html.contains("Module 1 · Lesson"), "{html}");
}
