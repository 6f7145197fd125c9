//! The form of one question of a situation set, for every question kind:
//! its kind, prompt, kind-specific fields (options, true/false, items in
//! order, pairs, accepted answers, essay rubric), points, difficulty, topics
//! and explanation. Every change updates the set's form, which writes the
//! file (see `SituationFormEditor`).
//!
//! Rows (options, items, pairs…) are addressed by index and read back from
//! the form on every change, so removing or moving one never leaves a stale
//! field behind.

use leptos::{ev, prelude::*};
use lophoc_core::{
    authoring::{body_of_kind, next_id, FormQuestion, QuestionKind, SituationForm},
    i18n::Msg,
    number::Decimal,
    question::{Accepted, Choice, Criterion, Difficulty, Gap, NumericAnswer, QuestionBody},
};

use super::editor::bound_field;
use crate::state::i18n::use_i18n;

type Form = RwSignal<SituationForm>;

/// Reads question `qi` of the form (tracked).
fn read<T>(form: Form, qi: usize, get: impl FnOnce(&FormQuestion) -> T) -> Option<T> {
    form.with(|f| f.questions.get(qi).map(get))
}

/// Changes question `qi` of the form.
fn write(form: Form, qi: usize, set: impl FnOnce(&mut FormQuestion)) {
    form.update(|f| {
        if let Some(q) = f.questions.get_mut(qi) {
            set(q);
        }
    });
}

/// A labelled text input (or area) bound to a piece of question `qi`.
fn text(
    id: String,
    label: impl Fn() -> String + Send + Sync + 'static,
    multiline: bool,
    form: Form,
    qi: usize,
    get: impl Fn(&FormQuestion) -> Option<String> + Send + Sync + Copy + 'static,
    set: impl Fn(&mut FormQuestion, String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let value = move || read(form, qi, get).flatten().unwrap_or_default();
    let input = move |v: String| write(form, qi, |q| set(q, v));
    bound_field(id, label, multiline, value, input)
}

/// How many rows (options, items, pairs…) the list `list` of question `qi`
/// has now (tracked).
fn rows<T>(form: Form, qi: usize, list: fn(&FormQuestion) -> Option<&Vec<T>>) -> usize {
    read(form, qi, |q| list(q).map_or(0, Vec::len)).unwrap_or(0)
}

/// A small button that changes question `qi`, with a spoken name that says
/// which row it acts on.
fn row_button(
    label: Msg,
    spoken: impl Fn() -> String + Send + Sync + 'static,
    form: Form,
    qi: usize,
    act: impl Fn(&mut FormQuestion) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button button-small" aria-label=spoken
            on:click=move |_| write(form, qi, act)>
            {move || i18n.t(label)}
        </button>
    }
}

fn kind_msg(kind: QuestionKind) -> Msg {
    match kind {
        QuestionKind::SingleChoice => Msg::KindSingleChoice,
        QuestionKind::MultipleChoice => Msg::KindMultipleChoice,
        QuestionKind::TrueFalse => Msg::KindTrueFalse,
        QuestionKind::Ordering => Msg::KindOrdering,
        QuestionKind::Matching => Msg::KindMatching,
        QuestionKind::ShortAnswer => Msg::KindShortAnswer,
        QuestionKind::Numerical => Msg::KindNumerical,
        QuestionKind::FillBlanks => Msg::KindFillBlanks,
        QuestionKind::Essay => Msg::KindEssay,
        QuestionKind::Opinion => Msg::KindOpinion,
    }
}

fn n(i: usize) -> String {
    (i + 1).to_string()
}

