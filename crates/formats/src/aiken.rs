//! Aiken import: the simplest Moodle format, single choice questions only
//! ([`parse_aiken`](crate::aiken::parse_aiken)).
//!
//! Policy: read what Moodle reads, and report rather than guess where a
//! file is ambiguous: a question cut in two by a blank line, or an option
//! running over two lines, is a problem on its line, never glued to its
//! neighbour. Ids follow the question's place in the file, counting the
//! questions that fail, so fixing one question does not renumber the
//! others.

use crate::import::{excerpt, numbered_lines, Ids};
use lophoc_core::note::Note;
use lophoc_core::problem::Problem;
use lophoc_core::question::import::ImportReport;
use lophoc_core::question::{Choice, Difficulty, Question, QuestionBody};

/// Reads an Aiken file into an [`ImportReport`] of single choice
/// questions.
///
/// ```text
/// Cơ quan nào có quyền lập hiến?
/// A. Chính phủ
/// B) Quốc hội
/// ANSWER: B
/// ```
///
/// A question is its text (one line or more), then at least two options,
/// each a letter (upper or lower case), `.` or `)`, and the text (a space
/// after the `.` or `)` is optional, as in Moodle), then one `ANSWER:` line
/// naming one option's letter (upper or lower case). The `ANSWER:` line
/// ends a question; a blank line between questions is optional, but a blank
/// line inside a question ends it (and is reported). A line after the
/// options that is neither an option nor `ANSWER:` is a problem for the
/// question before it (an option may not run over two lines), and starts
/// the next question. Options keep their letter as their id (`B.` becomes
/// option `b`); questions are `aiken-1`, `aiken-2`… in file order.
pub fn parse_aiken(text: &str) -> ImportReport {
    let mut reader = Reader::default();
    for (n, raw) in numbered_lines(text) {
        reader.line(n, raw.trim());
    }
    if let Some(p) = reader.pending.take() {
        reader.unfinished(&p);
    }
    reader.report
}

/// A question being read.
struct Pending {
    /// Its first line.
    start: usize,
    /// Its place among the questions of the file, for its id.
    ordinal: usize,
    text: Vec<String>,
    /// Letter, line and text of each option.
    options: Vec<(char, usize, String)>,
    /// Already reported: the rest of it, up to its `ANSWER:` line or a blank
    /// line, is skipped.
    broken: bool,
    /// The first line of the question before it, when that one ended without
    /// an `ANSWER:` line right before this one started.
    follows_unfinished: Option<usize>,
}

impl Pending {
    fn label(&self) -> String {
        excerpt(&self.text.join(" "))
    }
}

#[derive(Default)]
struct Reader {
    report: ImportReport,
    ids: Ids,
    ordinal: usize,
    pending: Option<Pending>,
}

impl Reader {
    fn start(&mut self, n: usize, text: &str, follows_unfinished: Option<usize>) {
        self.ordinal += 1;
        self.pending = Some(Pending {
            start: n,
            ordinal: self.ordinal,
            text: vec![text.to_string()],
            options: Vec::new(),
            broken: false,
            follows_unfinished,
        });
    }

    fn line(&mut self, n: usize, line: &str) {
        if line.is_empty() {
            if let Some(p) = self.pending.take() {
                self.unfinished(&p);
            }
        } else if let Some(answer) = answer_line(line) {
            match self.pending.take() {
                None => self
                    .report
                    .problem(n, &excerpt(line), Problem::AnswerWithoutQuestion),
                Some(p) if p.broken => {}
                Some(p) => self.finish(p, n, answer),
            }
        } else if let Some((letter, option)) = option_line(line) {
            match &mut self.pending {
                None => {
                    self.report
                        .problem(n, &excerpt(line), Problem::OptionWithoutQuestion);
                    self.pending = Some(Pending {
                        start: n,
                        ordinal: 0,
                        text: Vec::new(),
                        options: Vec::new(),
                        broken: true,
                        follows_unfinished: None,
                    });
                }
                Some(p) if p.broken => {}
                Some(p) => {
                    if let Some(&(_, first, _)) = p.options.iter().find(|o| o.0 == letter) {
                        self.report.problem(
                            n,
                            &p.label(),
                            Problem::RepeatedLetter {
                                letter: letter.to_string(),
                                first,
                            },
                        );
                        p.broken = true;
                    } else {
                        p.options.push((letter, n, option.to_string()));
                    }
                }
            }
        } else {
            match &mut self.pending {
                None => self.start(n, line, None),
                Some(p) if p.broken => {}
                Some(p) if p.options.is_empty() => p.text.push(line.to_string()),
                Some(p) => {
                    let (label, previous) = (p.label(), p.start);
                    self.report
                        .problem(n, &label, Problem::StrayLine { previous });
                    self.start(n, line, Some(previous));
                }
            }
        }
    }

