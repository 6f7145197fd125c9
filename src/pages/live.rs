//! `/live` and `/live/:code`: a trainee joins a live session by its code (or
//! the QR code on the screen) and answers on the phone.
//!
//! Policy: signed-in users join as themselves; others give a name when the
//! session admits guests. The phone shows whether its answer was received,
//! keeps an answer given offline and sends it when the connection returns
//! (see [`crate::sync::live`]), and after the reveal shows whether it was
//! right. A reload or a dropped connection resumes the same participant.

use leptos::{either::Either, prelude::*};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};
use lophoc_core::{
    answers::{answer_text, option_letter as letter, Lettered, Wording},
    i18n::Msg,
    live::{clean_name, is_code, Ack, LiveError, PhaseName, QuestionView},
    question::{filled_in_html, Answer, PresentedBody, Question, QuestionBody},
};

use crate::{
    api::{self, ClientError},
    components::{
        question::{blanks, lettered_inputs, Draft},
        use_title, Loading,
    },
    state::{i18n::use_i18n, session::use_session},
    sync::live::{now_ms, use_live_socket, Hello, LiveSocket},
};

/// The catalogue message for a refusal.
pub fn live_error_message(error: LiveError) -> Msg {
    match error {
        LiveError::NoSession => Msg::LiveNoSession,
        LiveError::LoginRequired => Msg::LiveLoginRequired,
        LiveError::BadName => Msg::LiveBadName,
        LiveError::Forbidden => Msg::LiveForbidden,
        LiveError::BadMessage | LiveError::NotJoined => Msg::LiveBadMessage,
        LiveError::WrongPhase => Msg::LiveWrongPhase,
        LiveError::Full => Msg::LiveFull,
    }
}

/// `/live`: the code field.
#[component]
pub fn LiveJoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    use_title(move || i18n.t(Msg::LiveJoinTitle).to_string());
    let code = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let digits: String = code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if is_code(&digits) {
            invalid.set(false);
            navigate(&format!("/live/{digits}"), Default::default());
        } else {
            invalid.set(true);
        }
    };
    view! {
        <section class="live-join">
            <h1>{move || i18n.t(Msg::LiveJoinTitle)}</h1>
            <p>{move || i18n.t(Msg::LiveJoinIntro)}</p>
            <form class="live-join-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="live-code">{move || i18n.t(Msg::LiveCodeLabel)}</label>
                    <input id="live-code" class="live-code-input" type="text" inputmode="numeric"
                        autocomplete="off" maxlength="7" bind:value=code
                        aria-invalid=move || invalid.get().to_string()/>
                </div>
                {move || invalid.get().then(|| view! {
                    <p class="form-error" role="alert">{i18n.t(Msg::LiveCodeInvalid)}</p>
                })}
                <button type="submit" class="button button-primary button-block">
                    {move || i18n.t(Msg::LiveJoinButton)}
                </button>
            </form>
        </section>
    }
}

/// Whether this device holds a participant token for `code`.
fn has_token(code: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&format!("lophoc.live.{code}")).ok().flatten())
        .is_some_and(|saved| saved.contains("\"token\":\""))
}

/// `/live/:code`: join, then answer.
#[component]
pub fn LivePlayPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let code = params.read_untracked().get("code").unwrap_or_default();
    use_title(move || i18n.t(Msg::LiveJoinTitle).to_string());
    move || {
        if !session.ready.get() {
            return view! { <Loading/> }.into_any();
        }
        let signed_in = session.user.with(Option::is_some);
        if signed_in || has_token(&code) {
            view! { <LivePlayer code=code.clone() name=None/> }.into_any()
        } else {
            view! { <GuestGate code=code.clone()/> }.into_any()
        }
    }
}

