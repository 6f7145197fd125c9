//! Importing question banks from the text formats lecturers already keep
//! for Moodle ([Aiken](parse_aiken) and [GIFT](parse_gift)), and exporting
//! GIFT ([`export_gift`]).
//!
//! Policy:
//!
//! - **Nothing is imported silently or half-read.** A parse returns an
//!   [`ImportReport`]: each question it could read, with notes on what was
//!   kept, changed or dropped (each drop says why and on which line), and a
//!   problem for each question it could not import, with the line and the
//!   reason. Parsing never panics, whatever the text.
//! - **All or nothing by default.** [`ImportReport::accept`] gives the
//!   questions only when the report has no problem, unless the lecturer
//!   chooses to import the valid part (`partial`).
//! - **Every imported question passes [`validate`].** One that does not is
//!   a problem, never an import.
//! - **Line numbers** are 1-based lines of the text as given. Windows line
//!   ends (CRLF) and a UTF-8 byte-order mark are accepted. A problem with a
//!   particular line (a brace, an answer, an `ANSWER:` line) names that
//!   line; a problem with a whole question (a kind Lophoc does not have, a
//!   missing `ANSWER:` line, a failed validation) names the question's first
//!   line.
//! - **Ids** are made up: `aiken-3` for the third Aiken question of a file,
//!   `gift-2` for the second GIFT question, or the GIFT `::title::` made
//!   into an id (`::Câu 1::` gives `cau-1`, and a title that is already an
//!   id is kept, so an exported bank keeps its ids). They satisfy
//!   [`is_valid_id`] and are unique within one import; checking them against
//!   a bank already stored is the caller's job ([`super::validate_bank`]).
//! - Neither format has points or difficulty: every imported question is
//!   worth 1 point, at medium difficulty.

mod aiken;
mod gift;
mod gift_export;
pub mod html;

pub use aiken::parse_aiken;
pub use gift::{clean_category, credit_of_weight, parse_gift};
pub use gift_export::export_gift;
pub use html::{html_to_markdown, html_to_text};

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{validate, Criterion, Question};
use crate::ids::is_valid_id;
use crate::text::fold;

/// What an import read: the questions it can import and the problems that
/// keep others out. Show it to the lecturer, then [`accept`](Self::accept)
/// it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The questions read, in file order; each passes [`validate`].
    pub questions: Vec<ImportedQuestion>,
    /// What could not be imported, in file order.
    pub problems: Vec<ImportProblem>,
    /// What the `line` of each question and problem counts: lines of the
    /// file (text formats, Moodle XML) or questions (QTI packages, whose
    /// items are files of their own).
    #[serde(default, skip_serializing_if = "Numbering::is_lines")]
    pub numbered: Numbering,
}

/// What a report's numbers count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    /// 1-based lines of the file.
    #[default]
    Lines,
    /// 1-based positions of the questions in the file or package.
    Questions,
}

impl Numbering {
    fn is_lines(&self) -> bool {
        *self == Numbering::Lines
    }
}

/// One question read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedQuestion {
    /// The 1-based line where the question starts.
    pub line: usize,
    /// The id it was given (also `question.id`).
    pub id: String,
    /// The question as it will be imported.
    pub question: Question,
    /// The GIFT category (`$CATEGORY:`) it was in, if any; also one of its
    /// tags.
    pub category: Option<String>,
    /// What was imported and how it was mapped, e.g. "feedback on option b
    /// kept", and each part left out with its line and the reason.
    pub notes: Vec<String>,
}

/// Something in the file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The 1-based line the problem is on.
    pub line: usize,
    /// The question's title, or the start of its text, so the lecturer can
    /// find it.
    pub question_title_or_excerpt: String,
    /// Why it was not imported.
    pub message: String,
}

impl ImportReport {
    /// True when every question in the file can be imported as it is.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// The questions to import: all of them if the report is clean; with
    /// problems, none (the problems are returned) unless `partial`, in which
    /// case the questions that could be read, leaving the others out.
    pub fn accept(self, partial: bool) -> Result<Vec<Question>, Vec<ImportProblem>> {
        if self.is_clean() || partial {
            Ok(self.questions.into_iter().map(|q| q.question).collect())
        } else {
            Err(self.problems)
        }
    }

    /// Records something that could not be imported.
    pub fn problem(&mut self, line: usize, label: &str, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            line,
            question_title_or_excerpt: label.to_string(),
            message: message.into(),
        });
    }

    /// Adds `question` if it validates, otherwise a problem per mistake.
    pub fn add(
        &mut self,
        line: usize,
        question: Question,
        category: Option<String>,
        notes: Vec<String>,
        label: &str,
    ) {
        let mistakes = validate(&question);
        if mistakes.is_empty() {
            self.questions.push(ImportedQuestion {
                line,
                id: question.id.clone(),
                question,
                category,
                notes,
            });
        } else {
            for message in mistakes {
                self.problem(line, label, message);
            }
        }
    }
}

