//! Moodle XML import ([`parse_moodle_xml`]), as Moodle's own importer reads
//! the format (`question/format/xml/format.php`: `import_question` and the
//! `import_<type>` functions it calls).
//!
//! Policy:
//!
//! - **Kinds**: `multichoice` (single or multiple by `<single>`),
//!   `truefalse` (answers `true`/`false`, their feedback shown to whoever
//!   gave that answer), `shortanswer`, `numerical`, `matching` (a
//!   subquestion with no text is a distractor, as Moodle stores them),
//!   `essay`, `cloze`/`multianswer` (see [`super::cloze`]) and the
//!   `ordering` plugin's questions (answers in the order of their
//!   fraction). A `description` has no answer: it is reported, not
//!   imported. `calculated…`, `ddwtos`, `gapselect` and other plugin types
//!   are reported by name.
//! - **Categories**: a `<question type="category">` sets the category of
//!   the questions after it, its `$course$/top/` prefix removed (as GIFT's
//!   `$CATEGORY:`); the category is also kept as a tag.
//! - **Texts**: the question text and general feedback become Markdown
//!   (`html` and `moodle_auto_format` rewritten, `markdown`, `plain_text`
//!   kept as written, its scripts and frames dropped and noted); texts
//!   Lophoc shows as plain text (options, matching items, feedback) lose
//!   their tags. Images in a text (`@@PLUGINFILE@@/name` with its base64
//!   `<file>`, or a `data:` address) become bank media ([`super::media`]).
//! - **Numbers**: `<defaultgrade>` gives the points (a fraction of a point
//!   rounds up to a whole one, noted; 0 makes an essay an opinion
//!   question); `idnumber`, else the name, gives the id; tags
//!   `difficulty:easy`/`difficulty:hard` (which Lophoc's export writes)
//!   give the difficulty.
//! - What Lophoc has no place for (hints, combined feedback, units,
//!   Moodle's `*` "any other answer", penalty for each try) is noted for
//!   the question, never dropped silently.

use std::collections::HashMap;

use crate::gift::clean_category;
use crate::html::{html_to_markdown, html_to_text};
use crate::import::{excerpt, option_id, Ids};
use base64::Engine as _;
use lophoc_core::api::FileProblem;
use lophoc_core::note::Note;
use lophoc_core::number::Decimal;
use lophoc_core::problem::Problem;
use lophoc_core::question::import::ImportReport;
use lophoc_core::question::{
    Accepted, Choice, Criterion, Difficulty, Gap, NumericAnswer, Question, QuestionBody,
    FULL_CREDIT, MAX_POINTS,
};

use super::cloze::{self, SubKind};
use super::media::{self, Media, MAX_MEDIA_FILES, MEDIA_URL};
use super::xml::{self, Element};

/// The tag Lophoc writes for an easy or hard question; read back here.
pub const DIFFICULTY_TAG: &str = "difficulty:";
/// The first line of an essay's grader information that holds Lophoc's
/// rubric, one criterion a line (see [`super::moodle_export`]).
pub const RUBRIC_HEADING: &str = "Lophoc rubric:";

/// What a Moodle XML file gave: the report, and the images its questions
/// use.
#[derive(Debug, Default)]
pub struct Imported {
    pub report: ImportReport,
    pub media: Vec<Media>,
}

