//! GIFT export ([`export_gift`](crate::gift_export::export_gift)), for taking a Lophoc
//! question bank to Moodle, or back into Lophoc.
//!
//! Policy: what is exported reads back, through Moodle or
//! [`parse_gift`](crate::gift::parse_gift), as the same question: same kind,
//! texts, correct options, feedback and explanation (a property test holds
//! it to that). What GIFT cannot carry is left out and said so: in the
//! file's header, or as a `// not exported:` comment line in place of a
//! question, never silently.

use super::gift::{format_weight, units_of, FULL};
use lophoc_core::question::{
    gap_markers, Accepted, Choice, Gap, NumericAnswer, Question, QuestionBody, FULL_CREDIT,
};

/// The opening comment of an exported file.
const HEADER: &str = "\
// Lophoc question bank, GIFT format (Moodle).
// GIFT has no points, difficulty, tags or essay rubrics: they are not exported.

";

/// Writes `questions` as GIFT, one blank-line-separated question each, in
/// order, after a header comment.
///
/// - The id is the `::title::` (so [`parse_gift`](crate::gift::parse_gift) gives
///   it back); every text is written on one line with GIFT's escapes (`\~
///   \= \# \{ \} \: \\`, `\n` for a new line) and marked `[markdown]`,
///   which it is.
/// - Multiple choice is written with the weights of Lophoc's rule: with `C`
///   correct options, `~%100/C%` on each and `~%-100/C%` on each wrong one
///   (`33.33333`, as Moodle writes thirds).
/// - True/false feedback is written in Moodle's order (`{TRUE#shown to a
///   wrong answer#shown to a right answer}`).
/// - GIFT has no points, difficulty, tags, essay rubric or tone-mark
///   leniency for short answers: those are not exported, and an import
///   gives the defaults (1 point, medium, no tags, a one-criterion rubric,
///   tone marks must match).
/// - Short answers and numerical answers keep each answer's credit as a
///   `%weight%` and its feedback; a matching's distractors are written as
///   `= -> item`, as Moodle exports them.
/// - A fill in the blanks question with **one** gap is GIFT's missing word
///   (the answer part where the gap is); when the gap ends the text, GIFT
///   reads it back as a plain short answer, numerical or single choice
///   question, and a comment line above it says so.
/// - Kinds GIFT does not have, **ordering and opinion**, and fill-ins with
///   several gaps, are written as a comment line `// not exported: <id>
///   (ordering)`, as is the rare question GIFT cannot say (a matching left
///   item or a short answer containing `->`, which GIFT reads as its arrow,
///   or a credit with more than five decimals), so the lecturer sees what
///   is missing.
pub fn export_gift(questions: &[Question]) -> String {
    let mut out = String::from(HEADER);
    for q in questions {
        match write_question(q) {
            Ok(gift) => {
                if let QuestionBody::FillBlanks { gaps } = &q.body {
                    let ends = gap_markers(&q.prompt, gaps.len())
                        .first()
                        .is_some_and(|m| q.prompt[m.end..].trim().is_empty());
                    if ends {
                        let id = q.id.replace(['\r', '\n'], " ");
                        out.push_str(&format!(
                            "// {id}: the blank ends the text, so GIFT reads this back as a \
                             question with its answer below the text\n"
                        ));
                    }
                }
                out.push_str(&gift);
            }
            Err(why) => {
                let id = q.id.replace(['\r', '\n'], " ");
                out.push_str(&format!("// not exported: {id} ({why})\n"));
            }
        }
        out.push('\n');
    }
    out
}

