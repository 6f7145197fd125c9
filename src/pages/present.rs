//! `/present` and `/present/:code`: a lecturer opens a live session from
//! questions of a course's situation sets, then drives it from the presenter
//! view on the projector — or from a phone, the same page, as a remote.
//!
//! Policy: the presenter view fits 1280×720 without scrolling, in large
//! type and high contrast: the lobby with the join code, its QR code and
//! who joined; the question with a countdown; the answer distribution once
//! closed; the correct answer and explanation on reveal; a wall of views
//! without names for opinions and essays (the lecturer can hide one); the
//! leaderboard when the session has one; a summary at the end. All state is
//! on the server, so every connection of the lecturer shows the same and
//! may send the commands.

use std::collections::HashSet;

use leptos::{either::Either, prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};
use lophoc_core::{
    accounts::Role,
    content::{SituationMode, SituationSet},
    i18n::Msg,
    live::{Command, CreateLive, Distribution, PhaseName, View, DEFAULT_SECONDS, SECONDS_RANGE},
    question::{PresentedBody, QuestionBody},
};

use crate::{
    api::{self, ClientError},
    components::{qr::JoinQr, use_title, ErrorNotice, Loading},
    pages::live::{correct_answer, live_error_message, seconds_left, use_clock, Connection},
    state::{i18n::use_i18n, session::use_session},
    sync::live::{use_live_socket, Hello, LiveSocket},
};

/// Text of a sanitized HTML fragment, for a one-line label.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `/present`: the lecturer's open sessions and the form for a new one.
#[component]
pub fn PresentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t(Msg::PresentTitle).to_string());
    move || {
        if session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Trainee))
        {
            let error = ClientError::Api(lophoc_core::api::ApiError::Forbidden);
            return view! { <ErrorNotice error/> }.into_any();
        }
        view! {
            <h1>{move || i18n.t(Msg::PresentTitle)}</h1>
            <OpenSessions/>
            <NewSession/>
        }
        .into_any()
    }
}

/// The lecturer's sessions: those still running, to go back to; those
/// that ended (kept for a while with their summary), apart.
#[component]
fn OpenSessions() -> impl IntoView {
    let i18n = use_i18n();
    let sessions = LocalResource::new(api::live_sessions);
    let item = move |s: lophoc_core::live::LiveSummary| {
        view! {
            <li>
                <A href=format!("/present/{}", s.code)>{format!("{} — {}", s.code, s.title)}</A>
                <span class="meta">{" · "}{i18n.f(Msg::PresentJoined, &[("n", &s.joined.to_string())])}</span>
            </li>
        }
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = sessions.await.unwrap_or_default();
                let (ended, open): (Vec<_>, Vec<_>) = list.into_iter().partition(|s| s.phase == PhaseName::Ended);
                view! {
                    {(!open.is_empty()).then(|| view! {
                        <section class="panel" aria-labelledby="open-sessions" data-testid="open-sessions">
                            <h2 id="open-sessions">{i18n.t(Msg::PresentOpenSessions)}</h2>
                            <ul class="live-sessions">{open.into_iter().map(item).collect_view()}</ul>
                        </section>
                    })}
                    {(!ended.is_empty()).then(|| view! {
                        <details class="panel" data-testid="ended-sessions">
                            <summary>{i18n.f(Msg::PresentEndedSessions, &[("n", &ended.len().to_string())])}</summary>
                            <p class="meta">{i18n.t(Msg::PresentEndedHint)}</p>
                            <ul class="live-sessions">{ended.into_iter().map(item).collect_view()}</ul>
                        </details>
                    })}
                }
            })}
        </Transition>
    }
}

/// The situation sets of a course, fully loaded.
async fn course_sets(course: String) -> Result<Vec<SituationSet>, ClientError> {
    let outline = api::course(course.clone()).await?;
    let mut sets = Vec::new();
    for module in &outline.modules {
        for set in &module.situations {
            let set = api::situation(course.clone(), set.id.clone()).await?;
            if !set.questions.is_empty() {
                sets.push(set);
            }
        }
    }
    Ok(sets)
}