    /// Reports a question that ended without its `ANSWER:` line.
    fn unfinished(&mut self, p: &Pending) {
        if p.broken {
            return;
        }
        let problem = match (p.options.first(), p.options.last()) {
            (Some(first), Some(last)) => Problem::NoAnswerLine {
                first: first.1,
                last: last.1,
            },
            _ => Problem::NoOptions,
        };
        self.report.problem(p.start, &p.label(), problem);
    }

    /// Ends the question `p` with the `ANSWER:` line `n`, whose value is
    /// `answer`.
    fn finish(&mut self, p: Pending, n: usize, answer: &str) {
        let label = p.label();
        if p.options.len() < 2 {
            self.report.problem(
                p.start,
                &label,
                Problem::FewOptions {
                    count: p.options.len(),
                    min: 2,
                },
            );
            return;
        }
        let letter = match answer.chars().collect::<Vec<_>>()[..] {
            [c] if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
            _ => {
                self.report.problem(
                    n,
                    &label,
                    Problem::AnswerNotALetter {
                        answer: answer.to_string(),
                    },
                );
                return;
            }
        };
        if !p.options.iter().any(|o| o.0 == letter) {
            let letters: Vec<String> = p.options.iter().map(|o| o.0.to_string()).collect();
            self.report.problem(
                n,
                &label,
                Problem::UnknownLetter {
                    letter: letter.to_string(),
                    letters: letters.join(", "),
                },
            );
            return;
        }
        let mut notes = vec![Note::Choice {
            single: true,
            options: p.options.len(),
            correct: vec![letter.to_string()],
        }];
        if let Some(previous) = p.follows_unfinished {
            notes.push(Note::FollowsUnfinished {
                line: p.start,
                previous,
            });
        }
        let id = self.ids.take(None, format!("aiken-{}", p.ordinal));
        let question = Question {
            id,
            prompt: p.text.join("\n"),
            points: 1,
            difficulty: Difficulty::Medium,
            tags: Vec::new(),
            explanation: None,
            grader_note: None,
            body: QuestionBody::SingleChoice {
                options: p
                    .options
                    .into_iter()
                    .map(|(l, _, text)| Choice {
                        id: l.to_ascii_lowercase().to_string(),
                        text,
                        correct: l == letter,
                        feedback: None,
                    })
                    .collect(),
            },
        };
        self.report.add(p.start, question, None, notes, &label);
    }
}

/// The value of an `ANSWER:` line (the prefix in any case), trimmed.
fn answer_line(line: &str) -> Option<&str> {
    const PREFIX: &str = "answer:";
    let head = line.get(..PREFIX.len())?;
    head.eq_ignore_ascii_case(PREFIX)
        .then(|| line[PREFIX.len()..].trim())
}

