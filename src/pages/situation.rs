//! `/courses/:course/situations/:situation`: a situation set — the scenario,
//! its branching scenario if it has one (played step by step), then its
//! questions, answered one by one; for discussion sets, classmates' views
//! without names and the lecturer's guidance once the trainee has given
//! their own (or reached an ending of the branching scenario).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    content::{CourseOutline, ItemKind, SituationMode, SituationSet},
    i18n::Msg,
    progress::latest_situation_answers,
    question::{score, Answer, Correctness},
};

use crate::{
    api::{self, ClientError},
    components::{
        branching::ScenarioPlayer, question::QuestionCard, use_title, ErrorNotice, Loading,
    },
    offline,
    state::{i18n::use_i18n, session::use_session},
    store,
    sync::use_sync,
};

/// The trainee's latest recorded answer to each question of a set, from
/// the device's events (own and pulled from other devices), by the one
/// rule the lecturer's drill-down uses too
/// (`lophoc_core::progress::latest_situation_answers`).
async fn latest_answers(user: Option<i64>, course: &str, set: &str) -> HashMap<String, Answer> {
    let Some(user) = user else {
        return HashMap::new();
    };
    let Ok(local) = store::get().await else {
        return HashMap::new();
    };
    let events = local.events(user).await.unwrap_or_default();
    latest_situation_answers(&events, course, set)
}

#[component]
pub fn SituationPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let course_id = move || params.read().get("course").unwrap_or_default();
    let set_id = move || params.read().get("situation").unwrap_or_default();
    let data = LocalResource::new(move || {
        let (course, id) = (course_id(), set_id());
        let user = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
        async move {
            let set = offline::situation(course.clone(), id.clone()).await?;
            let answers = latest_answers(user, &course, &id).await;
            // For the next step at the end; the set works without it.
            let outline = offline::course(course).await.ok();
            Ok::<_, ClientError>((set, answers, outline))
        }
    });
    use_title(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(set, _, _)| set.title)
            .unwrap_or_default()
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((set, answers, outline)) => view! { <SituationView set answers outline/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SituationView(
    set: SituationSet,
    answers: HashMap<String, Answer>,
    outline: Option<CourseOutline>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let total = set.questions.len();
    // The latest answer to each question, for the summary at the end.
    let latest = RwSignal::new(answers.clone());
    let on_answer = Callback::new(move |(id, answer): (String, Answer)| {
        latest.update(|l| {
            l.insert(id, answer);
        });
    });
    let module_href = format!("/courses/{}/modules/{}", set.course_id, set.module_id);
    let (course_id, set_id) = (set.course_id.clone(), set.id.clone());
    // A plain closure over the app-wide signal (see LessonView).
    let answered = move || sync.progress.with(|p| p.answered_in(&course_id, &set_id));
    let mode_label = match set.mode {
        SituationMode::Discussion => Msg::ModeDiscussion,
        SituationMode::Practice => Msg::ModePractice,
    };
    let questions = set
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            view! {
                <QuestionCard
                    course_id=set.course_id.clone()
                    situation_id=set.id.clone()
                    mode=set.mode
                    question=q.clone()
                    number=i + 1
                    total
                    previous=answers.get(&q.id).cloned()
                    on_answer
                />
            }
        })
        .collect_view();
    let discussion = set.mode == SituationMode::Discussion;
    let order: Vec<String> = set.questions.iter().map(|q| q.id.clone()).collect();
    let has_answered = {
        let answered = answered.clone();
        move || answered() != 0
    };
    let has_answered_too = has_answered.clone();
    let guidance = set.guidance_html.clone();
    let summary_set = set.clone();
    let (course_for_others, set_for_others) = (set.course_id.clone(), set.id.clone());
    // A branching scenario's run has reached an ending.
    let scenario_ended = RwSignal::new(false);
    let player = set.scenario.clone().map(|scenario| {
        view! {
            <ScenarioPlayer
                course_id=set.course_id.clone()
                situation_id=set.id.clone()
                scenario
                ended=scenario_ended
            />
        }
    });
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
            <A href=module_href>{move || i18n.t(Msg::BackToModule)}</A>
        </nav>
        <p class="eyebrow">{move || i18n.t(mode_label)}</p>
        <h1>{set.title.clone()}</h1>
        {(total > 0).then(|| view! {
            <p class="meta" data-testid="answered-count">
                {move || i18n.f(Msg::AnsweredCount, &[("done", &answered().to_string()), ("total", &total.to_string())])}
            </p>
        })}
        <section class="scenario" aria-labelledby="scenario-heading">
            <h2 id="scenario-heading">{move || i18n.t(Msg::ScenarioLabel)}</h2>
            <div class="lesson-body" inner_html=set.scenario_html.clone()></div>
        </section>
        {player}
        <div class="question-list">{questions}</div>
        <Show when=move || discussion && has_answered()>
            <Others course=course_for_others.clone() set=set_for_others.clone() order=order.clone()/>
        </Show>
        <Show when=move || !guidance.is_empty() && (has_answered_too() || scenario_ended.try_get().unwrap_or(false))>
            <section class="panel guidance" aria-labelledby="guidance-heading">
                <h2 id="guidance-heading">{move || i18n.t(Msg::GuidanceTitle)}</h2>
                <div class="lesson-body" inner_html=set.guidance_html.clone()></div>
            </section>
        </Show>
        <SetEnd set=summary_set latest scenario_ended outline/>
    }
}

