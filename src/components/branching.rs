//! Playing a branching scenario (tình huống rẽ nhánh) of a situation set,
//! one step at a time.
//!
//! Policy: each step shows its text and its choices as large buttons. A
//! choice is recorded as [`Event::ScenarioChoice`] through the outbox the
//! moment it is made (with the run's id and the step's place in the path),
//! so the path is kept step by step and nothing needs the network: the
//! scenario comes with the set, which is downloaded with the course. An
//! ending shows its debrief, the score and the path taken; "Làm lại từ đầu"
//! starts a new run with a new id.
//!
//! A run lives only in this component: reloading the page (or leaving it)
//! mid-run starts over with a new run. The choices already made stay
//! recorded under the old run's id; resuming a run is not offered.

use leptos::{html, prelude::*};
use lophoc_core::{
    events::Event,
    i18n::Msg,
    question::{walk, Scenario, Walk},
};

use crate::{state::i18n::use_i18n, store, sync::use_sync};

/// Taps closer together than this after a choice are ignored, so a double
/// tap cannot also pick whatever button of the next step lies under the
/// finger.
const TAP_GUARD_MS: f64 = 400.0;

/// The player of a set's branching scenario. `ended` is set once a run has
/// reached an ending (the page then shows the lecturer's guidance).
#[component]
pub fn ScenarioPlayer(
    course_id: String,
    situation_id: String,
    scenario: Scenario,
    #[prop(optional)] ended: Option<RwSignal<bool>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let scenario = StoredValue::new(scenario);
    let ids = StoredValue::new((course_id, situation_id));
    // `None` until the trainee starts; a fresh id for every run.
    let run = RwSignal::new(None::<String>);
    // The ids of the choices made in this run, in order.
    let choices = RwSignal::new(Vec::<String>::new());
    let last_tap = StoredValue::new(0.0_f64);
    let heading = NodeRef::<html::H3>::new();
    let progress = Memo::new(move |_| choices.with(|c| scenario.with_value(|s| walk(s, c))).ok());

    // Puts the keyboard and screen-reader focus (and the view, on a phone)
    // on the heading of what is shown now.
    let focus_heading = move || {
        request_animation_frame(move || {
            if let Some(el) = heading.get_untracked() {
                let _ = el.focus();
            }
        });
    };
    let start = move || {
        run.set(Some(store::new_id()));
        choices.set(Vec::new());
        focus_heading();
    };
    let choose = move |choice_id: String| {
        let now = js_sys::Date::now();
        if now - last_tap.get_value() < TAP_GUARD_MS {
            return;
        }
        last_tap.set_value(now);
        let (Some(run_id), Some(walked)) = (run.get_untracked(), progress.get_untracked()) else {
            return;
        };
        let Some(step_id) = walked.current().map(str::to_string) else {
            return;
        };
        let step = choices.with_untracked(Vec::len);
        let (course_id, situation_id) = ids.get_value();
        sync.record(Event::ScenarioChoice {
            course_id,
            situation_id,
            run_id,
            step: u32::try_from(step).unwrap_or(u32::MAX),
            step_id,
            choice_id: choice_id.clone(),
        });
        choices.update(|c| c.push(choice_id));
        let over = progress.get_untracked().is_some_and(|w| w.ending.is_some());
        if let (true, Some(ended)) = (over, ended) {
            ended.set(true);
        }
        focus_heading();
    };

    let body = move || {
        let started = run.with(Option::is_some);
        match progress.get() {
            Some(walked) if started => match walked.current() {
                Some(at) => step_view(scenario, at, walked.path.len(), heading, choose).into_any(),
                None => ending_view(scenario, &walked, &choices.get(), heading, start).into_any(),
            },
            _ => view! {
                <p>{move || i18n.t(Msg::ScenarioHint)}</p>
                <button type="button" class="button button-primary button-block" on:click=move |_| start()>
                    {move || i18n.t(Msg::ScenarioStart)}
                </button>
            }
            .into_any(),
        }
    };
    view! {
        <section class="panel scenario-player" aria-labelledby="scenario-player-heading">
            <h2 id="scenario-player-heading">{move || i18n.t(Msg::ScenarioKind)}</h2>
            {body}
        </section>
    }
}