/// The letter and text of an option line: a letter (either case), `.` or
/// `)`, then the text, with or without a space before it — Moodle's
/// `^[A-Z][).][ \t]?` (and its lower-case twin) in
/// `question/format/aiken/format.php`. The letter is returned in upper
/// case.
fn option_line(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    chars.next().filter(|&c| c == '.' || c == ')')?;
    Some((letter.to_ascii_uppercase(), chars.as_str().trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lophoc_core::problem::Part;
    use lophoc_core::question::import::ImportNote;

    fn options(q: &Question) -> Vec<(String, String, bool)> {
        match &q.body {
            QuestionBody::SingleChoice { options } => options
                .iter()
                .map(|o| (o.id.clone(), o.text.clone(), o.correct))
                .collect(),
            other => panic!("not single choice: {other:?}"),
        }
    }

    fn problems(report: &ImportReport) -> Vec<(usize, Problem)> {
        report
            .problems
            .iter()
            .map(|p| (p.line, p.problem.clone()))
            .collect()
    }

    const WELL_FORMED: &str = "\
Theo Hiến pháp 2013, cơ quan nào có quyền lập hiến?
A. Chính phủ
B. Quốc hội
C. Chủ tịch nước
D. Tòa án nhân dân tối cao
ANSWER: B

Cán bộ, công chức được nhận quà tặng
trong trường hợp nào?
A) Quà tặng vì mục đích vụ lợi
B) Quà tặng có giá trị dưới 500.000 đồng
C) Không trường hợp nào liên quan đến công việc
answer: c
Nguyên tắc tổ chức cơ bản của Đảng là gì?
A. Tập trung dân chủ
B. Tự phê bình và phê bình
ANSWER: A
";

    #[test]
    fn reads_a_well_formed_file() {
        let report = parse_aiken(WELL_FORMED);
        assert!(report.is_clean(), "{:?}", report.problems);
        let lines: Vec<(usize, &str)> = report
            .questions
            .iter()
            .map(|q| (q.line, q.id.as_str()))
            .collect();
        assert_eq!(lines, [(1, "aiken-1"), (8, "aiken-2"), (14, "aiken-3")]);
        let first = &report.questions[0].question;
        assert_eq!(
            first.prompt,
            "Theo Hiến pháp 2013, cơ quan nào có quyền lập hiến?"
        );
        assert_eq!(
            options(first)[1],
            ("b".to_string(), "Quốc hội".to_string(), true)
        );
        assert_eq!(options(first).iter().filter(|o| o.2).count(), 1);
        assert_eq!(
            report.questions[0].notes,
            [ImportNote::from(Note::Choice {
                single: true,
                options: 4,
                correct: vec!["B".into()]
            })]
        );
        assert_eq!(
            report.questions[0].notes[0].text_vi,
            "Câu một lựa chọn: 4 phương án, phương án đúng: B."
        );
        let second = &report.questions[1].question;
        assert_eq!(
            second.prompt,
            "Cán bộ, công chức được nhận quà tặng\ntrong trường hợp nào?"
        );
        assert_eq!(
            options(second)[2],
            (
                "c".to_string(),
                "Không trường hợp nào liên quan đến công việc".to_string(),
                true
            )
        );
        assert_eq!(report.questions[2].question.points, 1);
        assert_eq!(report.accept(false).unwrap().len(), 3);
    }

    #[test]
    fn windows_line_ends_and_a_bom_read_the_same() {
        let crlf = format!("\u{feff}{}", WELL_FORMED.replace('\n', "\r\n"));
        assert_eq!(parse_aiken(&crlf), parse_aiken(WELL_FORMED));
    }

    const MALFORMED: &str = "\
Câu hỏi thiếu dòng đáp án?
A. Một
B. Hai

Câu hỏi chỉ có một lựa chọn?
A. Duy nhất
ANSWER: A

Đáp án không có trong các lựa chọn?
A. Có
B. Không
ANSWER: C

Câu hỏi đúng chuẩn về công tác dân vận?
A. Dân vận khéo
B. Dân vận vụng
ANSWER: A