#[component]
pub fn QuestionFields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    // The kind alone: the body's fields are rebuilt when it changes, not on
    // every keystroke.
    let kind = Memo::new(move |_| read(form, qi, |q| QuestionKind::of(&q.body)));
    let set_kind = move |ev: ev::Event| {
        if let Some(kind) = QuestionKind::parse(&event_target_value(&ev)) {
            write(form, qi, |q| {
                if QuestionKind::of(&q.body) != kind {
                    q.body = body_of_kind(kind, Some(&q.body));
                }
            });
        }
    };
    let remove = move |_| {
        form.update(|f| {
            if qi < f.questions.len() {
                f.questions.remove(qi);
            }
        });
    };
    let legend = move || i18n.f(Msg::AuthQuestionN, &[("n", &n(qi))]);
    let scored = move || {
        !matches!(
            kind.get(),
            Some(QuestionKind::Essay | QuestionKind::Opinion) | None
        )
    };
    let body = move || match kind.get() {
        Some(QuestionKind::SingleChoice) => choice_fields(form, qi, false).into_any(),
        Some(QuestionKind::MultipleChoice) => choice_fields(form, qi, true).into_any(),
        Some(QuestionKind::TrueFalse) => true_false_fields(form, qi).into_any(),
        Some(QuestionKind::Ordering) => ordering_fields(form, qi).into_any(),
        Some(QuestionKind::Matching) => matching_fields(form, qi).into_any(),
        Some(QuestionKind::ShortAnswer) => short_answer_fields(form, qi).into_any(),
        Some(QuestionKind::Numerical) => numerical_fields(form, qi).into_any(),
        Some(QuestionKind::FillBlanks) => blanks_fields(form, qi).into_any(),
        Some(QuestionKind::Essay) => essay_fields(form, qi).into_any(),
        Some(QuestionKind::Opinion) => {
            view! { <p class="hint">{move || i18n.t(Msg::AuthOpinionHint)}</p> }.into_any()
        }
        None => ().into_any(),
    };
    let points_id = format!("q{qi}-points");
    let difficulty_id = format!("q{qi}-difficulty");
    let kind_id = format!("q{qi}-kind");
    view! {
        <fieldset class="panel form-question" data-testid="form-question">
            <legend>{legend}</legend>
            <div class="field">
                <label for=kind_id.clone()>{move || i18n.t(Msg::AuthQuestionKind)}</label>
                <select id=kind_id on:change=set_kind>
                    {QuestionKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == Some(k)>
                            {move || i18n.t(kind_msg(k))}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {text(format!("q{qi}-prompt"), move || i18n.t(Msg::AuthPrompt).to_string(), true, form, qi,
                |q| Some(q.prompt.clone()), |q, v| q.prompt = v)}
            {body}
            <Show when=scored>
                <div class="field">
                    <label for=points_id.clone()>{move || i18n.t(Msg::AuthPoints)}</label>
                    <input id=points_id.clone() type="number" min="1" max="100" inputmode="numeric"
                        prop:value=move || read(form, qi, |q| q.points.to_string()).unwrap_or_default()
                        on:input=move |ev| {
                            if let Ok(p) = event_target_value(&ev).trim().parse::<u32>() {
                                if p >= 1 { write(form, qi, |q| q.points = p) }
                            }
                        }/>
                </div>
            </Show>
            <div class="field">
                <label for=difficulty_id.clone()>{move || i18n.t(Msg::AuthDifficulty)}</label>
                <select id=difficulty_id on:change=move |ev| {
                    let d = match event_target_value(&ev).as_str() {
                        "easy" => Difficulty::Easy,
                        "hard" => Difficulty::Hard,
                        _ => Difficulty::Medium,
                    };
                    write(form, qi, |q| q.difficulty = d);
                }>
                    {[(Difficulty::Easy, "easy", Msg::DifficultyEasy), (Difficulty::Medium, "medium", Msg::DifficultyMedium), (Difficulty::Hard, "hard", Msg::DifficultyHard)]
                        .into_iter().map(|(d, value, msg)| view! {
                            <option value=value selected=move || read(form, qi, |q| q.difficulty == d).unwrap_or(false)>
                                {move || i18n.t(msg)}
                            </option>
                        }).collect_view()}
                </select>
            </div>
            {text(format!("q{qi}-tags"), move || i18n.t(Msg::AuthTags).to_string(), false, form, qi,
                |q| Some(q.tags.join(", ")),
                |q, v| q.tags = v.split(',').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect())}
            {text(format!("q{qi}-explanation"), move || i18n.t(Msg::AuthExplanation).to_string(), true, form, qi,
                |q| Some(q.explanation.clone()), |q, v| q.explanation = v)}
            {text(format!("q{qi}-grader-note"), move || i18n.t(Msg::AuthGraderNote).to_string(), true, form, qi,
                |q| Some(q.grader_note.clone()), |q, v| q.grader_note = v)}
            <div class="button-row">
                <button type="button" class="button button-small" on:click=remove>{move || i18n.t(Msg::AuthRemoveQuestion)}</button>
            </div>
        </fieldset>
    }
}

/// The options of a question, if it has options.
fn options(q: &FormQuestion) -> Option<&Vec<Choice>> {
    match &q.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            Some(options)
        }
        _ => None,
    }
}

