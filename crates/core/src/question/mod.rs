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
//!     item;
//!   - *short answer*: all or nothing; the answer matches when it equals an
//!     accepted answer ignoring case and spacing, and also tone marks when
//!     the question allows it. With tone marks kept, a tone written on
//!     another vowel of the syllable ("hoà" for "hòa", "thuỷ" for "thủy")
//!     and decomposed Unicode (a letter followed by combining marks, as
//!     some keyboards type) still match;
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

mod branching;
pub mod import;
mod scoring;
mod shuffle;

pub use branching::{
    validate_scenario, walk, BranchChoice, Ending, Next, Scenario, ScenarioProblem, Step, Walk,
    WalkError,
};
pub use scoring::{
    attempt_result, choice_tally, feedback, full_marks, grade_essay, placed_tally, score,
    unanswered, AttemptResult, Centi, ChoiceTally, Correctness, Score, CENTI_PER_POINT,
};
pub use shuffle::{
    draw, present, question_seed, shuffle_seeded, DrawError, PoolRule, PresentedBody,
    PresentedItem, PresentedOption, PresentedQuestion,
};

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::content::{is_valid_id, ID_RULE};

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
    Matching { pairs: Vec<(String, String)> },
    /// A typed answer compared with the accepted ones.
    ShortAnswer {
        accepted: Vec<String>,
        /// Also ignore Vietnamese tone and vowel marks and đ/d ("tham nhung"
        /// matches "tham nhũng"), as [`crate::text::fold`] does.
        #[serde(default)]
        ignore_tone_marks: bool,
    },
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

