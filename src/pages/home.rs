//! `/`: a welcome for visitors; the course list for a signed-in user.
//!
//! The welcome and the greeting are in the main module of the split
//! `.wasm`; the course list, which reads the device's store, the course
//! outlines and the progress rules, comes from the `sync` group
//! (`split.rs`), which a signed-in device fetches at start for its first
//! sync anyway.

use leptos::{either::Either, prelude::*};
use leptos_router::components::A;
use lophoc_core::{accounts::Role, api::CourseSummary, completion::course_progress, i18n::Msg};

use crate::{
    components::{use_title, ErrorNotice, Loading},
    offline,
    split::{home_courses_view, HomeCourses},
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
        _ if !session.ready.get() && session.signed_in_hint => {
            Either::Left(view! { <Loading/> }.into_any())
        }
        Some(user) if user.role != Role::Trainee => {
            Either::Right(view! { <StaffDashboard name=user.full_name role=user.role/> }.into_any())
        }
        Some(user) => Either::Right(view! { <Dashboard name=user.full_name/> }.into_any()),
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
    let session = use_session();
    let must_change = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.must_change_password))
    };
    view! {
        <h1>{move || i18n.f(Msg::HomeGreeting, &[("name", &name)])}</h1>
        <Show when=must_change>
            <p class="notice notice-info" data-testid="must-change-password">
                {move || i18n.t(Msg::MustChangePassword)}" "
                <A href="/settings#password">{move || i18n.t(Msg::ChangePasswordNow)}</A>
            </p>
        </Show>
        <p><A href="/live" attr:class="button">{move || i18n.t(Msg::LiveJoinEntry)}</A></p>
        <h2>{move || i18n.t(Msg::HomeYourCourses)}</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(home_courses_view(HomeCourses::Trainee))}
        </Transition>
    }
}

/// A lecturer's or administrator's home: what they do (from the `open`
/// group, see `pages/staff_home.rs`), then the courses, as links.
#[component]
fn StaffDashboard(name: String, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.f(Msg::HomeGreeting, &[("name", &name)])}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(crate::split::staff_home_view(role))}
        </Transition>
        <h2>{move || i18n.t(Msg::StaffHomeCourses)}</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(home_courses_view(HomeCourses::Staff))}
        </Transition>
    }
}

/// A trainee's courses, each with its progress and next step. In the `sync`
/// group (`split.rs`), with the store and the course reader it needs: a
/// visitor's first download does not carry them.
#[component]
pub fn TraineeCourses() -> impl IntoView {
    let i18n = use_i18n();
    let courses = LocalResource::new(offline::courses);
    view! {
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

/// A staff member's courses, as links (the `sync` group, as
/// [`TraineeCourses`]).
#[component]
pub fn StaffCourses() -> impl IntoView {
    let courses = LocalResource::new(offline::courses);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(list) => view! {
                        <ul class="lesson-list">
                            {list.into_iter().map(|c| view! {
                                <li class="lesson-item"><A href=format!("/courses/{}", c.id)>{c.title}</A></li>
                            }).collect_view()}
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
    let session = use_session();
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
    // Completion under the course's rule, by the function the server runs,
    // from this device's events and the test results last reported.
    // `try_get`: an update of the app-wide signals read below may still run
    // this closure once after the card is gone (navigating away), when the
    // card's own resource is already disposed.
    let progress = move || {
        let outline = outline.try_get().flatten()?.ok()?;
        let results = session
            .user
            .with(|u| {
                u.as_ref()
                    .map(|u| offline::remembered_results(u.id, &outline.id))
            })
            .unwrap_or_default();
        let (done, total) = sync.progress.with(|p| p.course_completion(&outline));
        let derived = sync
            .progress
            .with(|p| course_progress(&outline, p, &results));
        let percent = derived.percent;
        let next = derived
            .next
            .as_ref()
            .map(|step| step.continue_link(i18n.lang(), &outline.id));
        Some(view! {
            <p class="course-progress">
                {i18n.f(Msg::CourseProgress, &[("done", &done.to_string()), ("total", &total.to_string())])}
                {format!(" · {}", i18n.f(Msg::ProgressPercent, &[("percent", &percent.to_string())]))}
            </p>
            <progress max="100" value=percent.to_string() aria-hidden="true"></progress>
            {match next {
                Some((href, text)) => view! {
                    <p><A href=href attr:class="button button-primary">{text}</A></p>
                }
                .into_any(),
                None => view! { <p class="download-done">"✓ " {i18n.t(Msg::CourseCompleted)}</p> }.into_any(),
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
