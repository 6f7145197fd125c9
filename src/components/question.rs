//! Answering one question of a situation set on a phone.
//!
//! Policy: choices are large tap targets (the whole row is the label); an
//! answer is recorded through the outbox when submitted, so it works offline
//! and is never lost; nothing typed is cleared by a failed submit. Practice
//! sets show the result, the option feedback and the explanation at once;
//! discussion sets confirm the answer (the page then shows classmates' views
//! and the lecturer's guidance). Options are shown in a per-trainee shuffled
//! order; scoring uses option ids and authored indexes, so the order never
//! changes a score.

use leptos::{either::Either, prelude::*};
use lophoc_core::{
    content::SituationMode,
    i18n::Msg,
    limits::TextField,
    question::{
        feedback, present, question_seed, score, Answer, Correctness, PresentedBody, Question,
        CENTI_PER_POINT,
    },
    sync::Event,
};

use crate::{
    components::{max_length, LimitHint},
    state::{i18n::use_i18n, session::use_session},
    sync::use_sync,
};

/// The draft answer being built, one field per kind of input. Also used by
/// the live session's phone page.
#[derive(Clone, Copy)]
pub struct Draft {
    chosen: RwSignal<Vec<String>>,
    truth: RwSignal<Option<bool>>,
    order: RwSignal<Vec<usize>>,
    matches: RwSignal<Vec<Option<usize>>>,
    text: RwSignal<String>,
}

impl Draft {
    /// An empty draft for a presented question (ordering items start in the
    /// order shown).
    pub fn new(body: &PresentedBody) -> Draft {
        Draft {
            chosen: RwSignal::new(Vec::new()),
            truth: RwSignal::new(None),
            order: RwSignal::new(match body {
                PresentedBody::Ordering { items } => items.iter().map(|i| i.index).collect(),
                _ => Vec::new(),
            }),
            matches: RwSignal::new(match body {
                PresentedBody::Matching { left, .. } => vec![None; left.len()],
                _ => Vec::new(),
            }),
            text: RwSignal::new(String::new()),
        }
    }

    /// The answer drafted so far, or `None` while it is incomplete.
    pub fn answer(&self, body: &PresentedBody) -> Option<Answer> {
        let text = self.text.get_untracked().trim().to_string();
        match body {
            PresentedBody::SingleChoice { .. } => self
                .chosen
                .get_untracked()
                .first()
                .map(|o| Answer::SingleChoice { option: o.clone() }),
            PresentedBody::MultipleChoice { .. } => {
                let options = self.chosen.get_untracked();
                (!options.is_empty()).then_some(Answer::MultipleChoice { options })
            }
            PresentedBody::TrueFalse {} => self
                .truth
                .get_untracked()
                .map(|value| Answer::TrueFalse { value }),
            PresentedBody::Ordering { .. } => Some(Answer::Ordering {
                order: self.order.get_untracked(),
            }),
            PresentedBody::Matching { .. } => self
                .matches
                .get_untracked()
                .into_iter()
                .collect::<Option<Vec<usize>>>()
                .map(|matches| Answer::Matching { matches }),
            PresentedBody::ShortAnswer {} => {
                (!text.is_empty()).then_some(Answer::ShortAnswer { text })
            }
            PresentedBody::Essay { .. } => (!text.is_empty()).then_some(Answer::Essay { text }),
            PresentedBody::Opinion {} => (!text.is_empty()).then_some(Answer::Opinion { text }),
        }
    }
}

/// "1,5" in Vietnamese, "1.5" in English, from hundredths of a point.
fn points(lang: lophoc_core::i18n::Lang, centi: u32) -> String {
    let whole = centi / CENTI_PER_POINT;
    let frac = centi % CENTI_PER_POINT;
    if frac == 0 {
        return whole.to_string();
    }
    let sep = if lang == lophoc_core::i18n::Lang::Vi {
        ','
    } else {
        '.'
    };
    let frac = format!("{frac:02}");
    format!("{whole}{sep}{}", frac.trim_end_matches('0'))
}