/// Reads a Moodle XML file. A file that is not well-formed XML, or whose
/// root is not `<quiz>`, is refused whole ([`FileProblem`]); anything
/// else gives a report.
pub fn parse_moodle_xml(text: &str) -> Result<Imported, FileProblem> {
    let root = xml::parse(text).map_err(|e| FileProblem::NotXml {
        line: u32::try_from(e.line).unwrap_or(u32::MAX),
    })?;
    if root.name != "quiz" {
        return Err(FileProblem::NotMoodleXml);
    }
    let mut report = ImportReport::default();
    let mut bag = Bag::default();
    let mut ids = Ids::default();
    let mut category: Option<String> = None;
    let mut ordinal = 0;
    for q in root.children_named("question") {
        let kind = q.attr("type").unwrap_or_default();
        if kind == "category" {
            let path = q
                .child("category")
                .and_then(|c| {
                    c.child_text("text")
                        .or_else(|| Some(c.text().trim().to_string()))
                })
                .unwrap_or_default();
            category = clean_category(&path);
            continue;
        }
        ordinal += 1;
        let mut r = Reader {
            notes: Vec::new(),
            bag: &mut bag,
            markdown_notes: false,
            dropped: Vec::new(),
        };
        let name = q
            .child("name")
            .and_then(|n| n.child_text("text"))
            .unwrap_or_default();
        let label = if name.is_empty() {
            let raw = q
                .child("questiontext")
                .and_then(|t| t.child_text("text"))
                .unwrap_or_default();
            excerpt(&html_to_text(&raw).0)
        } else {
            excerpt(&name)
        };
        match read_question(q, kind, &mut r) {
            Err(Fail { line, problem }) => report.problem(line.unwrap_or(q.line), &label, problem),
            Ok(read) => {
                let mut notes = std::mem::take(&mut r.notes);
                if r.markdown_notes {
                    notes.push(Note::HtmlAsMarkdown { lines: Vec::new() });
                }
                if !r.dropped.is_empty() {
                    notes.push(Note::HtmlDropped {
                        elements: std::mem::take(&mut r.dropped),
                    });
                }
                let idnumber = q.child_text("idnumber").filter(|s| !s.is_empty());
                let named = idnumber
                    .as_deref()
                    .or(Some(name.as_str()).filter(|n| !n.is_empty()));
                let id = ids.take(named, format!("moodle-{ordinal}"));
                match (&idnumber, name.is_empty()) {
                    (Some(idn), _) => notes.insert(
                        0,
                        Note::IdFromIdnumber {
                            idnumber: idn.clone(),
                            id: id.clone(),
                        },
                    ),
                    (None, false) => notes.insert(
                        0,
                        Note::IdFromName {
                            name: name.clone(),
                            id: id.clone(),
                        },
                    ),
                    (None, true) => {}
                }
                let (tags, difficulty) = tags(q, category.as_deref(), &mut notes);
                let question = Question {
                    id,
                    prompt: read.prompt,
                    points: read.points,
                    difficulty,
                    tags,
                    explanation: read.explanation,
                    grader_note: None,
                    body: read.body,
                };
                report.add(q.line, question, category.clone(), notes, &label);
            }
        }
    }
    // Keep only the images of the questions that were read.
    let used: Vec<String> = report
        .questions
        .iter()
        .flat_map(|q| question_media(&q.question))
        .collect();
    let media = bag
        .files
        .into_values()
        .filter(|m| used.contains(&m.name))
        .collect();
    Ok(Imported { report, media })
}

/// The bank images a question shows (prompt and explanation).
pub fn question_media(q: &Question) -> Vec<String> {
    let mut names = media::references(&q.prompt);
    if let Some(e) = &q.explanation {
        for n in media::references(e) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names
}

/// The images read so far, by name.
#[derive(Default)]
struct Bag {
    files: HashMap<String, Media>,
}

/// Reads the texts of one question, noting what it changes.
struct Reader<'a> {
    notes: Vec<Note>,
    bag: &'a mut Bag,
    markdown_notes: bool,
    dropped: Vec<String>,
}

/// A question as read, before it gets its id and tags.
struct Read {
    prompt: String,
    explanation: Option<String>,
    points: u32,
    body: QuestionBody,
}