/// One question as GIFT, or why it cannot be written.
fn write_question(q: &Question) -> Result<String, String> {
    let mut out = format!("::{}::[markdown]{}", escape(&q.id), escape(&q.prompt));
    let explanation = q
        .explanation
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| format!("####{}", text(e)));
    match &q.body {
        QuestionBody::SingleChoice { options } => {
            out.push_str("{\n");
            for o in options {
                single_option(&mut out, o);
            }
            close_block(&mut out, explanation);
        }
        QuestionBody::MultipleChoice { options } => {
            let c = options.iter().filter(|o| o.correct).count();
            let share = i64::try_from(c)
                .ok()
                .filter(|&c| c > 0)
                .map(|c| (FULL + c / 2) / c);
            out.push_str("{\n");
            for o in options {
                let marker = match share {
                    Some(share) if o.correct => format!("~%{}", format_weight(share)),
                    Some(share) => format!("~%{}", format_weight(-share)),
                    None => "~%0%".to_string(),
                };
                option(&mut out, &marker, o);
            }
            close_block(&mut out, explanation);
        }
        QuestionBody::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            let (right, wrong) = if *answer {
                (feedback_true, feedback_false)
            } else {
                (feedback_false, feedback_true)
            };
            out.push('{');
            out.push_str(if *answer { "TRUE" } else { "FALSE" });
            match (present(wrong), present(right)) {
                (Some(wrong), right) => {
                    out.push('#');
                    out.push_str(&text(wrong));
                    if let Some(right) = right {
                        out.push('#');
                        out.push_str(&text(right));
                    }
                }
                (None, Some(right)) => {
                    out.push_str("##");
                    out.push_str(&text(right));
                }
                (None, None) => {}
            }
            out.push_str(&explanation.unwrap_or_default());
            out.push_str("}\n");
        }
        QuestionBody::ShortAnswer { accepted, .. } => {
            out.push('{');
            out.push_str(&short_answers(accepted)?);
            close_block(&mut out, explanation);
        }
        QuestionBody::Numerical { answers } => {
            out.push('{');
            out.push_str(&numeric_answers(answers)?);
            close_block(&mut out, explanation);
        }
        QuestionBody::FillBlanks { gaps } => {
            let [gap] = gaps.as_slice() else {
                return Err(format!(
                    "fill in the blanks with {} gaps: a GIFT question has one answer part; \
                     export Moodle XML or QTI instead",
                    gaps.len()
                ));
            };
            let Some(marker) = gap_markers(&q.prompt, 1).into_iter().next() else {
                return Err("fill in the blanks without its {1} marker".to_string());
            };
            let block = match gap {
                Gap::Choice { options, .. } => {
                    let mut b = "{\n".to_string();
                    for o in options {
                        single_option(&mut b, o);
                    }
                    b
                }
                Gap::ShortAnswer { accepted, .. } => format!("{{{}", short_answers(accepted)?),
                Gap::Numerical { answers, .. } => format!("{{{}", numeric_answers(answers)?),
            };
            out = format!(
                "::{}::[markdown]{}{block}",
                escape(&q.id),
                escape(&q.prompt[..marker.start])
            );
            close_block(&mut out, explanation);
            // Close the answer part on the same line as the text after it.
            if out.ends_with('\n') {
                out.pop();
            }
            out.push_str(&escape(&q.prompt[marker.end..]));
            out.push('\n');
        }
        QuestionBody::Matching { pairs, distractors } => {
            if pairs.iter().any(|(left, _)| left.contains("->")) {
                return Err(
                    "matching: a left item contains \"->\", which GIFT reads as the arrow"
                        .to_string(),
                );
            }
            out.push_str("{\n");
            for (left, right) in pairs {
                // GIFT reads the right item as plain text, with no format.
                out.push_str(&format!("\t={} -> {}\n", text(left), escape(right)));
            }
            for d in distractors {
                out.push_str(&format!("\t= -> {}\n", escape(d)));
            }
            close_block(&mut out, explanation);
        }
        QuestionBody::Essay { .. } => {
            out.push('{');
            out.push_str(&explanation.unwrap_or_default());
            out.push_str("}\n");
        }
        QuestionBody::Ordering { .. } => return Err("ordering".to_string()),
        QuestionBody::Opinion {} => return Err("opinion".to_string()),
    }
    Ok(out)
}

/// An option of a single choice (or a drop-down gap).
fn single_option(out: &mut String, o: &Choice) {
    let marker = match (o.correct, starts_with_weight(&o.text)) {
        (true, _) => "=",
        // Without a weight, `~%5%…` would be read as one.
        (false, true) => "~%0%",
        (false, false) => "~",
    };
    option(out, marker, o);
}