Đáp án có hai chữ cái?
A. Một
B. Hai
C. Ba
ANSWER: A, C
";

    #[test]
    fn reports_each_mistake_on_its_line() {
        let report = parse_aiken(MALFORMED);
        assert_eq!(
            problems(&report),
            [
                (1, Problem::NoAnswerLine { first: 2, last: 3 }),
                (5, Problem::FewOptions { count: 1, min: 2 }),
                (
                    12,
                    Problem::UnknownLetter {
                        letter: "C".into(),
                        letters: "A, B".into()
                    }
                ),
                (
                    23,
                    Problem::AnswerNotALetter {
                        answer: "A, C".into()
                    }
                ),
            ]
        );
        assert_eq!(
            report.problems[0].question_title_or_excerpt,
            "Câu hỏi thiếu dòng đáp án?"
        );
        // The good question keeps its place-number.
        assert_eq!(report.questions.len(), 1);
        assert_eq!(
            (report.questions[0].line, report.questions[0].id.as_str()),
            (14, "aiken-4")
        );
        // Nothing is imported by default; the valid part on request.
        assert_eq!(report.clone().accept(false).unwrap_err().len(), 4);
        let partial = report.accept(true).unwrap();
        assert_eq!(partial.len(), 1);
        assert_eq!(partial[0].prompt, "Câu hỏi đúng chuẩn về công tác dân vận?");
    }

    #[test]
    fn stray_lines_are_reported_and_reading_resumes() {
        let text = "\
Hỏi 1: thiếu đáp án, không có dòng trống?
A. Có
B. Không
Hỏi 2: câu sau vẫn được đọc?
A. Được
B. Không được
ANSWER: A

A. Lựa chọn mồ côi
B. Không có câu hỏi
ANSWER: B
ANSWER: A

Hỏi 4: trùng chữ cái?
A. Một
A. Hai
ANSWER: A

Hỏi 5: lựa chọn viết thường, không có dấu cách (Moodle nhận)
a)Được
b.Không
ANSWER: a

Hỏi 6: lựa chọn rỗng?
A.
B. Có
ANSWER: B
Câu hỏi không có lựa chọn nào";
        let report = parse_aiken(text);
        let lines: Vec<usize> = report.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 9, 12, 16, 24, 28], "{:?}", report.problems);
        assert_eq!(
            report.problems[0].problem,
            Problem::StrayLine { previous: 1 }
        );
        assert_eq!(report.problems[1].problem, Problem::OptionWithoutQuestion);
        assert_eq!(report.problems[2].problem, Problem::AnswerWithoutQuestion);
        assert_eq!(
            report.problems[3].problem,
            Problem::RepeatedLetter {
                letter: "A".into(),
                first: 15
            }
        );
        assert!(matches!(
            report.problems[4].problem,
            Problem::EmptyText {
                part: Part::Option,
                ..
            }
        ));
        assert_eq!(report.problems[5].problem, Problem::NoOptions);
        assert_eq!(report.questions.len(), 2);
        let resumed = &report.questions[0];
        assert_eq!((resumed.line, resumed.id.as_str()), (4, "aiken-2"));
        assert_eq!(
            resumed.notes[1].note,
            Note::FollowsUnfinished {
                line: 4,
                previous: 1
            }
        );
        assert!(resumed.notes[1].text_en.contains("question on line 1"));
        // `a)Được` and `b.Không`: lower case, no space, as Moodle reads them.
        let lower = &report.questions[1];
        assert_eq!(lower.line, 19);
        assert_eq!(
            options(&lower.question),
            [
                ("a".to_string(), "Được".to_string(), true),
                ("b".to_string(), "Không".to_string(), false)
            ]
        );
    }

    proptest::proptest! {
        /// Files made of Aiken-looking lines never panic, import only valid
        /// questions, and every line number is a line of the file.
        #[test]
        fn aiken_like_files_report_lines_of_the_file(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Câu hỏi về Đảng?", "A. Có", "B) Không", "C. Khác", "A.", "a. thường",
                    "ANSWER: A", "answer: b", "ANSWER: Z", "ANSWER:", "", "  ", "\r",
                ]),
                0..30,
            ),
        ) {
            let text = lines.join("\n");
            let report = parse_aiken(&text);
            let count = text.lines().count();
            for p in &report.problems {
                proptest::prop_assert!((1..=count).contains(&p.line), "{p:?}");
            }
            for q in &report.questions {
                proptest::prop_assert!((1..=count).contains(&q.line));
                proptest::prop_assert!(lophoc_core::question::validate(&q.question).is_empty());
            }
        }
    }

    #[test]
    fn an_empty_file_has_nothing_to_import() {
        let report = parse_aiken("\n\r\n  \n");
        assert!(report.is_clean());
        assert_eq!(report.accept(false).unwrap(), vec![]);
    }
}