fn options_mut(q: &mut FormQuestion) -> Option<&mut Vec<Choice>> {
    match &mut q.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            Some(options)
        }
        _ => None,
    }
}

/// Single choice (a radio per option) or multiple choice (a checkbox each).
fn choice_fields(form: Form, qi: usize, multiple: bool) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, options);
    let add = move |_| {
        write(form, qi, |q| {
            if let Some(options) = options_mut(q) {
                let id = next_id("y", options.iter().map(|o| o.id.as_str()));
                options.push(Choice {
                    id,
                    text: String::new(),
                    correct: false,
                    feedback: None,
                });
            }
        });
    };
    view! {
        {multiple.then(|| view! { <p class="hint">{move || i18n.t(Msg::AuthMultipleHint)}</p> })}
        <For each=move || 0..count() key=|j| *j let:oj>
            <div class="option-row">
                {text(format!("q{qi}-o{oj}"), move || i18n.f(Msg::AuthOptionN, &[("n", &n(oj))]), false, form, qi,
                    move |q| options(q).and_then(|o| o.get(oj)).map(|o| o.text.clone()),
                    move |q, v| if let Some(o) = options_mut(q).and_then(|o| o.get_mut(oj)) { o.text = v })}
                <div class="choice">
                    <input type=if multiple { "checkbox" } else { "radio" } name=format!("q{qi}-correct") id=format!("q{qi}-c{oj}")
                        prop:checked=move || read(form, qi, |q| options(q).and_then(|o| o.get(oj)).is_some_and(|o| o.correct)).unwrap_or(false)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            write(form, qi, |q| if let Some(options) = options_mut(q) {
                                for (k, o) in options.iter_mut().enumerate() {
                                    if k == oj { o.correct = on } else if !multiple { o.correct = false }
                                }
                            });
                        }/>
                    <label for=format!("q{qi}-c{oj}")>{move || i18n.t(Msg::AuthCorrect)}</label>
                </div>
                {text(format!("q{qi}-f{oj}"), move || i18n.t(Msg::AuthFeedback).to_string(), false, form, qi,
                    move |q| options(q).and_then(|o| o.get(oj)).map(|o| o.feedback.clone().unwrap_or_default()),
                    move |q, v| if let Some(o) = options_mut(q).and_then(|o| o.get_mut(oj)) { o.feedback = Some(v).filter(|v| !v.is_empty()) })}
                {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemoveOption, &[("n", &n(oj))]), form, qi,
                    move |q| if let Some(o) = options_mut(q) { if oj < o.len() { o.remove(oj); } })}
            </div>
        </For>
        <div class="button-row">
            <button type="button" class="button button-small" on:click=add>{move || i18n.t(Msg::AuthAddOption)}</button>
        </div>
    }
}

fn true_false_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let answer = move || {
        read(form, qi, |q| match &q.body {
            QuestionBody::TrueFalse { answer, .. } => Some(*answer),
            _ => None,
        })
        .flatten()
    };
    let set_answer = move |value: bool| {
        write(form, qi, |q| {
            if let QuestionBody::TrueFalse { answer, .. } = &mut q.body {
                *answer = value;
            }
        });
    };
    let feedback = move |q: &mut FormQuestion, which: bool, v: String| {
        if let QuestionBody::TrueFalse {
            feedback_true,
            feedback_false,
            ..
        } = &mut q.body
        {
            let slot = if which { feedback_true } else { feedback_false };
            *slot = Some(v).filter(|v| !v.is_empty());
        }
    };
    let get_feedback = move |q: &FormQuestion, which: bool| match &q.body {
        QuestionBody::TrueFalse {
            feedback_true,
            feedback_false,
            ..
        } => Some(
            if which { feedback_true } else { feedback_false }
                .clone()
                .unwrap_or_default(),
        ),
        _ => None,
    };
    view! {
        <fieldset class="choice-group">
            <legend>{move || i18n.t(Msg::AuthStatementIs)}</legend>
            <div class="choice">
                <input type="radio" name=format!("q{qi}-tf") id=format!("q{qi}-tf-true")
                    prop:checked=move || answer() == Some(true) on:change=move |_| set_answer(true)/>
                <label for=format!("q{qi}-tf-true")>{move || i18n.t(Msg::TrueLabel)}</label>
            </div>
            <div class="choice">
                <input type="radio" name=format!("q{qi}-tf") id=format!("q{qi}-tf-false")
                    prop:checked=move || answer() == Some(false) on:change=move |_| set_answer(false)/>
                <label for=format!("q{qi}-tf-false")>{move || i18n.t(Msg::FalseLabel)}</label>
            </div>
        </fieldset>
        {text(format!("q{qi}-ft"), move || i18n.t(Msg::AuthFeedbackTrue).to_string(), false, form, qi,
            move |q| get_feedback(q, true), move |q, v| feedback(q, true, v))}
        {text(format!("q{qi}-ff"), move || i18n.t(Msg::AuthFeedbackFalse).to_string(), false, form, qi,
            move |q| get_feedback(q, false), move |q, v| feedback(q, false, v))}
    }
}