/// The end of a set, once every question is answered (or a branching
/// scenario reached an ending): what the trainee did, and where to go next —
/// back to the module, or the next item of the course.
#[component]
fn SetEnd(
    set: SituationSet,
    latest: RwSignal<HashMap<String, Answer>>,
    scenario_ended: RwSignal<bool>,
    outline: Option<CourseOutline>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = set.questions.len();
    let practice = set.mode == SituationMode::Practice;
    let questions = StoredValue::new(set.questions.clone());
    let done = move || {
        if total == 0 {
            scenario_ended.try_get().unwrap_or(false)
        } else {
            latest.with(|l| questions.with_value(|qs| qs.iter().all(|q| l.contains_key(&q.id))))
        }
    };
    let tally = move || {
        latest.with(|l| {
            questions.with_value(|qs| {
                let mut counts = [0_usize; 3];
                for q in qs {
                    if let Some(a) = l.get(&q.id) {
                        match score(q, a).correctness {
                            Correctness::Correct => counts[0] += 1,
                            Correctness::Partial => counts[1] += 1,
                            Correctness::Incorrect => counts[2] += 1,
                            Correctness::NeedsGrading | Correctness::NotScored => {}
                        }
                    }
                }
                counts
            })
        })
    };
    let module_href = format!("/courses/{}/modules/{}", set.course_id, set.module_id);
    let next = outline.as_ref().and_then(|o| {
        o.item_after(ItemKind::Situation, &set.id).map(|item| {
            (
                item.href(&o.id),
                item.title,
                item.module_id != set.module_id,
            )
        })
    });
    view! {
        <Show when=done>
            <section class="panel set-end" aria-labelledby="set-end-heading" data-testid="set-end">
                <h2 id="set-end-heading">{move || i18n.t(Msg::SetEndTitle)}</h2>
                {(total > 0).then(|| view! {
                    <p>{move || i18n.f(Msg::SetEndAnswered, &[("n", &total.to_string())])}</p>
                })}
                {practice.then(|| view! {
                    <p class="set-end-tally">{move || {
                        let [right, partly, wrong] = tally();
                        i18n.f(Msg::SetEndTally, &[
                            ("right", &right.to_string()),
                            ("partly", &partly.to_string()),
                            ("wrong", &wrong.to_string()),
                        ])
                    }}</p>
                })}
                <div class="button-row">
                    {next.clone().map(|(href, title, _)| view! {
                        <A href=href attr:class="button button-primary">{move || i18n.f(Msg::NextItem, &[("title", &title)])}</A>
                    })}
                    <A href=module_href.clone() attr:class="button">{move || i18n.t(Msg::BackToModule)}</A>
                </div>
            </section>
        </Show>
    }
}

/// Classmates' answers without names; needs the network.
#[component]
fn Others(course: String, set: String, order: Vec<String>) -> impl IntoView {
    let order = StoredValue::new(order);
    let i18n = use_i18n();
    let sync = use_sync();
    // Refetch after each new answer of the trainee (pending changes count).
    let responses = LocalResource::new(move || {
        let _ = sync.pending.get();
        let (course, set) = (course.clone(), set.clone());
        async move { api::responses(&course, &set).await }
    });
    view! {
        <section class="panel others" aria-labelledby="others-heading">
            <h2 id="others-heading">{move || i18n.t(Msg::OthersTitle)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match responses.await {
                        Ok(list) if list.is_empty() => view! { <p>{i18n.t(Msg::OthersNone)}</p> }.into_any(),
                        Ok(mut list) => {
                            // Grouped by question, in the set's order.
                            let position = |id: &str| order.with_value(|o| o.iter().position(|q| q == id).unwrap_or(usize::MAX));
                            list.sort_by_key(|r| position(&r.question_id));
                            view! {
                                <ul class="responses">
                                    {list.into_iter().map(|r| {
                                        let n = position(&r.question_id).saturating_add(1).to_string();
                                        view! {
                                            <li>
                                                <span class="eyebrow">{i18n.f(Msg::QuestionNumber, &[("n", &n)])}</span>
                                                <p>{r.text}</p>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                        Err(ClientError::Network) => view! { <p>{i18n.t(Msg::OthersOffline)}</p> }.into_any(),
                        // Not yet synced: the server has not seen this trainee's answer.
                        Err(_) => view! { <p>{i18n.t(Msg::OthersNone)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
