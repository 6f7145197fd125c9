//! `/progress`: a trainee's results — each course's completion under its
//! rule, module by module, the next thing to do, test scores, and the
//! certificate once earned.
//!
//! Policy: the figures come from the server (it holds the answer keys and
//! the lecturers' grades) and are computed there by the same function the
//! home page runs on the device. The results are kept on the device so the
//! home page can show them offline. With no connection this page derives
//! the same figures on the device, from its own events and the test results
//! and certificates the server last reported, by that same function
//! (`lophoc_core::completion::course_progress`), and says so.

use leptos::prelude::*;
use leptos_router::components::A;
use lophoc_core::{
    calendar::date_vi,
    classes::MyCourse,
    completion::{course_progress, CourseProgress, NextStep},
    i18n::Msg,
};

use crate::{
    api::{self, ClientError},
    components::{use_title, ErrorNotice, Loading, PercentBar, StatusBadge},
    state::{
        i18n::{use_i18n, I18n},
        session::use_session,
    },
    sync::{use_sync, SyncStatus},
};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn courses_key(user: i64) -> String {
    format!("lophoc.my-courses.{user}")
}

/// The user's courses as the server last reported them (titles, results,
/// certificates), for this page offline.
fn remembered_courses(user: i64) -> Vec<MyCourse> {
    local_storage()
        .and_then(|s| s.get_item(&courses_key(user)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Offline: each course the device knows (reported before, or downloaded),
/// its progress derived here from this device's events and the results last
/// reported. `None` when the device knows no course.
async fn derived_offline(user: i64, sync: SyncStatus) -> Option<Vec<MyCourse>> {
    let mut courses = remembered_courses(user);
    if let Ok(store) = crate::store::get().await {
        for outline in store.downloaded_courses().await.unwrap_or_default() {
            if !courses.iter().any(|c| c.progress.course_id == outline.id) {
                courses.push(MyCourse {
                    course_title: outline.title.clone(),
                    progress: course_progress(&outline, &Default::default(), &Default::default()),
                    certificate: None,
                });
            }
        }
    }
    if courses.is_empty() {
        return None;
    }
    for course in &mut courses {
        let id = course.progress.course_id.clone();
        if let Ok(outline) = crate::offline::course(id.clone()).await {
            let results = crate::offline::remembered_results(user, &id);
            course.progress = sync
                .progress
                .with_untracked(|p| course_progress(&outline, p, &results));
        }
    }
    Some(courses)
}

#[component]
pub fn ProgressPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::ProgressTitle).to_string());
    let session = use_session();
    let sync = use_sync();
    let user = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let courses = LocalResource::new(move || async move {
        match api::my_progress().await {
            Ok(list) => {
                if let Some(user) = user {
                    crate::offline::remember_results(user, &list);
                    if let (Some(storage), Ok(json)) =
                        (local_storage(), serde_json::to_string(&list))
                    {
                        let _ = storage.set_item(&courses_key(user), &json);
                    }
                }
                Ok((list, false))
            }
            Err(ClientError::Network) => match user {
                Some(user) => derived_offline(user, sync)
                    .await
                    .map(|list| (list, true))
                    .ok_or(ClientError::Network),
                None => Err(ClientError::Network),
            },
            Err(error) => Err(error),
        }
    });
    // The heading comes with the figures, not before them: the page appears
    // whole, in place of the one the server may have drawn (`start`).
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <h1>{move || i18n.t(Msg::ProgressTitle)}</h1>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok((list, offline)) => view! {
                        {offline.then(|| view! {
                            <p class="notice notice-info" role="status" data-testid="progress-offline">{i18n.t(Msg::ProgressOffline)}</p>
                        })}
                        {list.into_iter()
                            .map(|course| view! { <CourseResult course/> })
                            .collect_view()}
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The link and words for the next step of a course.
pub fn next_step(i18n: I18n, course_id: &str, next: &NextStep) -> (String, String) {
    next.link(i18n.lang(), course_id)
}

/// The percentage, the requirement count and the next step of a course.
#[component]
pub fn CourseSummaryLine(progress: CourseProgress) -> impl IntoView {
    let i18n = use_i18n();
    let label = i18n.f(
        Msg::ProgressPercent,
        &[("percent", &progress.percent.to_string())],
    );
    let done = i18n.f(
        Msg::ProgressDone,
        &[
            ("done", &progress.done.to_string()),
            ("required", &progress.required.to_string()),
        ],
    );
    let next = progress.next.as_ref().map(|next| {
        let (href, text) = next_step(i18n, &progress.course_id, next);
        view! { <p class="next-step"><A href=href>{text}</A></p> }
    });
    let live = (progress.live_sessions > 0).then(|| {
        let text = i18n.f(
            Msg::LiveAttendedLine,
            &[("n", &progress.live_sessions.to_string())],
        );
        view! { <p class="meta">{text}</p> }
    });
    let completed = progress
        .completed
        .then(|| view! { <p class="badge-done">{i18n.t(Msg::CourseCompleted)}</p> });
    view! {
        <PercentBar percent=progress.percent label/>
        <p class="meta">{done}</p>
        {next}
        {live}
        {completed}
    }
}

#[component]
fn CourseResult(course: MyCourse) -> impl IntoView {
    let i18n = use_i18n();
    let MyCourse {
        course_title,
        progress,
        certificate,
    } = course;
    let modules = progress
        .modules
        .iter()
        .map(|m| {
            let status = m.status;
            let detail = i18n.f(
                Msg::StatusDoneOf,
                &[
                    ("done", &m.done.to_string()),
                    ("required", &m.required.to_string()),
                ],
            );
            let title = m.title.clone();
            view! {
                <li class="module-status">
                    <span class="module-status-name">{title}</span>
                    <StatusBadge status detail/>
                </li>
            }
        })
        .collect_view();
    let scores = progress
        .results
        .iter()
        .map(|(id, r)| {
            let id = progress.assessment_titles.get(id).unwrap_or(id);
            let line = match (r.best_percent, r.last_percent) {
                (Some(best), Some(last)) => i18n.f(
                    Msg::ResultLine,
                    &[
                        ("title", id),
                        ("best", &best.to_string()),
                        ("last", &last.to_string()),
                        ("attempts", &r.submitted.to_string()),
                    ],
                ),
                _ => i18n.f(Msg::ResultNone, &[("title", id)]),
            };
            let verdict = match r.passed {
                Some(true) => Some(Msg::Passed),
                Some(false) => Some(Msg::NotPassed),
                None if r.submitted > 0 => Some(Msg::AwaitingGrading),
                None => None,
            };
            view! {
                <li>{line}{verdict.map(|v| view! { <strong class="verdict">{format!(" · {}", i18n.t(v))}</strong> })}</li>
            }
        })
        .collect_view();
    let certificate = match certificate {
        Some(c) => {
            let href = format!("/certificates/{}", c.code);
            let number = i18n.f(
                Msg::CertificateNumber,
                &[("code", &c.code), ("date", &date_vi(&c.issued_on))],
            );
            let revoked = c.revoked.map(|r| {
                let text = i18n.f(
                    Msg::CertRevoked,
                    &[("date", &date_vi(&r.on)), ("reason", &r.reason)],
                );
                view! { <p class="notice notice-error">{text}</p> }
            });
            view! {
                <p>{number}</p>
                {revoked}
                <p><A href=href attr:class="button button-primary">{i18n.t(Msg::CertificateOpen)}</A></p>
            }
            .into_any()
        }
        None => view! { <p class="meta">{i18n.t(Msg::CertificateNotYet)}</p> }.into_any(),
    };
    view! {
        <section class="panel course-result" data-testid="course-result">
            <h2>{course_title}</h2>
            <CourseSummaryLine progress=progress.clone()/>
            <ul class="module-status-list">{modules}</ul>
            <h3>{i18n.t(Msg::ScoresTitle)}</h3>
            <ul class="score-list">{scores}</ul>
            <h3>{i18n.t(Msg::CertificateTitle)}</h3>
            {certificate}
        </section>
    }
}