fn items(q: &FormQuestion) -> Option<&Vec<String>> {
    match &q.body {
        QuestionBody::Ordering { items } => Some(items),
        _ => None,
    }
}

fn items_mut(q: &mut FormQuestion) -> Option<&mut Vec<String>> {
    match &mut q.body {
        QuestionBody::Ordering { items } => Some(items),
        _ => None,
    }
}

fn ordering_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, items);
    view! {
        <p class="hint">{move || i18n.t(Msg::AuthOrderingHint)}</p>
        <For each=move || 0..count() key=|j| *j let:ij>
            <div class="option-row">
                {text(format!("q{qi}-i{ij}"), move || i18n.f(Msg::AuthItemN, &[("n", &n(ij))]), false, form, qi,
                    move |q| items(q).and_then(|i| i.get(ij)).cloned(),
                    move |q, v| if let Some(item) = items_mut(q).and_then(|i| i.get_mut(ij)) { *item = v })}
                <div class="button-row">
                    {row_button(Msg::AuthMoveUp, move || i18n.f(Msg::AuthMoveUpN, &[("n", &n(ij))]), form, qi,
                        move |q| if let Some(items) = items_mut(q) { if ij > 0 && ij < items.len() { items.swap(ij - 1, ij) } })}
                    {row_button(Msg::AuthMoveDown, move || i18n.f(Msg::AuthMoveDownN, &[("n", &n(ij))]), form, qi,
                        move |q| if let Some(items) = items_mut(q) { if ij + 1 < items.len() { items.swap(ij, ij + 1) } })}
                    {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemoveItem, &[("n", &n(ij))]), form, qi,
                        move |q| if let Some(items) = items_mut(q) { if ij < items.len() { items.remove(ij); } })}
                </div>
            </div>
        </For>
        <div class="button-row">
            {row_button(Msg::AuthAddOrderItem, move || i18n.t(Msg::AuthAddOrderItem).to_string(), form, qi,
                |q| if let Some(items) = items_mut(q) { items.push(String::new()) })}
        </div>
    }
}

fn pairs_mut(q: &mut FormQuestion) -> Option<&mut Vec<(String, String)>> {
    match &mut q.body {
        QuestionBody::Matching { pairs, .. } => Some(pairs),
        _ => None,
    }
}

fn pairs(q: &FormQuestion) -> Option<&Vec<(String, String)>> {
    match &q.body {
        QuestionBody::Matching { pairs, .. } => Some(pairs),
        _ => None,
    }
}

fn matching_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, pairs);
    view! {
        <p class="hint">{move || i18n.t(Msg::AuthMatchingHint)}</p>
        <For each=move || 0..count() key=|j| *j let:pj>
            <div class="option-row pair-row">
                {text(format!("q{qi}-l{pj}"), move || i18n.f(Msg::AuthPairLeft, &[("n", &n(pj))]), false, form, qi,
                    move |q| pairs(q).and_then(|p| p.get(pj)).map(|p| p.0.clone()),
                    move |q, v| if let Some(p) = pairs_mut(q).and_then(|p| p.get_mut(pj)) { p.0 = v })}
                {text(format!("q{qi}-r{pj}"), move || i18n.f(Msg::AuthPairRight, &[("n", &n(pj))]), false, form, qi,
                    move |q| pairs(q).and_then(|p| p.get(pj)).map(|p| p.1.clone()),
                    move |q, v| if let Some(p) = pairs_mut(q).and_then(|p| p.get_mut(pj)) { p.1 = v })}
                {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemovePair, &[("n", &n(pj))]), form, qi,
                    move |q| if let Some(p) = pairs_mut(q) { if pj < p.len() { p.remove(pj); } })}
            </div>
        </For>
        <div class="button-row">
            {row_button(Msg::AuthAddPair, move || i18n.t(Msg::AuthAddPair).to_string(), form, qi,
                |q| if let Some(p) = pairs_mut(q) { p.push((String::new(), String::new())) })}
        </div>
        {text(format!("q{qi}-distractors"), move || i18n.t(Msg::AuthDistractors).to_string(), false, form, qi,
            |q| match &q.body {
                QuestionBody::Matching { distractors, .. } => Some(distractors.join(" | ")),
                _ => None,
            },
            |q, v| if let QuestionBody::Matching { distractors, .. } = &mut q.body {
                *distractors = v.split('|').map(str::trim).filter(|d| !d.is_empty()).map(String::from).collect();
            })}
    }
}