/// Milliseconds since the Unix epoch at the end of `date` (`YYYY-MM-DD`) in
/// Vietnam time (UTC+7), or `None` if the text is not such a date.
pub fn end_of_day_vn_ms(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days + 1) * 86_400 - 7 * 3_600) * 1000)
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

    /// Settings an author got wrong, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.pass_percent > 100 {
            problems.push(format!(
                "the pass mark is {}%, above 100%",
                self.pass_percent
            ));
        }
        if self.time_limit_secs == Some(0) {
            problems.push("the time limit is 0 seconds".to_string());
        }
        if self.max_attempts == Some(0) {
            problems.push("no attempts are allowed".to_string());
        }
        if let Some(date) = &self.closes_on {
            if end_of_day_vn_ms(date).is_none() {
                problems.push(format!("closes_on {date:?} is not a date like 2026-12-31"));
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

/// Problems with a question, one message each; empty when it can be
/// published. [`score`] never panics on a question with problems, but its
/// marks may not mean much.
pub fn validate(question: &Question) -> Vec<String> {
    let mut problems = Vec::new();
    let q = &question.id;
    if !is_valid_id(q) {
        problems.push(format!("question id {q:?}: {ID_RULE}"));
    }
    if question.prompt.trim().is_empty() {
        problems.push(format!("question {q:?} has an empty prompt"));
    }
    if question.tags.iter().any(|t| t.trim().is_empty()) {
        problems.push(format!("question {q:?} has an empty tag"));
    }
    let scored_by_points = !matches!(
        question.body,
        QuestionBody::Essay { .. } | QuestionBody::Opinion {}
    );
    if scored_by_points && !(1..=MAX_POINTS).contains(&question.points) {
        problems.push(format!(
            "question {q:?} is worth {} points; it must be worth 1 to {MAX_POINTS}",
            question.points
        ));
    }
    match &question.body {
        QuestionBody::SingleChoice { options } => {
            check_options(q, options, &mut problems);
            let correct = options.iter().filter(|o| o.correct).count();
            if correct != 1 {
                problems.push(format!(
                    "single choice question {q:?} has {correct} correct options; it needs exactly 1"
                ));
            }
        }
        QuestionBody::MultipleChoice { options } => {
            check_options(q, options, &mut problems);
            if !options.iter().any(|o| o.correct) {
                problems.push(format!(
                    "multiple choice question {q:?} has no correct option"
                ));
            }
        }
        QuestionBody::TrueFalse { .. } | QuestionBody::Opinion {} => {}
        QuestionBody::Ordering { items } => {
            if items.len() < 2 {
                problems.push(format!("ordering question {q:?} needs at least 2 items"));
            }
            check_texts(q, "item", items.iter().map(String::as_str), &mut problems);
        }
        QuestionBody::Matching { pairs } => {
            if pairs.len() < 2 {
                problems.push(format!("matching question {q:?} needs at least 2 pairs"));
            }
            check_texts(
                q,
                "left item",
                pairs.iter().map(|p| p.0.as_str()),
                &mut problems,
            );
            check_texts(
                q,
                "right item",
                pairs.iter().map(|p| p.1.as_str()),
                &mut problems,
            );
        }
        QuestionBody::ShortAnswer { accepted, .. } => {
            if accepted.is_empty() {
                problems.push(format!("short answer question {q:?} accepts no answer"));
            }
            if accepted.iter().any(|a| a.trim().is_empty()) {
                problems.push(format!(
                    "short answer question {q:?} accepts an empty answer"
                ));
            }
        }
        QuestionBody::Essay { rubric } => {
            if rubric.is_empty() {
                problems.push(format!("essay question {q:?} has no rubric"));
            }
            let mut ids = HashSet::new();
            for c in rubric {
                if !is_valid_id(&c.id) {
                    problems.push(format!(
                        "question {q:?}, criterion id {:?}: {ID_RULE}",
                        c.id
                    ));
                }
                if !ids.insert(c.id.as_str()) {
                    problems.push(format!(
                        "question {q:?}: criterion id {:?} is used twice",
                        c.id
                    ));
                }
                if c.max_points == 0 {
                    problems.push(format!(
                        "question {q:?}: criterion {:?} is worth 0 points",
                        c.id
                    ));
                }
            }
            let total: u64 = rubric.iter().map(|c| u64::from(c.max_points)).sum();
            if total > u64::from(MAX_POINTS) {
                problems.push(format!(
                    "essay question {q:?} is worth {total} points; at most {MAX_POINTS}"
                ));
            }
        }
    }
    problems
}

fn check_options(q: &str, options: &[Choice], problems: &mut Vec<String>) {
    if options.len() < 2 {
        problems.push(format!("question {q:?} needs at least 2 options"));
    }
    let mut ids = HashSet::new();
    for o in options {
        if !is_valid_id(&o.id) {
            problems.push(format!("question {q:?}, option id {:?}: {ID_RULE}", o.id));
        }
        if !ids.insert(o.id.as_str()) {
            problems.push(format!(
                "question {q:?}: option id {:?} is used twice",
                o.id
            ));
        }
    }
    check_texts(
        q,
        "option",
        options.iter().map(|o| o.text.as_str()),
        problems,
    );
}

/// Items a trainee tells apart only by their text must have distinct,
/// non-empty texts.
fn check_texts<'a>(
    q: &str,
    what: &str,
    texts: impl Iterator<Item = &'a str>,
    problems: &mut Vec<String>,
) {
    let mut seen = HashSet::new();
    for text in texts {
        if text.trim().is_empty() {
            problems.push(format!("question {q:?} has an empty {what}"));
        } else if !seen.insert(text.trim()) {
            problems.push(format!("question {q:?}: {what} {text:?} appears twice"));
        }
    }
}

/// Problems with a situation and its questions, one message each.
pub fn validate_situation(situation: &Situation) -> Vec<String> {
    let mut problems = Vec::new();
    let s = &situation.id;
    if !is_valid_id(s) {
        problems.push(format!("situation id {s:?}: {ID_RULE}"));
    }
    if situation.text.trim().is_empty() {
        problems.push(format!("situation {s:?} has no scenario text"));
    }
    if situation.questions.is_empty() {
        problems.push(format!("situation {s:?} has no questions"));
    }
    problems.extend(validate_bank(&situation.questions));
    problems
}

/// Problems with a question bank: each question's, and ids used twice.
pub fn validate_bank(bank: &[Question]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    for question in bank {
        if !ids.insert(question.id.as_str()) {
            problems.push(format!("question id {:?} is used twice", question.id));
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
            },
            QuestionBody::ShortAnswer {
                accepted: vec!["tham nhũng".into()],
                ignore_tone_marks: true,
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
            assert_eq!(validate(&q), Vec::<String>::new(), "{q:?}");
        }
    }

    #[test]
    fn validation_names_each_mistake() {
        let has = |q: &Question, needle: &str| {
            let problems = validate(q);
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "{needle:?} not in {problems:?}"
            );
        };
        let two_correct = question(QuestionBody::SingleChoice {
            options: vec![choice("a", true), choice("a", true)],
        });
        has(&two_correct, "2 correct options");
        has(&two_correct, "\"a\" is used twice");
        has(&two_correct, "\"Option a\" appears twice");
        has(
            &question(QuestionBody::MultipleChoice {
                options: vec![choice("a", false), choice("b", false)],
            }),
            "no correct option",
        );
        has(
            &question(QuestionBody::Ordering {
                items: vec!["x".into()],
            }),
            "at least 2 items",
        );
        has(
            &question(QuestionBody::Matching {
                pairs: vec![("A".into(), "1".into()), ("B".into(), "1".into())],
            }),
            "right item \"1\" appears twice",
        );
        has(
            &question(QuestionBody::ShortAnswer {
                accepted: vec![],
                ignore_tone_marks: false,
            }),
            "accepts no answer",
        );
        has(
            &question(QuestionBody::Essay { rubric: vec![] }),
            "no rubric",
        );
        let mut blank = question(QuestionBody::Opinion {});
        blank.prompt = "  ".into();
        blank.id = "Q 1".into();
        has(&blank, "empty prompt");
        has(&blank, "question id \"Q 1\"");
        let mut free = question(QuestionBody::TrueFalse {
            answer: false,
            feedback_true: None,
            feedback_false: None,
        });
        free.points = 0;
        has(&free, "worth 0 points");
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
        assert_eq!(problems, vec!["question id \"q1\" is used twice"]);
        let empty = Situation {
            questions: vec![],
            ..situation
        };
        assert!(validate_situation(&empty)[0].contains("no questions"));
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
        assert_eq!(open.problems().len(), 1);
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
            (0usize..7).prop_map(|n| QuestionBody::Matching {
                pairs: (0..n)
                    .map(|i| (format!("Left {i}"), format!("Right {i}")))
                    .collect(),
            }),
            (vec("[a-zA-Z àáạăâđơư]{0,8}", 0..3), any::<bool>()).prop_map(
                |(accepted, ignore_tone_marks)| QuestionBody::ShortAnswer {
                    accepted,
                    ignore_tone_marks,
                }
            ),
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
            "\\PC{0,8}".prop_map(|text| Answer::Essay { text }),
            "\\PC{0,8}".prop_map(|text| Answer::Opinion { text }),
        ]
    }
}
