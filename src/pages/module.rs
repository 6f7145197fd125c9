//! `/courses/:course/modules/:module`: a module and its lessons.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{api::ApiError, content::SituationMode, i18n::Msg};

use crate::{
    api::ClientError,
    components::{use_title, ErrorNotice, Loading},
    offline,
    state::i18n::use_i18n,
    sync::use_sync,
};

#[component]
pub fn ModulePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course_id = move || params.read().get("course").unwrap_or_default();
    let module_id = move || params.read().get("module").unwrap_or_default();
    let outline = LocalResource::new(move || offline::course(course_id()));
    let sync = use_sync();
    use_title(move || {
        outline
            .get()
            .and_then(Result::ok)
            .and_then(|c| c.module(&module_id()).map(|(_, m)| m.title.clone()))
            .unwrap_or_default()
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let course = match outline.await {
                    Ok(course) => course,
                    Err(error) => return view! { <ErrorNotice error/> }.into_any(),
                };
                let Some((number, module)) = course.module(&module_id()).map(|(n, m)| (n, m.clone())) else {
                    let error = ClientError::Api(ApiError::NotFound);
                    return view! { <ErrorNotice error/> }.into_any();
                };
                let number = number.to_string();
                let course_href = format!("/courses/{}", course.id);
                let course_title = course.title.clone();
                let lessons = module
                    .lessons
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let href = format!("/courses/{}/lessons/{}", course.id, l.id);
                        let minutes = l.minutes.to_string();
                        let n = (i + 1).to_string();
                        let key = (course.id.clone(), l.id.clone());
                        // A plain closure over the app-wide signal (see LessonView).
                        let done = move || sync.progress.with(|p| p.completed.contains(&key));
                        let badge = done.clone();
                        let title = l.title.clone();
                        view! {
                            <li class="lesson-item" class:done=done>
                                <A href=href>{title}</A>
                                {move || badge().then(|| view! { <span class="badge-done">"✓ " {i18n.t(Msg::Completed)}</span> })}
                                <span class="meta">
                                    {move || i18n.f(Msg::LessonNumber, &[("n", &n)])}
                                    " · "
                                    {move || i18n.f(Msg::MinutesRead, &[("n", &minutes)])}
                                </span>
                            </li>
                        }
                    })
                    .collect_view();
                let assessments = module
                    .assessments
                    .iter()
                    .map(|a| {
                        let href = format!("/courses/{}/assessments/{}", course.id, a.id);
                        let (n, pass) = (a.question_count.to_string(), a.settings.pass_percent.to_string());
                        let minutes = a.settings.time_limit_secs.map(|s| s.div_ceil(60).to_string());
                        let facts = move || match &minutes {
                            Some(m) => i18n.f(Msg::AssessmentFacts, &[("n", &n), ("minutes", m), ("pass", &pass)]),
                            None => i18n.f(Msg::AssessmentFactsNoLimit, &[("n", &n), ("pass", &pass)]),
                        };
                        let title = a.title.clone();
                        view! {
                            <li class="lesson-item assessment-item">
                                <A href=href>{title}</A>
                                <span class="meta">{facts}</span>
                            </li>
                        }
                    })
                    .collect_view();
                let situations = module
                    .situations
                    .iter()
                    .map(|sit| {
                        let href = format!("/courses/{}/situations/{}", course.id, sit.id);
                        let mode = match sit.mode {
                            SituationMode::Discussion => Msg::ModeDiscussion,
                            SituationMode::Practice => Msg::ModePractice,
                        };
                        let total = sit.question_count.to_string();
                        // A set without questions is a branching scenario.
                        let branching = sit.question_count == 0;
                        let (c, id) = (course.id.clone(), sit.id.clone());
                        let answered = move || sync.progress.with(|p| p.answered_in(&c, &id)).to_string();
                        let title = sit.title.clone();
                        view! {
                            <li class="lesson-item situation-item">
                                <A href=href>{title}</A>
                                <span class="meta">
                                    {move || i18n.t(mode)}
                                    " · "
                                    {move || if branching {
                                        i18n.t(Msg::ScenarioKind).to_string()
                                    } else {
                                        i18n.f(Msg::AnsweredCount, &[("done", &answered()), ("total", &total)])
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
                        <A href=course_href>{course_title}</A>
                    </nav>
                    <p class="eyebrow">{move || i18n.f(Msg::ModuleNumber, &[("n", &number)])}</p>
                    <h1>{module.title.clone()}</h1>
                    <p class="lead">{module.summary.clone()}</p>
                    <h2>{move || i18n.t(Msg::ModuleLessons)}</h2>
                    <ol class="lesson-list">{lessons}</ol>
                    {(!situations.is_empty()).then(|| view! {
                        <h2>{move || i18n.t(Msg::SituationsTitle)}</h2>
                        <ul class="lesson-list">{situations}</ul>
                    })}
                    {(!assessments.is_empty()).then(|| view! {
                        <h2>{move || i18n.t(Msg::AssessmentsTitle)}</h2>
                        <ul class="lesson-list">{assessments}</ul>
                    })}
                }
                .into_any()
            })}
        </Transition>
    }
}