impl Reader<'_> {
    /// A text Lophoc keeps as Markdown (question text, general feedback),
    /// with its images made bank media.
    fn rich(&mut self, el: Option<&Element>, default_format: &str) -> String {
        let Some(el) = el else {
            return String::new();
        };
        let raw = el.child_text("text").unwrap_or_default();
        let format = el.attr("format").unwrap_or(default_format);
        let markdown = match format {
            "markdown" | "plain_text" | "wiki_like" => raw,
            "moodle_auto_format" => self.html(&raw.replace('\n', "<br>\n")),
            _ => self.html(&raw),
        };
        let files = self.files_of(el);
        self.images(&markdown, &files)
    }

    fn html(&mut self, raw: &str) -> String {
        let reading = html_to_markdown(raw);
        if reading.markdown != raw {
            self.markdown_notes = true;
        }
        for d in reading.dropped {
            if !self.dropped.contains(&d) {
                self.dropped.push(d);
            }
        }
        reading.markdown
    }

    /// A text Lophoc shows as plain text (an option, a matching item, a
    /// feedback).
    fn plain(&mut self, el: Option<&Element>, default_format: &str) -> String {
        let Some(el) = el else {
            return String::new();
        };
        let raw = el.child_text("text").unwrap_or_default();
        self.plain_text(&raw, el.attr("format").unwrap_or(default_format))
    }

    fn plain_text(&mut self, raw: &str, format: &str) -> String {
        match format {
            "markdown" | "plain_text" | "wiki_like" => raw.trim().to_string(),
            _ => {
                if raw.contains("<img") {
                    self.notes.push(Note::ImageInPlainText {
                        text: Some(excerpt(&html_to_text(raw).0)),
                    });
                }
                let (text, dropped) = html_to_text(raw);
                for d in dropped {
                    if !self.dropped.contains(&d) {
                        self.dropped.push(d);
                    }
                }
                text
            }
        }
    }

    /// The `<file>`s of a text, by the path its text names them with.
    fn files_of(&mut self, el: &Element) -> HashMap<String, Vec<u8>> {
        let mut out = HashMap::new();
        for f in el.children_named("file") {
            let name = f.attr("name").unwrap_or_default();
            let path = f.attr("path").unwrap_or("/");
            let data: String = f.text().split_whitespace().collect();
            match base64::engine::general_purpose::STANDARD.decode(data.as_bytes()) {
                Ok(bytes) => {
                    out.insert(format!("{path}{name}"), bytes);
                }
                Err(_) => self.notes.push(Note::FileNotBase64 {
                    line: f.line,
                    name: name.to_string(),
                }),
            }
        }
        out
    }

    /// `markdown` with each image that the file carries made a bank image.
    fn images(&mut self, markdown: &str, files: &HashMap<String, Vec<u8>>) -> String {
        media::map_images(markdown, |dest| {
            let bytes = if let Some(path) = dest.strip_prefix("@@PLUGINFILE@@") {
                let path = media::percent_decode(path);
                let path = if path.starts_with('/') {
                    path
                } else {
                    format!("/{path}")
                };
                match files.get(&path) {
                    Some(b) => b.clone(),
                    None => {
                        self.notes.push(Note::ImageNotInFile { image: path });
                        return None;
                    }
                }
            } else if let Some(data) = dest.strip_prefix("data:") {
                let (_, b64) = data.split_once(";base64,")?;
                base64::engine::general_purpose::STANDARD
                    .decode(media::percent_decode(b64).as_bytes())
                    .ok()?
            } else {
                return None;
            };
            let shown = excerpt(dest);
            match media::make(bytes) {
                Ok(m) => {
                    if self.bag.files.len() >= MAX_MEDIA_FILES
                        && !self.bag.files.contains_key(&m.name)
                    {
                        self.notes.push(Note::TooManyImages {
                            image: shown,
                            max: MAX_MEDIA_FILES,
                        });
                        return None;
                    }
                    let url = format!("{MEDIA_URL}{}", m.name);
                    self.notes.push(Note::ImageKept {
                        image: shown,
                        name: m.name.clone(),
                    });
                    self.bag.files.entry(m.name.clone()).or_insert(m);
                    Some(url)
                }
                Err(reason) => {
                    self.notes.push(Note::ImageRefused {
                        image: shown,
                        reason,
                    });
                    None
                }
            }
        })
    }

    /// Feedback of an answer, `None` when empty.
    fn feedback(&mut self, answer: &Element, default_format: &str) -> Option<String> {
        Some(self.plain(answer.child("feedback"), default_format)).filter(|f| !f.is_empty())
    }
}

/// The question's tags: its category first, then its `<tags>` (Lophoc's
/// difficulty tag read as the difficulty).
fn tags(q: &Element, category: Option<&str>, notes: &mut Vec<Note>) -> (Vec<String>, Difficulty) {
    let mut tags = Vec::new();
    let mut difficulty = Difficulty::Medium;
    if let Some(c) = category {
        tags.push(c.to_string());
        notes.push(Note::CategoryKept {
            category: c.to_string(),
        });
    }
    for t in q
        .child("tags")
        .into_iter()
        .flat_map(|t| t.children_named("tag"))
        .filter_map(|t| t.child_text("text"))
        .filter(|t| !t.is_empty())
    {
        match t.strip_prefix(DIFFICULTY_TAG) {
            Some("easy") => difficulty = Difficulty::Easy,
            Some("hard") => difficulty = Difficulty::Hard,
            Some("medium") => {}
            _ if !tags.contains(&t) => tags.push(t),
            _ => {}
        }
    }
    (tags, difficulty)
}

/// Why a question is not imported, and the line of the answer or item at
/// fault when it is not the question's own.
struct Fail {
    line: Option<usize>,
    problem: Problem,
}

impl From<Problem> for Fail {
    fn from(problem: Problem) -> Fail {
        Fail {
            line: None,
            problem,
        }
    }
}

