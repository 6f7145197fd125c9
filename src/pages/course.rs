//! `/courses/:course`: a course and its modules.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::i18n::Msg;

use crate::{
    components::{use_title, DownloadPanel, ErrorNotice, Loading},
    offline,
    state::i18n::use_i18n,
    sync::use_sync,
};

#[component]
pub fn CoursePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course_id = move || params.read().get("course").unwrap_or_default();
    let outline = LocalResource::new(move || offline::course(course_id()));
    let sync = use_sync();
    let title = move || {
        outline
            .get()
            .and_then(Result::ok)
            .map(|c| c.title)
            .unwrap_or_default()
    };
    use_title(title);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match outline.await {
                    Ok(course) => {
                        let progress_course = course.clone();
                        let completion = move || {
                            let (done, total) = sync.progress.with(|p| p.course_completion(&progress_course));
                            i18n.f(Msg::CourseProgress, &[("done", &done.to_string()), ("total", &total.to_string())])
                        };
                        let download = course.clone();
                        let modules = course
                            .modules
                            .iter()
                            .enumerate()
                            .map(|(i, m)| {
                                let href = format!("/courses/{}/modules/{}", course.id, m.id);
                                let number = (i + 1).to_string();
                                let count = m.lessons.len().to_string();
                                let title = m.title.clone();
                                view! {
                                    <li class="card">
                                        <p class="eyebrow">{move || i18n.f(Msg::ModuleNumber, &[("n", &number)])}</p>
                                        <h3><A href=href>{title}</A></h3>
                                        <p>{m.summary.clone()}</p>
                                        <p class="meta">{move || i18n.f(Msg::LessonCount, &[("n", &count)])}</p>
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <h1>{course.title.clone()}</h1>
                            <p class="lead">{course.summary.clone()}</p>
                            <p class="course-progress" data-testid="course-progress">{completion}</p>
                            <DownloadPanel course=download/>
                            <h2>{move || i18n.t(Msg::CourseModules)}</h2>
                            <ol class="card-list">{modules}</ol>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
