//! Situation questions (câu hỏi tình huống): the question model, scoring,
//! seeded shuffling, drawing from pools, assessment settings and branching
//! scenarios.
//!
//! Policy:
//!
//! - **Marks are integers in hundredths of a point** ([`Centi`]): 1 point is
//!   100. Sums, pass marks and equality are exact, with no float rounding.
//!   Partial credit is rounded *down* to the hundredth, so a partial answer
//!   never reaches full marks; full marks are only ever given whole.
//! - **Partial credit** (see [`score`]):
//!   - *single choice* and *true/false*: all or nothing;
//!   - *multiple choice*: with `C` correct options, each correct option
//!     chosen earns `points / C`, each wrong option chosen takes away
//!     `points / C`, and the total is floored at 0 (a common Moodle set-up). Full
//!     marks need every correct option and no wrong one; choosing every
//!     option never earns more than choosing only the correct ones;
//!   - *ordering*: `points / n` for each item in its authored position;
//!   - *matching*: `points / n` for each left item paired with its own right
//!     item; extra right items (distractors) are never right, and a right
//!     item chosen twice makes the answer malformed;
//!   - *short answer*: the answer matches an accepted answer when it equals
//!     it ignoring case and spacing, and also tone marks when the question
//!     allows it. With tone marks kept, a tone written on another vowel of
//!     the syllable ("hoà" for "hòa", "thuỷ" for "thủy") and decomposed
//!     Unicode (a letter followed by combining marks, as some keyboards
//!     type) still match. Each accepted answer earns its credit (100% by
//!     default; Moodle's `=%50%` partial answers keep their share), and
//!     the best match counts;
//!   - *numerical*: the typed number ([`crate::number::read_number`]: `1.930`
//!     and `2,5` read the Vietnamese way) matches an accepted value when it
//!     lies within its tolerance; the best matching value's credit counts;
//!   - *fill in the blanks*: each gap is scored as a short answer, a
//!     numerical answer or a drop-down (one right option), and the gaps'
//!     credits are added up by their weights;
//!   - *essay*: waits for a lecturer, who marks each rubric criterion
//!     ([`grade_essay`]); *opinion*: not scored (maximum 0), for discussion.
//!
//!   A score is always within `0..=max`. An answer of the wrong kind, or a
//!   malformed one (an ordering that is not a permutation…), scores 0 and
//!   never panics.
//! - **Answers name options by id and items by their authored index**, never
//!   by where they were shown, so the shuffled presentation ([`present`])
//!   cannot change a score. Shuffles come from a seed stored in the attempt
//!   and a PRNG written here ([`shuffle_seeded`]); its output is part of the
//!   stored format, so a resumed attempt looks the same on every device and
//!   after every upgrade.
//! - What the trainee sees before answering ([`PresentedQuestion`]) carries
//!   no correct flags, feedback or explanations; those are shown after
//!   answering when the [`ReviewPolicy`] allows it ([`can_review`]).
//! - Pools ([`draw`]) take questions by tag and difficulty from a bank,
//!   deterministically per seed; branching scenarios ([`Scenario`]) are
//!   checked when loaded ([`validate_scenario`]) and replayed from the
//!   choices made ([`walk`]).

mod blanks;
mod branching;
pub mod import;
mod scoring;
mod shuffle;

pub use blanks::{fill_in_html, filled_in_html, gap_markers, replace_gaps, GapMarker};
pub use branching::{
    validate_scenario, walk, BranchChoice, Ending, Next, Scenario, ScenarioProblem, Step, Walk,
    WalkError,
};
pub use scoring::{
    attempt_result, choice_tally, feedback, full_marks, gap_credit, grade_essay, placed_tally,
    score, unanswered, AttemptResult, Centi, ChoiceTally, Correctness, Score, CENTI_PER_POINT,
};
pub use shuffle::{
    draw, present, question_seed, shuffle_seeded, DrawError, PoolRule, PresentedBody, PresentedGap,
    PresentedItem, PresentedOption, PresentedQuestion,
};

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::calendar::end_of_day_vn_ms;
use crate::ids::is_valid_id;
use crate::number::Decimal;
use crate::problem::{Part, Problem};

/// The most points one question (or one essay rubric) may be worth, so that
/// marks in hundredths always fit in a `u32`.
pub const MAX_POINTS: u32 = 10_000;

/// A question, as authored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    /// The question text, Markdown source.
    pub prompt: String,
    /// Full marks. Ignored by essays (their rubric sets the marks) and
    /// opinions (never scored).
    #[serde(default = "one")]
    pub points: u32,
    #[serde(default)]
    pub difficulty: Difficulty,
    /// Topics for drawing from pools, e.g. "phòng chống tham nhũng".
    #[serde(default)]
    pub tags: Vec<String>,
    /// Shown after answering (Markdown source).
    #[serde(default)]
    pub explanation: Option<String>,
    /// For graders and lecturers only (Markdown source; HTML once
    /// published), like Moodle's "grader information": what a good answer
    /// covers, how to mark it. Never sent to trainees: every route that
    /// sends questions to a trainee passes them through
    /// [`Question::for_trainee`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grader_note: Option<String>,
    pub body: QuestionBody,
}

impl Question {
    /// The question as a trainee may receive it: without the grader-only
    /// note.
    pub fn for_trainee(mut self) -> Question {
        self.grader_note = None;
        self
    }
}

fn one() -> u32 {
    1
}

/// How hard a question is, for drawing "at least 3 hard ones".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    /// The default when an author does not say.
    #[default]
    Medium,
    /// Counted by [`PoolRule::min_hard`].
    Hard,
}