/// A problem at `line`.
fn at(line: usize, problem: Problem) -> Fail {
    Fail {
        line: Some(line),
        problem,
    }
}

/// Moodle's fraction attribute (percent) of an answer.
fn fraction(answer: &Element) -> Result<Decimal, Fail> {
    let raw = answer.attr("fraction").unwrap_or("0").trim();
    Decimal::parse(raw).map_err(|_| {
        at(
            answer.line,
            Problem::NotANumber {
                text: raw.to_string(),
            },
        )
    })
}

/// The points of a question from `<defaultgrade>`.
fn points(q: &Element, notes: &mut Vec<Note>) -> Result<u32, Fail> {
    let Some(raw) = q.child_text("defaultgrade") else {
        return Ok(1);
    };
    let value = Decimal::parse(&raw).map_err(|_| Problem::NotANumber { text: raw.clone() })?;
    if value.is_negative() {
        return Err(Fail::from(Problem::MarkNegative { mark: raw }));
    }
    let one = Decimal::from_int(1);
    let mut whole = 0u32;
    let mut rest = value;
    while rest >= one && whole <= MAX_POINTS {
        rest = rest.checked_sub(one).unwrap_or(Decimal::ZERO);
        whole += 1;
    }
    if whole > MAX_POINTS {
        return Err(Fail::from(Problem::MarkTooHigh {
            mark: raw,
            max: MAX_POINTS,
        }));
    }
    if rest != Decimal::ZERO || whole == 0 {
        let up = whole + 1;
        notes.push(Note::MarkRoundedUp {
            mark: value.to_string(),
            points: up,
        });
        return Ok(up);
    }
    Ok(whole)
}

fn read_question(q: &Element, kind: &str, r: &mut Reader<'_>) -> Result<Read, Fail> {
    let text_format = q
        .child("questiontext")
        .and_then(|t| t.attr("format"))
        .unwrap_or("html")
        .to_string();
    let is_cloze = matches!(kind, "cloze" | "multianswer");
    let mut prompt = if is_cloze {
        String::new()
    } else {
        r.rich(q.child("questiontext"), "html")
    };
    // Moodle's old `<image>`/`<image_base64>` tags: an image after the text.
    if let (Some(name), Some(data)) = (q.child_text("image"), q.child_text("image_base64")) {
        if !name.is_empty() && !data.is_empty() {
            let files = HashMap::from([(
                "/old-image".to_string(),
                base64::engine::general_purpose::STANDARD
                    .decode(data.split_whitespace().collect::<String>().as_bytes())
                    .unwrap_or_default(),
            )]);
            let md = r.images("![](@@PLUGINFILE@@/old-image)", &files);
            prompt = format!("{prompt}\n\n{md}");
        }
    }
    let explanation =
        Some(r.rich(q.child("generalfeedback"), &text_format)).filter(|e| !e.trim().is_empty());
    if explanation.is_some() {
        r.notes.push(Note::GeneralFeedbackKept { marker: None });
    }
    for hint in q.children_named("hint") {
        if !hint.child_text("text").unwrap_or_default().is_empty() {
            r.notes.push(Note::HintLeftOut { line: hint.line });
        }
    }
    for field in [
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
    ] {
        if q.child(field)
            .and_then(|f| f.child_text("text"))
            .is_some_and(|t| !t.is_empty())
        {
            r.notes.push(Note::CombinedFeedbackLeftOut {
                field: field.to_string(),
            });
        }
    }
    let mut notes = Vec::new();
    let (body, points) = match kind {
        "multichoice" => (multichoice(q, &text_format, r)?, points(q, &mut notes)?),
        "truefalse" => (truefalse(q, &text_format, r)?, points(q, &mut notes)?),
        "shortanswer" => (shortanswer(q, &text_format, r)?, points(q, &mut notes)?),
        "numerical" => (numerical(q, &text_format, r)?, points(q, &mut notes)?),
        "matching" | "match" => (matching(q, &text_format, r)?, points(q, &mut notes)?),
        "ordering" => (ordering(q, &text_format, r)?, points(q, &mut notes)?),
        "essay" => essay(q, &text_format, r)?,
        "cloze" | "multianswer" => {
            let (new_prompt, body, points) = multianswer(q, r)?;
            prompt = new_prompt;
            (body, points)
        }
        "description" => return Err(Fail::from(Problem::Description)),
        other => {
            return Err(Fail::from(Problem::Unsupported {
                kind: other.to_string(),
            }))
        }
    };
    r.notes.extend(notes);
    Ok(Read {
        prompt,
        explanation,
        points,
        body,
    })
}

