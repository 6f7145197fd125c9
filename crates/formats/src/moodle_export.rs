//! Moodle XML export ([`export_moodle_xml`]): a lecturer's bank as a file
//! Moodle's question bank imports (Question bank → Import → Moodle XML),
//! written as Moodle's own exporter writes it (`writequestion` in
//! `question/format/xml/format.php`).
//!
//! Policy: everything Lophoc's model holds goes into the file, in Moodle's
//! own elements, so [`super::moodle::parse_moodle_xml`] reads back the same
//! questions (a property test holds it to that):
//!
//! - texts in `format="markdown"` (Moodle renders Markdown) and
//!   `plain_text` for what Lophoc shows as text; images as base64
//!   `<file>`s with `@@PLUGINFILE@@` links;
//! - the id as `<idnumber>`, the points as `<defaultgrade>`, tags as
//!   `<tags>`, an easy or hard question's difficulty as a tag
//!   `difficulty:easy`/`difficulty:hard`, categories as Moodle category
//!   entries;
//! - multiple choice with Moodle fractions of Lophoc's rule (each correct
//!   option `100/C`%, each wrong one `-100/C`%), short answers with `\*`
//!   for a star (Moodle reads a bare `*` as any text), ordering as the
//!   `ordering` question type (standard since Moodle 4.4), an essay's
//!   rubric in its grader information (one `- id (points): text` line per
//!   criterion), an opinion question as an essay worth 0 marks, fill in the
//!   blanks as a cloze question (see [`super::cloze`]).
//!
//! What Moodle cannot hold is said in the file, never dropped silently: a
//! comment at the top lists what the format does not carry (tone-mark
//! leniency, option ids), and a question that cannot be written at all is
//! a `<!-- not exported: … -->` comment in its place.

use std::collections::HashMap;

use crate::import::excerpt;
use base64::Engine as _;
use lophoc_core::number::Decimal;
use lophoc_core::question::{
    gap_markers, replace_gaps, Accepted, Choice, Difficulty, Gap, NumericAnswer, Question,
    QuestionBody, FULL_CREDIT,
};
use lophoc_core::text::escape_html;

use super::cloze;
use super::media::{self, Media, MEDIA_URL};
use super::moodle::{DIFFICULTY_TAG, RUBRIC_HEADING};
use super::xml::{escape_attr, escape_text};