/// One question: prompt, inputs, submit, and the result.
#[component]
pub fn QuestionCard(
    course_id: String,
    situation_id: String,
    mode: SituationMode,
    question: Question,
    number: usize,
    total: usize,
    /// The trainee's latest recorded answer, if any.
    previous: Option<Answer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let seed = session
        .user
        .with_untracked(|u| u.as_ref().map_or(0, |u| u.id as u64));
    let presented = present(&question, question_seed(seed, &question.id));
    let draft = Draft::new(&presented.body);
    let submitted = RwSignal::new(previous);
    let missing = RwSignal::new(false);
    let question = StoredValue::new(question);
    let dom_id = format!("q-{}", presented.id);

    let drafted_body = StoredValue::new(presented.body.clone());
    let build = move || drafted_body.with_value(|body| draft.answer(body));
    let (course_for_submit, situation_for_submit) = (course_id.clone(), situation_id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(answer) = build() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        let event = Event::SituationAnswered {
            course_id: course_for_submit.clone(),
            situation_id: situation_for_submit.clone(),
            question_id: question.with_value(|q| q.id.clone()),
            answer: answer.clone(),
        };
        // The result shows once the answer is safely stored on the device.
        leptos::task::spawn_local(async move {
            if sync.record_saved(event).await {
                submitted.set(Some(answer));
            }
        });
    };

    let body = StoredValue::new(presented.body.clone());
    let input_id = dom_id.clone();
    let result = move || {
        submitted
            .get()
            .map(|answer| question.with_value(|q| result_view(q, &answer, mode)))
    };
    let heading_id = format!("{dom_id}-title");
    let labelled_by = heading_id.clone();
    let question_id = presented.id.clone();
    view! {
        <section class="question card" aria-labelledby=labelled_by data-question=question_id>
            <p class="eyebrow" id=heading_id>
                {move || i18n.f(Msg::QuestionOf, &[("n", &number.to_string()), ("total", &total.to_string())])}
            </p>
            <div class="question-prompt" inner_html=presented.prompt.clone()></div>
            {move || if submitted.with(Option::is_some) {
                Either::Left(view! {
                    <div class="question-result" role="status">{result}</div>
                    <button type="button" class="button" on:click=move |_| submitted.set(None)>
                        {i18n.t(Msg::ChangeAnswer)}
                    </button>
                })
            } else {
                let submit = submit.clone();
                let inputs = inputs(body.get_value(), draft, &input_id);
                Either::Right(view! {
                    <form class="question-form" on:submit=submit novalidate>
                        {inputs}
                        {move || missing.get().then(|| view! {
                            <p class="form-error" role="alert">{i18n.t(Msg::AnswerRequired)}</p>
                        })}
                        <button type="submit" class="button button-primary button-block">
                            {move || i18n.t(Msg::SubmitAnswer)}
                        </button>
                    </form>
                })
            }}
        </section>
    }
}