/// The step `at`, the `number`th of the path, and its choices.
fn step_view(
    scenario: StoredValue<Scenario>,
    at: &str,
    number: usize,
    heading: NodeRef<html::H3>,
    choose: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(step) = scenario.with_value(|s| s.step(at).cloned()) else {
        return ().into_any();
    };
    let number = number.to_string();
    let buttons = step
        .choices
        .into_iter()
        .map(|c| {
            let id = c.id.clone();
            view! {
                <button type="button" class="button scenario-choice" data-choice=c.id
                    on:click=move |_| choose(id.clone())>
                    {c.text}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="scenario-step" data-step=step.id>
            <h3 class="eyebrow scenario-heading" tabindex="-1" node_ref=heading>
                {move || i18n.f(Msg::ScenarioStepOf, &[("n", &number)])}
            </h3>
            <div class="lesson-body scenario-text" inner_html=step.text></div>
            <div class="scenario-choices" role="group" aria-labelledby="scenario-choices-label">
                <p id="scenario-choices-label" class="scenario-choices-label">
                    {move || i18n.t(Msg::ScenarioChoicesLabel)}
                </p>
                {buttons}
            </div>
        </div>
    }
    .into_any()
}

/// The ending reached: debrief, score, the path taken, and a new start.
fn ending_view(
    scenario: StoredValue<Scenario>,
    walked: &Walk,
    choices: &[String],
    heading: NodeRef<html::H3>,
    restart: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (ending, max, path) = scenario.with_value(|s| {
        let ending = walked
            .ending
            .as_deref()
            .and_then(|id| s.ending(id))
            .cloned();
        let path: Vec<(String, String)> = walked
            .path
            .iter()
            .zip(choices)
            .filter_map(|(step_id, choice_id)| {
                let step = s.step(step_id)?;
                let choice = step.choices.iter().find(|c| c.id == *choice_id)?;
                Some((step_label(&step.text), choice.text.clone()))
            })
            .collect();
        (ending, s.max_score(), path)
    });
    let Some(ending) = ending else {
        return ().into_any();
    };
    let (score, max) = (ending.score.to_string(), max.to_string());
    let path = path
        .into_iter()
        .map(|(step, choice)| {
            view! {
                <li>
                    <span class="scenario-path-step">{step}</span>
                    <span class="scenario-path-choice">
                        {move || i18n.f(Msg::ScenarioYouChose, &[("choice", &choice)])}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="scenario-ending" data-ending=ending.id>
            <h3 class="scenario-heading" tabindex="-1" node_ref=heading>
                {move || i18n.t(Msg::ScenarioEnding)}
            </h3>
            <p class="scenario-score" data-testid="scenario-score">
                {move || i18n.f(Msg::ScenarioScore, &[("score", &score), ("max", &max)])}
            </p>
            <div class="lesson-body scenario-debrief" inner_html=ending.debrief></div>
            <h4>{move || i18n.t(Msg::ScenarioPath)}</h4>
            <ol class="scenario-path" data-testid="scenario-path">{path}</ol>
            <button type="button" class="button button-block" on:click=move |_| restart()>
                {move || i18n.t(Msg::ScenarioRestart)}
            </button>
        </div>
    }
    .into_any()
}

/// A short name for a step in the path: its first sentence if that is
/// short (authors can open a step with a bold lead such as "**Buổi hoà
/// giải.**"), else its first words.
fn step_label(html: &str) -> String {
    const MAX_CHARS: usize = 80;
    const WORDS: usize = 10;
    let text = plain_text(html);
    if let Some(end) = text.find(['.', '!', '?', ':']) {
        let first = &text[..=end];
        if first.chars().count() <= MAX_CHARS {
            return first.to_string();
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= WORDS {
        text
    } else {
        format!("{}…", words[..WORDS].join(" "))
    }
}

/// The text of sanitized HTML, with whitespace collapsed.
fn plain_text(html: &str) -> String {
    const BLOCKS: [&str; 13] = [
        "p",
        "br",
        "li",
        "div",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        if BLOCKS.contains(&name) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