/// The comment at the top of every exported file.
const HEADER: &str =
    "<!-- Lophoc question bank, Moodle XML format (Moodle: Question bank → Import → Moodle XML).
     Moodle has no place for: tone-mark leniency of short answers (\"also accept answers typed
     without tone marks\"; Moodle compares them), and option ids (Moodle numbers options itself).
     Fill-in-the-blanks questions are cloze questions: Moodle counts their mark as the sum of
     the blanks' weights, Lophoc keeps its own points in <defaultgrade>. -->\n";

/// Writes `bank` (category and question, in order) as a Moodle XML file,
/// with the images its texts show from `media`.
pub fn export_moodle_xml(
    bank: &[(Option<String>, Question)],
    media: &HashMap<String, Media>,
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(HEADER);
    out.push_str("<quiz>\n");
    let mut current: Option<Option<&str>> = None;
    for (category, q) in bank {
        let category = category.as_deref();
        if current != Some(category) {
            out.push_str(&format!(
                "  <question type=\"category\">\n    <category>\n      <text>{}</text>\n    </category>\n    <info format=\"moodle_auto_format\">\n      <text></text>\n    </info>\n  </question>\n",
                escape_text(&match category {
                    Some(c) => format!("$course$/top/{c}"),
                    None => "$course$/top".to_string(),
                })
            ));
            current = Some(category);
        }
        let id = comment_safe(&q.id);
        match write_question(q, media) {
            Ok((xml, notes)) => {
                out.push_str(&format!("<!-- question: {id} -->\n"));
                for n in notes {
                    out.push_str(&format!("<!-- {id}: {} -->\n", comment_safe(&n)));
                }
                out.push_str(&xml);
            }
            Err(why) => out.push_str(&format!(
                "<!-- not exported: {id} ({}) -->\n",
                comment_safe(&why)
            )),
        }
    }
    out.push_str("</quiz>\n");
    out
}

/// A text that can stand inside an XML comment (no `--`).
fn comment_safe(t: &str) -> String {
    let mut s = t.replace("--", "- -").replace(['\r', '\n'], " ");
    if s.ends_with('-') {
        s.push(' ');
    }
    s
}

/// A Markdown text with its images as `<file>`s, as the `format` text of
/// element `tag`.
fn rich(
    tag: &str,
    markdown: &str,
    media: &HashMap<String, Media>,
    indent: &str,
    notes: &mut Vec<String>,
) -> String {
    let names = media::references(markdown);
    let text = media::map_images(markdown, |dest| {
        let name = dest.strip_prefix(MEDIA_URL)?;
        media
            .contains_key(name)
            .then(|| format!("@@PLUGINFILE@@/{name}"))
    });
    let mut out = format!(
        "{indent}<{tag} format=\"markdown\">\n{indent}  <text>{}</text>\n",
        escape_text(&text)
    );
    for name in names {
        match media.get(&name) {
            Some(m) => out.push_str(&format!(
                "{indent}  <file name=\"{}\" path=\"/\" encoding=\"base64\">{}</file>\n",
                escape_attr(&m.name),
                base64::engine::general_purpose::STANDARD.encode(&m.bytes)
            )),
            None => notes.push(format!(
                "the image {name} is no longer in the bank; its link is kept"
            )),
        }
    }
    out.push_str(&format!("{indent}</{tag}>\n"));
    out
}

/// A plain text in element `tag`.
fn plain(tag: &str, text: &str, indent: &str) -> String {
    format!(
        "{indent}<{tag} format=\"plain_text\">\n{indent}  <text>{}</text>\n{indent}</{tag}>\n",
        escape_text(text)
    )
}

/// An `<answer>` with its fraction, text, feedback and anything `extra`.
fn answer(
    fraction: Decimal,
    format: &str,
    text: &str,
    feedback: Option<&str>,
    extra: &str,
) -> String {
    let mut out = format!(
        "    <answer fraction=\"{fraction}\" format=\"{format}\">\n      <text>{}</text>\n",
        escape_text(text)
    );
    out.push_str(&plain("feedback", feedback.unwrap_or_default(), "      "));
    out.push_str(extra);
    out.push_str("    </answer>\n");
    out
}

fn combined_feedback() -> String {
    [
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
    ]
    .iter()
    .map(|f| format!("    <{f} format=\"html\">\n      <text></text>\n    </{f}>\n"))
    .collect()
}

/// One question as Moodle XML, with notes on what Moodle does not keep;
/// or why it cannot be written.
fn write_question(
    q: &Question,
    media: &HashMap<String, Media>,
) -> Result<(String, Vec<String>), String> {
    let mut notes = Vec::new();
    let (kind, prompt) = match &q.body {
        QuestionBody::SingleChoice { .. } | QuestionBody::MultipleChoice { .. } => {
            ("multichoice", q.prompt.clone())
        }
        QuestionBody::TrueFalse { .. } => ("truefalse", q.prompt.clone()),
        QuestionBody::ShortAnswer { .. } => ("shortanswer", q.prompt.clone()),
        QuestionBody::Numerical { .. } => ("numerical", q.prompt.clone()),
        QuestionBody::Matching { .. } => ("matching", q.prompt.clone()),
        QuestionBody::Ordering { .. } => ("ordering", q.prompt.clone()),
        QuestionBody::Essay { .. } | QuestionBody::Opinion {} => ("essay", q.prompt.clone()),
        QuestionBody::FillBlanks { gaps } => ("cloze", cloze_text(&q.prompt, gaps, &mut notes)?),
    };
    let points = match &q.body {
        QuestionBody::Essay { rubric } => rubric.iter().map(|c| c.max_points).sum(),
        QuestionBody::Opinion {} => 0,
        _ => q.points,
    };
    let mut out = format!("  <question type=\"{kind}\">\n");
    out.push_str(&format!(
        "    <name>\n      <text>{}</text>\n    </name>\n",
        escape_text(
            &Some(excerpt(&q.prompt.replace(['{', '}'], "")))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| q.id.clone())
        )
    ));
    out.push_str(&rich("questiontext", &prompt, media, "    ", &mut notes));
    out.push_str(&rich(
        "generalfeedback",
        q.explanation.as_deref().unwrap_or_default(),
        media,
        "    ",
        &mut notes,
    ));
    out.push_str(&format!("    <defaultgrade>{points}</defaultgrade>\n"));
    out.push_str("    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n");
    out.push_str(&format!(
        "    <idnumber>{}</idnumber>\n",
        escape_text(&q.id)
    ));
    match &q.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            let single = matches!(q.body, QuestionBody::SingleChoice { .. });
            out.push_str(&format!(
                "    <single>{single}</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n    <showstandardinstruction>0</showstandardinstruction>\n"
            ));
            out.push_str(&combined_feedback());
            let c = i64::try_from(options.iter().filter(|o| o.correct).count())
                .unwrap_or(1)
                .max(1);
            // Moodle writes thirds as 33.33333: five decimals.
            let share = share_of(c);
            for o in options {
                let fraction = match (single, o.correct) {
                    (true, true) => FULL_CREDIT,
                    (true, false) => Decimal::ZERO,
                    (false, true) => share,
                    (false, false) => Decimal::ZERO.checked_sub(share).unwrap_or(Decimal::ZERO),
                };
                out.push_str(&answer(
                    fraction,
                    "plain_text",
                    &o.text,
                    o.feedback.as_deref(),
                    "",
                ));
            }
        }
        QuestionBody::TrueFalse {
            answer: value,
            feedback_true,
            feedback_false,
        } => {
            let (t, f) = if *value {
                (FULL_CREDIT, Decimal::ZERO)
            } else {
                (Decimal::ZERO, FULL_CREDIT)
            };
            out.push_str(&answer(
                t,
                "moodle_auto_format",
                "true",
                feedback_true.as_deref(),
                "",
            ));
            out.push_str(&answer(
                f,
                "moodle_auto_format",
                "false",
                feedback_false.as_deref(),
                "",
            ));
        }
        QuestionBody::ShortAnswer {
            accepted,
            ignore_tone_marks,
        } => {
            if *ignore_tone_marks {
                notes.push(
                    "also accepts answers without tone marks in Lophoc; Moodle compares tone marks"
                        .into(),
                );
            }
            out.push_str("    <usecase>0</usecase>\n");
            for a in accepted {
                out.push_str(&answer(
                    a.credit,
                    "moodle_auto_format",
                    &a.text.replace('*', "\\*"),
                    a.feedback.as_deref(),
                    "",
                ));
            }
        }
        QuestionBody::Numerical { answers } => {
            for a in answers {
                let extra = format!("      <tolerance>{}</tolerance>\n", a.tolerance);
                out.push_str(&answer(
                    a.credit,
                    "moodle_auto_format",
                    &a.value.to_string(),
                    a.feedback.as_deref(),
                    &extra,
                ));
            }
            out.push_str("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n");
        }
        QuestionBody::Matching { pairs, distractors } => {
            out.push_str("    <shuffleanswers>true</shuffleanswers>\n");
            out.push_str(&combined_feedback());
            let items = pairs
                .iter()
                .map(|(l, r)| (l.as_str(), r.as_str()))
                .chain(distractors.iter().map(|d| ("", d.as_str())));
            for (left, right) in items {
                out.push_str(&format!(
                    "    <subquestion format=\"plain_text\">\n      <text>{}</text>\n      <answer>\n        <text>{}</text>\n      </answer>\n    </subquestion>\n",
                    escape_text(left),
                    escape_text(right)
                ));
            }
        }
        QuestionBody::Ordering { items } => {
            out.push_str("    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n    <selectcount>0</selectcount>\n    <gradingtype>ABSOLUTE_POSITION</gradingtype>\n    <showgrading>SHOW</showgrading>\n    <numberingstyle>none</numberingstyle>\n");
            out.push_str(&combined_feedback());
            for (i, item) in items.iter().enumerate() {
                let position = Decimal::from_int(i64::try_from(i + 1).unwrap_or(i64::MAX))
                    .checked_mul_int(100)
                    .unwrap_or(Decimal::ZERO);
                out.push_str(&answer(position, "plain_text", item, None, ""));
            }
        }
        QuestionBody::Essay { rubric } => {
            let lines: Vec<String> = rubric
                .iter()
                .map(|c| {
                    format!(
                        "- {} ({}): {}",
                        c.id,
                        c.max_points,
                        c.description.replace('\n', "\\n")
                    )
                })
                .collect();
            out.push_str(&essay_options(&format!(
                "{RUBRIC_HEADING}\n{}",
                lines.join("\n")
            )));
        }
        QuestionBody::Opinion {} => {
            notes.push("an opinion question: an essay worth 0 marks in Moodle".into());
            out.push_str(&essay_options(""));
        }
        QuestionBody::FillBlanks { .. } => {}
    }
    let mut tags: Vec<String> = q.tags.clone();
    match q.difficulty {
        Difficulty::Easy => tags.push(format!("{DIFFICULTY_TAG}easy")),
        Difficulty::Hard => tags.push(format!("{DIFFICULTY_TAG}hard")),
        Difficulty::Medium => {}
    }
    if !tags.is_empty() {
        out.push_str("    <tags>\n");
        for t in tags {
            out.push_str(&format!(
                "      <tag><text>{}</text></tag>\n",
                escape_text(&t)
            ));
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
    Ok((out, notes))
}

/// `100 / c` percent with five decimals, as Moodle writes fractions.
fn share_of(c: i64) -> Decimal {
    // 100/c rounded to 1/100 000 of a percent.
    let units = (10_000_000 + c / 2) / c;
    Decimal::from_parts(units, 5).unwrap_or(FULL_CREDIT)
}

fn essay_options(graderinfo: &str) -> String {
    format!(
        "    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>10</responsefieldlines>\n    <attachments>0</attachments>\n    <attachmentsrequired>0</attachmentsrequired>\n    <graderinfo format=\"markdown\">\n      <text>{}</text>\n    </graderinfo>\n    <responsetemplate format=\"html\">\n      <text></text>\n    </responsetemplate>\n",
        escape_text(graderinfo)
    )
}

/// The cloze text of a fill-in: each `{n}` marker replaced by its
/// subquestion.
fn cloze_text(prompt: &str, gaps: &[Gap], notes: &mut Vec<String>) -> Result<String, String> {
    // The text around the gaps must not read as a subquestion itself.
    let around = replace_gaps(prompt, gaps.len(), |_| String::new());
    if cloze::looks_like_sub(&around) {
        return Err(
            "the text contains something Moodle would read as a cloze subquestion ({1:SA:…})"
                .into(),
        );
    }
    if gap_markers(prompt, gaps.len()).len() != gaps.len() {
        return Err("a gap has no {n} marker in the text".into());
    }
    let mut written = Vec::new();
    for (g, gap) in gaps.iter().enumerate() {
        written.push(write_gap(g + 1, gap, notes)?);
    }
    Ok(replace_gaps(prompt, gaps.len(), |g| written[g].clone()))
}

/// One gap as a cloze subquestion.
fn write_gap(n: usize, gap: &Gap, notes: &mut Vec<String>) -> Result<String, String> {
    let check = |t: &str| {
        if cloze::unrepresentable(t) {
            Err(format!(
                "gap {n}: {t:?} holds \\}} or \\#, which Moodle's cloze cannot keep"
            ))
        } else {
            Ok(())
        }
    };
    // Cloze feedback and drop-down options are HTML in Moodle.
    let html = |t: &str, notes: &mut Vec<String>| {
        let escaped = escape_html(t);
        if crate::html::html_to_text(&escaped).0 != t {
            notes.push(format!(
                "gap {n}: white space in {:?} is shown collapsed by Moodle",
                excerpt(t)
            ));
        }
        escaped
    };
    match gap {
        Gap::ShortAnswer {
            accepted,
            ignore_tone_marks,
            weight,
        } => {
            if *ignore_tone_marks {
                notes.push(format!("gap {n} also accepts answers without tone marks in Lophoc; Moodle compares tone marks"));
            }
            let mut alts = Vec::new();
            for Accepted {
                text,
                credit,
                feedback,
            } in accepted
            {
                let text = text.replace('*', "\\*");
                check(&text)?;
                let feedback = feedback.as_deref().map(|f| html(f, notes));
                if let Some(f) = &feedback {
                    check(f)?;
                }
                alts.push(cloze::write_alt(*credit, &text, feedback.as_deref()));
            }
            Ok(cloze::write_sub(*weight, "SHORTANSWER", &alts))
        }
        Gap::Numerical { answers, weight } => {
            let mut alts = Vec::new();
            for NumericAnswer {
                value,
                tolerance,
                credit,
                feedback,
            } in answers
            {
                let number = if *tolerance == Decimal::ZERO {
                    value.to_string()
                } else {
                    format!("{value}:{tolerance}")
                };
                let feedback = feedback.as_deref().map(|f| html(f, notes));
                if let Some(f) = &feedback {
                    check(f)?;
                }
                alts.push(cloze::write_alt(*credit, &number, feedback.as_deref()));
            }
            Ok(cloze::write_sub(*weight, "NUMERICAL", &alts))
        }
        Gap::Choice { options, weight } => {
            let mut alts = Vec::new();
            for Choice {
                text,
                correct,
                feedback,
                ..
            } in options
            {
                let text = html(text, notes);
                check(&text)?;
                let feedback = feedback.as_deref().map(|f| html(f, notes));
                if let Some(f) = &feedback {
                    check(f)?;
                }
                let credit = if *correct { FULL_CREDIT } else { Decimal::ZERO };
                alts.push(cloze::write_alt(credit, &text, feedback.as_deref()));
            }
            Ok(cloze::write_sub(*weight, "MULTICHOICE", &alts))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::moodle::parse_moodle_xml;
    use super::super::strategies;
    use super::*;
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;

    /// The question as it comes back from Moodle XML: what the format does
    /// not carry set to the import's defaults.
    pub(crate) fn moodle_view(q: &Question) -> Question {
        let mut q = q.clone();
        match &q.body {
            QuestionBody::Essay { rubric } => q.points = rubric.iter().map(|c| c.max_points).sum(),
            QuestionBody::Opinion {} => q.points = 1,
            _ => {}
        }
        q
    }

    /// True when a fill-in holds text Moodle's cloze cannot keep.
    fn cloze_cannot_hold(q: &Question) -> bool {
        let QuestionBody::FillBlanks { gaps } = &q.body else {
            return false;
        };
        gaps.iter().any(|g| match g {
            Gap::ShortAnswer { accepted, .. } => accepted.iter().any(|a| {
                cloze::unrepresentable(&a.text.replace('*', "\\*"))
                    || a.feedback
                        .as_deref()
                        .is_some_and(|f| cloze::unrepresentable(&escape_html(f)))
            }),
            Gap::Numerical { answers, .. } => answers.iter().any(|a| {
                a.feedback
                    .as_deref()
                    .is_some_and(|f| cloze::unrepresentable(&escape_html(f)))
            }),
            Gap::Choice { options, .. } => options.iter().any(|o| {
                cloze::unrepresentable(&escape_html(&o.text))
                    || o.feedback
                        .as_deref()
                        .is_some_and(|f| cloze::unrepresentable(&escape_html(f)))
            }),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// A bank of every kind, with categories, tags, difficulty, partial
        /// credits and feedback, comes back from
        /// `parse_moodle_xml(export_moodle_xml(..))` as the same questions
        /// in the same categories, with nothing to report.
        #[test]
        fn export_then_import_gives_the_same_questions(
            bank in vec((option::of("[A-Z][a-zàđ]{1,6}( [a-z]{1,6})?"), strategies::question()), 1..6),
        ) {
            let bank: Vec<(Option<String>, Question)> = bank
                .into_iter()
                .enumerate()
                .map(|(i, (category, mut q))| {
                    q.id = format!("q{i}");
                    if let Some(c) = &category {
                        q.tags.retain(|t| t != c);
                        q.tags.insert(0, c.clone());
                    }
                    (category, q)
                })
                .collect();
            for (_, q) in &bank {
                prop_assume!(!cloze_cannot_hold(q));
            }
            let xml = export_moodle_xml(&bank, &HashMap::new());
            let imported = parse_moodle_xml(&xml).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let report = imported.report;
            prop_assert!(report.is_clean(), "{:?}\n{}", report.problems, xml);
            let back: Vec<(Option<String>, Question)> = report
                .questions
                .into_iter()
                .map(|q| (q.category, q.question))
                .collect();
            let expected: Vec<(Option<String>, Question)> =
                bank.iter().map(|(c, q)| (c.clone(), moodle_view(q))).collect();
            prop_assert_eq!(back, expected, "{}", xml);
        }
    }

    #[test]
    fn images_travel_as_base64_files() {
        let png = super::super::media::make({
            let mut out = Vec::new();
            image::RgbImage::new(2, 2)
                .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .unwrap();
            out
        })
        .unwrap();
        let q = Question {
            id: "so-do".into(),
            prompt: format!("Xem sơ đồ:\n\n![Sơ đồ]({MEDIA_URL}{})", png.name),
            points: 2,
            difficulty: Difficulty::Hard,
            tags: vec![],
            explanation: None,
            grader_note: None,
            body: QuestionBody::TrueFalse {
                answer: true,
                feedback_true: None,
                feedback_false: None,
            },
        };
        let media = HashMap::from([(png.name.clone(), png.clone())]);
        let xml = export_moodle_xml(&[(None, q.clone())], &media);
        assert!(
            xml.contains(&format!("@@PLUGINFILE@@/{}", png.name)),
            "{xml}"
        );
        assert!(xml.contains("encoding=\"base64\""));
        let back = parse_moodle_xml(&xml).unwrap();
        assert_eq!(back.media, vec![png]);
        assert_eq!(back.report.questions[0].question, q);
    }

    #[test]
    fn a_broken_answer_is_reported_at_its_own_line() {
        let xml = "<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"multichoice\">\n\
            <name><text>Câu hỏng</text></name>\n\
            <questiontext format=\"html\"><text>Chọn một</text></questiontext>\n\
            <answer fraction=\"100\"><text>Có</text></answer>\n\
            <answer fraction=\"0\"><text></text></answer>\n\
            </question>\n</quiz>\n";
        let report = parse_moodle_xml(xml).unwrap().report;
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        let problem = &report.problems[0];
        assert_eq!(
            problem.line, 7,
            "the empty answer's line, not the question's"
        );
        assert_eq!(
            problem.problem,
            lophoc_core::problem::Problem::OptionNoText {
                option: "b".into(),
                marker: None
            }
        );
    }
}
