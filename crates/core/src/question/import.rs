//! What a question-bank import read: the report the lecturer sees before
//! anything is stored. The readers and writers of the formats themselves
//! (GIFT, Aiken, Moodle XML, QTI, spreadsheets) are server-only and live in
//! `lophoc-formats`; the client only shows their [`ImportReport`].

use serde::{Deserialize, Serialize};

#[cfg(any(test, feature = "server"))]
use super::validate;
use super::Question;
#[cfg(any(test, feature = "server"))]
use crate::{i18n::Lang, note::Note, problem::Problem};

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
    /// What was imported and how it was mapped (the feedback of option b
    /// kept…), and each part left out with its line and the reason.
    pub notes: Vec<ImportNote>,
}

/// A note on an imported question: its code for the server and its
/// sentences for the lecturer, as [`ImportProblem`]'s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportNote {
    /// What the note says. The client leaves it out (and skips it on the
    /// wire): it shows the text.
    #[cfg(any(test, feature = "server"))]
    pub note: Note,
    /// The note's sentence in Vietnamese and in English.
    pub text_vi: String,
    pub text_en: String,
}

#[cfg(any(test, feature = "server"))]
impl From<Note> for ImportNote {
    fn from(note: Note) -> ImportNote {
        ImportNote {
            text_vi: note.text(Lang::Vi),
            text_en: note.text(Lang::En),
            note,
        }
    }
}

/// Something in the file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The 1-based line the problem is on.
    pub line: usize,
    /// The question's title, or the start of its text, so the lecturer can
    /// find it.
    pub question_title_or_excerpt: String,
    /// Why it was not imported. The client leaves it out (and skips it on
    /// the wire): it shows `text`.
    #[cfg(any(test, feature = "server"))]
    pub problem: Problem,
    /// The problem's sentence in Vietnamese and in English, as
    /// [`crate::authoring::Problem`]'s.
    pub text_vi: String,
    pub text_en: String,
    /// Its technical detail, in each language.
    pub detail_vi: Option<String>,
    pub detail_en: Option<String>,
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
    #[cfg(any(test, feature = "server"))]
    pub fn problem(&mut self, line: usize, label: &str, problem: Problem) {
        self.problems.push(ImportProblem {
            line,
            question_title_or_excerpt: label.to_string(),
            text_vi: problem.text(Lang::Vi),
            text_en: problem.text(Lang::En),
            detail_vi: problem.detail_text(Lang::Vi),
            detail_en: problem.detail_text(Lang::En),
            problem,
        });
    }

    /// Adds `question` if it validates, otherwise a problem per mistake.
    #[cfg(any(test, feature = "server"))]
    pub fn add(
        &mut self,
        line: usize,
        question: Question,
        category: Option<String>,
        notes: Vec<Note>,
        label: &str,
    ) {
        let mistakes = validate(&question);
        if mistakes.is_empty() {
            self.questions.push(ImportedQuestion {
                line,
                id: question.id.clone(),
                question,
                category,
                notes: notes.into_iter().map(ImportNote::from).collect(),
            });
        } else {
            for problem in mistakes {
                self.problem(line, label, problem);
            }
        }
    }
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
        assert_eq!(
            problems[0].problem,
            Problem::BadId {
                id: "Q 2".into(),
                question: None
            }
        );
        assert_eq!(report.accept(true).unwrap()[0].id, "q1");
    }

    #[test]
    fn notes_carry_their_sentences_in_both_languages() {
        let mut report = ImportReport::default();
        let note = Note::TrueFalse { answer: true };
        report.add(1, question("q1"), None, vec![note.clone()], "q1");
        let sent = &report.questions[0].notes[0];
        assert_eq!(sent.note, note);
        assert_eq!(sent.text_vi, "Câu đúng/sai: nhận định này là “Đúng”.");
        assert_eq!(sent.text_en, "True/false: the statement is true.");
        let json = serde_json::to_value(sent).unwrap();
        assert_eq!(json["note"]["code"], "true_false");
        assert_eq!(json["text_vi"], sent.text_vi);
    }
}
