//! `/`: a welcome for visitors; the course list for a signed-in user.

use leptos::{either::Either, prelude::*};
use leptos_router::components::A;
use lophoc_core::{api::CourseSummary, i18n::Msg};

use crate::{
    components::{use_title, ErrorNotice, Loading},
    offline,
    state::{i18n::use_i18n, session::use_session},
    sync::use_sync,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(String::new);
    move || {
        match session.user.get() {
        _ if !session.ready.get() => Either::Left(view! { <Loading/> }.into_any()),
        Some(user) => Either::Right(view! { <Dashboard name=user.full_name/> }),
        None => Either::Left(
            view! {
                <section class="welcome">
                    <h1>{move || i18n.t(Msg::HomeWelcomeTitle)}</h1>
                    <p class="lead">{move || i18n.t(Msg::Tagline)}</p>
                    <p>{move || i18n.t(Msg::HomeWelcomeBody)}</p>
                    <p><A href="/login" attr:class="button button-primary">{move || i18n.t(Msg::NavLogin)}</A></p>
                    <p><A href="/live" attr:class="button">{move || i18n.t(Msg::LiveJoinEntry)}</A></p>
                </section>
            }
            .into_any(),
        ),
    }
    }
}

#[component]
fn Dashboard(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let courses = LocalResource::new(offline::courses);
    view! {
        <h1>{move || i18n.f(Msg::HomeGreeting, &[("name", &name)])}</h1>
        <p><A href="/live" attr:class="button">{move || i18n.t(Msg::LiveJoinEntry)}</A></p>
        <h2>{move || i18n.t(Msg::HomeYourCourses)}</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p>{move || i18n.t(Msg::NoCourses)}</p> }.into_any()
                    }
                    Ok(list) => view! {
                        <ul class="card-list">
                            {list.into_iter().map(|c| view! { <CourseCard course=c/> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CourseCard(course: CourseSummary) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let href = format!("/courses/{}", course.id);
    let counts = move || {
        i18n.f(
            Msg::CourseCounts,
            &[
                ("modules", &course.module_count.to_string()),
                ("lessons", &course.lesson_count.to_string()),
            ],
        )
    };
    // Progress and the next lesson to read, from the outline (from the
    // device when downloaded) and the events on this device.
    let outline = LocalResource::new({
        let id = course.id.clone();
        move || offline::course(id.clone())
    });
    let progress = move || {
        let outline = outline.get()?.ok()?;
        let (done, total) = sync.progress.with(|p| p.course_completion(&outline));
        let next = outline
            .modules
            .iter()
            .flat_map(|m| &m.lessons)
            .find(|l| !sync.progress.with(|p| p.is_completed(&outline.id, &l.id)))
            .map(|l| {
                (
                    format!("/courses/{}/lessons/{}", outline.id, l.id),
                    l.title.clone(),
                )
            });
        let percent = (done * 100).checked_div(total).unwrap_or(0);
        Some(view! {
            <p class="course-progress">
                {i18n.f(Msg::CourseProgress, &[("done", &done.to_string()), ("total", &total.to_string())])}
                {format!(" ({percent}%)")}
            </p>
            <progress max="100" value=percent.to_string() aria-hidden="true"></progress>
            {match next {
                Some((href, title)) => view! {
                    <p><A href=href attr:class="button button-primary">{i18n.f(Msg::ContinueWith, &[("title", &title)])}</A></p>
                }
                .into_any(),
                None => view! { <p class="download-done">"✓ " {i18n.t(Msg::CourseDone)}</p> }.into_any(),
            }}
        })
    };
    view! {
        <li class="card">
            <h3><A href=href>{course.title}</A></h3>
            {progress}
            <p class="meta">{counts}</p>
            <p class="card-summary">{course.summary}</p>
        </li>
    }
}