/// What kind of question it is, with what the kind needs to be scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionBody {
    /// Exactly one option is correct.
    SingleChoice { options: Vec<Choice> },
    /// At least one option is correct; partial credit as in the module doc.
    MultipleChoice { options: Vec<Choice> },
    /// A statement that is true or false.
    TrueFalse {
        answer: bool,
        /// Shown to a trainee who answered "true".
        #[serde(default)]
        feedback_true: Option<String>,
        /// Shown to a trainee who answered "false".
        #[serde(default)]
        feedback_false: Option<String>,
    },
    /// Put the items in order; the authored order is the correct one.
    Ordering { items: Vec<String> },
    /// Pair each left item with its right item; the authored pairs are the
    /// correct ones.
    Matching {
        pairs: Vec<(String, String)>,
        /// Extra right items that pair with no left item (Moodle's
        /// distractors), shown among the others.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        distractors: Vec<String>,
    },
    /// A typed answer compared with the accepted ones.
    ShortAnswer {
        /// At least one worth full marks.
        accepted: Vec<Accepted>,
        /// Also ignore Vietnamese tone and vowel marks and đ/d ("tham nhung"
        /// matches "tham nhũng"), as [`crate::text::fold`] does.
        #[serde(default)]
        ignore_tone_marks: bool,
    },
    /// A typed number compared with the accepted values.
    Numerical {
        /// At least one worth full marks.
        answers: Vec<NumericAnswer>,
    },
    /// A text with gaps: the prompt holds the markers `{1}`, `{2}`… once
    /// each, where gap 1, 2… is shown; each gap is a short answer, a number
    /// or a drop-down.
    FillBlanks { gaps: Vec<Gap> },
    /// A written answer, marked by a lecturer against the rubric.
    Essay { rubric: Vec<Criterion> },
    /// No right answer: collected for discussion, never scored.
    Opinion {},
}

/// An option of a single or multiple choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// Shown after answering to a trainee who chose this option.
    #[serde(default)]
    pub feedback: Option<String>,
}

/// An accepted answer of a short answer question or gap. Written in a file
/// as a plain string when it earns full marks and has no feedback
/// (`accepted = ["tham nhũng"]`), otherwise as a table
/// (`{ text = "tham ô", credit = 50, feedback = "Chưa đủ cụ thể." }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub text: String,
    /// Percent of the marks it earns, 0 to 100 (100 by default). A 0%
    /// answer is recognised only for its feedback.
    pub credit: Decimal,
    /// Shown after answering to a trainee whose answer matched it.
    pub feedback: Option<String>,
}

/// 100%, the default credit.
pub const FULL_CREDIT: Decimal = Decimal::from_int(100);

impl Accepted {
    /// A full-credit answer with no feedback.
    pub fn full(text: impl Into<String>) -> Accepted {
        Accepted {
            text: text.into(),
            credit: FULL_CREDIT,
            feedback: None,
        }
    }
}

impl From<&str> for Accepted {
    fn from(text: &str) -> Accepted {
        Accepted::full(text)
    }
}

