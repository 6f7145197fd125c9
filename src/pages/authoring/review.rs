//! `/review` and `/review/:course`: a reviewer's queue, and one submission
//! as its changes against the published course, with comments, return and
//! approval.
//!
//! Policy: returning needs a comment saying what to change; approving
//! publishes the submitted files, and the content loader's problems, if
//! any, are shown instead.

use leptos::{either::Either, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    api::ApiError,
    authoring::{Change, DiffLine, FileDiff, Note},
    i18n::Msg,
};

use super::{api, problem_list, reviews_view};
use crate::{
    api::ClientError,
    components::{use_title, ErrorNotice, Loading},
    state::i18n::use_i18n,
};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::AuthReviewTitle).to_string());
    let queue = LocalResource::new(api::reviews);
    view! {
        <h1>{move || i18n.t(Msg::AuthReviewTitle)}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(list) if list.is_empty() => view! { <p>{i18n.t(Msg::AuthNothingToReview)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="card-list">
                            {list.into_iter().map(|item| {
                                let who = item.draft.submitted_by.clone().unwrap_or_default();
                                view! {
                                    <li class="card">
                                        <A href=format!("/review/{}", item.draft.course_id)>{item.draft.title.clone()}</A>
                                        <p class="meta">{i18n.f(Msg::AuthWaitingFrom, &[("name", &who)])}</p>
                                        {(!item.can_decide).then(|| view! { <p class="meta">{i18n.t(Msg::AuthOwnSubmission)}</p> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn change_msg(change: Change) -> Msg {
    match change {
        Change::Added => Msg::AuthChangeAdded,
        Change::Removed => Msg::AuthChangeRemoved,
        Change::Modified => Msg::AuthChangeModified,
    }
}

/// One changed file: its lines, added and removed ones marked in words for
/// screen readers as well as in colour.
fn file_diff(diff: FileDiff) -> impl IntoView {
    let i18n = use_i18n();
    let path = diff.path.clone();
    view! {
        <section class="panel diff-file">
            <h3>{path} " · " {move || i18n.t(change_msg(diff.change))}</h3>
            {(!diff.lines.is_empty()).then(|| view! {
                <div class="diff" tabindex="0" role="group" aria-label=diff.path.clone()>
                    {context(diff.lines).into_iter().map(|l| {
                        let Some(l) = l.line else {
                            let n = l.skipped.to_string();
                            return view! {
                                <div class="diff-skipped">{move || i18n.f(Msg::AuthLinesUnchanged, &[("n", &n)])}</div>
                            }.into_any();
                        };
                        let (class, sign, label, text) = match l {
                            DiffLine::Same(t) => ("diff-same", " ", None, t),
                            DiffLine::Added(t) => ("diff-added", "+", Some(Msg::AuthLineAdded), t),
                            DiffLine::Removed(t) => ("diff-removed", "−", Some(Msg::AuthLineRemoved), t),
                        };
                        view! {
                            <div class=class>
                                <span class="diff-sign" aria-hidden="true">{sign}</span>
                                {label.map(|m| view! { <span class="visually-hidden">{move || i18n.t(m)} ": "</span> })}
                                <span class="diff-text">{text}</span>
                            </div>
                        }.into_any()
                    }).collect_view()}
                </div>
            })}
        </section>
    }
}

/// A line of a diff to show, or a run of unchanged lines left out.
struct Shown {
    line: Option<DiffLine>,
    skipped: usize,
}

/// Unchanged lines more than [`CONTEXT`] lines away from a change are
/// folded into one "n lines unchanged" row.
const CONTEXT: usize = 2;

fn context(lines: Vec<DiffLine>) -> Vec<Shown> {
    let changed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, DiffLine::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let near = |i: usize| changed.iter().any(|&c| c.abs_diff(i) <= CONTEXT);
    let mut out: Vec<Shown> = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        if near(i) {
            out.push(Shown {
                line: Some(line),
                skipped: 0,
            });
        } else if let Some(last) = out.last_mut().filter(|s| s.line.is_none()) {
            last.skipped += 1;
        } else {
            out.push(Shown {
                line: None,
                skipped: 1,
            });
        }
    }
    out
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let course = move || params.read().get("course").unwrap_or_default();
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::AuthReviewTitle).to_string());
    let refresh = RwSignal::new(0_u32);
    let detail = LocalResource::new(move || {
        refresh.track();
        api::detail(course())
    });
    let diff = LocalResource::new(move || {
        refresh.track();
        api::diff(course())
    });
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let problems = RwSignal::new(None::<Vec<lophoc_core::authoring::Problem>>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let note = move || Note {
        text: comment.get_untracked(),
        ..Default::default()
    };
    let send_comment = move |_| {
        if comment.get_untracked().trim().is_empty() {
            problem.set(Some(i18n.t(Msg::AuthCommentEmpty).to_string()));
            return;
        }
        let (c, n) = (course(), note());
        spawn_local(async move {
            match api::comment(&c, &n).await {
                Ok(()) => {
                    comment.set(String::new());
                    problem.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    let return_draft = move |_| {
        if comment.get_untracked().trim().is_empty() {
            problem.set(Some(i18n.t(Msg::AuthReturnNeedsComment).to_string()));
            return;
        }
        let (c, n) = (course(), note());
        busy.set(true);
        spawn_local(async move {
            match api::return_draft(&c, &n).await {
                Ok(()) => {
                    comment.set(String::new());
                    problem.set(None);
                    done.set(Some(i18n.t(Msg::AuthReturned).to_string()));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    let approve = move |_| {
        let (c, n) = (course(), note());
        busy.set(true);
        spawn_local(async move {
            match api::approve(&c, &n).await {
                Ok(saved) => {
                    comment.set(String::new());
                    problem.set(None);
                    problems.set(None);
                    done.set(Some(i18n.f(
                        Msg::AuthApproved,
                        &[("version", &saved.version.to_string())],
                    )));
                    refresh.update(|n| *n += 1);
                }
                Err(ClientError::Api(ApiError::ContentProblems { problems: p })) => {
                    problems.set(Some(p));
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
            <A href="/review">{move || i18n.t(Msg::AuthReviewTitle)}</A>
        </nav>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match (detail.await, diff.await) {
                    (Ok(detail), Ok(diff)) => {
                        let can_decide = detail.can_decide;
                        let reviews = reviews_view(i18n, &detail);
                        view! {
                            <h1>{detail.summary.title.clone()}</h1>
                            <p class="status-line" data-testid="draft-status">{i18n.t(super::status_msg(detail.summary.status))}</p>
                            <h2>{i18n.t(Msg::AuthChanges)}</h2>
                            {if diff.files.is_empty() && diff.changed_questions.is_empty() {
                                Either::Left(view! { <p>{i18n.t(Msg::AuthNoChanges)}</p> })
                            } else {
                                Either::Right(diff.files.clone().into_iter().map(file_diff).collect_view())
                            }}
                            {(!diff.changed_questions.is_empty()).then(|| view! {
                                <div class="notice notice-info" role="note" data-testid="changed-questions">
                                    <p>{i18n.t(Msg::AuthChangedQuestions)}</p>
                                    <ul>{diff.changed_questions.clone().into_iter().map(|q| view! { <li><code>{q}</code></li> }).collect_view()}</ul>
                                </div>
                            })}
                            {reviews}
                            {can_decide.then(|| view! {
                                <section class="panel" aria-labelledby="decide-heading">
                                    <h2 id="decide-heading">{i18n.t(Msg::AuthDecide)}</h2>
                                    <div class="field">
                                        <label for="review-comment">{i18n.t(Msg::AuthComment)}</label>
                                        <textarea id="review-comment" rows="3" prop:value=move || comment.get()
                                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                                    </div>
                                    <div class="button-row">
                                        <button type="button" class="button" on:click=send_comment>{i18n.t(Msg::AuthSendComment)}</button>
                                        <button type="button" class="button" on:click=return_draft disabled=move || busy.get()>{i18n.t(Msg::AuthReturn)}</button>
                                        <button type="button" class="button button-primary" on:click=approve disabled=move || busy.get()>{i18n.t(Msg::AuthApprove)}</button>
                                    </div>
                                </section>
                            })}
                        }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
        {move || problems.get().map(|p| problem_list(i18n, Msg::AuthHasProblems, p))}
        {move || done.get().map(|m| view! { <p class="notice notice-info" role="status" data-testid="review-done">{m}</p> })}
    }
}