/// Not signed in: a name if the session admits guests, else a way to log in.
#[component]
fn GuestGate(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let info = LocalResource::new({
        let code = code.clone();
        move || {
            let code = code.clone();
            async move { api::live_info(&code).await }
        }
    });
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<String>);
    let bad = RwSignal::new(false);
    let login_href = format!("/login?next=/live/{code}");
    let code = StoredValue::new(code);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new({
                let login_href = login_href.clone();
                async move {
                match info.await {
                    Err(ClientError::Api(lophoc_core::api::ApiError::NotFound)) => view! { <NoSession/> }.into_any(),
                    // Too many look-ups from this address: says when to retry.
                    Err(error) => view! { <crate::components::ErrorNotice error/> }.into_any(),
                    Ok(info) if !info.allow_guests => view! {
                        <section class="live-join">
                            <h1>{info.title}</h1>
                            <p class="notice">{move || i18n.t(Msg::LiveLoginRequired)}</p>
                            <p><a class="button button-primary" href=login_href>{move || i18n.t(Msg::NavLogin)}</a></p>
                        </section>
                    }
                    .into_any(),
                    Ok(info) => view! {
                        {move || match chosen.get() {
                            Some(name) => Either::Left(view! { <LivePlayer code=code.get_value() name=Some(name)/> }),
                            None => Either::Right(view! {
                                <section class="live-join">
                                    <h1>{info.title.clone()}</h1>
                                    <form class="live-join-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                                        ev.prevent_default();
                                        match clean_name(&name.get_untracked()) {
                                            Some(n) => { bad.set(false); chosen.set(Some(n)); }
                                            None => bad.set(true),
                                        }
                                    }>
                                        <div class="field">
                                            <label for="live-name">{move || i18n.t(Msg::LiveNameLabel)}</label>
                                            <input id="live-name" type="text" maxlength="40" autocomplete="nickname"
                                                bind:value=name aria-describedby="live-name-hint"/>
                                            <p class="meta" id="live-name-hint">{move || i18n.t(Msg::LiveNameHint)}</p>
                                        </div>
                                        {move || bad.get().then(|| view! {
                                            <p class="form-error" role="alert">{i18n.t(Msg::LiveBadName)}</p>
                                        })}
                                        <button type="submit" class="button button-primary button-block">
                                            {move || i18n.t(Msg::LiveJoinButton)}
                                        </button>
                                    </form>
                                    <p><a href=login_href.clone()>{move || i18n.t(Msg::NavLogin)}</a></p>
                                </section>
                            }),
                        }}
                    }
                    .into_any(),
                }
            }})}
        </Transition>
    }
}

#[component]
fn NoSession() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-error" role="alert">
            <p>{move || i18n.t(Msg::LiveNoSession)}</p>
            <p><A href="/live" attr:class="button">{move || i18n.t(Msg::LiveJoinTitle)}</A></p>
        </div>
    }
}

/// A clock for countdowns: `performance.now()`, four times a second.
pub fn use_clock() -> RwSignal<f64> {
    let now = RwSignal::new(now_ms());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_millis(250),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// Whole seconds left on the open question, by the server's count.
pub fn seconds_left(live: LiveSocket, now: RwSignal<f64>) -> Option<u64> {
    let remaining = live
        .view
        .with(|v| v.as_ref().and_then(|v| v.remaining_ms))?;
    let elapsed = (now.get() - live.view_at.get()).max(0.0);
    Some(((remaining as f64 - elapsed).max(0.0) / 1000.0).ceil() as u64)
}

/// The connection line. Only while there is a session to be connected to:
/// not after a refusal that reconnecting cannot fix (a wrong code), nor
/// once the session has ended; offline it says so instead of "reconnecting".
#[component]
pub fn Connection(live: LiveSocket) -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::sync::use_sync();
    let shown = move || {
        live.error
            .with(|e| e.is_none_or(|e| e == LiveError::WrongPhase || e == LiveError::BadMessage))
            && live
                .view
                .with(|v| v.as_ref().is_none_or(|v| v.phase != PhaseName::Ended))
    };
    let msg = move || {
        if live.connected.get() {
            Msg::LiveConnected
        } else if !sync.online.get() {
            Msg::LiveOffline
        } else {
            Msg::LiveReconnecting
        }
    };
    view! {
        <Show when=shown>
            <p class=move || if live.connected.get() { "live-conn live-conn-ok" } else { "live-conn live-conn-down" } role="status">
                {move || i18n.t(msg())}
            </p>
        </Show>
    }
}