fn accepted(q: &FormQuestion) -> Option<&Vec<Accepted>> {
    match &q.body {
        QuestionBody::ShortAnswer { accepted, .. } => Some(accepted),
        _ => None,
    }
}

fn accepted_mut(q: &mut FormQuestion) -> Option<&mut Vec<Accepted>> {
    match &mut q.body {
        QuestionBody::ShortAnswer { accepted, .. } => Some(accepted),
        _ => None,
    }
}

fn short_answer_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, accepted);
    let tones_id = format!("q{qi}-tones");
    view! {
        <For each=move || 0..count() key=|j| *j let:aj>
            <div class="option-row">
                {text(format!("q{qi}-a{aj}"), move || i18n.f(Msg::AuthAcceptedN, &[("n", &n(aj))]), false, form, qi,
                    move |q| accepted(q).and_then(|a| a.get(aj)).map(|a| a.text.clone()),
                    move |q, v| if let Some(a) = accepted_mut(q).and_then(|a| a.get_mut(aj)) { a.text = v })}
                {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemoveAccepted, &[("n", &n(aj))]), form, qi,
                    move |q| if let Some(a) = accepted_mut(q) { if aj < a.len() { a.remove(aj); } })}
            </div>
        </For>
        <div class="button-row">
            {row_button(Msg::AuthAddAccepted, move || i18n.t(Msg::AuthAddAccepted).to_string(), form, qi,
                |q| if let Some(a) = accepted_mut(q) { a.push(Accepted::full("")) })}
        </div>
        <div class="choice">
            <input type="checkbox" id=tones_id.clone()
                prop:checked=move || read(form, qi, |q| matches!(q.body, QuestionBody::ShortAnswer { ignore_tone_marks: true, .. })).unwrap_or(false)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    write(form, qi, |q| if let QuestionBody::ShortAnswer { ignore_tone_marks, .. } = &mut q.body { *ignore_tone_marks = on });
                }/>
            <label for=tones_id>{move || i18n.t(Msg::AuthIgnoreTones)}</label>
        </div>
    }
}

fn numeric(q: &FormQuestion) -> Option<&Vec<NumericAnswer>> {
    match &q.body {
        QuestionBody::Numerical { answers } => Some(answers),
        _ => None,
    }
}

fn numeric_mut(q: &mut FormQuestion) -> Option<&mut Vec<NumericAnswer>> {
    match &mut q.body {
        QuestionBody::Numerical { answers } => Some(answers),
        _ => None,
    }
}

/// A number box of the form: what is typed is written to the question
/// once it reads as a number (a point for decimals, as in files); until
/// then it says why not, and the question keeps its last good value.
fn decimal_field(
    id: String,
    label: impl Fn() -> String + Send + Sync + Copy + 'static,
    initial: String,
    set: impl Fn(Decimal) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(initial);
    let error_id = format!("{id}-error");
    let bad = move || {
        let t = typed.get();
        Decimal::parse(&t)
            .is_err()
            .then(|| i18n.f(Msg::AuthNotANumber, &[("text", &t)]))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode="decimal" prop:value=move || typed.get()
                aria-describedby=error_id.clone()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    if let Ok(d) = Decimal::parse(&v) { set(d) }
                    typed.set(v);
                }/>
            <p id=error_id class="form-error" aria-live="polite">{bad}</p>
        </div>
    }
}