fn answers(q: &Element) -> Vec<&Element> {
    q.children_named("answer").collect()
}

fn multichoice(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<QuestionBody, Fail> {
    let single = q
        .child_text("single")
        .is_none_or(|s| !(s == "false" || s.is_empty() || s == "0"));
    let mut options = Vec::new();
    let mut fractions = Vec::new();
    for (i, a) in answers(q).into_iter().enumerate() {
        let id = option_id(i);
        let text = r.plain(Some(a), format);
        if text.is_empty() {
            return Err(at(
                a.line,
                Problem::OptionNoText {
                    option: id.to_string(),
                    marker: None,
                },
            ));
        }
        let f = fraction(a)?;
        let feedback = r.feedback(a, format);
        if feedback.is_some() {
            r.notes
                .push(Note::OptionFeedbackKept { option: id.clone() });
        }
        options.push(Choice {
            id,
            text,
            correct: if single {
                f == FULL_CREDIT
            } else {
                f > Decimal::ZERO
            },
            feedback,
        });
        fractions.push(f);
    }
    r.notes
        .insert(0, crate::import::choice_note(single, &options));
    if single {
        for (o, f) in options.iter().zip(&fractions) {
            if !o.correct && *f != Decimal::ZERO {
                r.notes.push(Note::SingleWeightDropped {
                    line: None,
                    option: o.id.clone(),
                    weight: format!("{f}%"),
                });
            }
        }
    } else {
        let correct = options.iter().filter(|o| o.correct).count();
        let c = i64::try_from(correct).unwrap_or(1).max(1);
        // Equal shares: each correct option 100/C, each wrong one -100/C,
        // within 0.01% (Moodle writes thirds as 33.33333).
        let hundred = Decimal::from_int(100);
        let slack = Decimal::parse("0.01")
            .ok()
            .and_then(|d| d.checked_mul_int(c))
            .unwrap_or(Decimal::ZERO);
        let share = |f: Decimal| {
            let magnitude = if f.is_negative() {
                Decimal::ZERO.checked_sub(f).unwrap_or(f)
            } else {
                f
            };
            magnitude
                .checked_mul_int(c)
                .and_then(|m| m.abs_diff(hundred))
                .is_some_and(|d| d <= slack)
        };
        if !fractions.iter().all(|&f| share(f)) {
            r.notes.push(Note::UnequalShares {
                lines: None,
                weights: fractions.iter().map(|f| format!("{f}%")).collect(),
                correct: correct.max(1),
            });
        }
    }
    Ok(if single {
        QuestionBody::SingleChoice { options }
    } else {
        QuestionBody::MultipleChoice { options }
    })
}

fn truefalse(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<QuestionBody, Fail> {
    let mut answer = None;
    let mut feedback_true = None;
    let mut feedback_false = None;
    for (i, a) in answers(q).into_iter().enumerate() {
        let text = a.child_text("text").unwrap_or_default();
        // Old files wrote localised words: first true, then false (as Moodle).
        let is_true = match text.as_str() {
            "true" => true,
            "false" => false,
            _ => i == 0,
        };
        let full = fraction(a)? == FULL_CREDIT;
        let feedback = r.feedback(a, format);
        if is_true {
            answer = Some(full);
            feedback_true = feedback;
        } else {
            answer = Some(!full);
            feedback_false = feedback;
        }
    }
    let answer = answer.ok_or(Problem::NoAnswers)?;
    r.notes.insert(0, Note::TrueFalse { answer });
    for (value, f) in [(true, &feedback_true), (false, &feedback_false)] {
        if f.is_some() {
            r.notes.push(Note::TrueFalseFeedbackKept { answer: value });
        }
    }
    Ok(QuestionBody::TrueFalse {
        answer,
        feedback_true,
        feedback_false,
    })
}

/// Moodle's short answers read `*` as "any text" and `\*` as a star.
fn short_text(raw: &str) -> (String, bool) {
    let wildcard = raw.replace("\\*", "").contains('*');
    (raw.replace("\\*", "*"), wildcard)
}

fn accepted_of(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<Vec<Accepted>, Fail> {
    let mut accepted = Vec::new();
    for a in answers(q) {
        let raw = a.child_text("text").unwrap_or_default();
        let credit = fraction(a)?;
        let feedback = r.feedback(a, format);
        let (text, wildcard) = short_text(&raw);
        // A bare `*` is Moodle's catch-all; `\*` is a star.
        if raw.trim() == "*" {
            r.notes.push(Note::CatchAllLeftOut {
                line: Some(a.line),
                gap: None,
                number: false,
                with_feedback: feedback.is_some(),
            });
            continue;
        }
        if wildcard {
            r.notes.push(Note::Wildcard {
                line: Some(a.line),
                gap: None,
                answer: text.clone(),
            });
        }
        if text.is_empty() {
            return Err(at(a.line, Problem::BlankAnswer));
        }
        if credit < Decimal::ZERO || credit > FULL_CREDIT {
            return Err(at(
                a.line,
                Problem::WeightOutOfRange {
                    answer: text,
                    weight: format!("{credit}%"),
                },
            ));
        }
        if credit != FULL_CREDIT {
            r.notes.push(Note::AnswerCredit {
                line: None,
                answer: text.clone(),
                credit: format!("{credit}%"),
            });
        }
        if feedback.is_some() {
            r.notes.push(Note::AnswerFeedbackKept {
                line: None,
                answer: text.clone(),
            });
        }
        accepted.push(Accepted {
            text,
            credit,
            feedback,
        });
    }
    Ok(accepted)
}

fn shortanswer(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<QuestionBody, Fail> {
    let accepted = accepted_of(q, format, r)?;
    if q.child_text("usecase").is_some_and(|u| u == "1") {
        r.notes.push(Note::CaseIgnored { gap: None });
    }
    let listed: Vec<String> = accepted
        .iter()
        .filter(|a| a.credit == FULL_CREDIT)
        .map(|a| a.text.clone())
        .collect();
    r.notes.insert(0, Note::ShortAnswer { accepted: listed });
    r.notes.push(Note::ToneMarksMustMatch);
    Ok(QuestionBody::ShortAnswer {
        accepted,
        ignore_tone_marks: false,
    })
}

fn numerical(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<QuestionBody, Fail> {
    let mut answers_out = Vec::new();
    for a in answers(q) {
        let raw = a
            .child_text("text")
            .unwrap_or_else(|| a.text().trim().to_string());
        let credit = fraction(a)?;
        let feedback = r.feedback(a, format);
        if raw == "*" || raw.is_empty() {
            r.notes.push(Note::CatchAllLeftOut {
                line: Some(a.line),
                gap: None,
                number: true,
                with_feedback: false,
            });
            continue;
        }
        let value = Decimal::parse(&raw.replace(',', "."))
            .map_err(|_| at(a.line, Problem::NotANumber { text: raw.clone() }))?;
        let tolerance_raw = a.child_text("tolerance").unwrap_or_else(|| "0".into());
        let tolerance = Decimal::parse(&tolerance_raw.replace(',', ".")).map_err(|_| {
            at(
                a.line,
                Problem::NotANumber {
                    text: tolerance_raw.clone(),
                },
            )
        })?;
        if !(Decimal::ZERO..=FULL_CREDIT).contains(&credit) {
            return Err(at(
                a.line,
                Problem::WeightOutOfRange {
                    answer: value.to_string(),
                    weight: format!("{credit}%"),
                },
            ));
        }
        answers_out.push(NumericAnswer {
            value,
            tolerance,
            credit,
            feedback,
        });
    }
    let has_units = q
        .child("units")
        .is_some_and(|u| u.children_named("unit").next().is_some());
    if has_units {
        r.notes.push(Note::UnitsLeftOut);
    }
    let values = answers_out
        .iter()
        .map(lophoc_core::question::numeric_text)
        .collect();
    r.notes.insert(0, Note::Numerical { values });
    Ok(QuestionBody::Numerical {
        answers: answers_out,
    })
}

fn matching(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<QuestionBody, Fail> {
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for s in q.children_named("subquestion") {
        let left = r.plain(Some(s), format);
        let right = s
            .child("answer")
            .and_then(|a| a.child_text("text"))
            .unwrap_or_default();
        if right.is_empty() {
            if !left.is_empty() {
                return Err(at(s.line, Problem::NoMatch { item: left }));
            }
            continue;
        }
        if left.is_empty() {
            r.notes.push(Note::Distractor {
                line: None,
                item: right.clone(),
            });
            distractors.push(right);
        } else {
            pairs.push((left, right));
        }
    }
    r.notes.insert(0, Note::Matching { pairs: pairs.len() });
    Ok(QuestionBody::Matching { pairs, distractors })
}

fn ordering(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<QuestionBody, Fail> {
    let mut items = Vec::new();
    for a in answers(q) {
        let text = r.plain(Some(a), format);
        let position = fraction(a)?;
        items.push((position, text));
    }
    items.sort_by_key(|(p, _)| *p);
    if q.child_text("selecttype")
        .is_some_and(|s| !(s.is_empty() || s == "ALL" || s == "0"))
    {
        r.notes.push(Note::SubsetShownAll);
    }
    if q.child_text("gradingtype")
        .is_some_and(|g| !(g.is_empty() || g == "ABSOLUTE_POSITION" || g == "0"))
    {
        r.notes.push(Note::GradingTypeLeftOut);
    }
    r.notes.insert(0, Note::Ordering { items: items.len() });
    Ok(QuestionBody::Ordering {
        items: items.into_iter().map(|(_, t)| t).collect(),
    })
}

/// An essay: its rubric from Lophoc's grader information, else one
/// criterion worth the default mark; 0 marks make it an opinion question.
fn essay(q: &Element, format: &str, r: &mut Reader<'_>) -> Result<(QuestionBody, u32), Fail> {
    let raw = q.child_text("defaultgrade").unwrap_or_else(|| "1".into());
    if Decimal::parse(&raw).is_ok_and(|d| d == Decimal::ZERO) {
        r.notes.insert(0, Note::Opinion);
        return Ok((QuestionBody::Opinion {}, 1));
    }
    let mut notes = Vec::new();
    let points = points(q, &mut notes)?;
    r.notes.extend(notes);
    let info = q
        .child("graderinfo")
        .and_then(|g| g.child_text("text"))
        .unwrap_or_default();
    let info_format = q
        .child("graderinfo")
        .and_then(|g| g.attr("format"))
        .unwrap_or(format);
    if let Some(rubric) = read_rubric(&info) {
        r.notes.insert(
            0,
            Note::RubricKept {
                criteria: rubric.len(),
            },
        );
        return Ok((QuestionBody::Essay { rubric }, points));
    }
    let description = Some(r.plain_text(&info, info_format))
        .filter(|d| !d.is_empty())
        .map_or_else(
            || crate::import::DEFAULT_CRITERION.to_string(),
            |d| excerpt(&d),
        );
    r.notes.insert(
        0,
        Note::EssayOneCriterion {
            criterion: description.clone(),
            points,
        },
    );
    Ok((
        QuestionBody::Essay {
            rubric: vec![Criterion {
                id: "toan-bai".into(),
                description,
                max_points: points,
            }],
        },
        points,
    ))
}

/// Lophoc's rubric, written by the export as lines `- id (points): text`
/// after [`RUBRIC_HEADING`].
pub fn read_rubric(info: &str) -> Option<Vec<Criterion>> {
    let plain = if info.contains('<') {
        html_to_text(info).0
    } else {
        info.to_string()
    };
    let rest = plain.trim().strip_prefix(RUBRIC_HEADING)?;
    let mut rubric = Vec::new();
    for line in rest.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let line = line.strip_prefix("- ")?;
        let (id, rest) = line.split_once(" (")?;
        let (points, description) = rest.split_once("): ")?;
        rubric.push(Criterion {
            id: id.to_string(),
            description: description.replace("\\n", "\n"),
            max_points: points.parse().ok()?,
        });
    }
    (!rubric.is_empty()).then_some(rubric)
}

/// A cloze question: the text with `{1}`, `{2}`… where its subquestions
/// were, its gaps, and its points (`<defaultgrade>` when Lophoc wrote it,
/// else the sum of the weights, as Moodle counts them).
fn multianswer(q: &Element, r: &mut Reader<'_>) -> Result<(String, QuestionBody, u32), Fail> {
    let text_el = q.child("questiontext");
    let raw = text_el
        .and_then(|t| t.child_text("text"))
        .unwrap_or_default();
    let format = text_el.and_then(|t| t.attr("format")).unwrap_or("html");
    let (subs, bad) = cloze::find(&raw);
    if let Some(b) = bad.first() {
        return Err(b.problem.clone().into());
    }
    if subs.is_empty() {
        return Err(Fail::from(Problem::NoSubquestion));
    }
    // Replace each subquestion by a placeholder, read the text, then put
    // the gap markers in.
    let mut with_marks = String::new();
    let mut at = 0;
    for (i, s) in subs.iter().enumerate() {
        with_marks.push_str(&raw[at..s.start]);
        with_marks.push_str(&placeholder(i));
        at = s.end;
    }
    with_marks.push_str(&raw[at..]);
    if !lophoc_core::question::gap_markers(&with_marks, usize::MAX).is_empty() {
        return Err(Fail::from(Problem::MarkerInText));
    }
    let mut read = match format {
        "markdown" | "plain_text" | "wiki_like" => with_marks,
        "moodle_auto_format" => r.html(&with_marks.replace('\n', "<br>\n")),
        _ => r.html(&with_marks),
    };
    if let Some(el) = text_el {
        let files = r.files_of(el);
        read = r.images(&read, &files);
    }
    for i in 0..subs.len() {
        read = read.replace(&placeholder(i), &format!("{{{}}}", i + 1));
    }
    let mut gaps = Vec::new();
    for (i, s) in subs.iter().enumerate() {
        let n = i + 1;
        let gap = match s.kind {
            SubKind::ShortAnswer { case_sensitive } => {
                if case_sensitive {
                    r.notes.push(Note::CaseIgnored { gap: Some(n) });
                }
                let mut accepted = Vec::new();
                for a in &s.answers {
                    let (text, wildcard) = short_text(a.text.trim());
                    if a.text.trim() == "*" {
                        r.notes.push(Note::CatchAllLeftOut {
                            line: None,
                            gap: Some(n),
                            number: false,
                            with_feedback: false,
                        });
                        continue;
                    }
                    if wildcard {
                        r.notes.push(Note::Wildcard {
                            line: None,
                            gap: Some(n),
                            answer: text.clone(),
                        });
                    }
                    accepted.push(Accepted {
                        text,
                        credit: a.credit,
                        feedback: a
                            .feedback
                            .as_deref()
                            .map(|f| html_to_text(f).0)
                            .filter(|f| !f.is_empty()),
                    });
                }
                Gap::ShortAnswer {
                    accepted,
                    ignore_tone_marks: false,
                    weight: s.weight,
                }
            }
            SubKind::Numerical => {
                let mut answers = Vec::new();
                for a in &s.answers {
                    let Some((value, tolerance)) = cloze::numeric(&a.text) else {
                        if a.text.trim() == "*" {
                            r.notes.push(Note::CatchAllLeftOut {
                                line: None,
                                gap: Some(n),
                                number: true,
                                with_feedback: false,
                            });
                            continue;
                        }
                        return Err(Fail::from(Problem::NotANumber {
                            text: a.text.clone(),
                        }));
                    };
                    answers.push(NumericAnswer {
                        value,
                        tolerance,
                        credit: a.credit,
                        feedback: a
                            .feedback
                            .as_deref()
                            .map(|f| html_to_text(f).0)
                            .filter(|f| !f.is_empty()),
                    });
                }
                Gap::Numerical {
                    answers,
                    weight: s.weight,
                }
            }
            SubKind::Choice { dropdown } => {
                if !dropdown {
                    r.notes.push(Note::RadioAsDropDown { gap: n });
                }
                let mut partial = false;
                let options = s
                    .answers
                    .iter()
                    .enumerate()
                    .map(|(k, a)| {
                        if a.credit != FULL_CREDIT && a.credit != Decimal::ZERO {
                            partial = true;
                        }
                        Choice {
                            id: option_id(k),
                            text: html_to_text(&a.text).0,
                            correct: a.credit == FULL_CREDIT,
                            feedback: a
                                .feedback
                                .as_deref()
                                .map(|f| html_to_text(f).0)
                                .filter(|f| !f.is_empty()),
                        }
                    })
                    .collect();
                if partial {
                    r.notes.push(Note::DropDownPartialDropped { gap: n });
                }
                Gap::Choice {
                    options,
                    weight: s.weight,
                }
            }
            SubKind::MultiResponse => {
                return Err(Fail::from(Problem::Unsupported {
                    kind: "MULTIRESPONSE".into(),
                }))
            }
        };
        gaps.push(gap);
    }
    let total: u32 = subs.iter().map(|s| s.weight).sum();
    let mut notes = Vec::new();
    let points = if q.child("defaultgrade").is_some() {
        points(q, &mut notes)?
    } else {
        total.max(1)
    };
    r.notes.extend(notes);
    r.notes.insert(0, Note::FillBlanks { gaps: gaps.len() });
    Ok((read, QuestionBody::FillBlanks { gaps }, points))
}

/// Stands for subquestion `i` while the text around it is read; control
/// characters that neither HTML nor Markdown reading touches.
fn placeholder(i: usize) -> String {
    format!("\u{2}{i}\u{3}")
}