#[component]
fn NewSession() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let courses = LocalResource::new(api::courses);
    let course = RwSignal::new(String::new());
    let sets = LocalResource::new(move || {
        let course = course.get();
        async move {
            if course.is_empty() {
                Ok(Vec::new())
            } else {
                course_sets(course).await
            }
        }
    });
    // Chosen questions in the order ticked: (set, question, scored).
    let chosen = RwSignal::new(Vec::<(String, String, bool)>::new());
    let seconds = RwSignal::new(DEFAULT_SECONDS.to_string());
    let guests = RwSignal::new(true);
    // The leaderboard is the lecturer's choice: off until ticked, and never
    // changed by what is picked.
    let board = RwSignal::new(false);
    // What is wrong, in words (a refusal may carry a figure: too many sessions).
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secs = seconds.get_untracked().trim().parse::<u32>().ok();
        let Some(secs) = secs.filter(|s| SECONDS_RANGE.contains(s)) else {
            problem.set(Some(i18n.t(Msg::PresentSecondsInvalid).to_string()));
            return;
        };
        let questions: Vec<(String, String)> = chosen
            .get_untracked()
            .into_iter()
            .map(|(s, q, _)| (s, q))
            .collect();
        if questions.is_empty() {
            problem.set(Some(i18n.t(Msg::PresentNoneChosen).to_string()));
            return;
        }
        problem.set(None);
        busy.set(true);
        let request = CreateLive {
            course_id: course.get_untracked(),
            questions,
            seconds: secs,
            allow_guests: guests.get_untracked(),
            leaderboard: board.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_live(&request).await {
                Ok(created) => navigate(&format!("/present/{}", created.code), Default::default()),
                Err(e) => {
                    busy.set(false);
                    problem.set(Some(e.describe(i18n.lang())));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="new-session">
            <h2 id="new-session">{move || i18n.t(Msg::PresentNewTitle)}</h2>
            <form class="live-new" on:submit=submit novalidate>
                <div class="field">
                    <label for="live-course">{move || i18n.t(Msg::PresentCourse)}</label>
                    <Transition fallback=|| view! { <Loading/> }>
                        {move || Suspend::new(async move {
                            match courses.await {
                                Ok(list) => {
                                    if course.get_untracked().is_empty() {
                                        if let Some(first) = list.first() {
                                            course.set(first.id.clone());
                                        }
                                    }
                                    view! {
                                        <select id="live-course" on:change=move |ev| {
                                            chosen.set(Vec::new());
                                            course.set(event_target_value(&ev));
                                        }>
                                            {list.into_iter().map(|c| {
                                                let selected = c.id == course.get_untracked();
                                                view! { <option value=c.id selected=selected>{c.title}</option> }
                                            }).collect_view()}
                                        </select>
                                    }
                                    .into_any()
                                }
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
                <h3>{move || i18n.t(Msg::PresentChooseQuestions)}</h3>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match sets.await {
                            Ok(sets) => sets.into_iter().map(|set| view! { <SetChoices set chosen/> }).collect_view().into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })}
                </Transition>
                <div class="field">
                    <label for="live-seconds">{move || i18n.t(Msg::PresentSeconds)}</label>
                    <input id="live-seconds" type="number" inputmode="numeric" min="5" max="600" bind:value=seconds/>
                </div>
                <div class="choice answer-choice">
                    <input type="checkbox" id="live-guests" bind:checked=guests/>
                    <label for="live-guests">{move || i18n.t(Msg::PresentGuests)}</label>
                </div>
                <div class="choice answer-choice">
                    <input type="checkbox" id="live-board" bind:checked=board/>
                    <label for="live-board">{move || i18n.t(Msg::PresentLeaderboard)}</label>
                </div>
                {move || problem.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <button type="submit" class="button button-primary button-block" disabled=move || busy.get()>
                    {move || i18n.t(Msg::PresentCreate)}
                </button>
            </form>
        </section>
    }
}

/// The questions of one situation set, as checkboxes.
#[component]
fn SetChoices(set: SituationSet, chosen: RwSignal<Vec<(String, String, bool)>>) -> impl IntoView {
    let i18n = use_i18n();
    let mode = match set.mode {
        SituationMode::Discussion => Msg::ModeDiscussion,
        SituationMode::Practice => Msg::ModePractice,
    };
    let set_id = set.id.clone();
    view! {
        <fieldset class="live-set">
            <legend>{set.title.clone()} <span class="meta">{" · "}{move || i18n.t(mode)}</span></legend>
            {set.questions.into_iter().enumerate().map(|(i, q)| {
                let id = format!("pick-{set_id}-{}", q.id);
                let key = (set_id.clone(), q.id.clone());
                let scored = !matches!(q.body, QuestionBody::Opinion {} | QuestionBody::Essay { .. });
                let checked_key = key.clone();
                let label = format!("{}. {}", i + 1, plain(&q.prompt));
                view! {
                    <div class="choice answer-choice">
                        <input type="checkbox" id=id.clone()
                            prop:checked=move || chosen.with(|c| c.iter().any(|(s, q, _)| (s, q) == (&checked_key.0, &checked_key.1)))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|(s, q, _)| (s, q) != (&key.0, &key.1));
                                    if on {
                                        c.push((key.0.clone(), key.1.clone(), scored));
                                    }
                                });
                            }/>
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// `/present/:code`: the presenter view and remote.
#[component]
pub fn PresenterPage() -> impl IntoView {
    let params = use_params_map();
    let code = params.read_untracked().get("code").unwrap_or_default();
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::PresentTitle).to_string());
    let live = use_live_socket(&code, Hello::Present);
    let now = use_clock();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let join_url = format!("{origin}/live/{code}");
    let spaced = if code.len() == 6 {
        format!("{} {}", &code[..3], &code[3..])
    } else {
        code.clone()
    };
    let phase = Memo::new(move |_| live.view.with(|v| v.as_ref().map(|v| v.phase)));
    let joined = move || live.view.with(|v| v.as_ref().map_or(0, |v| v.joined));
    let title = move || {
        live.view
            .with(|v| v.as_ref().map(|v| v.title.clone()).unwrap_or_default())
    };
    let host = origin.split("://").nth(1).unwrap_or_default().to_string();
    let qr_label = i18n.f(Msg::PresentQrLabel, &[("code", &code)]);
    let stage = move || {
        let view = live.view.get()?;
        Some(match view.phase {
            PhaseName::Lobby => Either::Left(view! {
                <div class="stage-lobby">
                    <div class="stage-join">
                        <p class="stage-join-how">{i18n.f(Msg::PresentJoinAt, &[("url", &format!("{host}/live"))])}</p>
                        <p class="stage-code" aria-label=i18n.t(Msg::PresentCode)>{spaced.clone()}</p>
                        <JoinQr text=join_url.clone() label=qr_label.clone()/>
                    </div>
                    <div class="stage-joined">
                        <h2>{i18n.f(Msg::PresentJoined, &[("n", &view.joined.to_string())])}</h2>
                        {if view.names.is_empty() {
                            Either::Left(view! { <p class="stage-hint">{i18n.t(Msg::PresentLobbyHint)}</p> })
                        } else {
                            Either::Right(view! {
                                <ul class="stage-names">
                                    {view.names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                                </ul>
                            })
                        }}
                    </div>
                </div>
            }),
            _ => Either::Right(view! { <Stage view live now/> }),
        })
    };
    let error = move || {
        live.error.get().map(
            |e| view! { <p class="stage-error" role="alert">{i18n.t(live_error_message(e))}</p> },
        )
    };
    view! {
        <div class="presenter">
            <header class="presenter-bar">
                <p class="presenter-title">{title}</p>
                <p class="presenter-code">{move || i18n.t(Msg::PresentCode)}": "<strong>{code.clone()}</strong></p>
                <p class="presenter-joined">{move || i18n.f(Msg::PresentJoined, &[("n", &joined().to_string())])}</p>
                <Connection live/>
                <A href="/present" attr:class="presenter-exit">{move || i18n.t(Msg::PresentExit)}</A>
            </header>
            {error}
            <section class="presenter-stage" aria-live="polite">
                {move || if phase.get().is_none() && live.error.with(Option::is_none) {
                    Some(view! { <Loading/> })
                } else {
                    None
                }}
                {stage}
            </section>
            <Controls live/>
        </div>
    }
}

/// The question, its distribution or wall, the reveal, or the summary.
#[component]
fn Stage(view: View, live: LiveSocket, now: RwSignal<f64>) -> impl IntoView {
    let i18n = use_i18n();
    if view.phase == PhaseName::Ended {
        return view! { <Summary view/> }.into_any();
    }
    let Some(question) = view.question.clone() else {
        return ().into_any();
    };
    let q = question.index;
    let open = view.phase == PhaseName::Open;
    let countdown = move || {
        if open {
            seconds_left(live, now).map(|s| s.to_string())
        } else {
            Some(i18n.t(Msg::LiveTimeUp).to_string())
        }
    };
    let reveal = view.reveal.clone();
    let correct_ids: HashSet<String> = match reveal.as_ref().map(|r| &r.body) {
        Some(QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options }) => {
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect()
        }
        _ => HashSet::new(),
    };
    let truth = match reveal.as_ref().map(|r| &r.body) {
        Some(QuestionBody::TrueFalse { answer, .. }) => Some(*answer),
        _ => None,
    };
    let counts: Vec<(String, u32)> = match &view.distribution {
        Some(Distribution::Options { counts }) => counts.clone(),
        _ => Vec::new(),
    };
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let body = match &question.question.body {
        PresentedBody::SingleChoice { options } | PresentedBody::MultipleChoice { options } => {
            let rows = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let letter = lophoc_core::answers::option_letter(i).to_string();
                    let n = counts.iter().find(|(id, _)| *id == o.id).map(|(_, n)| *n);
                    let right = correct_ids.contains(&o.id);
                    bar_row(letter, o.text.clone(), n, most, right)
                })
                .collect_view();
            view! { <ol class="stage-options">{rows}</ol> }.into_any()
        }
        PresentedBody::TrueFalse {} => {
            let (yes, no) = match view.distribution {
                Some(Distribution::TrueFalse { yes, no }) => (Some(yes), Some(no)),
                _ => (None, None),
            };
            let most = yes.unwrap_or(0).max(no.unwrap_or(0)).max(1);
            view! {
                <ol class="stage-options">
                    {bar_row("A".into(), i18n.t(Msg::TrueLabel).into(), yes, most, truth == Some(true))}
                    {bar_row("B".into(), i18n.t(Msg::FalseLabel).into(), no, most, truth == Some(false))}
                </ol>
            }
            .into_any()
        }
        PresentedBody::Opinion {} | PresentedBody::Essay { .. } => {
            let entries = match &view.distribution {
                Some(Distribution::Wall { entries }) => entries.clone(),
                _ => Vec::new(),
            };
            view! { <Wall q entries live/> }.into_any()
        }
        _ => match view.distribution {
            Some(Distribution::Correctness {
                correct,
                partial,
                incorrect,
            }) => {
                let most = correct.max(partial).max(incorrect).max(1);
                view! {
                    <ol class="stage-options">
                        {bar_row("✓".into(), i18n.t(Msg::ResultCorrect).into(), Some(correct), most, true)}
                        {bar_row("½".into(), i18n.t(Msg::ResultPartial).into(), Some(partial), most, false)}
                        {bar_row("✗".into(), i18n.t(Msg::ResultIncorrect).into(), Some(incorrect), most, false)}
                    </ol>
                }
                .into_any()
            }
            _ => ().into_any(),
        },
    };
    let explanation = reveal.as_ref().and_then(|r| {
        // Choices and true/false show the right one in their bars.
        let answer = correct_answer(r, i18n.lang()).filter(|_| {
            !matches!(
                r.body,
                QuestionBody::SingleChoice { .. } | QuestionBody::MultipleChoice { .. } | QuestionBody::TrueFalse { .. }
            )
        });
        let html = r.explanation.clone();
        (answer.is_some() || html.is_some()).then(|| view! {
            <div class="stage-explanation" tabindex="0">
                {answer.map(|a| view! { <p class="stage-answer">{i18n.f(Msg::LiveCorrectAnswer, &[("answer", &a)])}</p> })}
                {html.map(|h| view! { <div inner_html=h></div> })}
            </div>
        })
    });
    let board = (!view.leaderboard.is_empty()).then(|| view! { <Leaderboard view=view.clone()/> });
    // The situation the question is about: read in full beside the question
    // while it is asked; after the reveal that column is the answer's, and
    // the situation folds above the question.
    let has_scenario = !question.scenario_html.is_empty();
    let revealed = reveal.is_some();
    let scenario_side = (has_scenario && !revealed).then(|| {
        view! {
            <section class="stage-scenario-side" tabindex="0" aria-labelledby="stage-scenario-title">
                <h2 id="stage-scenario-title">{i18n.t(Msg::ScenarioLabel)}": "{question.situation_title.clone()}</h2>
                <div class="lesson-body" inner_html=question.scenario_html.clone()></div>
            </section>
        }
    });
    let scenario = (has_scenario && revealed).then(|| view! {
        <details class="stage-scenario">
            <summary>{i18n.t(Msg::ScenarioLabel)}": "{question.situation_title.clone()}</summary>
            <div class="lesson-body" tabindex="0" inner_html=question.scenario_html.clone()></div>
        </details>
    });
    view! {
        <div class="stage-question" data-phase=format!("{:?}", view.phase).to_lowercase()>
            <div class="stage-main">
                <div class="stage-head">
                    <p class="stage-number">{i18n.f(Msg::QuestionOf, &[("n", &(q + 1).to_string()), ("total", &view.total.to_string())])}</p>
                    <p class="stage-answered">{i18n.f(Msg::PresentAnswered, &[("n", &view.answered.to_string()), ("total", &view.joined.to_string())])}</p>
                    <p class=if open { "stage-countdown" } else { "stage-countdown stage-countdown-done" } aria-label=i18n.t(Msg::PresentTimeLeft)>{countdown}</p>
                </div>
                {scenario}
                <div class="stage-prompt" inner_html=stage_prompt(&question.question)></div>
                {body}
            </div>
            {(scenario_side.is_some() || explanation.is_some() || board.is_some()).then(|| view! {
                <div class="stage-side">{scenario_side}{explanation}{board}</div>
            })}
        </div>
    }
    .into_any()
}

/// One option with its bar (once closed) and its mark (once revealed).
fn bar_row(
    letter: String,
    text: String,
    count: Option<u32>,
    most: u32,
    right: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let width = count.map(|n| format!("width: {}%", n * 100 / most));
    view! {
        <li class=if right { "stage-option stage-option-right" } else { "stage-option" }>
            <span class="stage-letter" aria-hidden="true">{letter}</span>
            <span class="stage-text">{text}{right.then_some(" ✓")}</span>
            {count.map(|n| view! {
                <span class="stage-count">{i18n.f(Msg::PresentCount, &[("n", &n.to_string())])}</span>
                <span class="stage-bar" aria-hidden="true"><span style=width.clone().unwrap_or_default()></span></span>
            })}
        </li>
    }
}

/// The discussion wall: answers without names; the lecturer hides any.
#[component]
fn Wall(q: u32, entries: Vec<lophoc_core::live::WallEntry>, live: LiveSocket) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="stage-wall" aria-label=i18n.t(Msg::PresentWall)>
            {if entries.is_empty() {
                Either::Left(view! { <p class="stage-hint">{i18n.t(Msg::PresentWallEmpty)}</p> })
            } else {
                Either::Right(view! {
                    <ul class="wall">
                        {entries.into_iter().rev().map(|e| {
                            let n = (e.entry + 1).to_string();
                            let (label, class) = if e.hidden {
                                (i18n.f(Msg::PresentShow, &[("n", &n)]), "wall-card wall-hidden")
                            } else {
                                (i18n.f(Msg::PresentHide, &[("n", &n)]), "wall-card")
                            };
                            let entry = e.entry;
                            view! {
                                <li class=class>
                                    {if e.hidden {
                                        Either::Left(view! { <p class="meta">{i18n.t(Msg::PresentHidden)}</p> })
                                    } else {
                                        Either::Right(view! { <p>{e.text}</p> })
                                    }}
                                    <button type="button" class="wall-hide" aria-label=label.clone()
                                        on:click=move |_| live.command(Command::Hide { q, entry })>
                                        {if e.hidden { "↺" } else { "✕" }}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

#[component]
fn Leaderboard(view: View) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="stage-board" aria-labelledby="board-title">
            <h2 id="board-title">{i18n.t(Msg::PresentLeaderboardTitle)}</h2>
            <ol>
                {view.leaderboard.into_iter().map(|s| view! {
                    <li><span class="board-rank">{s.rank}</span><span class="board-name">{s.name}</span>
                        <span class="board-points">{i18n.f(Msg::PresentPointsShort, &[("points", &s.points.to_string())])}</span></li>
                }).collect_view()}
            </ol>
        </aside>
    }
}

#[component]
fn Summary(view: View) -> impl IntoView {
    let i18n = use_i18n();
    let board = (!view.leaderboard.is_empty()).then(|| view! { <Leaderboard view=view.clone()/> });
    // Where a lecturer goes next: another session, the classes (whose
    // trainees' answers were recorded), the home page.
    let actions = view! {
        <p class="summary-actions">
            <A href="/present" attr:class="button">{i18n.t(Msg::PresentNewSession)}</A>
            <A href="/classes" attr:class="button">{i18n.t(Msg::PresentToClasses)}</A>
            <A href="/" attr:class="button">{i18n.t(Msg::BackHome)}</A>
        </p>
    };
    view! {
        <div class="stage-summary">
            <div class="stage-main">
                <h2>{i18n.t(Msg::PresentSummary)}</h2>
                <ol class="summary-list">
                    {view.summary.into_iter().enumerate().map(|(i, line)| {
                        let n = (i + 1).to_string();
                        let answered = line.answered.to_string();
                        let text = if line.scored {
                            i18n.f(Msg::PresentSummaryLine, &[("answered", &answered), ("correct", &line.correct.to_string())])
                        } else {
                            i18n.f(Msg::PresentSummaryViews, &[("answered", &answered)])
                        };
                        view! { <li><strong>{i18n.f(Msg::QuestionOf, &[("n", &n), ("total", &view.total.to_string())])}</strong>": "{text}</li> }
                    }).collect_view()}
                </ol>
                <p class="meta">{i18n.t(Msg::PresentSummaryRecorded)}</p>
                {actions}
            </div>
            {board}
        </div>
    }
}

/// Start, next, close early, more time, reveal, end: what fits the phase.
/// Ending — "end session", or "summary" after the last question — asks
/// first: it ends the session for every phone at once. "End" sits apart
/// from the others, at the far end.
#[component]
fn Controls(live: LiveSocket) -> impl IntoView {
    let i18n = use_i18n();
    let phase = Memo::new(move |_| live.view.with(|v| v.as_ref().map(|v| v.phase)));
    let last = Memo::new(move |_| {
        live.view.with(|v| {
            v.as_ref()
                .is_some_and(|v| v.question.as_ref().is_some_and(|q| q.index + 1 >= v.total))
        })
    });
    // The command waiting for "yes, end it".
    let confirming = RwSignal::new(None::<Command>);
    let button = move |msg: Msg, cmd: Command, primary: bool| {
        view! {
            <button type="button" class=if primary { "button button-primary" } else { "button" }
                disabled=move || !live.connected.get()
                on:click=move |_| live.command(cmd.clone())>
                {move || i18n.t(msg)}
            </button>
        }
    };
    let ending = move |msg: Msg, cmd: Command, class: &'static str| {
        view! {
            <button type="button" class=class
                disabled=move || !live.connected.get()
                on:click=move |_| confirming.set(Some(cmd.clone()))>
                {move || i18n.t(msg)}
            </button>
        }
    };
    let next = move |primary: bool| {
        let class = if primary {
            "button button-primary"
        } else {
            "button"
        };
        if last.get() {
            ending(Msg::PresentToSummary, Command::Next, class).into_any()
        } else {
            button(Msg::PresentNext, Command::Next, primary).into_any()
        }
    };
    view! {
        <nav class="presenter-controls" aria-label=move || i18n.t(Msg::PresentControls)>
            {move || confirming.get().map(|cmd| view! {
                <div class="presenter-confirm" role="alertdialog" aria-labelledby="end-title" data-testid="end-confirm">
                    <p id="end-title"><strong>{i18n.t(Msg::PresentEndConfirm)}</strong></p>
                    <div class="button-row">
                        <button type="button" class="button button-primary"
                            on:click=move |_| { confirming.set(None); live.command(cmd.clone()); }>
                            {i18n.t(Msg::PresentEndYes)}
                        </button>
                        <button type="button" class="button" on:click=move |_| confirming.set(None)>
                            {i18n.t(Msg::Cancel)}
                        </button>
                    </div>
                </div>
            })}
            <div class="presenter-steps">
                {move || match phase.get() {
                    Some(PhaseName::Lobby) => Some(button(Msg::PresentStart, Command::Start, true).into_any()),
                    Some(PhaseName::Open) => Some(view! {
                        {button(Msg::PresentClose, Command::Close, false)}
                        {button(Msg::PresentExtend, Command::Extend { secs: 15 }, false)}
                        {button(Msg::PresentReveal, Command::Reveal, true)}
                    }.into_any()),
                    Some(PhaseName::Closed) => Some(view! {
                        {button(Msg::PresentReveal, Command::Reveal, true)}
                        {next(false)}
                    }.into_any()),
                    Some(PhaseName::Revealed) => Some(next(true)),
                    Some(PhaseName::Ended) | None => None,
                }}
            </div>
            {move || (phase.get().is_some() && phase.get() != Some(PhaseName::Ended))
                .then(|| ending(Msg::PresentEnd, Command::End, "button button-end"))}
        </nav>
    }
}

/// The prompt as projected: a fill-in's blanks shown as `_____`.
fn stage_prompt(question: &lophoc_core::question::PresentedQuestion) -> String {
    match &question.body {
        PresentedBody::FillBlanks { gaps } => lophoc_core::question::filled_in_html(
            &question.prompt,
            &vec![String::new(); gaps.len()],
        ),
        _ => question.prompt.clone(),
    }
}
