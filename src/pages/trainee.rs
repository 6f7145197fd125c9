//! `/classes/:class/trainees/:user`: a lecturer's drill-down into one
//! trainee — progress by module, every counted attempt with the answers
//! given and their marks (an attempt synced after the closing date flagged
//! late), the latest answers to situation questions, and the trainee's
//! changes the server refused.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    assessment::centi_text,
    classes::{AnswerLine, RecordAttempt, RecordSituation, TraineeRecord},
    events::kind_label,
    i18n::Msg,
    question::Correctness,
};

use crate::{
    api,
    components::{sync_indicator::format_time, use_title, ErrorNotice, Loading, StatusBadge},
    pages::progress::CourseSummaryLine,
    state::i18n::use_i18n,
};

#[component]
pub fn TraineePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        let n = |k: &str| p.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (n("class"), n("user"))
    };
    let record = LocalResource::new(move || {
        let (class, user) = ids();
        api::trainee_record(class, user)
    });
    use_title(move || {
        record
            .get()
            .and_then(Result::ok)
            .map(|r| i18n.f(Msg::RecordTitle, &[("name", &r.member.full_name)]))
            .unwrap_or_default()
    });
    view! {
        <p><A href=move || format!("/classes/{}", ids().0)>{move || i18n.t(Msg::RecordBack)}</A></p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => view! { <Record record/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Record(record: TraineeRecord) -> impl IntoView {
    let i18n = use_i18n();
    let modules = record
        .progress
        .modules
        .iter()
        .map(|m| {
            let detail = i18n.f(
                Msg::StatusDoneOf,
                &[
                    ("done", &m.done.to_string()),
                    ("required", &m.required.to_string()),
                ],
            );
            view! {
                <li class="module-status">
                    <span class="module-status-name">{m.title.clone()}</span>
                    <StatusBadge status=m.status detail/>
                </li>
            }
        })
        .collect_view();
    let attempts = if record.attempts.is_empty() {
        view! { <p>{i18n.t(Msg::RecordNoAttempts)}</p> }.into_any()
    } else {
        let mut numbers = std::collections::HashMap::<String, usize>::new();
        record
            .attempts
            .into_iter()
            .map(|a| {
                let n = numbers.entry(a.assessment_id.clone()).or_insert(0);
                *n += 1;
                view! { <AttemptView attempt=a number=*n/> }
            })
            .collect_view()
            .into_any()
    };
    let situations = record
        .situations
        .into_iter()
        .map(|s| view! { <SituationView set=s/> })
        .collect_view();
    let refused = if record.refused.is_empty() {
        view! { <p>{i18n.t(Msg::RecordRefusedNone)}</p> }.into_any()
    } else {
        let items = record
            .refused
            .into_iter()
            .map(|r| {
                let what = r.kind.as_deref().and_then(kind_label).map_or_else(
                    || r.kind.clone().unwrap_or_default(),
                    |m| i18n.t(m).to_string(),
                );
                let line = i18n.f(
                    Msg::RefusedItem,
                    &[
                        ("what", &what),
                        ("time", &format_time(i18n.lang(), r.received_ms as f64)),
                        ("why", i18n.t(r.reason.message())),
                    ],
                );
                view! { <li>{line}</li> }
            })
            .collect_view();
        view! { <ul class="refused-list" data-testid="record-refused">{items}</ul> }.into_any()
    };
    let member = record.member;
    // Only the fields filled in: no stray separators for empty ones.
    let facts = [&member.username, &member.unit, &member.position]
        .into_iter()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <h1>{i18n.f(Msg::RecordTitle, &[("name", &member.full_name)])}</h1>
        <p class="meta" data-testid="record-facts">{facts}</p>
        <section class="panel">
            <CourseSummaryLine progress=record.progress.clone()/>
            <ul class="module-status-list">{modules}</ul>
        </section>
        <section class="panel">
            <h2>{i18n.t(Msg::ScoresTitle)}</h2>
            {attempts}
        </section>
        <section class="panel">
            <h2>{i18n.t(Msg::RecordSituations)}</h2>
            {situations}
        </section>
        <section class="panel">
            <h2>{i18n.t(Msg::RecordRefusedTitle)}</h2>
            {refused}
        </section>
    }
}

#[component]
fn AttemptView(attempt: RecordAttempt, number: usize) -> impl IntoView {
    let i18n = use_i18n();
    let report = attempt.report;
    let heading = i18n.f(
        Msg::RecordAttemptLine,
        &[
            ("title", &attempt.assessment_title),
            ("n", &number.to_string()),
            ("percent", &report.percent.to_string()),
        ],
    );
    let verdict = match report.passed {
        Some(true) => Msg::Passed,
        Some(false) => Msg::NotPassed,
        None if report.submitted => Msg::AwaitingGrading,
        None => Msg::InProgress,
    };
    let review = report.review.unwrap_or_default();
    let items = attempt
        .answers
        .into_iter()
        .map(|line| {
            let item = review.iter().find(|r| r.question_id == line.question_id);
            let mark = item.map(|r| {
                let word = match r.correctness {
                    Correctness::Correct => i18n.t(Msg::ResultCorrect),
                    Correctness::Partial => i18n.t(Msg::ResultPartial),
                    Correctness::Incorrect => i18n.t(Msg::ResultIncorrect),
                    _ => i18n.t(Msg::AwaitingGrading),
                };
                let points = i18n.f(
                    Msg::ResultPoints,
                    &[
                        ("earned", &centi_text(u64::from(r.earned))),
                        ("max", &centi_text(u64::from(r.max))),
                    ],
                );
                format!("{word} · {points}")
            });
            view! { <AnswerItem line mark/> }
        })
        .collect_view();
    let late = attempt
        .late
        .then(|| view! { <span class="late-flag" data-testid="attempt-late">{i18n.t(Msg::AttemptLate)}</span> });
    view! {
        <details class="attempt-record">
            // One flex item, so the late note wraps under the line on a phone.
            <summary><span>{heading}" · "<strong>{i18n.t(verdict)}</strong>{late}</span></summary>
            <ol class="answer-list">{items}</ol>
        </details>
    }
}

#[component]
fn AnswerItem(line: AnswerLine, mark: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let answer = if line.answer.is_empty() {
        i18n.t(Msg::Unanswered).to_string()
    } else {
        i18n.f(Msg::RecordAnswer, &[("answer", &line.answer)])
    };
    view! {
        <li>
            <div class="question-prompt" inner_html=line.prompt></div>
            <p class="record-answer">{answer}</p>
            {mark.map(|m| view! { <p class="meta">{m}</p> })}
        </li>
    }
}

#[component]
fn SituationView(set: RecordSituation) -> impl IntoView {
    view! {
        <h3>{set.title}</h3>
        <ol class="answer-list">
            {set.answers.into_iter().map(|line| view! { <AnswerItem line mark=None/> }).collect_view()}
        </ol>
    }
}
