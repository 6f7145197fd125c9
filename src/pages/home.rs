//! `/`: a welcome for visitors; the course list for a signed-in user.

use leptos::{either::Either, prelude::*};
use leptos_router::components::A;
use lophoc_core::{api::CourseSummary, i18n::Msg};

use crate::{
    api,
    components::{use_title, ErrorNotice, Loading},
    state::{i18n::use_i18n, session::use_session},
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
    let courses = LocalResource::new(api::courses);
    view! {
        <h1>{move || i18n.f(Msg::HomeGreeting, &[("name", &name)])}</h1>
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
    view! {
        <li class="card">
            <h3><A href=href>{course.title}</A></h3>
            <p>{course.summary}</p>
            <p class="meta">{counts}</p>
        </li>
    }
}