/// The inputs for one presented question.
pub fn inputs(body: PresentedBody, draft: Draft, dom_id: &str) -> AnyView {
    let i18n = use_i18n();
    let name = dom_id.to_string();
    match body {
        PresentedBody::SingleChoice { options } => view! {
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {options.into_iter().map(|o| {
                    let id = format!("{name}-{}", o.id);
                    let value = o.id.clone();
                    let checked = o.id.clone();
                    view! {
                        <div class="choice answer-choice">
                            <input type="radio" id=id.clone() name=name.clone()
                                prop:checked=move || draft.chosen.with(|c| c.first() == Some(&checked))
                                on:change=move |_| draft.chosen.set(vec![value.clone()])/>
                            <label for=id>{o.text}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        PresentedBody::MultipleChoice { options } => view! {
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {options.into_iter().map(|o| {
                    let id = format!("{name}-{}", o.id);
                    let value = o.id.clone();
                    let checked = o.id.clone();
                    view! {
                        <div class="choice answer-choice">
                            <input type="checkbox" id=id.clone()
                                prop:checked=move || draft.chosen.with(|c| c.contains(&checked))
                                on:change=move |_| draft.chosen.update(|c| {
                                    if let Some(at) = c.iter().position(|x| *x == value) {
                                        c.remove(at);
                                    } else {
                                        c.push(value.clone());
                                    }
                                })/>
                            <label for=id>{o.text}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        PresentedBody::TrueFalse {} => view! {
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {[(true, Msg::TrueLabel), (false, Msg::FalseLabel)].into_iter().map(|(value, label)| {
                    let id = format!("{name}-{value}");
                    view! {
                        <div class="choice answer-choice">
                            <input type="radio" id=id.clone() name=name.clone()
                                prop:checked=move || draft.truth.get() == Some(value)
                                on:change=move |_| draft.truth.set(Some(value))/>
                            <label for=id>{move || i18n.t(label)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        PresentedBody::Ordering { items } => {
            let texts = StoredValue::new(items);
            let text_of = move |index: usize| {
                texts.with_value(|items| {
                    items.iter().find(|i| i.index == index).map(|i| i.text.clone()).unwrap_or_default()
                })
            };
            let swap = move |at: usize, with: usize| {
                draft.order.update(|o| {
                    if at < o.len() && with < o.len() {
                        o.swap(at, with);
                    }
                })
            };
            view! {
                <ol class="ordering" aria-label=move || i18n.t(Msg::YourAnswerLabel)>
                    {move || {
                        let order = draft.order.get();
                        let n = order.len();
                        order.into_iter().enumerate().map(|(pos, index)| {
                            let text = text_of(index);
                            view! {
                                <li class="ordering-item">
                                    <span class="ordering-text">{text.clone()}</span>
                                    <span class="ordering-buttons">
                                        <button type="button" class="button button-small" disabled=pos == 0
                                            aria-label=format!("{} — {text}", i18n.t(Msg::MoveUp))
                                            on:click=move |_| swap(pos, pos.wrapping_sub(1))>"↑"</button>
                                        <button type="button" class="button button-small" disabled=pos + 1 == n
                                            aria-label=format!("{} — {text}", i18n.t(Msg::MoveDown))
                                            on:click=move |_| swap(pos, pos + 1)>"↓"</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
            }
            .into_any()
        }
        PresentedBody::Matching { left, right } => {
            let right = StoredValue::new(right);
            view! {
                <div class="matching">
                    {left.into_iter().enumerate().map(|(row, item)| {
                        let id = format!("{name}-m{row}");
                        let left_index = item.index;
                        view! {
                            <div class="field">
                                <label for=id.clone()>{item.text}</label>
                                <select id=id on:change=move |ev| {
                                    let value = event_target_value(&ev).parse::<usize>().ok();
                                    draft.matches.update(|m| {
                                        if let Some(slot) = m.get_mut(left_index) {
                                            *slot = value;
                                        }
                                    });
                                }>
                                    <option value="">{move || i18n.t(Msg::MatchChoose)}</option>
                                    {right.with_value(|r| r.iter().map(|opt| view! {
                                        <option value=opt.index.to_string()>{opt.text.clone()}</option>
                                    }).collect_view())}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        PresentedBody::ShortAnswer {} => view! {
            <div class="field">
                <label for=name.clone()>{move || i18n.t(Msg::YourAnswerLabel)}</label>
                <input type="text" id=name bind:value=draft.text autocomplete="off"
                    maxlength=max_length(TextField::ShortAnswer)/>
                <LimitHint field=TextField::ShortAnswer text=draft.text/>
            </div>
        }
        .into_any(),
        PresentedBody::Essay { .. } | PresentedBody::Opinion {} => {
            let field = match body {
                PresentedBody::Essay { .. } => TextField::Essay,
                _ => TextField::Opinion,
            };
            view! {
                <div class="field">
                    <label for=name.clone()>{move || i18n.t(Msg::YourAnswerLabel)}</label>
                    <textarea id=name rows="5" bind:value=draft.text maxlength=max_length(field)></textarea>
                    <LimitHint field text=draft.text/>
                </div>
            }
            .into_any()
        }
    }
}

/// The result of an answer: for practice its score, feedback and
/// explanation; for discussion a confirmation and the answer itself.
fn result_view(question: &Question, answer: &Answer, mode: SituationMode) -> AnyView {
    let i18n = use_i18n();
    if mode == SituationMode::Discussion {
        let text = match answer {
            Answer::Opinion { text } | Answer::Essay { text } | Answer::ShortAnswer { text } => {
                text.clone()
            }
            _ => String::new(),
        };
        return view! {
            <p class="badge-done">"✓ " {move || i18n.t(Msg::AnswerSaved)}</p>
            <blockquote class="own-answer">{text}</blockquote>
        }
        .into_any();
    }
    let result = score(question, answer);
    let verdict = match result.correctness {
        Correctness::Correct => Some(("result-correct", Msg::ResultCorrect)),
        Correctness::Partial => Some(("result-partial", Msg::ResultPartial)),
        Correctness::Incorrect => Some(("result-incorrect", Msg::ResultIncorrect)),
        Correctness::NeedsGrading => Some(("result-pending", Msg::ResultNeedsGrading)),
        Correctness::NotScored => None,
    };
    let notes: Vec<String> = feedback(question, answer)
        .into_iter()
        .map(str::to_string)
        .collect();
    let explanation = question.explanation.clone();
    let scored = !matches!(
        result.correctness,
        Correctness::NeedsGrading | Correctness::NotScored
    );
    view! {
        {verdict.map(|(class, msg)| view! { <p class=format!("verdict {class}")>{move || i18n.t(msg)}</p> })}
        {scored.then(|| view! {
            <p class="meta">{move || i18n.f(Msg::ResultPoints, &[
                ("earned", &points(i18n.lang(), result.earned)),
                ("max", &points(i18n.lang(), result.max)),
            ])}</p>
        })}
        <ul class="feedback-list">
            {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
        </ul>
        {explanation.map(|html| view! {
            <div class="explanation">
                <p class="explanation-label">{move || i18n.t(Msg::ExplanationLabel)}</p>
                <div inner_html=html></div>
            </div>
        })}
    }
    .into_any()
}