/// A credit as a GIFT weight, if GIFT can say it (five decimals at most).
fn gift_weight(credit: lophoc_core::number::Decimal) -> Result<String, String> {
    units_of(credit)
        .map(format_weight)
        .ok_or_else(|| format!("the credit {credit}% has more than five decimals"))
}

/// The answers of a short answer (after its `{`), each with its weight when
/// it is not 100% and its feedback.
fn short_answers(accepted: &[Accepted]) -> Result<String, String> {
    let arrow = |t: &str| t.contains("->");
    if accepted
        .iter()
        .any(|a| arrow(&a.text) || a.feedback.as_deref().is_some_and(arrow))
    {
        return Err(
            "short answer: an accepted answer or its feedback contains \"->\", which \
             GIFT reads as a matching arrow"
                .to_string(),
        );
    }
    let mut out = "\n".to_string();
    for a in accepted {
        let marker = if a.credit != FULL_CREDIT {
            format!("=%{}", gift_weight(a.credit)?)
        } else if starts_with_weight(&a.text) {
            // Without a weight, `=%5%…` would be read as one.
            "=%100%".to_string()
        } else {
            "=".to_string()
        };
        out.push_str(&format!("\t{marker}{}", text(&a.text)));
        if let Some(f) = a.feedback.as_deref().filter(|f| !f.trim().is_empty()) {
            out.push('#');
            out.push_str(&text(f));
        }
        out.push('\n');
    }
    Ok(out)
}

/// The values of a numerical answer part (after its `{`): `#`, then one
/// `=%weight%value:tolerance#feedback` line each, as Moodle writes them.
fn numeric_answers(answers: &[NumericAnswer]) -> Result<String, String> {
    let mut out = "#\n".to_string();
    for a in answers {
        out.push_str(&format!(
            "\t=%{}{}:{}",
            gift_weight(a.credit)?,
            a.value,
            a.tolerance
        ));
        if let Some(f) = a.feedback.as_deref().filter(|f| !f.trim().is_empty()) {
            out.push('#');
            out.push_str(&text(f));
        }
        out.push('\n');
    }
    Ok(out)
}

fn option(out: &mut String, marker: &str, o: &Choice) {
    out.push('\t');
    out.push_str(marker);
    out.push_str(&text(&o.text));
    if let Some(feedback) = o.feedback.as_deref().filter(|f| !f.trim().is_empty()) {
        out.push('#');
        out.push_str(&text(feedback));
    }
    out.push('\n');
}

/// Ends a multi-line answer part; the general feedback comes last.
fn close_block(out: &mut String, explanation: Option<String>) {
    if let Some(explanation) = explanation {
        out.push('\t');
        out.push_str(&explanation);
        out.push('\n');
    }
    out.push_str("}\n");
}

/// A text that GIFT reads in the question's format: escaped, and marked
/// `[markdown]` when it starts with `[`, so that it is not taken for a
/// format marker.
fn text(t: &str) -> String {
    if t.trim_start().starts_with('[') {
        format!("[markdown]{}", escape(t))
    } else {
        escape(t)
    }
}

/// GIFT's escapes, as Moodle writes them; a text fits on one line.
fn escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// A feedback worth writing.
fn present(f: &Option<String>) -> Option<&str> {
    f.as_deref().filter(|f| !f.trim().is_empty())
}

