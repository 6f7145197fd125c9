//! Browser tests of the IndexedDB store and the outbox, in headless Chromium.
#![cfg(target_arch = "wasm32")]
#![expect(
    clippy::unwrap_used,
    reason = "a failed store call should fail the test"
)]

use lophoc::store::{self, LocalStore};
use lophoc_core::{
    accounts::Role,
    api::User,
    content::{CourseOutline, Lesson, LessonRef, ModuleOutline},
    events::{Event, RejectReason, SCHEMA_VERSION},
    progress::Progress,
    sync::{PushResponse, Rejection},
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A user id no other test uses, so tests sharing the database stay apart.
fn fresh_user() -> i64 {
    (js_sys::Math::random() * 1e12) as i64 + 1000
}

fn opened(lesson: &str) -> Event {
    Event::LessonOpened {
        course_id: "khoa".into(),
        lesson_id: lesson.into(),
    }
}

async fn local() -> LocalStore {
    store::get().await.unwrap()
}

#[wasm_bindgen_test]
async fn recorded_ops_queue_in_order_and_leave_only_when_acknowledged() {
    let local = local().await;
    let user = fresh_user();
    for lesson in ["a", "b", "c"] {
        local.record(user, opened(lesson)).await.unwrap();
    }
    assert_eq!(local.pending(user).await.unwrap(), 3);
    let batch = local.outbox_batch(user, 10).await.unwrap();
    assert_eq!(
        batch.iter().map(|o| o.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(batch
        .iter()
        .all(|o| o.user_id == user && o.schema == SCHEMA_VERSION));
    assert_eq!(local.outbox_batch(user, 2).await.unwrap().len(), 2);

    local.acknowledge(user, 2).await.unwrap();
    assert_eq!(local.pending(user).await.unwrap(), 1);
    assert_eq!(local.outbox_batch(user, 10).await.unwrap()[0].seq, 3);
    assert_eq!(local.device(user).await.unwrap().acked_seq, 2);

    // A stale reply changes nothing; the events (local effects) all stay.
    local.acknowledge(user, 1).await.unwrap();
    assert_eq!(local.pending(user).await.unwrap(), 1);
    assert_eq!(local.events(user).await.unwrap().len(), 3);

    // Sequence numbers continue after acknowledgement.
    let next = local.record(user, opened("d")).await.unwrap();
    assert_eq!(next.seq, 4);
}

/// The header counts the user's own changes: opening a lesson travels with
/// them uncounted, so reading alone raises nothing and "mark as read" is one
/// change (issue 19).
#[wasm_bindgen_test]
async fn opening_a_lesson_is_not_a_change_to_count() {
    let local = local().await;
    let user = fresh_user();
    local.record(user, opened("a")).await.unwrap();
    assert_eq!(local.pending(user).await.unwrap(), 1);
    assert_eq!(local.pending_changes(user).await.unwrap(), 0);
    local
        .record(
            user,
            Event::LessonCompleted {
                course_id: "khoa".into(),
                lesson_id: "a".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(local.pending(user).await.unwrap(), 2);
    assert_eq!(local.pending_changes(user).await.unwrap(), 1);
    local.acknowledge(user, 2).await.unwrap();
    assert_eq!(local.pending_changes(user).await.unwrap(), 0);
}

fn reply(acked_seq: u64, refused: Vec<Rejection>) -> PushResponse {
    PushResponse {
        acked_seq,
        applied: 0,
        rejected: None,
        refused,
    }
}

#[wasm_bindgen_test]
async fn a_refused_op_leaves_the_outbox_and_the_progress_and_is_kept_to_show() {
    let local = local().await;
    let user = fresh_user();
    for lesson in ["a", "b", "c"] {
        local.record(user, opened(lesson)).await.unwrap();
    }
    let refused = Rejection {
        seq: 2,
        reason: RejectReason::TooLong {
            field: lophoc_core::limits::TextField::Opinion,
            max: 5000,
        },
    };
    let applied = local
        .apply_reply(user, &reply(3, vec![refused]))
        .await
        .unwrap();
    assert_eq!(applied, store::Applied::Settled { refused: 1 });
    assert_eq!(local.pending(user).await.unwrap(), 0, "nothing blocks");
    let kept = local.refused(user).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].op.seq, 2);
    assert_eq!(kept[0].op.event, opened("b"));
    let events = local.events(user).await.unwrap();
    assert_eq!(events.len(), 2, "a refused op does not count on the device");
    assert!(events.iter().all(|o| o.seq != 2));
    // Recording goes on from there.
    assert_eq!(local.record(user, opened("d")).await.unwrap().seq, 4);
    assert_eq!(local.refused(user).await.unwrap().len(), 1);
}

/// The server was restored from a backup: its reply (or a pull) is below
/// what the device knows. The device queues its own ops again from its
/// local events and refused list, and pulls again from the start.
#[wasm_bindgen_test]
async fn a_server_behind_the_device_gets_its_ops_again_from_indexeddb() {
    let local = local().await;
    let user = fresh_user();
    for lesson in ["a", "b", "c", "d", "e"] {
        local.record(user, opened(lesson)).await.unwrap();
    }
    let refused = Rejection {
        seq: 4,
        reason: RejectReason::NotAllowed,
    };
    local
        .apply_reply(user, &reply(5, vec![refused]))
        .await
        .unwrap();
    local.add_pulled(user, &[], 42).await.unwrap();
    assert_eq!(local.pending(user).await.unwrap(), 0);
    // Restored to a backup holding 2 of this device's ops.
    let applied = local.apply_reply(user, &reply(2, vec![])).await.unwrap();
    assert_eq!(applied, store::Applied::Rewound);
    let batch = local.outbox_batch(user, 10).await.unwrap();
    assert_eq!(
        batch.iter().map(|o| o.seq).collect::<Vec<_>>(),
        vec![3, 4, 5],
        "the ops after the server's sequence, the refused one too"
    );
    assert_eq!(batch[1].event, opened("d"));
    assert_eq!(local.device(user).await.unwrap().acked_seq, 2);
    assert_eq!(local.pull_cursor(user).await.unwrap(), 0);
    // Sent again: the refused one is refused again and kept again.
    let refused = Rejection {
        seq: 4,
        reason: RejectReason::NotAllowed,
    };
    local
        .apply_reply(user, &reply(5, vec![refused]))
        .await
        .unwrap();
    assert_eq!(local.pending(user).await.unwrap(), 0);
    assert_eq!(local.refused(user).await.unwrap().len(), 1);
    // A pull saying the server lost everything does the same; a pull that
    // agrees changes nothing.
    assert!(!local.rewind(user, 5).await.unwrap());
    assert!(local.rewind(user, 0).await.unwrap());
    assert_eq!(
        local
            .outbox_batch(user, 10)
            .await
            .unwrap()
            .iter()
            .map(|o| o.seq)
            .collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
}

/// The attempt seeds a paper came with are kept for the user who asked,
/// apart from the paper shared by the browser's users.
#[wasm_bindgen_test]
async fn attempt_seeds_are_kept_per_user() {
    use lophoc_core::assessment::{AssessmentPaper, IssuedSeeds};
    let local = local().await;
    let user = fresh_user();
    let paper: AssessmentPaper = serde_json::from_value(serde_json::json!({
        "course_id": "khoa-seeds", "module_id": "m", "id": "kt", "title": "Kiểm tra",
        "intro_html": "", "pools": [], "bank": [],
        "settings": {"pass_percent": 50, "review": "after_submit"},
        "seeds": {"user_id": user, "seeds": [11, 22]}
    }))
    .unwrap();
    local.save_assessment(&paper).await.unwrap();
    let shared = local.assessment("khoa-seeds", "kt").await.unwrap().unwrap();
    assert_eq!(shared.seeds, None, "the shared copy holds no one's seeds");
    assert_eq!(
        local.seeds(user, "khoa-seeds", "kt").await.unwrap(),
        Some(IssuedSeeds {
            user_id: user,
            seeds: vec![11, 22]
        })
    );
    assert_eq!(
        local.seeds(user + 1, "khoa-seeds", "kt").await.unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn each_user_has_a_device_log_of_their_own() {
    let local = local().await;
    let (alice, bob) = (fresh_user(), fresh_user());
    let a = local.record(alice, opened("a")).await.unwrap();
    let b = local.record(bob, opened("a")).await.unwrap();
    assert_ne!(a.device_id, b.device_id);
    assert_eq!((a.seq, b.seq), (1, 1));
    assert_eq!(local.pending(alice).await.unwrap(), 1);
    local.acknowledge(alice, 1).await.unwrap();
    assert_eq!(local.pending(alice).await.unwrap(), 0);
    assert_eq!(
        local.pending(bob).await.unwrap(),
        1,
        "bob's op is untouched"
    );
}

#[wasm_bindgen_test]
async fn pulled_events_join_local_ones_and_progress_is_derived_from_both() {
    let local = local().await;
    let user = fresh_user();
    local
        .record(
            user,
            Event::LessonCompleted {
                course_id: "khoa".into(),
                lesson_id: "a".into(),
            },
        )
        .await
        .unwrap();
    let mut other_device = lophoc_core::sync::DeviceLog::new("other");
    let pulled = other_device.record(
        "pulled-op".into(),
        user,
        0,
        Event::LessonCompleted {
            course_id: "khoa".into(),
            lesson_id: "b".into(),
        },
    );
    local
        .add_pulled(user, &[pulled.clone(), pulled], 42)
        .await
        .unwrap();
    assert_eq!(local.pull_cursor(user).await.unwrap(), 42);
    let events = local.events(user).await.unwrap();
    assert_eq!(events.len(), 2, "a pulled op stored twice counts once");
    let progress = Progress::from_events(&events);
    assert!(progress.is_completed("khoa", "a") && progress.is_completed("khoa", "b"));
}

#[wasm_bindgen_test]
async fn the_signed_in_user_is_remembered_until_logout() {
    let local = local().await;
    let user = User {
        id: fresh_user(),
        username: "hocvien".into(),
        full_name: "Nguyễn Văn An".into(),
        role: Role::Trainee,
        must_change_password: true,
    };
    local.save_user(&user).await.unwrap();
    assert_eq!(local.saved_user().await.unwrap(), Some(user));
    local.forget_user().await.unwrap();
    assert_eq!(local.saved_user().await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_course_counts_as_downloaded_only_once_finished() {
    let local = local().await;
    let id = format!("khoa-{}", fresh_user());
    let outline = CourseOutline {
        id: id.clone(),
        title: "Khoá".into(),
        summary: String::new(),
        version: 3,
        media: vec!["hinh.svg".into()],
        download_bytes: 10,
        completion: Default::default(),
        modules: vec![ModuleOutline {
            id: "m".into(),
            title: "M".into(),
            summary: String::new(),
            lessons: vec![LessonRef {
                id: "a".into(),
                title: "A".into(),
                minutes: 1,
            }],
            situations: vec![],
            assessments: vec![],
        }],
    };
    let lesson = Lesson {
        course_id: id.clone(),
        module_id: "m".into(),
        id: "a".into(),
        title: "A".into(),
        minutes: 1,
        html: "<p>Chữ</p>".into(),
    };
    local.save_lesson(&lesson).await.unwrap();
    local
        .save_media(&id, "hinh.svg", "image/svg+xml", b"<svg/>")
        .await
        .unwrap();
    assert!(local.download(&id).await.unwrap().is_none());
    assert!(local.course(&id).await.unwrap().is_none());

    local.finish_download(&outline, 16).await.unwrap();
    assert_eq!(local.download(&id).await.unwrap().unwrap().version, 3);
    assert_eq!(local.course(&id).await.unwrap(), Some(outline));
    assert_eq!(local.lesson(&id, "a").await.unwrap(), Some(lesson));
    let (mime, bytes) = local.media(&id, "hinh.svg").await.unwrap().unwrap();
    assert_eq!(mime, "image/svg+xml");
    assert_eq!(bytes.to_vec(), b"<svg/>".to_vec());
}