impl From<String> for Accepted {
    fn from(text: String) -> Accepted {
        Accepted::full(text)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AcceptedRepr {
    Plain(String),
    Full {
        text: String,
        #[serde(default = "full_credit")]
        credit: Decimal,
        #[serde(default)]
        feedback: Option<String>,
    },
}

fn full_credit() -> Decimal {
    FULL_CREDIT
}

impl Serialize for Accepted {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.credit == FULL_CREDIT && self.feedback.is_none() {
            serializer.serialize_str(&self.text)
        } else {
            AcceptedRepr::Full {
                text: self.text.clone(),
                credit: self.credit,
                feedback: self.feedback.clone(),
            }
            .serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Accepted {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Accepted, D::Error> {
        Ok(match AcceptedRepr::deserialize(deserializer)? {
            AcceptedRepr::Plain(text) => Accepted::full(text),
            AcceptedRepr::Full {
                text,
                credit,
                feedback,
            } => Accepted {
                text,
                credit,
                feedback,
            },
        })
    }
}

/// An accepted value of a numerical question or gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumericAnswer {
    pub value: Decimal,
    /// How far either side of `value` an answer may be and still match
    /// (0: exactly). A range `min..max` is its middle with half its width,
    /// as Moodle stores it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tolerance: Decimal,
    /// Percent of the marks it earns, 0 to 100.
    #[serde(default = "full_credit", skip_serializing_if = "is_full")]
    pub credit: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

fn is_zero(d: &Decimal) -> bool {
    *d == Decimal::ZERO
}

fn is_full(d: &Decimal) -> bool {
    *d == FULL_CREDIT
}

impl NumericAnswer {
    /// An exact, full-credit value.
    pub fn exact(value: Decimal) -> NumericAnswer {
        NumericAnswer {
            value,
            tolerance: Decimal::ZERO,
            credit: FULL_CREDIT,
            feedback: None,
        }
    }

    /// Whether `given` lies within the tolerance of the value.
    pub fn matches(&self, given: Decimal) -> bool {
        given
            .abs_diff(self.value)
            .is_some_and(|d| d <= self.tolerance)
    }
}

/// An accepted value as a person reads it: `1930`, or `3 ± 0,5` with a
/// tolerance (decimal point as in files; the client words it for its
/// language).
pub fn numeric_text(answer: &NumericAnswer) -> String {
    if answer.tolerance == Decimal::ZERO {
        answer.value.to_string()
    } else {
        format!("{} ± {}", answer.value, answer.tolerance)
    }
}

/// One gap of a fill-in-the-blanks question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Gap {
    /// Typed text compared with the accepted answers.
    ShortAnswer {
        accepted: Vec<Accepted>,
        #[serde(default)]
        ignore_tone_marks: bool,
        /// Its share of the question's marks, relative to the other gaps
        /// (1 by default).
        #[serde(default = "one", skip_serializing_if = "is_one")]
        weight: u32,
    },
    /// A typed number compared with the accepted values.
    Numerical {
        answers: Vec<NumericAnswer>,
        #[serde(default = "one", skip_serializing_if = "is_one")]
        weight: u32,
    },
    /// A drop-down of options, exactly one correct.
    Choice {
        options: Vec<Choice>,
        #[serde(default = "one", skip_serializing_if = "is_one")]
        weight: u32,
    },
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// The most a gap's weight may be.
pub const MAX_GAP_WEIGHT: u32 = 100;
/// The most gaps one question may have.
pub const MAX_GAPS: usize = 50;
/// The longest text a trainee may type in one gap, in characters.
pub const MAX_GAP_CHARS: usize = 200;

impl Gap {
    pub fn weight(&self) -> u32 {
        match self {
            Gap::ShortAnswer { weight, .. }
            | Gap::Numerical { weight, .. }
            | Gap::Choice { weight, .. } => *weight,
        }
    }
}

/// One line of an essay rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub description: String,
    /// Whole points; the lecturer may give any hundredth up to this.
    pub max_points: u32,
}

/// A trainee's answer. Its `kind` must match the question's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// The id of the chosen option.
    SingleChoice { option: String },
    /// The ids of the chosen options, in any order.
    MultipleChoice { options: Vec<String> },
    /// The value the trainee gave the statement.
    TrueFalse { value: bool },
    /// Authored item indexes in the order the trainee put them: `[2, 0, 1]`
    /// means item 2 first. Must be a permutation of `0..n`.
    Ordering { order: Vec<usize> },
    /// For each left item (by authored index), the authored index of the
    /// right item the trainee paired it with. Must be a permutation of
    /// `0..n`.
    Matching { matches: Vec<usize> },
    /// The text typed.
    ShortAnswer { text: String },
    /// The number as typed (read by [`crate::number::read_number`] when
    /// scored, so what the trainee wrote is kept as written).
    Numerical { text: String },
    /// One entry per gap, in gap order: the text or number typed, or the
    /// id of the option chosen; empty for a gap left blank.
    FillBlanks { gaps: Vec<String> },
    /// The essay, for the lecturer.
    Essay { text: String },
    /// The trainee's view, for discussion.
    Opinion { text: String },
}

/// A situation (tình huống): a scenario told in Markdown, followed by one or
/// more questions about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    pub id: String,
    pub title: String,
    /// The scenario, Markdown source.
    pub text: String,
    pub questions: Vec<Question>,
}

/// How an assessment (bài kiểm tra) runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSettings {
    /// Seconds from the start of an attempt to its automatic submission;
    /// `None` for no limit.
    #[serde(default)]
    pub time_limit_secs: Option<u32>,
    /// Attempts a trainee may make; `None` for no limit.
    #[serde(default)]
    pub max_attempts: Option<u32>,
    /// The pass mark, as a percentage of the maximum (0..=100).
    pub pass_percent: u32,
    pub review: ReviewPolicy,
    /// The last day the assessment is open, `YYYY-MM-DD`, ending at
    /// midnight Vietnam time (UTC+7); `None` for always open. After it no
    /// attempt starts, and `after_close` reviews open.
    #[serde(default)]
    pub closes_on: Option<String>,
}

impl AssessmentSettings {
    /// Whether the assessment has closed at `now_ms` (server clock).
    pub fn is_closed(&self, now_ms: i64) -> bool {
        self.closes_on
            .as_deref()
            .and_then(end_of_day_vn_ms)
            .is_some_and(|end| now_ms >= end)
    }

    /// Whether a trainee who has used `attempts_used` attempts may start
    /// another.
    pub fn may_start(&self, attempts_used: u32) -> bool {
        self.max_attempts.is_none_or(|max| attempts_used < max)
    }

    /// When an attempt started at `started_ms` (ms since the epoch) must be
    /// submitted, if there is a time limit.
    pub fn deadline_ms(&self, started_ms: i64) -> Option<i64> {
        self.time_limit_secs
            .map(|secs| started_ms.saturating_add(i64::from(secs) * 1000))
    }

    /// Settings an author got wrong, one problem each.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.pass_percent > 100 {
            problems.push(Problem::PassMarkAbove100 {
                percent: self.pass_percent,
            });
        }
        if self.time_limit_secs == Some(0) {
            problems.push(Problem::ZeroTimeLimit);
        }
        if self.max_attempts == Some(0) {
            problems.push(Problem::NoAttempts);
        }
        if let Some(date) = &self.closes_on {
            if end_of_day_vn_ms(date).is_none() {
                problems.push(Problem::BadClosingDate {
                    value: date.clone(),
                });
            }
        }
        problems
    }
}

/// When a trainee may see the correct answers, feedback and explanations of
/// a submitted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    /// As soon as the attempt is submitted.
    AfterSubmit,
    /// Once the assessment has closed for everyone, so answers cannot be
    /// passed on to trainees still sitting it.
    AfterClose,
    /// Never: the questions are reused.
    Never,
}

/// Whether an attempt may be reviewed now. A closed assessment counts as
/// submitted: its open attempts are submitted when it closes.
pub fn can_review(policy: ReviewPolicy, submitted: bool, closed: bool) -> bool {
    match policy {
        ReviewPolicy::AfterSubmit => submitted || closed,
        ReviewPolicy::AfterClose => closed,
        ReviewPolicy::Never => false,
    }
}