/// A guest's name, asked again after the server refused one.
#[component]
fn RenameForm(live: LiveSocket) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let bad = RwSignal::new(false);
    view! {
        <form class="live-join-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match clean_name(&name.get_untracked()) {
                Some(n) => live.join_as(n),
                None => bad.set(true),
            }
        }>
            <p class="form-error" role="alert">{move || i18n.t(Msg::LiveBadName)}</p>
            <div class="field">
                <label for="live-rename">{move || i18n.t(Msg::LiveNameLabel)}</label>
                <input id="live-rename" type="text" maxlength="40" autocomplete="nickname" bind:value=name/>
            </div>
            {move || bad.get().then(|| view! { <p class="form-error">{i18n.t(Msg::LiveBadName)}</p> })}
            <button type="submit" class="button button-primary button-block">{move || i18n.t(Msg::LiveJoinButton)}</button>
        </form>
    }
}

/// The connected phone.
#[component]
fn LivePlayer(code: String, name: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::sync::use_sync();
    let seen_situation = StoredValue::new(None::<String>);
    let live = use_live_socket(&code, Hello::Join { name });
    let now = use_clock();
    let phase = Memo::new(move |_| live.view.with(|v| v.as_ref().map(|v| v.phase)));
    let index = Memo::new(move |_| {
        live.view.with(|v| {
            v.as_ref()
                .and_then(|v| v.question.as_ref().map(|q| q.index))
        })
    });
    let title = move || {
        live.view
            .with(|v| v.as_ref().map(|v| v.title.clone()).unwrap_or_default())
    };
    let error = move || {
        live.error.get().map(|e| {
            if e == LiveError::NoSession {
                view! { <NoSession/> }.into_any()
            } else if e == LiveError::BadName {
                // A guest whose token the server no longer knows: ask again.
                view! { <RenameForm live/> }.into_any()
            } else {
                let login = (e == LiveError::LoginRequired).then(|| view! {
                    <p><a class="button button-primary" href=format!("/login?next=/live/{code}")>{i18n.t(Msg::NavLogin)}</a></p>
                });
                view! {
                    <div class="notice notice-error" role="alert">
                        <p>{i18n.t(live_error_message(e))}</p>
                        {login}
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="live-phone">
            <h1 class="live-title">{title}</h1>
            <Connection live/>
            {error}
            {move || match phase.get() {
                // Not joined yet: offline, say so and that it joins by itself.
                None if !sync.online.get() => view! {
                    <div class="notice notice-info" role="status" data-testid="live-offline">
                        <p>{i18n.t(Msg::LiveJoinOffline)}</p>
                    </div>
                }
                .into_any(),
                None => live.error.with(Option::is_none).then(|| view! { <Loading/> }).into_any(),
                Some(PhaseName::Lobby) => view! {
                    <div class="live-lobby">
                        <p class="lead">{move || i18n.f(Msg::LiveWelcome, &[("name", &live.name.get().unwrap_or_default())])}</p>
                        <p>{move || i18n.t(Msg::LiveWaiting)}</p>
                    </div>
                }
                .into_any(),
                Some(PhaseName::Ended) => view! {
                    <div class="live-ended" data-testid="live-ended">
                        <p class="lead">{move || i18n.t(Msg::LiveEnded)}</p>
                        {move || live.mine.get().map(|mine| {
                            let total = live.view.with(|v| v.as_ref().map_or(0, |v| v.total));
                            let board = live.view.with(|v| v.as_ref().is_some_and(|v| v.leaderboard_on));
                            view! {
                                <div class="panel live-summary" data-testid="live-mine">
                                    <h2>{i18n.t(Msg::LiveYourResult)}</h2>
                                    <p>{i18n.f(Msg::LiveAnsweredOf, &[
                                        ("answered", &mine.answered_count.to_string()),
                                        ("total", &total.to_string()),
                                    ])}</p>
                                    {(mine.scored_count > 0).then(|| view! {
                                        <p>{i18n.f(Msg::LiveCorrectOf, &[
                                            ("correct", &mine.correct_count.to_string()),
                                            ("scored", &mine.scored_count.to_string()),
                                        ])}</p>
                                    })}
                                    {board.then(|| view! {
                                        <p class="live-score">
                                            {i18n.f(Msg::LiveTotal, &[("total", &mine.total_points.to_string())])}
                                            {mine.rank.map(|r| format!(" · {}", i18n.f(Msg::LiveRank, &[("rank", &r.to_string())])))}
                                        </p>
                                    })}
                                </div>
                            }
                        })}
                        <p class="button-row">
                            <A href="/" attr:class="button">{move || i18n.t(Msg::BackHome)}</A>
                        </p>
                    </div>
                }
                .into_any(),
                Some(_) => view! {
                    {move || index.get().and_then(|_| live.view.with_untracked(|v| v.as_ref().and_then(|v| v.question.clone()))).map(|question| {
                        // The situation is shown open with the first of its
                        // questions, folded (a tap away) with the next ones.
                        let first_of_situation = seen_situation.with_value(|s| s.as_deref() != Some(question.situation_title.as_str()));
                        seen_situation.set_value(Some(question.situation_title.clone()));
                        view! { <PhoneQuestion live question now scenario_open=first_of_situation/> }
                    })}
                }
                .into_any(),
            }}
        </section>
    }
}

/// The open (closed, revealed) question on the phone. Made once per
/// question, so a draft survives state updates such as more time.
#[component]
fn PhoneQuestion(
    live: LiveSocket,
    question: QuestionView,
    now: RwSignal<f64>,
    scenario_open: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let q = question.index;
    let total = live
        .view
        .with_untracked(|v| v.as_ref().map_or(0, |v| v.total));
    let body = StoredValue::new(question.question.body.clone());
    let draft = Draft::new(&question.question.body);
    let missing = RwSignal::new(false);
    let phase = Memo::new(move |_| live.view.with(|v| v.as_ref().map(|v| v.phase)));
    let discussion = matches!(
        question.question.body,
        PresentedBody::Opinion {} | PresentedBody::Essay { .. }
    );
    let dom_id = format!("live-q{q}");
    let is_blanks = matches!(question.question.body, PresentedBody::FillBlanks { .. });
    let prompt_html = StoredValue::new(question.question.prompt.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match body.with_value(|b| draft.answer(b)) {
            Some(answer) => {
                missing.set(false);
                live.answer(q, answer);
            }
            None => missing.set(true),
        }
    };
    // Show the form while open and not answered (or refused as invalid).
    let can_answer = move || {
        phase.get() == Some(PhaseName::Open)
            && live.my_answer.with(|a| {
                a.as_ref()
                    .is_none_or(|a| a.q != q || a.ack == Some(Ack::Invalid))
            })
    };
    let revealed = move || phase.get() == Some(PhaseName::Revealed);
    let status = move || {
        let answer = live.my_answer.get().filter(|a| a.q == q);
        let given = live
            .my_answer
            .with(|a| a.as_ref().filter(|a| a.q == q).map(|a| a.answer.clone()))
            .map(|a| body.with_value(|b| answer_text(&Lettered(b), &a, i18n.lang())));
        let given = given.map(
            |text| view! { <p class="live-given">{i18n.t(Msg::YourAnswerLabel)}": "{text}</p> },
        );
        // Once revealed, the verdict below says it all: no green "received"
        // above a red "not correct".
        if revealed() {
            return answer.is_none().then(|| {
                view! { <p class="live-status live-status-missed" role="status">{i18n.t(Msg::LiveNoAnswer)}</p> }.into_any()
            }).or(given.map(IntoAny::into_any));
        }
        let (class, msg) = match answer.map(|a| a.ack) {
            None if phase.get() == Some(PhaseName::Open) => return None,
            None => ("live-status live-status-missed", Msg::LiveNoAnswer),
            Some(None) if live.connected.get() => ("live-status", Msg::LiveSending),
            Some(None) => ("live-status live-status-queued", Msg::LiveQueued),
            Some(Some(Ack::Received | Ack::AlreadyReceived)) => {
                ("live-status live-status-ok", Msg::LiveReceived)
            }
            Some(Some(Ack::TooLate)) => ("live-status live-status-missed", Msg::LiveTooLate),
            Some(Some(Ack::AlreadyAnswered)) => ("live-status", Msg::LiveAlreadyAnswered),
            Some(Some(Ack::NotOpen)) => ("live-status live-status-missed", Msg::LiveNotOpen),
            Some(Some(Ack::Invalid)) => ("form-error", Msg::LiveInvalid),
        };
        let ok = class.contains("-ok");
        Some(view! {
            <p class=class role="status">{if ok { "✓ " } else { "" }}{i18n.t(msg)}</p>
            {given}
            {(ok && discussion).then(|| view! { <p class="meta">{i18n.t(Msg::LiveOpinionNote)}</p> })}
        }.into_any())
    };
    let countdown = move || {
        let text = match phase.get() {
            Some(PhaseName::Open) => {
                let s = seconds_left(live, now)?;
                i18n.f(Msg::LiveSecondsLeft, &[("s", &s.to_string())])
            }
            Some(PhaseName::Closed) => i18n.t(Msg::LiveTimeUp).to_string(),
            _ => return None,
        };
        Some(view! { <p class="live-countdown">{text}</p> })
    };
    // When the answer is revealed, it comes into view (the trainee may be
    // far down, under the situation) and takes the focus.
    let reveal_ref = NodeRef::<leptos::html::Div>::new();
    // Once more when the trainee's own result arrives (it may come just
    // after the reveal): it goes above what is shown, and the browser's
    // scroll anchoring would otherwise leave it out of view.
    Effect::new(move |shown: Option<(bool, bool)>| {
        let revealed = phase.get() == Some(PhaseName::Revealed);
        let own = live.mine.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.q == Some(q) && m.answered && m.correctness.is_some())
        });
        if revealed && shown != Some((true, own)) {
            if let Some(el) = reveal_ref.get() {
                crate::components::question::reveal_at_top(&el);
                return (true, own);
            }
            return (false, false);
        }
        (revealed, own)
    });
    let reveal = move || {
        let question = live
            .view
            .with(|v| v.as_ref().and_then(|v| v.reveal.clone()))?;
        let mine = live.mine.get();
        let board = live
            .view
            .with(|v| v.as_ref().is_some_and(|v| v.leaderboard_on));
        // The trainee's own result on this question: right or wrong in
        // colour, an icon and words, and the marks it earned.
        let own = mine.as_ref().filter(|m| m.q == Some(q) && m.answered).and_then(|m| {
            let verdict = crate::components::question::verdict_view(m.correctness?)?;
            let marks = i18n.f(
                Msg::LiveYourMarks,
                &[
                    ("earned", &crate::components::question::points(i18n.lang(), m.earned)),
                    ("max", &crate::components::question::points(i18n.lang(), m.max)),
                ],
            );
            Some(view! {
                <div class=format!("verdict-box verdict-box-{}", format!("{:?}", m.correctness?).to_lowercase()) data-testid="live-verdict">
                    {verdict}
                    <p class="verdict-points">{marks}</p>
                </div>
            })
        });
        let correct = body
            .with_value(|b| lettered_correct(b, &question))
            .or_else(|| correct_answer(&question, i18n.lang()));
        Some(view! {
            {own}
            {mine.filter(|_| board).map(|m| view! {
                <p class="live-score">
                    {i18n.f(Msg::LivePoints, &[("points", &m.points.to_string()), ("total", &m.total_points.to_string())])}
                    {m.rank.map(|r| format!(" · {}", i18n.f(Msg::LiveRank, &[("rank", &r.to_string())])))}
                </p>
            })}
            {correct.map(|text| view! { <p class="live-correct">{i18n.f(Msg::LiveCorrectAnswer, &[("answer", &text)])}</p> })}
            {question.explanation.map(|html| view! {
                <div class="explanation">
                    <p class="explanation-label">{i18n.t(Msg::ExplanationLabel)}</p>
                    <div inner_html=html></div>
                </div>
            })}
        })
    };
    let scenario = (!question.scenario_html.is_empty()).then(|| {
        view! {
            <details class="live-scenario" open=scenario_open>
                <summary>{i18n.t(Msg::ScenarioLabel)}": "{question.situation_title.clone()}</summary>
                <div class="lesson-body" inner_html=question.scenario_html.clone()></div>
            </details>
        }
    });
    view! {
        <article class="live-question card" data-q=q.to_string()>
            <div class="live-question-head">
                <p class="eyebrow">{move || i18n.f(Msg::QuestionOf, &[("n", &(q + 1).to_string()), ("total", &total.to_string())])}</p>
                {countdown}
            </div>
            {scenario}
            {(!is_blanks).then(|| view! { <div class="question-prompt" inner_html=prompt_html.get_value()></div> })}
            {move || if can_answer() {
                let inputs = if is_blanks {
                    blanks(body.get_value(), draft, &dom_id, &prompt_html.get_value())
                } else {
                    lettered_inputs(body.get_value(), draft, &dom_id, true)
                };
                Either::Left(view! {
                    <form class="question-form" on:submit=submit novalidate>
                        {inputs}
                        {move || missing.get().then(|| view! {
                            <p class="form-error" role="alert">{i18n.t(Msg::AnswerRequired)}</p>
                        })}
                        {status}
                        <button type="submit" class="button button-primary button-block">
                            {move || i18n.t(Msg::SubmitAnswer)}
                        </button>
                    </form>
                })
            } else {
                // A fill-in shows its text with what was given in the blanks.
                let filled = is_blanks.then(|| {
                    let given: Vec<String> = match live.my_answer.get().filter(|a| a.q == q).map(|a| a.answer) {
                        Some(Answer::FillBlanks { gaps }) => body.with_value(|b| gap_words(b, &gaps)),
                        _ => body.with_value(|b| match b {
                            PresentedBody::FillBlanks { gaps } => vec![String::new(); gaps.len()],
                            _ => Vec::new(),
                        }),
                    };
                    view! { <div class="question-prompt" inner_html=prompt_html.with_value(|p| filled_in_html(p, &given))></div> }
                });
                Either::Right(view! { {filled} {status} <div class="live-reveal" node_ref=reveal_ref tabindex="-1">{reveal}</div> })
            }}
        </article>
    }
}

/// The correct options of a revealed choice question, lettered as shown.
fn lettered_correct(body: &PresentedBody, question: &Question) -> Option<String> {
    let (PresentedBody::SingleChoice { options: shown }
    | PresentedBody::MultipleChoice { options: shown }) = body
    else {
        return None;
    };
    let (QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options }) =
        &question.body
    else {
        return None;
    };
    Some(
        shown
            .iter()
            .enumerate()
            .filter(|(_, o)| options.iter().any(|c| c.correct && c.id == o.id))
            .map(|(at, o)| format!("{}. {}", letter(at), o.text))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// What was given in each blank, an option's text rather than its id.
fn gap_words(body: &PresentedBody, given: &[String]) -> Vec<String> {
    let shown = Lettered(body);
    given
        .iter()
        .enumerate()
        .map(|(gap, id)| shown.gap_option(gap, id).unwrap_or_else(|| id.clone()))
        .collect()
}

/// An accepted value in the reader's language: `1930`, `2,5 (sai số cho
/// phép ±0,5)`.
pub fn numeric_words(
    answer: &lophoc_core::question::NumericAnswer,
    lang: lophoc_core::i18n::Lang,
) -> String {
    let comma = lang == lophoc_core::i18n::Lang::Vi;
    let value = answer.value.display(comma);
    if answer.tolerance == lophoc_core::number::Decimal::ZERO {
        value
    } else {
        Msg::NumberAcceptedIs
            .text(lang)
            .replace("{value}", &value)
            .replace("{tolerance}", &answer.tolerance.display(comma))
    }
}

/// The correct answer of a revealed question, in words; `None` for
/// opinions and essays.
pub fn correct_answer(question: &Question, lang: lophoc_core::i18n::Lang) -> Option<String> {
    match &question.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => Some(
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.text.clone())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        QuestionBody::TrueFalse { answer, .. } => Some(Msg::truth(*answer).text(lang).to_string()),
        QuestionBody::Ordering { items } => Some(items.join(" → ")),
        QuestionBody::Matching { pairs, .. } => Some(
            pairs
                .iter()
                .map(|(l, r)| format!("{l} — {r}"))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        QuestionBody::ShortAnswer { accepted, .. } => accepted
            .iter()
            .find(|a| a.credit == lophoc_core::question::FULL_CREDIT)
            .map(|a| a.text.clone()),
        QuestionBody::Numerical { answers } => Some(
            answers
                .iter()
                .filter(|a| a.credit == lophoc_core::question::FULL_CREDIT)
                .map(|a| numeric_words(a, lang))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        QuestionBody::FillBlanks { gaps } => Some(
            gaps.iter()
                .enumerate()
                .map(|(i, g)| {
                    let text = match g {
                        lophoc_core::question::Gap::Numerical { answers, .. } => answers
                            .iter()
                            .filter(|a| a.credit == lophoc_core::question::FULL_CREDIT)
                            .map(|a| numeric_words(a, lang))
                            .collect::<Vec<_>>()
                            .join(" / "),
                        other => lophoc_core::assessment::gap_answer_text(other),
                    };
                    format!("({}) {text}", i + 1)
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        QuestionBody::Essay { .. } | QuestionBody::Opinion {} => None,
    }
}
