//! Browser tests of client components, mounted in headless Chromium by
//! wasm-bindgen-test (`make test-browser`).
#![cfg(target_arch = "wasm32")]
#![expect(clippy::unwrap_used, reason = "a failed lookup should fail the test")]

use leptos::{prelude::*, task::tick};
use leptos_router::components::Router;
use lophoc::{
    api::ClientError,
    components::ErrorNotice,
    pages::{lesson::LessonView, settings::LanguagePicker},
    state::{i18n::provide_i18n, session::provide_session},
    sync::provide_sync,
};
use lophoc_core::{
    api::ApiError,
    content::{CourseOutline, Lesson, LessonRef, ModuleOutline},
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to mount into, and a clean language preference.
fn container() -> HtmlElement {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("lophoc.lang").unwrap();
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn text(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn lesson_ref(id: &str, title: &str) -> LessonRef {
    LessonRef {
        id: id.into(),
        title: title.into(),
        minutes: 5,
    }
}

fn outline() -> CourseOutline {
    CourseOutline {
        id: "khoa".into(),
        title: "Khoá thử".into(),
        summary: String::new(),
        version: 1,
        media: vec![],
        download_bytes: 0,
        completion: Default::default(),
        modules: vec![
            ModuleOutline {
                id: "cd1".into(),
                title: "Chuyên đề một".into(),
                summary: String::new(),
                lessons: vec![lesson_ref("a", "Bài A"), lesson_ref("b", "Bài B")],
                situations: vec![],
                assessments: vec![],
            },
            ModuleOutline {
                id: "cd2".into(),
                title: "Chuyên đề hai".into(),
                summary: String::new(),
                lessons: vec![lesson_ref("c", "Bài C")],
                situations: vec![],
                assessments: vec![],
            },
        ],
    }
}

#[wasm_bindgen_test]
async fn the_language_picker_switches_the_interface_at_once() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        provide_i18n();
        view! { <LanguagePicker/> }
    });
    tick().await;
    assert_eq!(text(&root, "legend"), "Ngôn ngữ giao diện");
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("vi"));

    let english: HtmlElement = root
        .query_selector("#lang-en")
        .unwrap()
        .unwrap()
        .unchecked_into();
    english.click();
    tick().await;
    assert_eq!(text(&root, "legend"), "Interface language");
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(
        storage.get_item("lophoc.lang").unwrap().as_deref(),
        Some("en")
    );
    storage.remove_item("lophoc.lang").unwrap();
}

#[wasm_bindgen_test]
async fn a_lesson_shows_its_place_body_and_neighbours_across_modules() {
    let root = container();
    let lesson = Lesson {
        course_id: "khoa".into(),
        module_id: "cd1".into(),
        id: "b".into(),
        title: "Bài B".into(),
        minutes: 5,
        html: "<h2>Mở đầu</h2><blockquote><p>Trích dẫn</p></blockquote>".into(),
    };
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        provide_session();
        provide_sync();
        view! { <Router><LessonView course=outline() lesson/></Router> }
    });
    tick().await;
    assert_eq!(text(&root, "h1"), "Bài B");
    assert_eq!(text(&root, ".eyebrow"), "Chuyên đề 1 · Bài 2 · 5 phút đọc");
    assert_eq!(text(&root, ".lesson-body blockquote"), "Trích dẫn");
    let prev = root.query_selector("a[rel=prev]").unwrap().unwrap();
    assert_eq!(
        prev.get_attribute("href").as_deref(),
        Some("/courses/khoa/lessons/a")
    );
    let next = root.query_selector("a[rel=next]").unwrap().unwrap();
    assert_eq!(
        next.get_attribute("href").as_deref(),
        Some("/courses/khoa/lessons/c")
    );
    assert!(next.text_content().unwrap().contains("Bài C"));
    assert!(
        root.query_selector(".notice-info").unwrap().is_none(),
        "not the last lesson"
    );
}

