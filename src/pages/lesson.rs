//! `/courses/:course/lessons/:lesson`: reading a lesson, with the way to the
//! previous and next lesson in course order.

use leptos::{html, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    api::ApiError,
    content::{CourseOutline, Lesson},
    events::Event,
    i18n::Msg,
};

use crate::{
    api::ClientError,
    components::{use_title, ErrorNotice, Loading},
    offline,
    state::i18n::use_i18n,
    sync::use_sync,
};

#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let course_id = move || params.read().get("course").unwrap_or_default();
    let lesson_id = move || params.read().get("lesson").unwrap_or_default();
    let outline = LocalResource::new(move || offline::course(course_id()));
    let lesson = LocalResource::new(move || offline::lesson(course_id(), lesson_id()));
    use_title(move || {
        lesson
            .get()
            .and_then(Result::ok)
            .map(|l| l.title)
            .unwrap_or_default()
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match (outline.await, lesson.await) {
                    (Ok(course), Ok(lesson)) => view! { <LessonView course lesson/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A lesson with its place in the course. Opening it records a
/// `lesson_opened` event; "mark as read" records `lesson_completed`.
/// Public for the browser tests.
#[component]
pub fn LessonView(course: CourseOutline, lesson: Lesson) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let Some(position) = course.position(&lesson.id) else {
        let error = ClientError::Api(ApiError::NotFound);
        return view! { <ErrorNotice error/> }.into_any();
    };
    // Once per lesson: opening it again changes nothing to record.
    let key = (course.id.clone(), lesson.id.clone());
    if !sync.progress.with_untracked(|p| p.opened.contains(&key)) {
        sync.record(Event::LessonOpened {
            course_id: course.id.clone(),
            lesson_id: lesson.id.clone(),
        });
    }
    let key = (course.id.clone(), lesson.id.clone());
    // A plain closure over the app-wide progress signal, not a derived
    // signal owned by this view: when the next lesson replaces this one, an
    // update already queued may still run this closure, and a disposed
    // derived signal would panic.
    let completed = move || sync.progress.with(|p| p.completed.contains(&key));
    let complete_event = Event::LessonCompleted {
        course_id: course.id.clone(),
        lesson_id: lesson.id.clone(),
    };
    let mark_complete = move |_| sync.record(complete_event.clone());
    // Show the lesson's images from the device when the course is downloaded.
    let body_ref = NodeRef::<html::Div>::new();
    let images_course = course.id.clone();
    Effect::new(move || {
        if let Some(body) = body_ref.get() {
            // Once laid out: widths are known only then.
            let tables = body.clone();
            set_timeout(
                move || mark_wide_tables(&tables, i18n.t(Msg::TableScrollHint)),
                std::time::Duration::from_millis(0),
            );
            let course = images_course.clone();
            spawn_local(async move { offline::use_local_images(&course, &body).await });
        }
    });
    let module_number = position.module_number.to_string();
    let lesson_number = position.lesson_number.to_string();
    let minutes = lesson.minutes.to_string();
    let course_href = format!("/courses/{}", course.id);
    let module_href = format!("/courses/{}/modules/{}", course.id, position.module.id);
    let lesson_href = |id: &str| format!("/courses/{}/lessons/{id}", course.id);
    let previous = position
        .previous
        .map(|l| (lesson_href(&l.id), l.title.clone()));
    let next = position.next.map(|l| (lesson_href(&l.id), l.title.clone()));
    let module_title = position.module.title.clone();
    let course_title = course.title.clone();
    let module_href_back = module_href.clone();
    view! {
        <article class="lesson">
            <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
                <A href=course_href attr:class="crumb-course">{course_title}</A>
                <span class="crumb-sep" aria-hidden="true">" › "</span>
                <A href=module_href>{module_title}</A>
            </nav>
            <p class="eyebrow">
                {move || i18n.f(Msg::ModuleNumber, &[("n", &module_number)])}
                " · "
                {move || i18n.f(Msg::LessonNumber, &[("n", &lesson_number)])}
                " · "
                {move || i18n.f(Msg::MinutesRead, &[("n", &minutes)])}
            </p>
            <h1>{lesson.title.clone()}</h1>
            // Sanitized on the server when the course was published.
            <div class="lesson-body" node_ref=body_ref inner_html=lesson.html.clone()></div>
            <div class="lesson-complete">
                {move || if completed() {
                    view! { <p class="badge-done" role="status">"✓ " {i18n.t(Msg::Completed)}</p> }.into_any()
                } else {
                    let mark_complete = mark_complete.clone();
                    view! {
                        <button type="button" class="button button-primary button-block" on:click=mark_complete>
                            {i18n.t(Msg::MarkComplete)}
                        </button>
                    }
                    .into_any()
                }}
            </div>
        </article>
        <nav class="lesson-nav" aria-label=move || i18n.t(Msg::LessonNavLabel)>
            {previous.map(|(href, title)| view! {
                <A href=href attr:class="lesson-nav-link prev" attr:rel="prev">
                    <span class="lesson-nav-label">{move || i18n.t(Msg::PrevLesson)}</span>
                    <span class="lesson-nav-title">{title}</span>
                </A>
            })}
            {next.clone().map(|(href, title)| view! {
                <A href=href attr:class="lesson-nav-link next" attr:rel="next">
                    <span class="lesson-nav-label">{move || i18n.t(Msg::NextLesson)}</span>
                    <span class="lesson-nav-title">{title}</span>
                </A>
            })}
        </nav>
        {next.is_none().then(|| view! { <p class="notice notice-info">{move || i18n.t(Msg::EndOfCourse)}</p> })}
        <p><A href=module_href_back attr:class="button">{move || i18n.t(Msg::BackToModule)}</A></p>
    }
    .into_any()
}

/// A table wider than the screen scrolls inside its box: say so above it,
/// and let a keyboard scroll it (focusable region named by the hint).
fn mark_wide_tables(body: &web_sys::HtmlElement, hint: &'static str) {
    if !body.is_connected() {
        // Drawn before the app took the page's place (`start` in lib.rs):
        // widths are known once it is in the document.
        let body = body.clone();
        request_animation_frame(move || mark_wide_tables(&body, hint));
        return;
    }
    let Ok(boxes) = body.query_selector_all(".table-scroll") else {
        return;
    };
    for i in 0..boxes.length() {
        let Some(el) = boxes
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
        else {
            continue;
        };
        if el.scroll_width() <= el.client_width() || el.class_list().contains("is-wide") {
            continue;
        }
        let _ = el.class_list().add_1("is-wide");
        let _ = el.set_attribute("tabindex", "0");
        let _ = el.set_attribute("role", "region");
        let _ = el.set_attribute("aria-label", hint);
        if let Some(note) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("p").ok())
        {
            let _ = note.set_attribute("class", "scroll-hint");
            let _ = note.set_attribute("aria-hidden", "true");
            note.set_text_content(Some(hint));
            let _ = el.before_with_node_1(&note);
        }
    }
}