/// Problems with a question, one each; empty when it can be
/// published. [`score`] never panics on a question with problems, but its
/// marks may not mean much.
pub fn validate(question: &Question) -> Vec<Problem> {
    let mut problems = Vec::new();
    let q = &question.id;
    let question_id = || q.clone();
    if !is_valid_id(q) {
        problems.push(Problem::BadId {
            id: q.clone(),
            question: None,
        });
    }
    if question.prompt.trim().is_empty() {
        problems.push(Problem::EmptyPrompt {
            question: question_id(),
        });
    }
    if question.tags.iter().any(|t| t.trim().is_empty()) {
        problems.push(Problem::EmptyTag {
            question: question_id(),
        });
    }
    let scored_by_points = !matches!(
        question.body,
        QuestionBody::Essay { .. } | QuestionBody::Opinion {}
    );
    if scored_by_points && !(1..=MAX_POINTS).contains(&question.points) {
        problems.push(Problem::PointsOutOfRange {
            question: question_id(),
            points: question.points,
            max: MAX_POINTS,
        });
    }
    let whole = At {
        question: q,
        gap: None,
    };
    match &question.body {
        QuestionBody::SingleChoice { options } => {
            check_options(whole, options, &mut problems);
            let correct = options.iter().filter(|o| o.correct).count();
            if correct != 1 {
                problems.push(Problem::CorrectCount {
                    question: question_id(),
                    gap: None,
                    correct,
                });
            }
        }
        QuestionBody::MultipleChoice { options } => {
            check_options(whole, options, &mut problems);
            if !options.iter().any(|o| o.correct) {
                problems.push(Problem::NoCorrectOption {
                    question: question_id(),
                });
            }
        }
        QuestionBody::TrueFalse { .. } | QuestionBody::Opinion {} => {}
        QuestionBody::Ordering { items } => {
            if items.len() < 2 {
                problems.push(Problem::TooFew {
                    question: question_id(),
                    gap: None,
                    part: Part::Item,
                    min: 2,
                    count: items.len(),
                });
            }
            check_texts(
                whole,
                Part::Item,
                items.iter().map(String::as_str),
                &mut problems,
            );
        }
        QuestionBody::Matching { pairs, distractors } => {
            if pairs.len() < 2 {
                problems.push(Problem::TooFew {
                    question: question_id(),
                    gap: None,
                    part: Part::Pair,
                    min: 2,
                    count: pairs.len(),
                });
            }
            check_texts(
                whole,
                Part::LeftItem,
                pairs.iter().map(|p| p.0.as_str()),
                &mut problems,
            );
            check_texts(
                whole,
                Part::RightItem,
                pairs
                    .iter()
                    .map(|p| p.1.as_str())
                    .chain(distractors.iter().map(String::as_str)),
                &mut problems,
            );
        }
        QuestionBody::ShortAnswer { accepted, .. } => {
            check_accepted(whole, accepted, &mut problems);
        }
        QuestionBody::Numerical { answers } => {
            check_numeric(whole, answers, &mut problems);
        }
        QuestionBody::FillBlanks { gaps } => {
            check_gaps(q, &question.prompt, gaps, &mut problems);
        }
        QuestionBody::Essay { rubric } => {
            if rubric.is_empty() {
                problems.push(Problem::NoRubric {
                    question: question_id(),
                });
            }
            let mut ids = HashSet::new();
            for c in rubric {
                if !is_valid_id(&c.id) {
                    problems.push(Problem::BadId {
                        id: c.id.clone(),
                        question: Some(question_id()),
                    });
                }
                if !ids.insert(c.id.as_str()) {
                    problems.push(Problem::DuplicateId {
                        id: c.id.clone(),
                        question: Some(question_id()),
                    });
                }
                if c.max_points == 0 {
                    problems.push(Problem::ZeroCriterion {
                        question: question_id(),
                        criterion: c.id.clone(),
                    });
                }
            }
            let total: u64 = rubric.iter().map(|c| u64::from(c.max_points)).sum();
            if total > u64::from(MAX_POINTS) {
                problems.push(Problem::TooManyPoints {
                    question: question_id(),
                    total,
                    max: MAX_POINTS,
                });
            }
        }
    }
    problems
}

/// Where in a question a check looks: the whole question or one gap.
#[derive(Clone, Copy)]
struct At<'a> {
    question: &'a str,
    /// 1-based.
    gap: Option<usize>,
}

impl At<'_> {
    fn question(self) -> String {
        self.question.to_string()
    }
}

fn check_credit(at: At<'_>, answer: String, credit: Decimal, problems: &mut Vec<Problem>) {
    if credit.is_negative() || credit > FULL_CREDIT {
        problems.push(Problem::CreditOutOfRange {
            question: at.question(),
            gap: at.gap,
            answer,
            credit: credit.to_string(),
        });
    }
}

fn check_accepted(at: At<'_>, accepted: &[Accepted], problems: &mut Vec<Problem>) {
    if accepted.is_empty() {
        problems.push(Problem::NoAnswer {
            question: at.question(),
            gap: at.gap,
        });
        return;
    }
    if accepted.iter().any(|a| a.text.trim().is_empty()) {
        problems.push(Problem::EmptyAnswer {
            question: at.question(),
            gap: at.gap,
        });
    }
    for a in accepted {
        check_credit(at, a.text.clone(), a.credit, problems);
    }
    if !accepted.iter().any(|a| a.credit == FULL_CREDIT) {
        problems.push(Problem::NoFullCredit {
            question: at.question(),
            gap: at.gap,
        });
    }
}

fn check_numeric(at: At<'_>, answers: &[NumericAnswer], problems: &mut Vec<Problem>) {
    if answers.is_empty() {
        problems.push(Problem::NoAnswer {
            question: at.question(),
            gap: at.gap,
        });
        return;
    }
    for a in answers {
        if a.tolerance.is_negative() {
            problems.push(Problem::NegativeTolerance {
                question: at.question(),
                gap: at.gap,
                value: a.value.to_string(),
            });
        }
        check_credit(at, a.value.to_string(), a.credit, problems);
    }
    if !answers.iter().any(|a| a.credit == FULL_CREDIT) {
        problems.push(Problem::NoFullCredit {
            question: at.question(),
            gap: at.gap,
        });
    }
}

