//! `/courses/:course/situations/:situation`: a situation set — the scenario,
//! its branching scenario if it has one (played step by step), then its
//! questions, answered one by one; for discussion sets, classmates' views
//! without names and the lecturer's guidance once the trainee has given
//! their own (or reached an ending of the branching scenario).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    content::{SituationMode, SituationSet},
    i18n::Msg,
    question::Answer,
    sync::Event,
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
/// the device's events (own and pulled from other devices).
async fn latest_answers(user: Option<i64>, course: &str, set: &str) -> HashMap<String, Answer> {
    let mut latest: HashMap<String, (i64, Answer)> = HashMap::new();
    let Some(user) = user else {
        return HashMap::new();
    };
    let Ok(local) = store::get().await else {
        return HashMap::new();
    };
    for op in local.events(user).await.unwrap_or_default() {
        if let Event::SituationAnswered {
            course_id,
            situation_id,
            question_id,
            answer,
        } = op.event
        {
            if course_id == course && situation_id == set {
                let newer = latest
                    .get(&question_id)
                    .is_none_or(|(t, _)| op.client_time_ms >= *t);
                if newer {
                    latest.insert(question_id, (op.client_time_ms, answer));
                }
            }
        }
    }
    latest.into_iter().map(|(q, (_, a))| (q, a)).collect()
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
            Ok::<_, ClientError>((set, answers))
        }
    });
    use_title(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(set, _)| set.title)
            .unwrap_or_default()
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((set, answers)) => view! { <SituationView set answers/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SituationView(set: SituationSet, answers: HashMap<String, Answer>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let total = set.questions.len();
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
