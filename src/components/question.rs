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
//!
//! Numerical answers show, as the trainee types, how the number is read
//! (`1.930` is 1930, `2,5` is 2.5: [`lophoc_core::number::read_number`]),
//! so a thousands dot or a decimal comma is never a surprise. A
//! fill-in-the-blanks question shows its text with a box or a drop-down in
//! each blank ([`lophoc_core::question::fill_in_html`]); the boxes are
//! read back by their `data-gap` index.

use leptos::{either::Either, html, prelude::*};
use lophoc_core::{
    answers::option_letter,
    content::SituationMode,
    events::Event,
    i18n::Msg,
    limits::TextField,
    number::{read_number, NumberError},
    question::{
        choice_tally, feedback, fill_in_html, filled_in_html, placed_tally, present, question_seed,
        score, Answer, Correctness, Gap, PresentedBody, Question, QuestionBody, CENTI_PER_POINT,
    },
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
    /// One entry per blank of a fill-in.
    gaps: RwSignal<Vec<String>>,
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
            gaps: RwSignal::new(match body {
                PresentedBody::FillBlanks { gaps } => vec![String::new(); gaps.len()],
                _ => Vec::new(),
            }),
        }
    }

    /// A draft holding `answer`, for a question answered before.
    pub fn with(body: &PresentedBody, answer: Option<&Answer>) -> Draft {
        let draft = Draft::new(body);
        match answer {
            Some(Answer::Numerical { text }) => draft.text.set(text.clone()),
            Some(Answer::FillBlanks { gaps })
                if gaps.len() == draft.gaps.with_untracked(Vec::len) =>
            {
                draft.gaps.set(gaps.clone())
            }
            _ => {}
        }
        draft
    }

    /// Subscribes the running effect to every change of the draft.
    pub fn track(&self) {
        self.chosen.track();
        self.truth.track();
        self.order.track();
        self.matches.track();
        self.text.track();
        self.gaps.track();
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
            PresentedBody::Numerical {} => read_number(&text)
                .is_ok()
                .then_some(Answer::Numerical { text }),
            PresentedBody::FillBlanks { .. } => {
                let gaps: Vec<String> = self
                    .gaps
                    .get_untracked()
                    .into_iter()
                    .map(|g| g.trim().to_string())
                    .collect();
                gaps.iter()
                    .any(|g| !g.is_empty())
                    .then_some(Answer::FillBlanks { gaps })
            }
            PresentedBody::Essay { .. } => (!text.is_empty()).then_some(Answer::Essay { text }),
            PresentedBody::Opinion {} => (!text.is_empty()).then_some(Answer::Opinion { text }),
        }
    }
}