/// True when `t` starts like a GIFT weight, `%…`.
fn starts_with_weight(t: &str) -> bool {
    t.trim_start().starts_with('%')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{gift::parse_gift, import::default_rubric};
    use lophoc_core::number::Decimal;
    use lophoc_core::question::{validate, Criterion, Difficulty};
    use proptest::collection::{btree_set, vec};
    use proptest::option;
    use proptest::prelude::*;
    use proptest::sample::Index;

    fn question(id: &str, body: QuestionBody) -> Question {
        Question {
            id: id.into(),
            prompt: "Đề bài".into(),
            points: 3,
            difficulty: Difficulty::Hard,
            tags: vec!["Dân vận".into()],
            explanation: None,
            grader_note: None,
            body,
        }
    }

    fn choice(id: &str, text: &str, correct: bool, feedback: Option<&str>) -> Choice {
        Choice {
            id: id.into(),
            text: text.into(),
            correct,
            feedback: feedback.map(Into::into),
        }
    }

    #[test]
    fn writes_each_kind_as_moodle_reads_it() {
        let mut single = question(
            "cau-1",
            QuestionBody::SingleChoice {
                options: vec![
                    choice("a", "Chính phủ", false, Some("Không: Chính phủ thi hành.")),
                    choice("b", "Quốc hội", true, None),
                ],
            },
        );
        single.prompt = "Cơ quan nào lập hiến? {chọn 1}".into();
        single.explanation = Some("Điều 69 #Hiến pháp".into());
        let multiple = question(
            "cau-2",
            QuestionBody::MultipleChoice {
                options: vec![
                    choice("a", "Tham ô", true, None),
                    choice("b", "Hối lộ", true, None),
                    choice("c", "Lạm quyền", true, None),
                    choice("d", "Đi muộn", false, Some("Kỷ luật")),
                ],
            },
        );
        let tf = question(
            "cau-3",
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: Some("Sai: xem Điều 22.".into()),
                feedback_false: None,
            },
        );
        let short = question(
            "cau-4",
            QuestionBody::ShortAnswer {
                accepted: vec!["tham nhũng".into(), "%tham ô".into()],
                ignore_tone_marks: true,
            },
        );
        let matching = question(
            "cau-5",
            QuestionBody::Matching {
                pairs: vec![
                    ("Dân biết".into(), "Công khai".into()),
                    ("[Dân bàn]".into(), "Lấy ý kiến = hỏi".into()),
                ],
                distractors: vec![],
            },
        );
        let essay = question(
            "cau-6",
            QuestionBody::Essay {
                rubric: vec![Criterion {
                    id: "lap-luan".into(),
                    description: "Lập luận".into(),
                    max_points: 4,
                }],
            },
        );
        let ordering = question(
            "cau-7",
            QuestionBody::Ordering {
                items: vec!["Một".into(), "Hai".into()],
            },
        );
        let opinion = question("cau-8", QuestionBody::Opinion {});
        let gift = export_gift(&[
            single, multiple, tf, short, matching, essay, ordering, opinion,
        ]);
        assert_eq!(
            gift,
            r"// Lophoc question bank, GIFT format (Moodle).
// GIFT has no points, difficulty, tags or essay rubrics: they are not exported.

::cau-1::[markdown]Cơ quan nào lập hiến? \{chọn 1\}{
	~Chính phủ#Không\: Chính phủ thi hành.
	=Quốc hội
	####Điều 69 \#Hiến pháp
}

::cau-2::[markdown]Đề bài{
	~%33.33333%Tham ô
	~%33.33333%Hối lộ
	~%33.33333%Lạm quyền
	~%-33.33333%Đi muộn#Kỷ luật
}

::cau-3::[markdown]Đề bài{FALSE#Sai\: xem Điều 22.}

::cau-4::[markdown]Đề bài{
	=tham nhũng
	=%100%%tham ô
}

::cau-5::[markdown]Đề bài{
	=Dân biết -> Công khai
	=[markdown][Dân bàn] -> Lấy ý kiến \= hỏi
}

::cau-6::[markdown]Đề bài{}

// not exported: cau-7 (ordering)

// not exported: cau-8 (opinion)

"
        );
        // And it reads back.
        let report = parse_gift(&gift);
        assert!(report.is_clean(), "{:?}", report.problems);
        let ids: Vec<&str> = report.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["cau-1", "cau-2", "cau-3", "cau-4", "cau-5", "cau-6"]);
        assert_eq!(
            report.questions[0].question.prompt,
            "Cơ quan nào lập hiến? {chọn 1}"
        );
        assert_eq!(
            report.questions[3].question.body,
            QuestionBody::ShortAnswer {
                accepted: vec!["tham nhũng".into(), "%tham ô".into()],
                ignore_tone_marks: false,
            }
        );
    }

    #[test]
    fn what_gift_cannot_say_is_a_comment() {
        let arrow = question(
            "ghep",
            QuestionBody::Matching {
                pairs: vec![("A -> B".into(), "1".into()), ("C".into(), "2".into())],
                distractors: vec![],
            },
        );
        let short = question(
            "ngan",
            QuestionBody::ShortAnswer {
                accepted: vec!["x->y".into()],
                ignore_tone_marks: false,
            },
        );
        // An arrow in a short answer's feedback is read as matching too.
        let mut feedback = Accepted::from("x");
        feedback.feedback = Some("->".into());
        let short_feedback = question(
            "ngan-2",
            QuestionBody::ShortAnswer {
                accepted: vec![feedback],
                ignore_tone_marks: false,
            },
        );
        let gift = export_gift(&[arrow, short, short_feedback]);
        assert!(gift.contains(
            "// not exported: ghep (matching: a left item contains \"->\", which GIFT reads as the arrow)\n"
        ));
        assert!(gift.contains("// not exported: ngan (short answer: "));
        assert!(gift.contains("// not exported: ngan-2 (short answer: "));
        let report = parse_gift(&gift);
        assert!(report.is_clean() && report.questions.is_empty());
    }

    /// The question as it comes back from GIFT: what GIFT does not carry
    /// set to the import's defaults, options named `a`, `b`…
    fn gift_view(q: &Question) -> Question {
        let rename = |options: &[Choice]| -> Vec<Choice> {
            options
                .iter()
                .enumerate()
                .map(|(i, o)| Choice {
                    id: crate::import::option_id(i),
                    ..o.clone()
                })
                .collect()
        };
        Question {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            points: 1,
            difficulty: Difficulty::Medium,
            tags: vec![],
            explanation: q.explanation.clone(),
            grader_note: None,
            body: match &q.body {
                QuestionBody::SingleChoice { options } => QuestionBody::SingleChoice {
                    options: rename(options),
                },
                QuestionBody::MultipleChoice { options } => QuestionBody::MultipleChoice {
                    options: rename(options),
                },
                QuestionBody::ShortAnswer { accepted, .. } => QuestionBody::ShortAnswer {
                    accepted: accepted.clone(),
                    ignore_tone_marks: false,
                },
                QuestionBody::FillBlanks { gaps } => QuestionBody::FillBlanks {
                    gaps: gaps
                        .iter()
                        .map(|g| match g {
                            Gap::Choice { options, .. } => Gap::Choice {
                                options: rename(options),
                                weight: 1,
                            },
                            Gap::ShortAnswer { accepted, .. } => Gap::ShortAnswer {
                                accepted: accepted.clone(),
                                ignore_tone_marks: false,
                                weight: 1,
                            },
                            other => other.clone(),
                        })
                        .collect(),
                },
                QuestionBody::Essay { .. } => QuestionBody::Essay {
                    rubric: default_rubric(),
                },
                other => other.clone(),
            },
        }
    }

    /// Vietnamese-ish text with every character GIFT treats specially, and
    /// some that only look special, sometimes starting with a format marker
    /// or a weight; trimmed and not empty, as imports make them.
    fn text() -> impl Strategy<Value = String> {
        let start = proptest::sample::select(vec![
            "",
            "",
            "",
            "",
            "[html]",
            "[plain]",
            "[moodle]",
            "[markdown]",
            "%50%",
            "%-5%",
            "//",
        ]);
        (
            start,
            "[a-zA-Z0-9 àáảãạăắâấđêếềôốơớưứữệộĐƯ~=#{}:%\\[\\]\\\\<>&;.,?!/\n-]{1,14}",
        )
            .prop_map(|(start, rest)| format!("{start}{rest}").trim().to_string())
            .prop_filter("empty", |s| !s.is_empty())
    }

    /// A text GIFT can use where its `->` arrow is looked for.
    fn arrowless() -> impl Strategy<Value = String> {
        text().prop_filter("arrow", |s| !s.contains("->"))
    }

    fn texts(
        item: impl Strategy<Value = String>,
        n: std::ops::Range<usize>,
    ) -> impl Strategy<Value = Vec<String>> {
        btree_set(item, n).prop_map(|set| set.into_iter().collect())
    }

    fn options(flags: Vec<bool>, texts: Vec<String>, feedback: Vec<Option<String>>) -> Vec<Choice> {
        texts
            .into_iter()
            .zip(flags)
            .zip(feedback)
            .enumerate()
            .map(|(i, ((text, correct), feedback))| Choice {
                id: format!("o{i}"),
                text,
                correct,
                feedback,
            })
            .collect()
    }

    /// Any valid question of a kind GIFT has.
    fn gift_body() -> impl Strategy<Value = QuestionBody> {
        let feedback = || vec(option::of(text()), 6);
        prop_oneof![
            (texts(text(), 2..6), any::<Index>(), feedback()).prop_map(|(t, right, f)| {
                let right = right.index(t.len());
                let flags = (0..t.len()).map(|i| i == right).collect();
                QuestionBody::SingleChoice {
                    options: options(flags, t, f),
                }
            }),
            (
                texts(text(), 2..7),
                vec(any::<bool>(), 6),
                any::<Index>(),
                feedback()
            )
                .prop_map(|(t, mut flags, right, f)| {
                    flags[right.index(t.len())] = true;
                    QuestionBody::MultipleChoice {
                        options: options(flags, t, f),
                    }
                }),
            (any::<bool>(), option::of(text()), option::of(text())).prop_map(
                |(answer, feedback_true, feedback_false)| QuestionBody::TrueFalse {
                    answer,
                    feedback_true,
                    feedback_false,
                }
            ),
            (
                texts(arrowless(), 1..4),
                any::<bool>(),
                credits(),
                vec(option::of(arrowless()), 6)
            )
                .prop_map(|(accepted, ignore_tone_marks, credits, feedback)| {
                    QuestionBody::ShortAnswer {
                        accepted: accepted_answers(accepted, credits, feedback),
                        ignore_tone_marks,
                    }
                }),
            (vec(numeric(), 1..4), feedback()).prop_map(|(mut answers, feedback)| {
                answers[0].credit = FULL_CREDIT;
                for (a, f) in answers.iter_mut().zip(feedback) {
                    a.feedback = f;
                }
                QuestionBody::Numerical { answers }
            }),
            (texts(arrowless(), 2..5), texts(text(), 2..8)).prop_map(|(left, right)| {
                let n = left.len().min(right.len());
                let mut right = right;
                let distractors = right.split_off(n);
                QuestionBody::Matching {
                    pairs: left.into_iter().zip(right).collect(),
                    distractors,
                }
            }),
            (1u32..5).prop_map(|max_points| QuestionBody::Essay {
                rubric: vec![Criterion {
                    id: "y".into(),
                    description: "Ý chính".into(),
                    max_points,
                }],
            }),
        ]
    }

    /// Credits GIFT can write: whole percents and Moodle's five decimals.
    fn credits() -> impl Strategy<Value = Vec<Decimal>> {
        vec(
            prop_oneof![
                Just(FULL_CREDIT),
                (0i64..=100).prop_map(Decimal::from_int),
                (0i64..=10_000_000).prop_map(|u| Decimal::from_parts(u, 5).unwrap()),
            ],
            6,
        )
    }

    fn accepted_answers(
        texts: Vec<String>,
        credits: Vec<Decimal>,
        feedback: Vec<Option<String>>,
    ) -> Vec<Accepted> {
        texts
            .into_iter()
            .zip(credits)
            .zip(feedback)
            .enumerate()
            .map(|(i, ((text, credit), feedback))| Accepted {
                text,
                credit: if i == 0 { FULL_CREDIT } else { credit },
                feedback,
            })
            .collect()
    }

    fn numeric() -> impl Strategy<Value = NumericAnswer> {
        (-100_000i64..100_000, 0u32..4, 0i64..500, credits()).prop_map(|(v, places, t, credits)| {
            NumericAnswer {
                value: Decimal::from_parts(v, places).unwrap(),
                tolerance: Decimal::from_parts(t, places).unwrap(),
                credit: credits[0],
                feedback: None,
            }
        })
    }

    /// A missing-word question: one gap of any kind, with text after it.
    fn missing_word() -> impl Strategy<Value = (String, QuestionBody)> {
        let gap = prop_oneof![
            (texts(text(), 2..5), any::<Index>()).prop_map(|(t, right)| {
                let right = right.index(t.len());
                let flags = (0..t.len()).map(|i| i == right).collect();
                Gap::Choice {
                    options: options(flags, t, vec![None; 6]),
                    weight: 1,
                }
            }),
            (texts(arrowless(), 1..3), credits()).prop_map(|(t, c)| Gap::ShortAnswer {
                accepted: accepted_answers(t, c, vec![None; 6]),
                ignore_tone_marks: false,
                weight: 1,
            }),
            vec(numeric(), 1..3).prop_map(|mut answers| {
                answers[0].credit = FULL_CREDIT;
                Gap::Numerical { answers, weight: 1 }
            }),
        ];
        (plain(), plain(), gap).prop_map(|(before, after, gap)| {
            (
                format!("{before} {{1}} {after}"),
                QuestionBody::FillBlanks { gaps: vec![gap] },
            )
        })
    }

    /// Text with no braces, so it cannot hold a gap marker.
    fn plain() -> impl Strategy<Value = String> {
        text().prop_filter("braces", |s| !s.contains(['{', '}']))
    }

    fn gift_question() -> impl Strategy<Value = Question> {
        let prompt_and_body = prop_oneof![
            4 => (text(), gift_body()),
            1 => missing_word(),
        ];
        (
            prompt_and_body,
            option::of(text()),
            1u32..10,
            vec("[a-zđ ]{1,8}", 0..3),
        )
            .prop_map(|((prompt, body), explanation, points, tags)| Question {
                id: String::new(),
                prompt,
                points,
                difficulty: Difficulty::Hard,
                tags: tags.into_iter().filter(|t| !t.trim().is_empty()).collect(),
                explanation,
                grader_note: None,
                body,
            })
    }

    proptest! {
        /// A bank of questions of the kinds GIFT has comes back from
        /// `parse_gift(export_gift(..))` as the same questions, up to what
        /// GIFT does not carry, with the same ids, and nothing to report.
        #[test]
        fn export_then_import_gives_the_same_questions(
            mut bank in vec(gift_question(), 1..5),
        ) {
            for (i, q) in bank.iter_mut().enumerate() {
                q.id = format!("q{i}");
                prop_assert!(validate(q).is_empty());
            }
            let gift = export_gift(&bank);
            let report = parse_gift(&gift);
            prop_assert!(report.is_clean(), "{:?}\n{}", report.problems, gift);
            let back: Vec<Question> = report.questions.into_iter().map(|q| q.question).collect();
            let expected: Vec<Question> = bank.iter().map(gift_view).collect();
            prop_assert_eq!(back, expected, "{}", gift);
        }

        /// Whatever the text, importing it (as GIFT or Aiken) never panics,
        /// every question it gives is valid, and every line it names is a
        /// line of the text.
        #[test]
        fn any_text_imports_without_panicking(
            s in prop_oneof![
                "[a-zàđA-D{}=~#%:.)\\-> T\n\r\\\\\\[\\]<&;/$]{0,80}",
                "\\PC{0,80}",
            ],
        ) {
            let count = s.strip_prefix('\u{feff}').unwrap_or(&s).lines().count();
            for report in [parse_gift(&s), crate::aiken::parse_aiken(&s)] {
                for p in &report.problems {
                    prop_assert!((1..=count).contains(&p.line), "{:?}", p);
                }
                for q in &report.questions {
                    prop_assert!((1..=count).contains(&q.line));
                    prop_assert!(validate(&q.question).is_empty());
                }
            }
        }
    }
}
