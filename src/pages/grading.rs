//! `/grading`: the lecturer's queue of essay answers waiting for marks.
//!
//! Policy: lecturers and centre admins only (the server answers 403 to
//! anyone else). A lecturer scores each rubric criterion and writes a
//! comment; the grade is an event in the lecturer's outbox, so marking works
//! on a phone with a weak connection and is sent when it can be. The trainee
//! sees the marks and the comment in their attempt's review.

use leptos::prelude::*;
use lophoc_core::{
    assessment::GradingItem, i18n::Msg, limits::TextField, question::CENTI_PER_POINT, sync::Event,
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
                    Ok(list) => view! {
                        <div class="question-list">
                            {list.into_iter().map(|item| view! { <GradeCard item/> }).collect_view()}
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GradeCard(item: GradingItem) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let marks: Vec<RwSignal<String>> = item
        .rubric
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let comment = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let invalid = RwSignal::new(false);
    let key = format!("{}-{}", item.attempt_id, item.question_id);
    let rubric = item.rubric.clone();
    let field_key = key.clone();
    let field_marks = marks.clone();
    let field_rubric = rubric.clone();
    // A function, not a built view: `Show` may build its children again.
    let fields = move || {
        field_rubric
        .iter()
        .zip(field_marks.iter().copied())
        .enumerate()
        .map(|(i, (criterion, value))| {
            let id = format!("g-{field_key}-{i}");
            let (description, max) = (criterion.description.clone(), criterion.max_points.to_string());
            view! {
                <div class="field">
                    <label for=id.clone()>{move || i18n.f(Msg::CriterionPoints, &[("description", &description), ("max", &max)])}</label>
                    // Text with a decimal keypad: "2,5" as Vietnamese write it is accepted.
                    <input type="text" id=id inputmode="decimal" autocomplete="off" bind:value=value/>
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
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Marks in hundredths, each within 0..=max; a comma works as the decimal mark.
        let mut scores = Vec::new();
        for (criterion, value) in rubric.iter().zip(marks.iter()) {
            let text = value.get_untracked().trim().replace(',', ".");
            let points: f64 = if text.is_empty() {
                0.0
            } else {
                text.parse().unwrap_or(-1.0)
            };
            if !(0.0..=f64::from(criterion.max_points)).contains(&points) {
                invalid.set(true);
                return;
            }
            scores.push((
                criterion.id.clone(),
                (points * f64::from(CENTI_PER_POINT)).round() as u32,
            ));
        }
        invalid.set(false);
        let (course_id, assessment_id, attempt_id, question_id) = event_base.clone();
        let event = Event::EssayGraded {
            course_id,
            assessment_id,
            attempt_id,
            question_id,
            scores,
            comment: comment.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move {
            if sync.record_saved(event).await {
                saved.set(true);
            }
        });
    };
    let comment_id = format!("c-{key}");
    view! {
        <section class="question card grade-card">
            <p class="eyebrow">{item.assessment_title.clone()}</p>
            <p><strong>{move || i18n.f(Msg::GradingTrainee, &[("name", &item.trainee)])}</strong></p>
            <div class="question-prompt" inner_html=item.prompt.clone()></div>
            <blockquote class="own-answer">{item.answer.clone()}</blockquote>
            <Show when=move || !saved.get() fallback=move || view! {
                <p class="badge-done" role="status">"✓ " {i18n.t(Msg::GradeSaved)}</p>
            }>
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