fn check_gaps(q: &str, prompt: &str, gaps: &[Gap], problems: &mut Vec<Problem>) {
    if gaps.is_empty() {
        problems.push(Problem::NoGaps { question: q.into() });
    }
    if gaps.len() > MAX_GAPS {
        problems.push(Problem::TooManyGaps {
            question: q.into(),
            gaps: gaps.len(),
            max: MAX_GAPS,
        });
    }
    let markers = gap_markers(prompt, usize::MAX);
    for n in 1..=gaps.len() {
        match markers.iter().filter(|m| m.gap == n - 1).count() {
            1 => {}
            0 => problems.push(Problem::MissingMarker {
                question: q.into(),
                gap: n,
            }),
            k => problems.push(Problem::RepeatedMarker {
                question: q.into(),
                gap: n,
                times: k,
            }),
        }
    }
    for m in markers.iter().filter(|m| m.gap >= gaps.len()) {
        problems.push(Problem::MarkerWithoutGap {
            question: q.into(),
            marker: m.gap + 1,
            gaps: gaps.len(),
        });
    }
    for (i, gap) in gaps.iter().enumerate() {
        let at = At {
            question: q,
            gap: Some(i + 1),
        };
        if !(1..=MAX_GAP_WEIGHT).contains(&gap.weight()) {
            problems.push(Problem::GapWeight {
                question: q.into(),
                gap: i + 1,
                weight: gap.weight(),
                max: MAX_GAP_WEIGHT,
            });
        }
        match gap {
            Gap::ShortAnswer { accepted, .. } => check_accepted(at, accepted, problems),
            Gap::Numerical { answers, .. } => check_numeric(at, answers, problems),
            Gap::Choice { options, .. } => {
                check_options(at, options, problems);
                let correct = options.iter().filter(|o| o.correct).count();
                if correct != 1 {
                    problems.push(Problem::CorrectCount {
                        question: q.into(),
                        gap: at.gap,
                        correct,
                    });
                }
            }
        }
    }
}

fn check_options(at: At<'_>, options: &[Choice], problems: &mut Vec<Problem>) {
    if options.len() < 2 {
        problems.push(Problem::TooFew {
            question: at.question(),
            gap: at.gap,
            part: Part::Option,
            min: 2,
            count: options.len(),
        });
    }
    let mut ids = HashSet::new();
    for o in options {
        if !is_valid_id(&o.id) {
            problems.push(Problem::BadId {
                id: o.id.clone(),
                question: Some(at.question()),
            });
        }
        if !ids.insert(o.id.as_str()) {
            problems.push(Problem::DuplicateId {
                id: o.id.clone(),
                question: Some(at.question()),
            });
        }
    }
    check_texts(
        at,
        Part::Option,
        options.iter().map(|o| o.text.as_str()),
        problems,
    );
}

/// Items a trainee tells apart only by their text must have distinct,
/// non-empty texts.
fn check_texts<'a>(
    at: At<'_>,
    part: Part,
    texts: impl Iterator<Item = &'a str>,
    problems: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    for text in texts {
        if text.trim().is_empty() {
            problems.push(Problem::EmptyText {
                question: at.question(),
                gap: at.gap,
                part,
            });
        } else if !seen.insert(text.trim()) {
            problems.push(Problem::RepeatedText {
                question: at.question(),
                gap: at.gap,
                part,
                text: text.to_string(),
            });
        }
    }
}

/// Problems with a situation and its questions, one each.
pub fn validate_situation(situation: &Situation) -> Vec<Problem> {
    let mut problems = Vec::new();
    let s = &situation.id;
    if !is_valid_id(s) {
        problems.push(Problem::BadId {
            id: s.clone(),
            question: None,
        });
    }
    if situation.text.trim().is_empty() {
        problems.push(Problem::NoScenarioText {
            situation: s.clone(),
        });
    }
    if situation.questions.is_empty() {
        problems.push(Problem::NoQuestions {
            situation: s.clone(),
        });
    }
    problems.extend(validate_bank(&situation.questions));
    problems
}

/// Problems with a question bank: each question's, and ids used twice.
pub fn validate_bank(bank: &[Question]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    for question in bank {
        if !ids.insert(question.id.as_str()) {
            problems.push(Problem::DuplicateId {
                id: question.id.clone(),
                question: None,
            });
        }
        problems.extend(validate(question));
    }
    problems
}

#[cfg(test)]
mod closing_tests {
    use super::*;