#[wasm_bindgen_test]
async fn the_last_lesson_says_so_and_offers_no_next() {
    let root = container();
    let lesson = Lesson {
        course_id: "khoa".into(),
        module_id: "cd2".into(),
        id: "c".into(),
        title: "Bài C".into(),
        minutes: 5,
        html: "<p>Hết</p>".into(),
    };
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        provide_session();
        provide_sync();
        view! { <Router><LessonView course=outline() lesson/></Router> }
    });
    tick().await;
    assert!(root.query_selector("a[rel=next]").unwrap().is_none());
    assert_eq!(text(&root, ".eyebrow"), "Chuyên đề 2 · Bài 1 · 5 phút đọc");
    assert!(text(&root, ".notice-info").contains("bài cuối cùng"));
}

#[wasm_bindgen_test]
async fn errors_are_explained_in_vietnamese() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        provide_i18n();
        let error = ClientError::Api(ApiError::BadCredentials);
        view! { <ErrorNotice error/> }
    });
    tick().await;
    let alert = text(&root, "[role=alert]");
    assert!(alert.contains("mật khẩu không đúng"), "{alert}");
}

#[wasm_bindgen_test]
async fn the_class_matrix_says_each_status_in_words_and_links_each_trainee() {
    use lophoc::pages::class::MatrixTable;
    use lophoc_core::{
        classes::{ClassMatrix, MatrixCell, MatrixModule, MatrixRow, UserRef},
        completion::{AssessmentResult, Status},
    };
    let root = container();
    let cell = |status, done, required| MatrixCell {
        status,
        done,
        required,
    };
    let matrix = ClassMatrix {
        class_id: 7,
        class_name: "Lớp 1".into(),
        course_id: "khoa".into(),
        modules: vec![
            MatrixModule {
                id: "cd1".into(),
                title: "Chuyên đề một".into(),
            },
            MatrixModule {
                id: "cd2".into(),
                title: "Chuyên đề hai".into(),
            },
        ],
        assessments: vec![MatrixModule {
            id: "kt".into(),
            title: "Kiểm tra".into(),
        }],
        rows: vec![MatrixRow {
            user: UserRef {
                id: 42,
                username: "annv".into(),
                full_name: "Nguyễn Văn An".into(),
            },
            cells: vec![
                cell(Status::Completed, 3, 3),
                cell(Status::InProgress, 1, 3),
            ],
            percent: 66,
            completed: false,
            results: vec![Some(AssessmentResult {
                submitted: 1,
                best_percent: Some(55),
                last_percent: Some(55),
                passed: Some(false),
            })],
            certificate: None,
            live_sessions: 2,
        }],
    };
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        view! { <Router><MatrixTable matrix/></Router> }
    });
    tick().await;
    let cells: Vec<String> = {
        let list = root.query_selector_all("tbody td").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        cells,
        vec![
            "Hoàn thành 3/3",
            "Đang học 1/3",
            "66%",
            "2",
            "55% · Chưa đạt",
            "—"
        ]
    );
    assert_eq!(
        root.query_selector("tbody th a")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/classes/7/trainees/42")
    );
    // Colour is a second channel, never the only one.
    assert!(root.query_selector(".status-completed").unwrap().is_some());
    assert_eq!(text(&root, "thead th[title='Chuyên đề hai']"), "CĐ 2");
    // For phones, the same as a card per trainee: each module by its title,
    // with its status and how much is done (issue 19).
    let lines: Vec<String> = {
        let list = root
            .query_selector_all(".matrix-card .module-status")
            .unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        lines,
        vec![
            "Chuyên đề mộtHoàn thành (đã xong 3/3 việc)",
            "Chuyên đề haiĐang học (đã xong 1/3 việc)"
        ]
    );
    assert_eq!(
        root.query_selector(".matrix-card h3 a")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/classes/7/trainees/42")
    );
    assert_eq!(
        text(&root, ".matrix-card .matrix-results li"),
        "Kiểm tra: 55% · Chưa đạt"
    );
}
