//! `/grading`: the lecturer's queue of essay answers waiting for marks.
//!
//! Policy: lecturers and centre admins only (the server answers 403 to
//! anyone else). A lecturer scores each rubric criterion and writes a
//! comment; the grade is an event in the lecturer's outbox, so marking works
//! on a phone with a weak connection and is sent when it can be. The trainee
//! sees the marks and the comment in their attempt's review.
//!
//! Each card shows the question, the answer, the model answer and the
//! grader's note. A mark out of range is marked on its own field; a saved
//! grade echoes its total and leads to the next answer in the queue, or says
//! the queue is empty.

use leptos::prelude::*;
use lophoc_core::{
    assessment::GradingItem, events::Event, i18n::Msg, limits::TextField, question::CENTI_PER_POINT,
};

use crate::{
    api,
    components::{max_length, use_title, ErrorNotice, LimitHint, Loading},
    state::i18n::use_i18n,
    sync::use_sync,
};

#[component]
pub fn GradingPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::GradingTitle).to_string());
    let items = LocalResource::new(api::grading);
    view! {
        <h1>{move || i18n.t(Msg::GradingTitle)}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(list) if list.is_empty() => view! { <p>{i18n.t(Msg::GradingEmpty)}</p> }.into_any(),
                    Ok(list) => {
                        // Keys of the answers not marked yet, in queue order.
                        let waiting = RwSignal::new(list.iter().map(card_key).collect::<Vec<_>>());
                        view! {
                            <p class="meta" data-testid="grading-left">{move || i18n.f(Msg::GradingLeft, &[("n", &waiting.with(Vec::len).to_string())])}</p>
                            <div class="question-list">
                                {list.into_iter().map(|item| view! { <GradeCard item waiting/> }).collect_view()}
                            </div>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn card_key(item: &GradingItem) -> String {
    format!("{}-{}", item.attempt_id, item.question_id)
}

/// Brings the card `key` to the top of the screen and focuses its first
/// mark.
fn go_to_card(key: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(card) = document
        .get_element_by_id(&format!("card-{key}"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        crate::components::question::reveal_at_top(&card);
    }
    if let Some(input) = document
        .get_element_by_id(&format!("g-{key}-0"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = input.focus();
    }
}

#[component]
fn GradeCard(item: GradingItem, waiting: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let marks: Vec<RwSignal<String>> = item
        .rubric
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    // Per criterion: whether its mark is out of range.
    let wrong: Vec<RwSignal<bool>> = item.rubric.iter().map(|_| RwSignal::new(false)).collect();
    let comment = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<(u32, u32)>);
    let invalid = RwSignal::new(false);
    let key = card_key(&item);
    let rubric = item.rubric.clone();
    let field_key = key.clone();
    let field_marks = marks.clone();
    let field_rubric = rubric.clone();
    let field_wrong = wrong.clone();
    // A function, not a built view: `Show` may build its children again.
    let fields = move || {
        field_rubric
        .iter()
        .zip(field_marks.iter().copied())
        .zip(field_wrong.iter().copied())
        .enumerate()
        .map(|(i, ((criterion, value), wrong))| {
            let id = format!("g-{field_key}-{i}");
            let error_id = format!("{id}-error");
            let error_id_again = error_id.clone();
            let (description, max) = (criterion.description.clone(), criterion.max_points.to_string());
            let max_again = max.clone();
            view! {
                <div class="field">
                    <label for=id.clone()>{move || i18n.f(Msg::CriterionPoints, &[("description", &description), ("max", &max)])}</label>
                    // Text with a decimal keypad: "2,5" as Vietnamese write it is accepted.
                    <input type="text" id=id inputmode="decimal" autocomplete="off" bind:value=value
                        aria-invalid=move || wrong.get().to_string()
                        aria-describedby=move || wrong.get().then(|| error_id.clone())/>
                    {move || wrong.get().then(|| view! {
                        <p class="field-error" id=error_id_again.clone()>
                            {i18n.f(Msg::GradeFieldRange, &[("max", &max_again)])}
                        </p>
                    })}
                </div>
            }
        })
        .collect_view()
    };
    let event_base = (
        item.course_id.clone(),
        item.assessment_id.clone(),
        item.attempt_id.clone(),
        item.question_id.clone(),
    );
    let save_key = key.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Marks in hundredths, each within 0..=max; a comma works as the
        // decimal mark. Every field out of range is marked, the first one
        // takes the focus.
        let mut scores = Vec::new();
        let mut first_wrong = None;
        for (i, ((criterion, value), wrong)) in rubric
            .iter()
            .zip(marks.iter())
            .zip(wrong.iter())
            .enumerate()
        {
            let text = value.get_untracked().trim().replace(',', ".");
            let points: f64 = if text.is_empty() {
                0.0
            } else {
                text.parse().unwrap_or(-1.0)
            };
            let bad = !(0.0..=f64::from(criterion.max_points)).contains(&points);
            wrong.set(bad);
            if bad {
                first_wrong.get_or_insert(i);
            }
            scores.push((
                criterion.id.clone(),
                (points * f64::from(CENTI_PER_POINT)).round() as u32,
            ));
        }
        if let Some(i) = first_wrong {
            invalid.set(true);
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("g-{save_key}-{i}")))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = input.focus();
            }
            return;
        }
        invalid.set(false);
        let earned: u32 = scores.iter().map(|(_, c)| *c).sum();
        let max: u32 = rubric.iter().map(|c| c.max_points * CENTI_PER_POINT).sum();
        let (course_id, assessment_id, attempt_id, question_id) = event_base.clone();
        let event = Event::EssayGraded {
            course_id,
            assessment_id,
            attempt_id,
            question_id,
            scores,
            comment: comment.get_untracked().trim().to_string(),
        };
        let done_key = save_key.clone();
        leptos::task::spawn_local(async move {
            if sync.record_saved(event).await {
                saved.set(Some((earned, max)));
                waiting.update(|w| w.retain(|k| *k != done_key));
            }
        });
    };
    let comment_id = format!("c-{key}");
    // After saving: the total, then the next answer left in the queue, or
    // that the queue is empty.
    let after_save = move || {
        let (earned, max) = saved.get()?;
        let lang = i18n.lang();
        let total = i18n.f(
            Msg::GradeSavedTotal,
            &[
                ("earned", &crate::components::question::points(lang, earned)),
                ("max", &crate::components::question::points(lang, max)),
            ],
        );
        let next = waiting.with(|w| w.first().cloned());
        Some(view! {
            <div class="grade-saved" role="status">
                <p class="badge-done">"✓ " {total}</p>
                <p class="meta">{i18n.t(Msg::GradeSavedWhen)}</p>
                {match next {
                    Some(next) => view! {
                        <button type="button" class="button button-primary" on:click=move |_| go_to_card(&next)>
                            {i18n.t(Msg::GradeNext)}
                        </button>
                    }.into_any(),
                    None => view! { <p class="notice notice-info" data-testid="queue-empty">{i18n.t(Msg::GradingAllDone)}</p> }.into_any(),
                }}
            </div>
        })
    };
    let model = item.model_answer.clone().map(|html| {
        view! {
            <details class="grader-note">
                <summary>{move || i18n.t(Msg::ModelAnswerTitle)}</summary>
                <div class="lesson-body" inner_html=html></div>
            </details>
        }
    });
    let note = item.grader_note.clone().map(|html| {
        view! {
            <details class="grader-note" open>
                <summary>{move || i18n.t(Msg::GraderNoteTitle)}</summary>
                <div class="lesson-body" inner_html=html></div>
            </details>
        }
    });
    view! {
        <section class="question card grade-card" id=format!("card-{key}") tabindex="-1">
            <p class="eyebrow">{item.assessment_title.clone()}</p>
            <p><strong>{move || i18n.f(Msg::GradingTrainee, &[("name", &item.trainee)])}</strong></p>
            <div class="question-prompt" inner_html=item.prompt.clone()></div>
            <blockquote class="own-answer">{item.answer.clone()}</blockquote>
            {note}
            {model}
            <Show when=move || saved.with(Option::is_none) fallback=after_save>
                <form class="question-form" on:submit=save.clone() novalidate>
                    {fields.clone()}
                    <div class="field">
                        <label for=comment_id.clone()>{move || i18n.t(Msg::GradeComment)}</label>
                        <textarea id=comment_id.clone() rows="3" bind:value=comment
                            maxlength=max_length(TextField::Comment)></textarea>
                        <LimitHint field=TextField::Comment text=comment/>
                    </div>
                    {move || invalid.get().then(|| view! { <p class="form-error" role="alert">{i18n.t(Msg::GradeInvalid)}</p> })}
                    <button type="submit" class="button button-primary button-block">{move || i18n.t(Msg::SaveGrade)}</button>
                </form>
            </Show>
        </section>
    }
}