    #[test]
    fn closing_dates_end_at_midnight_in_vietnam() {
        // 2026-12-31 24:00 +07:00 = 2026-12-31 17:00 UTC = 1798736400 s.
        assert_eq!(end_of_day_vn_ms("2026-12-31"), Some(1_798_736_400_000));
        assert_eq!(end_of_day_vn_ms("1970-01-01"), Some(61_200_000));
        for bad in ["", "2026-13-01", "31/12/2026", "2026-12"] {
            assert_eq!(end_of_day_vn_ms(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(id: &str, correct: bool) -> Choice {
        Choice {
            id: id.into(),
            text: format!("Option {id}"),
            correct,
            feedback: None,
        }
    }

    pub(crate) fn question(body: QuestionBody) -> Question {
        Question {
            id: "q1".into(),
            prompt: "Cán bộ xã nhận quà biếu. Đồng chí xử lý thế nào?".into(),
            points: 1,
            difficulty: Difficulty::Medium,
            tags: vec!["phòng chống tham nhũng".into()],
            explanation: None,
            grader_note: None,
            body,
        }
    }

    #[test]
    fn a_well_formed_question_of_each_kind_has_no_problems() {
        let bodies = [
            QuestionBody::SingleChoice {
                options: vec![choice("a", true), choice("b", false)],
            },
            QuestionBody::MultipleChoice {
                options: vec![choice("a", true), choice("b", true), choice("c", false)],
            },
            QuestionBody::TrueFalse {
                answer: true,
                feedback_true: None,
                feedback_false: Some("Xem lại Điều 20.".into()),
            },
            QuestionBody::Ordering {
                items: vec!["Tiếp nhận".into(), "Xác minh".into(), "Kết luận".into()],
            },
            QuestionBody::Matching {
                pairs: vec![("A".into(), "1".into()), ("B".into(), "2".into())],
                distractors: vec!["3".into()],
            },
            QuestionBody::ShortAnswer {
                accepted: vec![Accepted::full("tham nhũng")],
                ignore_tone_marks: true,
            },
            QuestionBody::Numerical {
                answers: vec![NumericAnswer::exact(Decimal::from_int(1930))],
            },
            QuestionBody::Essay {
                rubric: vec![Criterion {
                    id: "lap-luan".into(),
                    description: "Lập luận".into(),
                    max_points: 5,
                }],
            },
            QuestionBody::Opinion {},
        ];
        for body in bodies {
            let q = question(body);
            assert_eq!(validate(&q), Vec::<Problem>::new(), "{q:?}");
        }
        let mut blanks = question(fill_blanks());
        blanks.prompt = "Đảng ra đời năm {1} tại {2}.".into();
        assert_eq!(validate(&blanks), Vec::<Problem>::new());
    }

    fn fill_blanks() -> QuestionBody {
        QuestionBody::FillBlanks {
            gaps: vec![
                Gap::Numerical {
                    answers: vec![NumericAnswer::exact(Decimal::from_int(1930))],
                    weight: 1,
                },
                Gap::Choice {
                    options: vec![choice("a", true), choice("b", false)],
                    weight: 1,
                },
            ],
        }
    }

    #[test]
    fn new_kinds_name_their_mistakes() {
        let has = |q: &Question, expected: Problem| {
            let problems = validate(q);
            assert!(
                problems.contains(&expected),
                "{expected:?} not in {problems:?}"
            );
        };
        let q1 = || "q1".to_string();
        let mut blanks = question(fill_blanks());
        blanks.prompt = "Năm {1}, {1}, {3}".into();
        has(
            &blanks,
            Problem::RepeatedMarker {
                question: q1(),
                gap: 1,
                times: 2,
            },
        );
        has(
            &blanks,
            Problem::MissingMarker {
                question: q1(),
                gap: 2,
            },
        );
        has(
            &blanks,
            Problem::MarkerWithoutGap {
                question: q1(),
                marker: 3,
                gaps: 2,
            },
        );
        let half = |text: &str| Accepted {
            text: text.into(),
            credit: Decimal::from_int(50),
            feedback: None,
        };
        has(
            &question(QuestionBody::ShortAnswer {
                accepted: vec![half("a")],
                ignore_tone_marks: false,
            }),
            Problem::NoFullCredit {
                question: q1(),
                gap: None,
            },
        );
        has(
            &question(QuestionBody::ShortAnswer {
                accepted: vec![
                    Accepted::full("a"),
                    Accepted {
                        credit: Decimal::from_int(120),
                        ..half("b")
                    },
                ],
                ignore_tone_marks: false,
            }),
            Problem::CreditOutOfRange {
                question: q1(),
                gap: None,
                answer: "b".into(),
                credit: "120".into(),
            },
        );
        has(
            &question(QuestionBody::Numerical {
                answers: vec![NumericAnswer {
                    tolerance: Decimal::from_int(-1),
                    ..NumericAnswer::exact(Decimal::from_int(5))
                }],
            }),
            Problem::NegativeTolerance {
                question: q1(),
                gap: None,
                value: "5".into(),
            },
        );
        has(
            &question(QuestionBody::Numerical { answers: vec![] }),
            Problem::NoAnswer {
                question: q1(),
                gap: None,
            },
        );
        has(
            &question(QuestionBody::Matching {
                pairs: vec![("A".into(), "1".into()), ("B".into(), "2".into())],
                distractors: vec!["1".into()],
            }),
            Problem::RepeatedText {
                question: q1(),
                gap: None,
                part: Part::RightItem,
                text: "1".into(),
            },
        );
        let mut one_option = question(QuestionBody::FillBlanks {
            gaps: vec![Gap::Choice {
                options: vec![choice("a", false), choice("b", false)],
                weight: 0,
            }],
        });
        one_option.prompt = "Chọn {1}".into();
        has(
            &one_option,
            Problem::CorrectCount {
                question: q1(),
                gap: Some(1),
                correct: 0,
            },
        );
        has(
            &one_option,
            Problem::GapWeight {
                question: q1(),
                gap: 1,
                weight: 0,
                max: MAX_GAP_WEIGHT,
            },
        );
    }

    #[test]
    fn accepted_answers_read_as_strings_or_tables() {
        let body: QuestionBody = serde_json::from_value(serde_json::json!({
            "kind": "short_answer",
            "accepted": ["tham ô", {"text": "tham nhũng", "credit": 50, "feedback": "Gần đúng"}]
        }))
        .unwrap();
        let QuestionBody::ShortAnswer { accepted, .. } = &body else {
            panic!("{body:?}");
        };
        assert_eq!(accepted[0], Accepted::full("tham ô"));
        assert_eq!(accepted[1].credit, Decimal::from_int(50));
        // Plain answers write back as plain strings: stored JSON is unchanged.
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["accepted"][0], "tham ô");
        assert_eq!(json["accepted"][1]["credit"], "50");
        let back: QuestionBody = serde_json::from_value(json).unwrap();
        assert_eq!(back, body);
        let matching = serde_json::to_value(QuestionBody::Matching {
            pairs: vec![("A".into(), "1".into())],
            distractors: vec![],
        })
        .unwrap();
        assert!(matching.get("distractors").is_none());
    }

    #[test]
    fn validation_names_each_mistake() {
        let has = |q: &Question, expected: Problem| {
            let problems = validate(q);
            assert!(
                problems.contains(&expected),
                "{expected:?} not in {problems:?}"
            );
        };
        let q1 = || "q1".to_string();
        let two_correct = question(QuestionBody::SingleChoice {
            options: vec![choice("a", true), choice("a", true)],
        });
        has(
            &two_correct,
            Problem::CorrectCount {
                question: q1(),
                gap: None,
                correct: 2,
            },
        );
        has(
            &two_correct,
            Problem::DuplicateId {
                id: "a".into(),
                question: Some(q1()),
            },
        );
        has(
            &two_correct,
            Problem::RepeatedText {
                question: q1(),
                gap: None,
                part: Part::Option,
                text: "Option a".into(),
            },
        );
        has(
            &question(QuestionBody::MultipleChoice {
                options: vec![choice("a", false), choice("b", false)],
            }),
            Problem::NoCorrectOption { question: q1() },
        );
        has(
            &question(QuestionBody::Ordering {
                items: vec!["x".into()],
            }),
            Problem::TooFew {
                question: q1(),
                gap: None,
                part: Part::Item,
                min: 2,
                count: 1,
            },
        );
        has(
            &question(QuestionBody::ShortAnswer {
                accepted: vec![],
                ignore_tone_marks: false,
            }),
            Problem::NoAnswer {
                question: q1(),
                gap: None,
            },
        );
        has(
            &question(QuestionBody::Essay { rubric: vec![] }),
            Problem::NoRubric { question: q1() },
        );
        let mut blank = question(QuestionBody::Opinion {});
        blank.prompt = "  ".into();
        blank.id = "Q 1".into();
        has(
            &blank,
            Problem::EmptyPrompt {
                question: "Q 1".into(),
            },
        );
        has(
            &blank,
            Problem::BadId {
                id: "Q 1".into(),
                question: None,
            },
        );
        let mut free = question(QuestionBody::TrueFalse {
            answer: false,
            feedback_true: None,
            feedback_false: None,
        });
        free.points = 0;
        has(
            &free,
            Problem::PointsOutOfRange {
                question: q1(),
                points: 0,
                max: MAX_POINTS,
            },
        );
    }

    #[test]
    fn a_bank_and_a_situation_report_ids_used_twice() {
        let q = question(QuestionBody::Opinion {});
        let situation = Situation {
            id: "tinh-huong-1".into(),
            title: "Quà biếu".into(),
            text: "Ông A, chủ tịch xã…".into(),
            questions: vec![q.clone(), q],
        };
        let problems = validate_situation(&situation);
        assert_eq!(
            problems,
            vec![Problem::DuplicateId {
                id: "q1".into(),
                question: None
            }]
        );
        let empty = Situation {
            questions: vec![],
            ..situation
        };
        assert_eq!(
            validate_situation(&empty),
            vec![Problem::NoQuestions {
                situation: "tinh-huong-1".into()
            }]
        );
    }

    #[test]
    fn review_follows_the_policy() {
        use ReviewPolicy::*;
        assert!(!can_review(AfterSubmit, false, false));
        assert!(can_review(AfterSubmit, true, false));
        assert!(can_review(AfterSubmit, false, true));
        assert!(!can_review(AfterClose, true, false));
        assert!(can_review(AfterClose, true, true));
        assert!(!can_review(Never, true, true));
    }

    #[test]
    fn settings_limit_attempts_and_time() {
        let settings = AssessmentSettings {
            time_limit_secs: Some(900),
            max_attempts: Some(2),
            pass_percent: 50,
            review: ReviewPolicy::AfterClose,
            closes_on: None,
        };
        assert!(settings.may_start(1));
        assert!(!settings.may_start(2));
        assert_eq!(settings.deadline_ms(1_000), Some(901_000));
        assert!(settings.problems().is_empty());
        let open = AssessmentSettings {
            time_limit_secs: None,
            max_attempts: None,
            pass_percent: 101,
            ..settings
        };
        assert!(open.may_start(1_000));
        assert_eq!(open.deadline_ms(1_000), None);
        assert_eq!(
            open.problems(),
            vec![Problem::PassMarkAbove100 { percent: 101 }]
        );
    }

    #[test]
    fn questions_read_from_json_with_defaults() {
        let q: Question = serde_json::from_value(serde_json::json!({
            "id": "q7",
            "prompt": "Chọn đáp án đúng",
            "body": {
                "kind": "single_choice",
                "options": [
                    {"id": "a", "text": "Đúng", "correct": true, "feedback": "Chính xác"},
                    {"id": "b", "text": "Sai"}
                ]
            }
        }))
        .unwrap();
        assert_eq!((q.points, q.difficulty), (1, Difficulty::Medium));
        assert!(validate(&q).is_empty());
        let a: Answer =
            serde_json::from_value(serde_json::json!({"kind": "ordering", "order": [1, 0]}))
                .unwrap();
        assert_eq!(a, Answer::Ordering { order: vec![1, 0] });
        let back: Question = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(back, q);
    }
}

/// Generators shared by the property tests of the submodules.
#[cfg(test)]
mod strategies {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// Options named and marked as given, with distinct texts.
    pub(crate) fn choices(options: &[(&str, bool)]) -> Vec<Choice> {
        options
            .iter()
            .map(|&(id, correct)| Choice {
                id: id.into(),
                text: format!("Option {id}"),
                correct,
                feedback: Some(format!("Feedback {id}")),
            })
            .collect()
    }

    fn arb_options() -> impl Strategy<Value = Vec<Choice>> {
        vec(any::<bool>(), 0..7).prop_map(|flags| {
            let ids: Vec<String> = (0..flags.len()).map(|i| format!("o{i}")).collect();
            let named: Vec<(&str, bool)> = ids.iter().map(String::as_str).zip(flags).collect();
            choices(&named)
        })
    }

    /// A credit in percent, sometimes out of range.
    fn arb_credit() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            Just(FULL_CREDIT),
            (0i64..=120).prop_map(Decimal::from_int),
            (0i64..=10_000).prop_map(|c| Decimal::from_parts(c, 2).unwrap_or_default()),
        ]
    }

    pub(crate) fn arb_accepted() -> impl Strategy<Value = Accepted> {
        (
            "[a-zA-Z àáạăâđơư]{0,8}",
            arb_credit(),
            proptest::option::of("[a-z ]{1,8}"),
        )
            .prop_map(|(text, credit, feedback)| Accepted {
                text,
                credit,
                feedback,
            })
    }

    pub(crate) fn arb_numeric() -> impl Strategy<Value = NumericAnswer> {
        (-5000i64..5000, 0i64..100, 0u32..4, arb_credit()).prop_map(|(v, t, places, credit)| {
            NumericAnswer {
                value: Decimal::from_parts(v, places).unwrap_or_default(),
                tolerance: Decimal::from_parts(t, places).unwrap_or_default(),
                credit,
                feedback: None,
            }
        })
    }

    fn arb_gap() -> impl Strategy<Value = Gap> {
        prop_oneof![
            (vec(arb_accepted(), 0..3), any::<bool>(), 0u32..4).prop_map(
                |(accepted, ignore_tone_marks, weight)| Gap::ShortAnswer {
                    accepted,
                    ignore_tone_marks,
                    weight
                }
            ),
            (vec(arb_numeric(), 0..3), 0u32..4)
                .prop_map(|(answers, weight)| Gap::Numerical { answers, weight }),
            (arb_options(), 0u32..4).prop_map(|(options, weight)| Gap::Choice { options, weight }),
        ]
    }

    /// Any body, valid or not: few or no options, any number of correct
    /// ones, empty rubrics…
    pub(crate) fn arb_body() -> impl Strategy<Value = QuestionBody> {
        prop_oneof![
            arb_options().prop_map(|options| QuestionBody::SingleChoice { options }),
            arb_options().prop_map(|options| QuestionBody::MultipleChoice { options }),
            any::<bool>().prop_map(|answer| QuestionBody::TrueFalse {
                answer,
                feedback_true: None,
                feedback_false: None,
            }),
            (0usize..7).prop_map(|n| QuestionBody::Ordering {
                items: (0..n).map(|i| format!("Item {i}")).collect(),
            }),
            (0usize..7, 0usize..3).prop_map(|(n, d)| QuestionBody::Matching {
                pairs: (0..n)
                    .map(|i| (format!("Left {i}"), format!("Right {i}")))
                    .collect(),
                distractors: (0..d).map(|i| format!("Extra {i}")).collect(),
            }),
            (vec(arb_accepted(), 0..3), any::<bool>()).prop_map(|(accepted, ignore_tone_marks)| {
                QuestionBody::ShortAnswer {
                    accepted,
                    ignore_tone_marks,
                }
            }),
            vec(arb_numeric(), 0..3).prop_map(|answers| QuestionBody::Numerical { answers }),
            vec(arb_gap(), 0..4).prop_map(|gaps| QuestionBody::FillBlanks { gaps }),
            vec(0u32..6, 0..4).prop_map(|maxes| QuestionBody::Essay {
                rubric: maxes
                    .into_iter()
                    .enumerate()
                    .map(|(i, max_points)| Criterion {
                        id: format!("c{i}"),
                        description: format!("Criterion {i}"),
                        max_points,
                    })
                    .collect(),
            }),
            Just(QuestionBody::Opinion {}),
        ]
    }

    pub(crate) fn arb_question() -> impl Strategy<Value = Question> {
        (arb_body(), 0u32..20, 0usize..3).prop_map(|(body, points, hardness)| Question {
            id: "q".into(),
            prompt: "Prompt".into(),
            points,
            difficulty: [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard][hardness],
            tags: vec![],
            explanation: None,
            grader_note: None,
            body,
        })
    }

    fn permutation() -> impl Strategy<Value = Vec<usize>> {
        (0usize..8).prop_flat_map(|n| Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
    }

    /// Any answer of any kind, well formed or not.
    pub(crate) fn arb_answer() -> impl Strategy<Value = Answer> {
        prop_oneof![
            "o[0-7x]".prop_map(|option| Answer::SingleChoice { option }),
            vec("o[0-7x]", 0..9).prop_map(|options| Answer::MultipleChoice { options }),
            any::<bool>().prop_map(|value| Answer::TrueFalse { value }),
            vec(0usize..8, 0..8).prop_map(|order| Answer::Ordering { order }),
            permutation().prop_map(|order| Answer::Ordering { order }),
            vec(0usize..8, 0..8).prop_map(|matches| Answer::Matching { matches }),
            permutation().prop_map(|matches| Answer::Matching { matches }),
            "[a-zA-Z àáạăâđơư\u{300}\u{301}\u{302}]{0,8}"
                .prop_map(|text| Answer::ShortAnswer { text }),
            "[0-9.,\\- ]{0,8}".prop_map(|text| Answer::Numerical { text }),
            vec("[0-9a-z., ]{0,6}", 0..5).prop_map(|gaps| Answer::FillBlanks { gaps }),
            "\\PC{0,8}".prop_map(|text| Answer::Essay { text }),
            "\\PC{0,8}".prop_map(|text| Answer::Opinion { text }),
        ]
    }
}