/// The lines of `text`, numbered from 1, without line ends (LF or CRLF) or
/// a leading byte-order mark.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

/// The start of a text on one line, to name a question in a report.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        let cut: String = flat.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Option ids in authored order: `a` to `z`, then `o27`, `o28`…
/// The report's first note on a choice question, the same for every
/// format: its kind, how many options, which are correct.
pub fn choice_note(single: bool, options: &[super::Choice]) -> String {
    let kind = if single {
        "single choice"
    } else {
        "multiple choice"
    };
    let correct: Vec<&str> = options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.id.as_str())
        .collect();
    let correct = if correct.is_empty() {
        "none".to_string()
    } else {
        correct.join(", ")
    };
    format!("{kind}: {} options, {correct} correct", options.len())
}

pub fn option_id(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => char::from(b'a' + i).to_string(),
        _ => format!("o{}", index + 1),
    }
}

/// Room left in an id for a `-2` style suffix.
const SLUG_MAX: usize = 56;

/// `text` as an id: Vietnamese letters folded to ASCII, anything else that
/// is not a letter or digit turned into single dashes. Empty when nothing
/// is left.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in fold(text).chars() {
        if out.len() >= SLUG_MAX {
            break;
        }
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Hands out ids unique within one import.
#[derive(Default)]
pub struct Ids {
    used: HashSet<String>,
}

impl Ids {
    /// The id for a question titled `title` (kept as it is when it is
    /// already a short enough id), or `fallback`; `-2`, `-3`… is added to an
    /// id already handed out.
    pub fn take(&mut self, title: Option<&str>, fallback: String) -> String {
        let base = title
            .map(|t| {
                if is_valid_id(t) && t.len() <= SLUG_MAX {
                    t.to_string()
                } else {
                    slug(t)
                }
            })
            .filter(|s| !s.is_empty())
            .unwrap_or(fallback);
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Description of the one criterion an imported essay is marked on; GIFT
/// has no rubric.
pub const DEFAULT_CRITERION: &str = "Toàn bài";

/// The rubric an imported essay gets: one criterion worth 1 point, for the
/// lecturer to edit.
pub fn default_rubric() -> Vec<Criterion> {
    vec![Criterion {
        id: "toan-bai".to_string(),
        description: DEFAULT_CRITERION.to_string(),
        max_points: 1,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::{Difficulty, QuestionBody};

    fn question(id: &str) -> Question {
        Question {
            id: id.into(),
            prompt: "Đúng hay sai?".into(),
            points: 1,
            difficulty: Difficulty::Medium,
            tags: vec![],
            explanation: None,
            grader_note: None,
            body: QuestionBody::TrueFalse {
                answer: true,
                feedback_true: None,
                feedback_false: None,
            },
        }
    }

    #[test]
    fn accept_is_all_or_nothing_unless_partial() {
        let mut report = ImportReport::default();
        report.add(1, question("q1"), None, vec![], "q1");
        assert!(report.is_clean());
        assert_eq!(report.clone().accept(false).unwrap().len(), 1);
        report.add(3, question("Q 2"), None, vec![], "Q 2");
        assert!(!report.is_clean());
        let problems = report.clone().accept(false).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
        assert_eq!(report.accept(true).unwrap()[0].id, "q1");
    }

    #[test]
    fn ids_are_slugs_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(
            ids.take(Some("Câu 1: Đảng bộ"), "x".into()),
            "cau-1-dang-bo"
        );
        assert_eq!(ids.take(Some("q-7"), "x".into()), "q-7");
        assert_eq!(ids.take(Some("Q--7"), "x".into()), "q-7-2");
        assert_eq!(ids.take(Some("???"), "gift-4".into()), "gift-4");
        assert_eq!(ids.take(None, "gift-4".into()), "gift-4-2");
        let long = ids.take(Some(&"Tham nhũng ".repeat(20)), "x".into());
        assert!(is_valid_id(&long) && long.len() <= SLUG_MAX, "{long}");
        let again = ids.take(Some(&"Tham nhũng ".repeat(20)), "x".into());
        assert!(is_valid_id(&again) && again.ends_with("-2"), "{again}");
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        assert_eq!(excerpt("  Cán bộ\n  xã  "), "Cán bộ xã");
        let long = excerpt(&"Phòng chống tham nhũng ".repeat(5));
        assert_eq!(long.chars().count(), 60);
        assert!(long.ends_with('…'));
        assert_eq!(option_id(0), "a");
        assert_eq!(option_id(25), "z");
        assert_eq!(option_id(26), "o27");
    }
}
