//! `/courses/:course/assessments/:assessment`: taking an assessment.
//!
//! Policy: an attempt is a series of events (started with a seed the
//! server issued with the paper, each answer as it is given, handed in), so
//! it works offline and survives a reload: reopening the page resumes the
//! same questions in the same order with every answer given so far. The timer runs from the attempt's start
//! and hands the attempt in when time is up. Scores come from the server
//! (the answer key never reaches the device), shown once the attempt has
//! synced; the per-question review follows the assessment's policy.

use std::{collections::HashMap, time::Duration};

use leptos::{either::Either, prelude::*};
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    assessment::{
        attempt_questions, attempts, centi_text, AssessmentPaper, Attempt, AttemptReport,
        IssuedSeeds, PaperBody, PaperQuestion, ReviewItem,
    },
    events::Event,
    i18n::{Lang, Msg},
    limits::TextField,
    question::{Answer, Correctness},
};

use crate::{
    api::{self, ClientError},
    components::{max_length, use_title, ErrorNotice, LimitHint, Loading},
    offline,
    state::{i18n::use_i18n, session::use_session},
    store,
    sync::use_sync,
};

/// The trainee's attempts at this assessment from the device's events.
async fn local_attempts(user: Option<i64>, paper: &AssessmentPaper) -> Vec<Attempt> {
    let Some(user) = user else { return Vec::new() };
    let Ok(local) = store::get().await else {
        return Vec::new();
    };
    let events = local.events(user).await.unwrap_or_default();
    attempts(&events, &paper.course_id, &paper.id, &paper.settings)
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let course_id = move || params.read().get("course").unwrap_or_default();
    let id = move || params.read().get("assessment").unwrap_or_default();
    let data = LocalResource::new(move || {
        let (course, id) = (course_id(), id());
        let user = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
        async move {
            let paper = offline::assessment(course, id).await?;
            let local = local_attempts(user, &paper).await;
            let seeds = match user {
                Some(user) => offline::seeds(user, &paper, local.len()).await,
                None => None,
            };
            Ok::<_, ClientError>((paper, local, seeds))
        }
    });
    use_title(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(p, _, _)| p.title)
            .unwrap_or_default()
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((paper, local, seeds)) => view! { <AssessmentView paper local seeds/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `seeds` are the attempt seeds the server issued this user (with the
/// paper): attempt `n` draws its questions with the `n`-th, so the device
/// never picks its own paper (the server refuses any other seed).
#[component]
fn AssessmentView(
    paper: AssessmentPaper,
    local: Vec<Attempt>,
    seeds: Option<IssuedSeeds>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let local = StoredValue::new(local);
    let active =
        RwSignal::new(local.with_value(|l| l.iter().rev().find(|a| !a.submitted).cloned()));
    let used = RwSignal::new(local.with_value(|l| l.len() as u32));
    let submitted_here = RwSignal::new(false);
    let paper = StoredValue::new(paper);
    let settings = paper.with_value(|p| p.settings.clone());
    let count = paper.with_value(|p| attempt_questions(p, 0).map_or(0, |q| q.len()));
    let facts = {
        let settings = settings.clone();
        move || {
            let (n, pass) = (count.to_string(), settings.pass_percent.to_string());
            match settings.time_limit_secs {
                Some(secs) => i18n.f(
                    Msg::AssessmentFacts,
                    &[
                        ("n", &n),
                        ("minutes", &(secs.div_ceil(60)).to_string()),
                        ("pass", &pass),
                    ],
                ),
                None => i18n.f(Msg::AssessmentFactsNoLimit, &[("n", &n), ("pass", &pass)]),
            }
        }
    };
    let max_attempts = settings.max_attempts;
    let closed = settings.is_closed(js_sys::Date::now() as i64);
    let closes_on = settings.closes_on.clone().map(|d| {
        // Shown as the Vietnamese day/month/year.
        let parts: Vec<&str> = d.split('-').collect();
        if parts.len() == 3 {
            format!("{}/{}/{}", parts[2], parts[1], parts[0])
        } else {
            d
        }
    });
    let seeds = StoredValue::new(seeds);
    let next_seed =
        move || seeds.with_value(|s| s.as_ref().and_then(|s| s.next(used.get() as usize)));
    let attempts_left = move || max_attempts.is_none_or(|max| used.get() < max);
    let may_start = move || !closed && attempts_left() && next_seed().is_some();
    let start = move |_| {
        let used_now = used.get_untracked() as usize;
        let Some(seed) = seeds.with_value(|s| s.as_ref().and_then(|s| s.next(used_now))) else {
            return;
        };
        // Tied to the version of the course this paper came from: the
        // attempt is marked against these questions even if a newer version
        // changes them.
        let course_version = paper.with_value(|p| Some(p.course_version).filter(|v| *v > 0));
        let attempt = Attempt {
            attempt_id: store::new_id(),
            seed,
            course_version,
            started_ms: js_sys::Date::now() as i64,
            answers: HashMap::new(),
            submitted: false,
        };
        paper.with_value(|p| {
            sync.record(Event::AttemptStarted {
                course_id: p.course_id.clone(),
                assessment_id: p.id.clone(),
                attempt_id: attempt.attempt_id.clone(),
                seed,
                course_version,
            })
        });
        used.update(|n| *n += 1);
        submitted_here.set(false);
        active.set(Some(attempt));
    };
    let module_href =
        paper.with_value(|p| format!("/courses/{}/modules/{}", p.course_id, p.module_id));
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
            <A href=module_href>{move || i18n.t(Msg::BackToModule)}</A>
        </nav>
        <p class="eyebrow">{move || i18n.t(Msg::AssessmentsTitle)}</p>
        <h1>{paper.with_value(|p| p.title.clone())}</h1>
        {move || match active.get() {
            Some(attempt) => Either::Left(view! {
                <AttemptView paper=paper.get_value() attempt on_done=move || {
                    active.set(None);
                    submitted_here.set(true);
                }/>
            }),
            None => Either::Right(view! {
                {move || submitted_here.get().then(|| view! {
                    <p class="notice notice-info" role="status">{i18n.t(Msg::AttemptSubmitted)}</p>
                })}
                // The results first: after handing in, they are what the
                // trainee came for; starting again comes after them.
                <Results paper=paper.get_value()/>
                <p class="meta">{facts}</p>
                {max_attempts.map(|n| view! { <p class="meta">{move || i18n.f(Msg::AttemptsAllowed, &[("n", &n.to_string())])}</p> })}
                {closes_on.clone().map(|date| view! { <p class="meta">{move || i18n.f(Msg::ClosesOn, &[("date", &date)])}</p> })}
                <div class="lesson-body" inner_html=paper.with_value(|p| p.intro_html.clone())></div>
                {move || if may_start() {
                    // A first attempt is the page's main action; another one
                    // is a plain button below the results.
                    let first = used.get() == 0;
                    Either::Left(view! {
                        <button type="button" data-testid="start-attempt"
                            class=if first { "button button-primary button-block" } else { "button" }
                            on:click=start>
                            {move || i18n.t(if first { Msg::StartAttempt } else { Msg::StartAnotherAttempt })}
                        </button>
                    })
                } else {
                    let msg = if closed {
                        Msg::AssessmentClosed
                    } else if !attempts_left() {
                        Msg::NoAttemptsLeft
                    } else {
                        Msg::NoSeedOffline
                    };
                    Either::Right(view! { <p class="notice notice-info">{move || i18n.t(msg)}</p> })
                }}
            }),
        }}
    }
}

/// One attempt in progress: a question at a time, saved as answered.
#[component]
fn AttemptView(
    paper: AssessmentPaper,
    attempt: Attempt,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let questions = attempt_questions(&paper, attempt.seed).unwrap_or_default();
    let total = questions.len();
    let questions = StoredValue::new(questions);
    let answers = RwSignal::new(attempt.answers.clone());
    // Where the trainee was: kept per attempt on the device, so a reload
    // returns to the same question; a fresh attempt starts at the first.
    let at_key = format!("lophoc.attempt-at.{}", attempt.attempt_id);
    let at = RwSignal::new(
        local_storage()
            .and_then(|s| s.get_item(&at_key).ok().flatten())
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|i| *i < total)
            .unwrap_or(0),
    );
    let attempt_ref = NodeRef::<leptos::html::Div>::new();
    // Each move opens the question at its top (below the header and the
    // sticky question bar), with the focus on it for screen readers.
    Effect::new(move |previous: Option<usize>| {
        let index = at.get();
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(&at_key, &index.to_string());
        }
        if previous.is_some_and(|p| p != index) {
            if let Some(el) = attempt_ref.get_untracked() {
                crate::components::question::reveal_at_top(&el);
            }
        }
        index
    });
    let confirming = RwSignal::new(false);
    let done = RwSignal::new(false);
    let ids = (
        paper.course_id.clone(),
        paper.id.clone(),
        attempt.attempt_id.clone(),
    );

    let record_ids = ids.clone();
    let answer = move |question_id: String, answer: Option<Answer>| {
        answers.update(|a| {
            match &answer {
                Some(value) => a.insert(question_id.clone(), value.clone()),
                None => a.remove(&question_id),
            };
        });
        if let Some(answer) = answer {
            sync.record(Event::AttemptAnswered {
                course_id: record_ids.0.clone(),
                assessment_id: record_ids.1.clone(),
                attempt_id: record_ids.2.clone(),
                question_id,
                answer,
            });
        }
    };

    let submit_ids = ids.clone();
    let submit = move || {
        if done.get_untracked() {
            return;
        }
        done.set(true);
        let event = Event::AttemptSubmitted {
            course_id: submit_ids.0.clone(),
            assessment_id: submit_ids.1.clone(),
            attempt_id: submit_ids.2.clone(),
        };
        let on_done = on_done.clone();
        // "Handed in" shows once the hand-in is safely stored on the device.
        leptos::task::spawn_local(async move {
            if sync.record_saved(event).await {
                on_done();
            } else {
                done.set(false);
            }
        });
    };

    // The timer: from the attempt's start, on this device's clock.
    let deadline = paper.settings.deadline_ms(attempt.started_ms);
    let now = RwSignal::new(js_sys::Date::now() as i64);
    if deadline.is_some() {
        if let Ok(handle) = set_interval_with_handle(
            move || now.set(js_sys::Date::now() as i64),
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let auto_submit = submit.clone();
    Effect::new(move || {
        if deadline.is_some_and(|d| now.get() >= d) {
            auto_submit();
        }
    });
    let time_left = move || {
        deadline.map(|d| {
            let secs = ((d - now.get()).max(0) / 1000) as u64;
            i18n.f(
                Msg::TimeLeft,
                &[("time", &format!("{:02}:{:02}", secs / 60, secs % 60))],
            )
        })
    };
    let unanswered = move || {
        total
            - answers.with(|a| {
                questions.with_value(|qs| qs.iter().filter(|q| a.contains_key(&q.id)).count())
            })
    };

    let confirm_submit = submit.clone();
    // The question "hand in now?" takes the focus, which brings it into
    // view on a phone and has a screen reader read it.
    let confirm_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = confirm_ref.get() {
            let _ = el.focus();
        }
    });
    let is_last = move || at.get() + 1 >= total;
    let answered_at = move |i: usize| {
        answers
            .with(|a| questions.with_value(|qs| qs.get(i).is_some_and(|q| a.contains_key(&q.id))))
    };
    // Every question as a numbered button: answered ones ticked, the
    // current one marked; a tap goes there.
    let grid = move || {
        view! {
            <ol class="question-grid" aria-label=i18n.t(Msg::QuestionGridLabel)>
                {(0..total).map(|i| {
                    let label = move || {
                        let n = (i + 1).to_string();
                        if answered_at(i) {
                            i18n.f(Msg::GridAnswered, &[("n", &n)])
                        } else {
                            i18n.f(Msg::GridUnanswered, &[("n", &n)])
                        }
                    };
                    view! {
                        <li>
                            <button type="button" class="grid-cell"
                                class:answered=move || answered_at(i)
                                aria-current=move || (at.get() == i).then_some("step")
                                aria-label=label
                                on:click=move |_| { confirming.set(false); at.set(i); }>
                                {i + 1}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    };
    let unanswered_numbers = move || {
        (0..total)
            .filter(|i| !answered_at(*i))
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <div class="attempt" node_ref=attempt_ref tabindex="-1" aria-label=move || i18n.f(Msg::QuestionOf, &[("n", &(at.get() + 1).to_string()), ("total", &total.to_string())])>
            <div class="attempt-bar">
                <span class="attempt-progress">{move || i18n.f(Msg::QuestionOf, &[("n", &(at.get() + 1).to_string()), ("total", &total.to_string())])}</span>
                {move || time_left().map(|t| view! { <span class="timer" role="timer">{t}</span> })}
            </div>
            <p class="meta">{move || i18n.t(Msg::AnswerSavedAuto)}</p>
            {move || {
                let index = at.get();
                questions.with_value(|qs| qs.get(index).cloned()).map(|q| {
                    let answer = answer.clone();
                    view! { <PaperQuestionView question=q answers on_answer=answer/> }
                })
            }}
            <div class="attempt-nav">
                <button type="button" class="button" disabled=move || at.get() == 0
                    on:click=move |_| at.update(|i| *i = i.saturating_sub(1))>
                    {move || i18n.t(Msg::PrevQuestion)}
                </button>
                <button type="button" class="button" disabled=is_last
                    on:click=move |_| at.update(|i| *i += 1)>
                    {move || i18n.t(Msg::NextQuestion)}
                </button>
            </div>
            {move || if confirming.get() {
                let confirm_submit = confirm_submit.clone();
                let left = unanswered();
                Either::Left(view! {
                    <div class="panel confirm" role="alertdialog" aria-labelledby="confirm-text"
                        tabindex="-1" node_ref=confirm_ref>
                        <p id="confirm-text">{if left == 0 {
                            i18n.t(Msg::ConfirmSubmitAll).to_string()
                        } else {
                            i18n.f(Msg::ConfirmSubmit, &[("n", &left.to_string())])
                        }}</p>
                        {(left > 0).then(|| view! {
                            <p class="meta" data-testid="unanswered-list">{i18n.f(Msg::UnansweredList, &[("list", &unanswered_numbers())])}</p>
                            <p class="meta">{i18n.t(Msg::GridHint)}</p>
                        })}
                        {grid()}
                        <button type="button" class="button button-primary button-block" on:click=move |_| confirm_submit()>
                            {i18n.t(Msg::SubmitAttempt)}
                        </button>
                        <button type="button" class="button button-block" on:click=move |_| confirming.set(false)>
                            {i18n.t(Msg::KeepWorking)}
                        </button>
                    </div>
                })
            } else {
                Either::Right(view! {
                    <button type="button" class="button button-primary button-block" on:click=move |_| confirming.set(true)>
                        {move || i18n.t(Msg::SubmitAttempt)}
                    </button>
                })
            }}
        </div>
    }
}

/// One paper question; calls `on_answer` with each change (None when cleared).
#[component]
fn PaperQuestionView(
    question: PaperQuestion,
    answers: RwSignal<HashMap<String, Answer>>,
    on_answer: impl Fn(String, Option<Answer>) + Clone + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let qid = question.id.clone();
    let current = {
        let qid = qid.clone();
        move || answers.with(|a| a.get(&qid).cloned())
    };
    let name = format!("a-{qid}");
    let is_blanks = matches!(question.body, PaperBody::FillBlanks { .. });
    let prompt_html = question.prompt.clone();
    let inputs = match question.body {
        PaperBody::Numerical {} => {
            let text = match current() {
                Some(Answer::Numerical { text }) => text,
                _ => String::new(),
            };
            let draft = RwSignal::new(text);
            // Saved as typed once it reads as a number; cleared when emptied.
            Effect::new(move |first: Option<()>| {
                let text = draft.get().trim().to_string();
                if first.is_none() {
                    return;
                }
                if text.is_empty() {
                    on_answer(qid.clone(), None);
                } else if lophoc_core::number::read_number(&text).is_ok() {
                    on_answer(qid.clone(), Some(Answer::Numerical { text }));
                }
            });
            crate::components::question::number_input(draft, &name)
        }
        PaperBody::FillBlanks { gaps } => {
            let values = match current() {
                Some(Answer::FillBlanks { gaps: given }) if given.len() == gaps.len() => given,
                _ => vec![String::new(); gaps.len()],
            };
            let body = lophoc_core::question::PresentedBody::FillBlanks { gaps };
            let draft = crate::components::question::Draft::with(
                &body,
                Some(&Answer::FillBlanks { gaps: values }),
            );
            let view = crate::components::question::blanks(body.clone(), draft, &name, &prompt_html);
            Effect::new(move |first: Option<()>| {
                draft.track();
                let answer = draft.answer(&body);
                if first.is_some() {
                    on_answer(qid.clone(), answer);
                }
            });
            view
        }
        PaperBody::SingleChoice { options } => options
            .into_iter()
            .map(|o| {
                let id = format!("{name}-{}", o.id);
                let (value, checked) = (o.id.clone(), o.id.clone());
                let (on_answer, qid, current) = (on_answer.clone(), qid.clone(), current.clone());
                view! {
                    <div class="choice answer-choice">
                        <input type="radio" id=id.clone() name=name.clone()
                            prop:checked=move || matches!(current(), Some(Answer::SingleChoice { option }) if option == checked)
                            on:change=move |_| on_answer(qid.clone(), Some(Answer::SingleChoice { option: value.clone() }))/>
                        <label for=id>{o.text}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        PaperBody::MultipleChoice { options } => options
            .into_iter()
            .map(|o| {
                let id = format!("{name}-{}", o.id);
                let (value, checked) = (o.id.clone(), o.id.clone());
                let (on_answer, qid, current) = (on_answer.clone(), qid.clone(), current.clone());
                let current_for_change = current.clone();
                view! {
                    <div class="choice answer-choice">
                        <input type="checkbox" id=id.clone()
                            prop:checked=move || matches!(current(), Some(Answer::MultipleChoice { options }) if options.contains(&checked))
                            on:change=move |_| {
                                let mut chosen = match current_for_change() {
                                    Some(Answer::MultipleChoice { options }) => options,
                                    _ => Vec::new(),
                                };
                                if let Some(at) = chosen.iter().position(|x| *x == value) {
                                    chosen.remove(at);
                                } else {
                                    chosen.push(value.clone());
                                }
                                let answer = (!chosen.is_empty()).then_some(Answer::MultipleChoice { options: chosen });
                                on_answer(qid.clone(), answer);
                            }/>
                        <label for=id>{o.text}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        PaperBody::TrueFalse {} => [(true, Msg::TrueLabel), (false, Msg::FalseLabel)]
            .into_iter()
            .map(|(value, label)| {
                let id = format!("{name}-{value}");
                let (on_answer, qid, current) = (on_answer.clone(), qid.clone(), current.clone());
                view! {
                    <div class="choice answer-choice">
                        <input type="radio" id=id.clone() name=name.clone()
                            prop:checked=move || current() == Some(Answer::TrueFalse { value })
                            on:change=move |_| on_answer(qid.clone(), Some(Answer::TrueFalse { value }))/>
                        <label for=id>{move || i18n.t(label)}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        PaperBody::ShortAnswer {} | PaperBody::Essay { .. } => {
            let essay = matches!(question.body, PaperBody::Essay { .. });
            let text = match current() {
                Some(Answer::ShortAnswer { text } | Answer::Essay { text }) => text,
                _ => String::new(),
            };
            let draft = RwSignal::new(text);
            let save = move |_| {
                let text = draft.get_untracked().trim().to_string();
                let answer = (!text.is_empty()).then_some(if essay {
                    Answer::Essay { text }
                } else {
                    Answer::ShortAnswer { text }
                });
                on_answer(qid.clone(), answer);
            };
            let label = move || i18n.t(Msg::YourAnswerLabel);
            if essay {
                view! {
                    <div class="field">
                        <label for=name.clone()>{label}</label>
                        <textarea id=name rows="6" bind:value=draft on:change=save
                            maxlength=max_length(TextField::Essay)></textarea>
                        <LimitHint field=TextField::Essay text=draft/>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <div class="field">
                        <label for=name.clone()>{label}</label>
                        <input type="text" id=name bind:value=draft on:change=save autocomplete="off"
                            maxlength=max_length(TextField::ShortAnswer)/>
                        <LimitHint field=TextField::ShortAnswer text=draft/>
                    </div>
                }
                .into_any()
            }
        }
    };
    view! {
        <section class="question card" aria-label=move || i18n.t(Msg::YourAnswerLabel) data-question=question.id.clone()>
            {(!is_blanks).then(|| view! { <div class="question-prompt" inner_html=question.prompt.clone()></div> })}
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {inputs}
            </fieldset>
        </section>
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn reports_key(user: i64, course: &str, id: &str) -> String {
    format!("lophoc.attempts.{user}.{course}.{id}")
}

/// The reports the server last gave, kept so the page shows them offline.
/// They are the signed-in user's own scores (no answer key).
fn remember_reports(user: i64, course: &str, id: &str, reports: &[AttemptReport]) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(reports)) {
        let _ = storage.set_item(&reports_key(user, course, id), &json);
    }
}

fn remembered_reports(user: i64, course: &str, id: &str) -> Option<Vec<AttemptReport>> {
    let json = local_storage()?
        .get_item(&reports_key(user, course, id))
        .ok()
        .flatten()?;
    serde_json::from_str(&json).ok()
}

/// The trainee's scored attempts, from the server once synced; offline, the
/// ones it last reported (and said so), and any attempt handed in on this
/// device that the server has not scored yet.
#[component]
fn Results(paper: AssessmentPaper) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let user = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let (course, id) = (paper.course_id.clone(), paper.id.clone());
    let ids = StoredValue::new((course.clone(), id.clone()));
    let reports = LocalResource::new(move || {
        // Again after every sync: a submitted attempt arrives with it.
        let _ = sync.last_sync.get();
        let (course, id) = (course.clone(), id.clone());
        async move {
            match api::attempts(&course, &id).await {
                Ok(list) => {
                    if let Some(user) = user {
                        remember_reports(user, &course, &id, &list);
                    }
                    (list, false)
                }
                Err(_) => (
                    user.and_then(|u| remembered_reports(u, &course, &id))
                        .unwrap_or_default(),
                    true,
                ),
            }
        }
    });
    view! {
        <section class="panel results" aria-labelledby="results-heading" data-testid="results">
            <h2 id="results-heading">{move || i18n.t(Msg::YourAttempts)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let (list, stale) = reports.await;
                    // Handed in on this device, not (yet) scored by the server.
                    let scored = StoredValue::new(list.iter().filter(|r| r.submitted).map(|r| r.attempt_id.clone()).collect::<Vec<_>>());
                    let waiting = move || {
                        ids.with_value(|(course, id)| {
                            sync.progress.with(|p| {
                                p.submitted_attempts
                                    .iter()
                                    .filter(|(c, a, attempt)| c == course && a == id && !scored.with_value(|s| s.contains(attempt)))
                                    .count()
                            })
                        })
                    };
                    let known = list.iter().filter(|r| r.submitted).count();
                    let reported = list.len();
                    view! {
                        {stale.then(|| view! { <p class="meta">{i18n.t(Msg::ResultsFromLastSync)}</p> })}
                        {list.into_iter().enumerate().map(|(i, r)| view! { <AttemptResult number=i + 1 report=r/> }).collect_view()}
                        {move || {
                            let n = waiting();
                            (n > 0).then(|| view! {
                                <p class="attempt-result" data-testid="attempt-waiting">
                                    <strong>{i18n.f(Msg::AttemptWaitingLine, &[("n", &(known.max(reported) + 1).to_string())])}</strong>
                                    " — " {i18n.t(Msg::ResultPending)}
                                </p>
                            })
                        }}
                        {(reported == 0).then(|| view! {
                            <Show when=move || waiting() == 0>
                                <p class="meta">{move || i18n.t(Msg::NoAttemptsYet)}</p>
                            </Show>
                        })}
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

/// Hundredths of a point as text, with the decimal comma in Vietnamese.
fn marks(lang: Lang, centi: u64) -> String {
    let text = centi_text(centi);
    if lang == Lang::Vi {
        text.replace('.', ",")
    } else {
        text
    }
}

#[component]
fn AttemptResult(number: usize, report: AttemptReport) -> impl IntoView {
    let i18n = use_i18n();
    let line = {
        let (earned, max, awaiting, percent) = (
            report.earned,
            report.max,
            report.awaiting,
            report.percent.to_string(),
        );
        move || {
            let lang = i18n.lang();
            if awaiting > 0 {
                // An essay waiting for marks is pending, not 0.
                i18n.f(
                    Msg::AttemptLinePending,
                    &[
                        ("n", &number.to_string()),
                        ("earned", &marks(lang, earned)),
                        ("max", &marks(lang, max.saturating_sub(awaiting))),
                        ("awaiting", &marks(lang, awaiting)),
                    ],
                )
            } else {
                i18n.f(
                    Msg::AttemptLine,
                    &[
                        ("n", &number.to_string()),
                        ("percent", &percent),
                        ("earned", &marks(lang, earned)),
                        ("max", &marks(lang, max)),
                    ],
                )
            }
        }
    };
    let sync = use_sync();
    let attempt_id = report.attempt_id.clone();
    let handed_in_here = move || {
        sync.progress.with(|p| {
            p.submitted_attempts
                .iter()
                .any(|(_, _, a)| *a == attempt_id)
        })
    };
    let submitted = report.submitted;
    let status = if !report.submitted {
        Msg::InProgress
    } else {
        match report.passed {
            Some(true) => Msg::Passed,
            Some(false) => Msg::NotPassed,
            None => Msg::AwaitingGrading,
        }
    };
    let review = report.review.map(|items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| view! { <ReviewLine number=i + 1 item/> })
            .collect_view()
    });
    view! {
        <div class="attempt-result" data-testid="attempt-result">
            <p><strong>{line}</strong> " — " <span class="attempt-status">{move || {
                // Handed in on this device, not yet synced: say so, not "in progress".
                let status = if !submitted && handed_in_here() { Msg::AwaitingSync } else { status };
                i18n.t(status)
            }}</span></p>
            {review.map(|items| view! {
                <details>
                    <summary>{move || i18n.t(Msg::ReviewTitle)}</summary>
                    <ol class="review-list">{items}</ol>
                </details>
            })}
        </div>
    }
}

/// One question of a reviewed attempt: the question, the trainee's own
/// answer, the verdict and marks (pending for an essay not yet marked), the
/// correct answer(s), feedback, comment and explanation.
#[component]
fn ReviewLine(number: usize, item: ReviewItem) -> impl IntoView {
    let i18n = use_i18n();
    // True/false answers come as "true"/"false": show them in words.
    let words = move |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|c| match c.as_str() {
                "true" => i18n.t(Msg::TrueLabel).to_string(),
                "false" => i18n.t(Msg::FalseLabel).to_string(),
                other => other.to_string(),
            })
            .collect()
    };
    let given = words(&item.answer);
    let correct = words(&item.correct);
    let pending = item.correctness == Correctness::NeedsGrading;
    let marks_line = move || {
        let lang = i18n.lang();
        if pending {
            i18n.f(
                Msg::ReviewPendingMarks,
                &[("max", &marks(lang, u64::from(item.max)))],
            )
        } else {
            i18n.f(
                Msg::ResultPoints,
                &[
                    ("earned", &marks(lang, u64::from(item.earned))),
                    ("max", &marks(lang, u64::from(item.max))),
                ],
            )
        }
    };
    view! {
        <li class="review-item">
            <p class="eyebrow">{i18n.f(Msg::QuestionNumber, &[("n", &number.to_string())])}</p>
            {(!item.prompt.is_empty()).then(|| view! { <div class="question-prompt" inner_html=item.prompt.clone()></div> })}
            <div class="review-answer">
                <p class="review-label">{i18n.t(Msg::YourAnswerLabel)}</p>
                {if given.is_empty() {
                    view! { <p class="meta">{i18n.t(Msg::Unanswered)}</p> }.into_any()
                } else {
                    view! { <ul class="answer-texts">{given.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul> }.into_any()
                }}
            </div>
            <div class="review-verdict">
                {crate::components::question::verdict_view(item.correctness)}
                <p class="verdict-points">{marks_line}</p>
            </div>
            {(!correct.is_empty()).then(|| view! {
                <div class="review-correct">
                    <p class="review-label">{i18n.t(Msg::CorrectAnswersLabel)}</p>
                    <ul class="answer-texts">{correct.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                </div>
            })}
            {(!item.feedback.is_empty()).then(|| view! {
                <ul class="feedback-list">{item.feedback.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
            })}
            {item.comment.clone().map(|comment| view! {
                <p class="lecturer-comment">{i18n.f(Msg::LecturerComment, &[("comment", &comment)])}</p>
            })}
            {item.explanation.clone().map(|html| view! { <div class="explanation" inner_html=html></div> })}
        </li>
    }
}