fn numerical_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, numeric);
    view! {
        <p class="hint">{move || i18n.t(Msg::AuthNumericHint)}</p>
        <For each=move || 0..count() key=|j| *j let:vj>
            <div class="option-row">
                {decimal_field(format!("q{qi}-v{vj}"), move || i18n.f(Msg::AuthNumericValueN, &[("n", &n(vj))]),
                    read(form, qi, |q| numeric(q).and_then(|a| a.get(vj)).map(|a| a.value.to_string())).flatten().unwrap_or_default(),
                    move |d| write(form, qi, |q| if let Some(a) = numeric_mut(q).and_then(|a| a.get_mut(vj)) { a.value = d }))}
                {decimal_field(format!("q{qi}-t{vj}"), move || i18n.t(Msg::AuthTolerance).to_string(),
                    read(form, qi, |q| numeric(q).and_then(|a| a.get(vj)).map(|a| a.tolerance.to_string())).flatten().unwrap_or_default(),
                    move |d| write(form, qi, |q| if let Some(a) = numeric_mut(q).and_then(|a| a.get_mut(vj)) { a.tolerance = d }))}
                {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemoveValue, &[("n", &n(vj))]), form, qi,
                    move |q| if let Some(a) = numeric_mut(q) { if vj < a.len() && a.len() > 1 { a.remove(vj); } })}
            </div>
        </For>
        <div class="button-row">
            {row_button(Msg::AuthAddValue, move || i18n.t(Msg::AuthAddValue).to_string(), form, qi,
                |q| if let Some(a) = numeric_mut(q) { a.push(NumericAnswer::exact(Decimal::ZERO)) })}
        </div>
    }
}

fn gaps(q: &FormQuestion) -> Option<&Vec<Gap>> {
    match &q.body {
        QuestionBody::FillBlanks { gaps } => Some(gaps),
        _ => None,
    }
}

fn gaps_mut(q: &mut FormQuestion) -> Option<&mut Vec<Gap>> {
    match &mut q.body {
        QuestionBody::FillBlanks { gaps } => Some(gaps),
        _ => None,
    }
}

/// A gap's answers as the form writes them: `a | b`; a drop-down's correct
/// option first; numbers with a point.
fn gap_text(gap: &Gap) -> String {
    match gap {
        Gap::ShortAnswer { accepted, .. } => accepted
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        Gap::Numerical { answers, .. } => answers
            .iter()
            .map(|a| a.value.to_string())
            .collect::<Vec<_>>()
            .join(" | "),
        Gap::Choice { options, .. } => {
            let mut sorted: Vec<&Choice> = options.iter().filter(|o| o.correct).collect();
            sorted.extend(options.iter().filter(|o| !o.correct));
            sorted
                .iter()
                .map(|o| o.text.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        }
    }
}

/// A gap of `kind` holding the answers typed as `a | b`; numbers that do
/// not read are left out (the field says so).
fn gap_of(kind: &str, text: &str, weight: u32) -> Gap {
    let parts: Vec<&str> = text
        .split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match kind {
        "number" => Gap::Numerical {
            answers: parts
                .iter()
                .filter_map(|p| Decimal::parse(p).ok())
                .map(NumericAnswer::exact)
                .collect(),
            weight,
        },
        "choice" => Gap::Choice {
            options: parts
                .iter()
                .enumerate()
                .map(|(i, p)| Choice {
                    id: char::from(b'a' + u8::try_from(i % 26).unwrap_or(0)).to_string(),
                    text: (*p).to_string(),
                    correct: i == 0,
                    feedback: None,
                })
                .collect(),
            weight,
        },
        _ => Gap::ShortAnswer {
            accepted: parts.iter().map(|p| Accepted::full(*p)).collect(),
            ignore_tone_marks: true,
            weight,
        },
    }
}

fn gap_kind(gap: &Gap) -> &'static str {
    match gap {
        Gap::ShortAnswer { .. } => "text",
        Gap::Numerical { .. } => "number",
        Gap::Choice { .. } => "choice",
    }
}