/// "1,5" in Vietnamese, "1.5" in English, from hundredths of a point.
pub fn points(lang: lophoc_core::i18n::Lang, centi: u32) -> String {
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
    /// Told each answer once it is stored (the set's summary counts them).
    #[prop(optional)]
    on_answer: Option<Callback<(String, Answer)>>,
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
    let just_answered = RwSignal::new(false);
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
                just_answered.set(true);
                submitted.set(Some(answer.clone()));
                if let Some(on_answer) = on_answer {
                    on_answer.run((question.with_value(|q| q.id.clone()), answer));
                }
            }
        });
    };
    // After "submit", the verdict is brought to the top of the screen (below
    // the sticky header) and takes the focus, so nobody lands below it.
    let result_ref = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = result_ref.get() {
            if just_answered.get_untracked() {
                just_answered.set(false);
                reveal_at_top(&el);
            }
        }
    });

    let body = StoredValue::new(presented.body.clone());
    let input_id = dom_id.clone();
    let result = move || {
        submitted.get().map(|answer| {
            question.with_value(|q| body.with_value(|shown| result_view(q, shown, &answer, mode)))
        })
    };
    // Only staff receive a question's grader note (the server strips it for
    // trainees); shown to them beside the question, closed.
    let grader_note = question.with_value(|q| q.grader_note.clone()).map(|html| {
        view! {
            <details class="grader-note">
                <summary>{move || i18n.t(Msg::GraderNoteTitle)}</summary>
                <div class="lesson-body" inner_html=html></div>
            </details>
        }
    });
    let heading_id = format!("{dom_id}-title");
    let labelled_by = heading_id.clone();
    let question_id = presented.id.clone();
    let is_blanks = matches!(presented.body, PresentedBody::FillBlanks { .. });
    let prompt_html = StoredValue::new(presented.prompt.clone());
    view! {
        <section class="question card" aria-labelledby=labelled_by data-question=question_id>
            <p class="eyebrow" id=heading_id>
                {move || i18n.f(Msg::QuestionOf, &[("n", &number.to_string()), ("total", &total.to_string())])}
            </p>
            {(!is_blanks).then(|| view! { <div class="question-prompt" inner_html=presented.prompt.clone()></div> })}
            {grader_note}
            {move || if submitted.with(Option::is_some) {
                let filled = is_blanks.then(|| {
                    let given = submitted.with_untracked(|a| {
                        question.with_value(|q| given_texts(q, a.as_ref()))
                    });
                    view! { <div class="question-prompt" inner_html=prompt_html.with_value(|p| filled_in_html(p, &given))></div> }
                });
                Either::Left(view! {
                    {filled}
                    <div class="question-result" role="status" tabindex="-1" node_ref=result_ref>{result}</div>
                    <button type="button" class="button" on:click=move |_| submitted.set(None)>
                        {i18n.t(Msg::ChangeAnswer)}
                    </button>
                })
            } else {
                let submit = submit.clone();
                let inputs = if is_blanks {
                    blanks(body.get_value(), draft, &input_id, &prompt_html.get_value())
                } else {
                    inputs(body.get_value(), draft, &input_id)
                };
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
    lettered_inputs(body, draft, dom_id, false)
}

/// [`inputs`], with the options lettered A, B, C… before their text when
/// `lettered` (the live session, where the projector names them so).
pub fn lettered_inputs(body: PresentedBody, draft: Draft, dom_id: &str, lettered: bool) -> AnyView {
    let i18n = use_i18n();
    let name = dom_id.to_string();
    let letter = move |at: usize| {
        lettered.then(
            || view! { <span class="option-letter">{format!("{}. ", option_letter(at))}</span> },
        )
    };
    match body {
        PresentedBody::SingleChoice { options } => view! {
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {options.into_iter().enumerate().map(|(at, o)| {
                    let id = format!("{name}-{}", o.id);
                    let value = o.id.clone();
                    let checked = o.id.clone();
                    view! {
                        <div class="choice answer-choice">
                            <input type="radio" id=id.clone() name=name.clone()
                                prop:checked=move || draft.chosen.with(|c| c.first() == Some(&checked))
                                on:change=move |_| draft.chosen.set(vec![value.clone()])/>
                            <label for=id>{letter(at)}{o.text}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        PresentedBody::MultipleChoice { options } => view! {
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {options.into_iter().enumerate().map(|(at, o)| {
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
                            <label for=id>{letter(at)}{o.text}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        PresentedBody::TrueFalse {} => view! {
            <fieldset class="choice-group">
                <legend class="visually-hidden">{move || i18n.t(Msg::YourAnswerLabel)}</legend>
                {[(true, Msg::TrueLabel), (false, Msg::FalseLabel)].into_iter().enumerate().map(|(at, (value, label))| {
                    let id = format!("{name}-{value}");
                    view! {
                        <div class="choice answer-choice">
                            <input type="radio" id=id.clone() name=name.clone()
                                prop:checked=move || draft.truth.get() == Some(value)
                                on:change=move |_| draft.truth.set(Some(value))/>
                            <label for=id>{letter(at)}{move || i18n.t(label)}</label>
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
        PresentedBody::Numerical {} => number_input(draft.text, &name),
        // The blanks sit in the prompt: see `blanks`.
        PresentedBody::FillBlanks { .. } => ().into_any(),
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

/// A text box for a number, with what the typed text reads as (or why it
/// is not a number) said below it and announced politely.
pub fn number_input(text: RwSignal<String>, name: &str) -> AnyView {
    let i18n = use_i18n();
    let hint_id = format!("{name}-hint");
    let read_id = format!("{name}-read");
    let described = format!("{hint_id} {read_id}");
    let reading = move || {
        let typed = text.get();
        if typed.trim().is_empty() {
            return None;
        }
        Some(match read_number(&typed) {
            Ok(value) => (
                "number-read",
                i18n.f(
                    Msg::NumberReadAs,
                    &[(
                        "value",
                        &value.display(i18n.lang() == lophoc_core::i18n::Lang::Vi),
                    )],
                ),
            ),
            Err(e) => (
                "form-error",
                i18n.t(match e {
                    NumberError::Empty | NumberError::NotANumber => Msg::NumberNotANumber,
                    NumberError::Unclear => Msg::NumberUnclear,
                    NumberError::TooLong => Msg::NumberTooLong,
                })
                .to_string(),
            ),
        })
    };
    view! {
        <div class="field">
            <label for=name.to_string()>{move || i18n.t(Msg::NumberLabel)}</label>
            <p class="field-hint" id=hint_id>{move || i18n.t(Msg::NumberHint)}</p>
            <input type="text" inputmode="decimal" id=name.to_string() bind:value=text
                autocomplete="off" aria-describedby=described/>
            <p id=read_id aria-live="polite">
                {move || reading().map(|(class, text)| view! { <span class=class>{text}</span> })}
            </p>
        </div>
    }
    .into_any()
}

/// A fill-in's text with its blanks as inputs (see
/// [`lophoc_core::question::fill_in_html`]); typing or choosing updates
/// the draft through one listener on the text.
pub fn blanks(body: PresentedBody, draft: Draft, dom_id: &str, prompt_html: &str) -> AnyView {
    let i18n = use_i18n();
    let PresentedBody::FillBlanks { gaps } = body else {
        return ().into_any();
    };
    let values = draft.gaps.get_untracked();
    let html = fill_in_html(prompt_html, &gaps, &values, dom_id, i18n.lang());
    let on_edit = move |ev: leptos::ev::Event| {
        let Some(target) = ev.target() else { return };
        let Some(element) = wasm_bindgen::JsCast::dyn_ref::<web_sys::Element>(&target) else {
            return;
        };
        let Some(index) = element
            .get_attribute("data-gap")
            .and_then(|g| g.parse::<usize>().ok())
        else {
            return;
        };
        let value = js_sys::Reflect::get(&target, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        draft.gaps.update(|g| {
            if let Some(slot) = g.get_mut(index) {
                *slot = value;
            }
        });
    };
    view! {
        <p class="field-hint">{move || i18n.t(Msg::BlanksHint)}</p>
        <div class="question-prompt fill-blanks" inner_html=html on:input=on_edit on:change=on_edit></div>
    }
    .into_any()
}

/// What was given in each blank, worded: an option's text rather than its
/// id. Empty for a question that is not a fill-in.
pub fn given_texts(question: &Question, answer: Option<&Answer>) -> Vec<String> {
    match (&question.body, answer) {
        (QuestionBody::FillBlanks { gaps }, Some(Answer::FillBlanks { gaps: given })) => gaps
            .iter()
            .zip(given)
            .map(|(gap, given)| match gap {
                Gap::Choice { options, .. } => options
                    .iter()
                    .find(|o| o.id == *given)
                    .map_or_else(String::new, |o| o.text.clone()),
                _ => given.clone(),
            })
            .collect(),
        (QuestionBody::FillBlanks { gaps }, _) => vec![String::new(); gaps.len()],
        _ => Vec::new(),
    }
}

/// Scrolls `el` to the top of the screen (the sticky header's height is
/// kept clear by `scroll-padding-top` in the stylesheet) and focuses it.
pub fn reveal_at_top(el: &web_sys::HtmlElement) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Start);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    let focus = web_sys::FocusOptions::new();
    focus.set_prevent_scroll(true);
    let _ = el.focus_with_options(&focus);
}

/// The verdict in colour, an icon and words.
pub fn verdict_view(correctness: Correctness) -> Option<AnyView> {
    let i18n = use_i18n();
    let (class, icon, msg) = match correctness {
        Correctness::Correct => ("verdict verdict-correct", "✓", Msg::ResultCorrect),
        Correctness::Partial => ("verdict verdict-partial", "◐", Msg::ResultPartial),
        Correctness::Incorrect => ("verdict verdict-incorrect", "✗", Msg::ResultIncorrect),
        Correctness::NeedsGrading => ("verdict verdict-pending", "…", Msg::ResultNeedsGrading),
        Correctness::NotScored => return None,
    };
    Some(
        view! {
            <p class=class data-verdict=format!("{correctness:?}").to_lowercase()>
                <span class="verdict-icon" aria-hidden="true">{icon}</span>
                <span>{move || i18n.t(msg)}</span>
            </p>
        }
        .into_any(),
    )
}

/// The result of an answer: for practice the verdict, the marks (and why
/// they are partial), the options as shown with the trainee's choices
/// marked right or wrong and each chosen option's feedback beside it, and
/// the explanation; for discussion a confirmation and the answer itself.
fn result_view(
    question: &Question,
    shown: &PresentedBody,
    answer: &Answer,
    mode: SituationMode,
) -> AnyView {
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
    let scored = !matches!(
        result.correctness,
        Correctness::NeedsGrading | Correctness::NotScored
    );
    let lang = i18n.lang();
    // Why the marks are partial, in words.
    let why = if result.correctness == Correctness::Partial {
        if let Some(t) = choice_tally(question, answer) {
            let share = result.max / t.correct.max(1);
            Some(i18n.f(
                Msg::PracticePartialChoices,
                &[
                    ("right", &t.right_chosen.to_string()),
                    ("correct", &t.correct.to_string()),
                    ("wrong", &t.wrong_chosen.to_string()),
                    ("share", &points(lang, share)),
                ],
            ))
        } else {
            placed_tally(question, answer).map(|(right, n)| {
                i18n.f(
                    Msg::PracticePartialPlaced,
                    &[("right", &right.to_string()), ("n", &n.to_string())],
                )
            })
        }
    } else {
        None
    };
    let choices = choices_marked(question, shown, answer);
    // Kinds without options: the answer given, and any feedback.
    let given = choices.is_none().then(|| {
        let text = given_text(question, shown, answer, lang);
        let notes: Vec<String> = feedback(question, answer)
            .into_iter()
            .map(str::to_string)
            .collect();
        view! {
            {text.map(|t| view! { <p class="own-answer-line"><strong>{i18n.t(Msg::YourAnswerLabel)}": "</strong>{t}</p> })}
            <ul class="feedback-list">
                {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        }
    });
    let explanation = question.explanation.clone();
    view! {
        <div class=format!("verdict-box verdict-box-{}", format!("{:?}", result.correctness).to_lowercase())>
            {verdict_view(result.correctness)}
            {scored.then(|| view! {
                <p class="verdict-points">{i18n.f(Msg::ResultPoints, &[
                    ("earned", &points(lang, result.earned)),
                    ("max", &points(lang, result.max)),
                ])}</p>
            })}
            {why.map(|w| view! { <p class="verdict-why">{w}</p> })}
        </div>
        {choices}
        {given}
        {explanation.map(|html| view! {
            <div class="explanation">
                <p class="explanation-label">{i18n.t(Msg::ExplanationLabel)}</p>
                <div inner_html=html></div>
            </div>
        })}
    }
    .into_any()
}

/// The options of a choice question in the order the trainee saw them,
/// each marked: chosen and right, chosen and wrong, right but not chosen;
/// a chosen option's feedback sits under it. `None` for other kinds.
fn choices_marked(question: &Question, shown: &PresentedBody, answer: &Answer) -> Option<AnyView> {
    let i18n = use_i18n();
    let (QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options }) =
        &question.body
    else {
        return if let (QuestionBody::TrueFalse { answer: truth, .. }, Answer::TrueFalse { value }) =
            (&question.body, answer)
        {
            let notes = feedback(question, answer)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>();
            let rows = [(true, Msg::TrueLabel), (false, Msg::FalseLabel)].map(|(v, label)| {
                let mark = match (v == *value, v == *truth) {
                    (true, true) => Some(("option-mark mark-right", "✓", Msg::MarkChosenRight)),
                    (true, false) => Some(("option-mark mark-wrong", "✗", Msg::MarkChosenWrong)),
                    (false, true) => Some(("option-mark mark-missed", "○", Msg::MarkMissed)),
                    (false, false) => None,
                };
                let chosen_notes = if v == *value {
                    notes.clone()
                } else {
                    Vec::new()
                };
                option_row(i18n.t(label).to_string(), mark, chosen_notes)
            });
            Some(
                view! { <ul class="option-marks">{rows.into_iter().collect_view()}</ul> }
                    .into_any(),
            )
        } else {
            None
        };
    };
    let chosen: Vec<&str> = match answer {
        Answer::SingleChoice { option } => vec![option.as_str()],
        Answer::MultipleChoice { options } => options.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let order: Vec<&str> = match shown {
        PresentedBody::SingleChoice { options: o }
        | PresentedBody::MultipleChoice { options: o } => o.iter().map(|o| o.id.as_str()).collect(),
        _ => options.iter().map(|o| o.id.as_str()).collect(),
    };
    let rows = order
        .into_iter()
        .filter_map(|id| options.iter().find(|o| o.id == id))
        .map(|o| {
            let picked = chosen.contains(&o.id.as_str());
            let mark = match (picked, o.correct) {
                (true, true) => Some(("option-mark mark-right", "✓", Msg::MarkChosenRight)),
                (true, false) => Some(("option-mark mark-wrong", "✗", Msg::MarkChosenWrong)),
                (false, true) => Some(("option-mark mark-missed", "○", Msg::MarkMissed)),
                (false, false) => None,
            };
            let notes = if picked {
                o.feedback.clone().into_iter().collect()
            } else {
                Vec::new()
            };
            option_row(o.text.clone(), mark, notes)
        })
        .collect_view();
    Some(view! { <ul class="option-marks" data-testid="option-marks">{rows}</ul> }.into_any())
}

fn option_row(
    text: String,
    mark: Option<(&'static str, &'static str, Msg)>,
    notes: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = mark.map_or("option-mark", |(class, _, _)| class);
    view! {
        <li class=class>
            <span class="mark-icon" aria-hidden="true">{mark.map(|(_, icon, _)| icon)}</span>
            <span class="mark-body">
                <span class="mark-text">{text}</span>
                {mark.map(|(_, _, label)| view! { <span class="mark-label">{i18n.t(label)}</span> })}
                {notes.into_iter().map(|n| view! { <span class="option-feedback">{n}</span> }).collect_view()}
            </span>
        </li>
    }
}

/// An answer without options in words, as the trainee gave it.
fn given_text(
    question: &Question,
    shown: &PresentedBody,
    answer: &Answer,
    lang: lophoc_core::i18n::Lang,
) -> Option<String> {
    let _ = question;
    match (shown, answer) {
        (
            _,
            Answer::ShortAnswer { text }
            | Answer::Essay { text }
            | Answer::Opinion { text }
            | Answer::Numerical { text },
        ) => Some(text.clone()),
        (PresentedBody::Ordering { items }, Answer::Ordering { order }) => Some(
            order
                .iter()
                .filter_map(|i| {
                    items
                        .iter()
                        .find(|it| it.index == *i)
                        .map(|it| it.text.clone())
                })
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        (PresentedBody::Matching { left, right }, Answer::Matching { matches }) => Some(
            left.iter()
                .filter_map(|l| {
                    let r = matches.get(l.index)?;
                    let r = right.iter().find(|it| it.index == *r)?;
                    Some(format!("{} — {}", l.text, r.text))
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (_, Answer::TrueFalse { value }) => Some(Msg::truth(*value).text(lang).to_string()),
        _ => None,
    }
}