fn blanks_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, gaps);
    view! {
        <p class="hint">{move || i18n.t(Msg::AuthBlanksHint)}</p>
        <For each=move || 0..count() key=|j| *j let:gj>
            <div class="option-row">
                <div class="field">
                    <label for=format!("q{qi}-gk{gj}")>{move || i18n.f(Msg::AuthGapKind, &[("n", &n(gj))])}</label>
                    <select id=format!("q{qi}-gk{gj}") on:change=move |ev| {
                        let kind = event_target_value(&ev);
                        write(form, qi, |q| if let Some(g) = gaps_mut(q).and_then(|g| g.get_mut(gj)) {
                            *g = gap_of(&kind, &gap_text(g), g.weight());
                        });
                    }>
                        {[("text", Msg::GapKindText), ("number", Msg::GapKindNumber), ("choice", Msg::GapKindChoice)].into_iter().map(|(value, msg)| view! {
                            <option value=value selected=move || read(form, qi, |q| gaps(q).and_then(|g| g.get(gj)).map(gap_kind) == Some(value)).unwrap_or(false)>
                                {move || i18n.t(msg)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                {text(format!("q{qi}-ga{gj}"), move || {
                    let choice = read(form, qi, |q| gaps(q).and_then(|g| g.get(gj)).map(gap_kind) == Some("choice")).unwrap_or(false);
                    i18n.f(if choice { Msg::AuthGapOptions } else { Msg::AuthGapAnswers }, &[("n", &n(gj))])
                }, false, form, qi,
                    move |q| gaps(q).and_then(|g| g.get(gj)).map(gap_text),
                    move |q, v| if let Some(g) = gaps_mut(q).and_then(|g| g.get_mut(gj)) {
                        *g = gap_of(gap_kind(g), &v, g.weight());
                    })}
                {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemoveGap, &[("n", &n(gj))]), form, qi,
                    move |q| if let Some(g) = gaps_mut(q) { if gj < g.len() && g.len() > 1 { g.remove(gj); } })}
            </div>
        </For>
        <div class="button-row">
            {row_button(Msg::AuthAddGap, move || i18n.t(Msg::AuthAddGap).to_string(), form, qi,
                |q| if let Some(g) = gaps_mut(q) { g.push(gap_of("text", "", 1)) })}
        </div>
    }
}

fn rubric_mut(q: &mut FormQuestion) -> Option<&mut Vec<Criterion>> {
    match &mut q.body {
        QuestionBody::Essay { rubric } => Some(rubric),
        _ => None,
    }
}

fn rubric(q: &FormQuestion) -> Option<&Vec<Criterion>> {
    match &q.body {
        QuestionBody::Essay { rubric } => Some(rubric),
        _ => None,
    }
}

fn essay_fields(form: Form, qi: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || rows(form, qi, rubric);
    let add = move |q: &mut FormQuestion| {
        if let Some(rubric) = rubric_mut(q) {
            let id = next_id("tc", rubric.iter().map(|c| c.id.as_str()));
            rubric.push(Criterion {
                id,
                description: String::new(),
                max_points: 5,
            });
        }
    };
    view! {
        <p class="hint">{move || i18n.t(Msg::AuthEssayHint)}</p>
        <For each=move || 0..count() key=|j| *j let:cj>
            <div class="option-row">
                {text(format!("q{qi}-rc{cj}"), move || i18n.f(Msg::AuthCriterionN, &[("n", &n(cj))]), true, form, qi,
                    move |q| rubric(q).and_then(|r| r.get(cj)).map(|c| c.description.clone()),
                    move |q, v| if let Some(c) = rubric_mut(q).and_then(|r| r.get_mut(cj)) { c.description = v })}
                <div class="field">
                    <label for=format!("q{qi}-rm{cj}")>{move || i18n.t(Msg::AuthMaxPoints)}</label>
                    <input id=format!("q{qi}-rm{cj}") type="number" min="1" max="100" inputmode="numeric"
                        prop:value=move || read(form, qi, |q| rubric(q).and_then(|r| r.get(cj)).map(|c| c.max_points.to_string())).flatten().unwrap_or_default()
                        on:input=move |ev| {
                            if let Ok(p) = event_target_value(&ev).trim().parse::<u32>() {
                                if p >= 1 { write(form, qi, |q| if let Some(c) = rubric_mut(q).and_then(|r| r.get_mut(cj)) { c.max_points = p }) }
                            }
                        }/>
                </div>
                {row_button(Msg::AuthRemove, move || i18n.f(Msg::AuthRemoveCriterion, &[("n", &n(cj))]), form, qi,
                    move |q| if let Some(r) = rubric_mut(q) { if cj < r.len() { r.remove(cj); } })}
            </div>
        </For>
        <div class="button-row">
            {row_button(Msg::AuthAddCriterion, move || i18n.t(Msg::AuthAddCriterion).to_string(), form, qi, add)}
        </div>
    }
}
