//! GIFT import ([`parse_gift`](crate::gift::parse_gift)), as Moodle documents and
//! reads it (`question/format/gift/format.php`).
//!
//! Policy: a file reads as Moodle reads it (`readquestion` in Moodle's
//! `question/format/gift/format.php`, and the GIFT page of Moodle's
//! documentation): the same kinds from the same answer parts, the same
//! escapes, true/false feedback in Moodle's order, `// [id:…] [tag:…]`
//! comments as Moodle 4 reads them. Where Lophoc's model differs (partial
//! credit for multiple choice in equal shares, no rubric in GIFT, no
//! feedback for "any other number"), the question still imports and its
//! notes say what changed and on which line; a description (no answer part)
//! and anything malformed is a problem at its line.

use std::collections::BTreeSet;

use crate::html::html_to_markdown;
use crate::import::{default_rubric, excerpt, numbered_lines, option_id, Ids, DEFAULT_CRITERION};
use lophoc_core::note::{Blank, Note};
use lophoc_core::number::Decimal;
use lophoc_core::problem::Problem;
use lophoc_core::question::import::ImportReport;
use lophoc_core::question::{
    gap_markers, Accepted, Choice, Difficulty, Gap, NumericAnswer, Question, QuestionBody,
};

/// A weight of 100%, in the units weights are read in (1/100 000 of a
/// percent, the precision Moodle writes: `33.33333`).
pub(super) const FULL: i64 = 10_000_000;

/// How far (in weight units) from an exact equal share a weight may be and
/// still count as one: 0.01%.
const SHARE_TOLERANCE: i64 = 1_000;

/// Reads a GIFT file into an [`ImportReport`].
///
/// ```text
/// // Comments start a line with //.
/// $CATEGORY: $course$/top/Phòng chống tham nhũng
///
/// ::Câu 1::[markdown]Cơ quan nào có quyền lập hiến?{
///     ~Chính phủ#Chính phủ trình dự án luật.
///     =Quốc hội
///     ####Điều 69, Hiến pháp 2013.
/// }
/// ```
///
/// The answer part `{…}` decides the kind, in Moodle's order:
///
/// - `{~wrong =right}`, one or more `=`: **single choice**; per-answer
///   feedback (`#…`) is kept. A `~%50%` weight on a wrong answer is dropped
///   (noted): single choice is all or nothing.
/// - `{~%50%a ~%50%b ~%-100%c}`, `~` only: **multiple choice**; answers
///   with a positive weight are the correct options. Lophoc's partial credit
///   is equal shares (each correct option chosen earns `1/C` of the points,
///   each wrong one takes `1/C` away), so other weights are noted.
/// - `{T}`, `{TRUE}`, `{F}`, `{FALSE}`: **true/false**; as in Moodle,
///   `{T#a#b}` shows `a` to a wrong answer and `b` to a right one.
/// - `{=a =%50%b#feedback}` (or `{a}`): **short answer**; each answer keeps
///   its weight as its credit and its feedback. Tone marks must match
///   (`ignore_tone_marks` off, noted), as in Moodle.
/// - `{#1930}`, `{#3:2}` (value and tolerance), `{#1..5}` (a range, kept as
///   its middle and half-width, as Moodle does), `{#=1930 =%50%1929:1#…}`:
///   **numerical**, each value with its credit and feedback; Moodle's
///   feedback for any other number (`~#…`) has no Lophoc form (noted).
/// - `{=left -> right …}`: **matching**; a right item with no left item
///   is kept as a distractor.
/// - `{}`: **essay**, marked on a one-criterion rubric ("Toàn bài", 1 point)
///   for the lecturer to edit (noted).
/// - **Missing word** — text after the answer part: a single choice,
///   short answer or numerical answer part becomes a **fill in the blanks**
///   question with that one gap (`{1}` where the answer part was); any other
///   kind keeps its kind with `_____` in its text, as Moodle shows it.
/// - Descriptions (no `{…}`) are not questions: a problem each.
///
/// Everywhere: questions are separated by blank lines; lines starting with
/// `//` are ignored (they do not separate questions); `$CATEGORY: path`
/// sets the category of the questions after it and becomes one of their
/// tags (Moodle's `$course$/top/` prefix is dropped); `::title::` becomes
/// the id; `[markdown]`, `[moodle]`, `[plain]` and `[html]` before a text
/// are removed, and an `[html]` text becomes Markdown, its scripts and
/// frames dropped (noted; see [`super::html`]); `\~ \= \# \{ \} \: \\`
/// stand for the characters and `\n` for a new line; general feedback
/// (`####…` at the end of the answer part) becomes the explanation; a
/// `// [id:…]` comment before a question gives its id and `// [tag:…]` its
/// tags. GIFT has no points: each question is worth 1.
pub fn parse_gift(text: &str) -> ImportReport {
    let mut report = ImportReport::default();
    let mut ids = Ids::default();
    let mut category: Option<String> = None;
    let mut ordinal = 0;
    for (block, comments) in blocks(text) {
        let mut block = block.as_slice();
        if let Some((&(_, first), rest)) = block.split_first() {
            if let Some(path) = first.trim().strip_prefix("$CATEGORY:") {
                category = clean_category(path);
                block = rest;
            }
        }
        let Some(&(start, _)) = block.first() else {
            continue;
        };
        ordinal += 1;
        let chars = to_chars(block);
        let label = label_of(&chars);
        match read_question(&chars, start) {
            Err(Fail { line, problem }) => report.problem(line, &label, problem),
            Ok(read) => {
                let mut notes = read.notes;
                let (idnumber, comment_tags) = idnumber_and_tags(&comments);
                let named = idnumber.as_deref().or(read.title.as_deref());
                let id = ids.take(named, format!("gift-{ordinal}"));
                if let Some(idnumber) = &idnumber {
                    notes.insert(
                        0,
                        Note::IdFromComment {
                            idnumber: idnumber.clone(),
                            id: id.clone(),
                        },
                    );
                } else if let Some(title) = &read.title {
                    notes.insert(
                        0,
                        Note::IdFromTitle {
                            title: title.clone(),
                            id: id.clone(),
                        },
                    );
                }
                let mut tags = Vec::new();
                if let Some(category) = &category {
                    tags.push(category.clone());
                    notes.push(Note::CategoryKept {
                        category: category.clone(),
                    });
                }
                for tag in comment_tags {
                    if !tags.contains(&tag) {
                        notes.push(Note::TagKept { tag: tag.clone() });
                        tags.push(tag);
                    }
                }
                let question = Question {
                    id,
                    prompt: read.prompt,
                    points: 1,
                    difficulty: Difficulty::Medium,
                    tags,
                    explanation: read.explanation,
                    grader_note: None,
                    body: read.body,
                };
                report.add(start, question, category.clone(), notes, &label);
            }
        }
    }
    report
}

/// A question's lines, and the comment lines that came before or inside it.
type Block<'a> = (Vec<(usize, &'a str)>, Vec<&'a str>);

/// The questions of a file: runs of lines between blank lines, with their
/// line numbers, comment lines set apart (Moodle reads `[id:…]` and
/// `[tag:…]` in them).
fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut comments = Vec::new();
    for (n, line) in numbered_lines(text) {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            comments.push(trimmed);
            continue;
        }
        if trimmed.is_empty() {
            if !current.is_empty() {
                out.push((std::mem::take(&mut current), std::mem::take(&mut comments)));
            }
        } else {
            current.push((n, line));
        }
    }
    if !current.is_empty() {
        out.push((current, comments));
    }
    out
}

/// The first `[id:…]` and every `[tag:…]` in comment lines, `\]` standing
/// for `]`, as Moodle 4's `extract_idnumber_and_tags_from_comment` reads
/// them.
fn idnumber_and_tags(comments: &[&str]) -> (Option<String>, Vec<String>) {
    let mut id = None;
    let mut tags = Vec::new();
    for comment in comments {
        let mut rest = *comment;
        while let Some(start) = rest.find('[') {
            let after = &rest[start + 1..];
            let (key, body) = if let Some(b) = after.strip_prefix("id:") {
                ("id", b)
            } else if let Some(b) = after.strip_prefix("tag:") {
                ("tag", b)
            } else {
                rest = after;
                continue;
            };
            let mut value = String::new();
            let mut chars = body.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' if body[i + 1..].starts_with(']') => {
                        value.push(']');
                        chars.next();
                    }
                    ']' => {
                        end = Some(i);
                        break;
                    }
                    c => value.push(c),
                }
            }
            let Some(end) = end else { break };
            let value = value.trim().to_string();
            if !value.is_empty() {
                if key == "id" {
                    id.get_or_insert(value);
                } else {
                    tags.push(value);
                }
            }
            rest = &body[end + 1..];
        }
    }
    (id, tags)
}

/// A category path without Moodle's context prefix (`$course$/`…) and
/// `top` level; `None` for the top category. Moodle XML's category paths
/// are read the same way.
pub fn clean_category(path: &str) -> Option<String> {
    let mut p = path.trim();
    if let Some(after_dollar) = p.strip_prefix('$') {
        if let Some(end) = after_dollar.find('$') {
            let after = &after_dollar[end + 1..];
            p = after.strip_prefix('/').unwrap_or(after);
        }
    }
    if p == "top" {
        p = "";
    } else if let Some(rest) = p.strip_prefix("top/") {
        p = rest;
    }
    let p = p.trim_matches('/').trim();
    (!p.is_empty()).then(|| p.to_string())
}

/// A character of a question, after escapes, with its line.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    /// Written with a backslash: never a control character.
    escaped: bool,
    line: usize,
}

impl Ch {
    /// True for the control character `c`, not escaped.
    fn is(self, c: char) -> bool {
        !self.escaped && self.c == c
    }
}

/// A question's lines as one run of characters, joined by new lines, with
/// escapes resolved.
fn to_chars(lines: &[(usize, &str)]) -> Vec<Ch> {
    let mut out = Vec::new();
    for (i, &(line, text)) in lines.iter().enumerate() {
        if i > 0 {
            out.push(Ch {
                c: '\n',
                escaped: false,
                line,
            });
        }
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let escaped = match (c, chars.peek()) {
                ('\\', Some(&e @ ('\\' | ':' | '#' | '=' | '{' | '}' | '~'))) => Some(e),
                ('\\', Some('n')) => Some('\n'),
                _ => None,
            };
            if let Some(e) = escaped {
                chars.next();
                out.push(Ch {
                    c: e,
                    escaped: true,
                    line,
                });
            } else {
                out.push(Ch {
                    c,
                    escaped: false,
                    line,
                });
            }
        }
    }
    out
}

type S<'a> = &'a [Ch];

fn trim(s: S<'_>) -> S<'_> {
    let start = s
        .iter()
        .position(|c| !c.c.is_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|c| !c.c.is_whitespace())
        .map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or_default()
}

fn text(s: S<'_>) -> String {
    s.iter().map(|c| c.c).collect()
}

fn find(s: S<'_>, c: char) -> Option<usize> {
    s.iter().position(|x| x.is(c))
}

fn matches_at(s: S<'_>, at: usize, pattern: &str) -> bool {
    let mut i = at;
    for p in pattern.chars() {
        match s.get(i) {
            Some(c) if c.is(p) => i += 1,
            _ => return false,
        }
    }
    true
}

/// The first unescaped `pattern` at or after `from`.
fn find_seq(s: S<'_>, pattern: &str, from: usize) -> Option<usize> {
    (from..s.len()).find(|&i| matches_at(s, i, pattern))
}

/// The last unescaped `pattern`.
fn rfind_seq(s: S<'_>, pattern: &str) -> Option<usize> {
    (0..s.len()).rev().find(|&i| matches_at(s, i, pattern))
}

/// `s` before and after its first unescaped `c`.
fn split_once(s: S<'_>, c: char) -> (S<'_>, Option<S<'_>>) {
    match find(s, c) {
        Some(i) => (&s[..i], s.get(i + 1..)),
        None => (s, None),
    }
}

/// The text before the first marker, then each marker with the text up to
/// the next one.
fn pieces<'a>(s: S<'a>, markers: &[char]) -> (S<'a>, Vec<(Ch, S<'a>)>) {
    let at: Vec<usize> = (0..s.len())
        .filter(|&i| markers.iter().any(|&m| s[i].is(m)))
        .collect();
    let before = &s[..at.first().copied().unwrap_or(s.len())];
    let parts = at
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let end = at.get(k + 1).copied().unwrap_or(s.len());
            (s[i], &s[i + 1..end])
        })
        .collect();
    (before, parts)
}

fn line_of(s: S<'_>, default: usize) -> usize {
    s.first().map_or(default, |c| c.line)
}

/// How to name a question in a problem: its title, or the start of its text.
fn label_of(s: S<'_>) -> String {
    let mut s = trim(s);
    if matches_at(s, 0, "::") {
        if let Some(end) = find_seq(s, "::", 2) {
            let title = text(trim(&s[2..end]));
            if !title.trim().is_empty() {
                return excerpt(&title);
            }
            s = trim(&s[end + 2..]);
        }
    }
    let before_answers = excerpt(&text(&s[..find(s, '{').unwrap_or(s.len())]));
    if before_answers.is_empty() {
        excerpt(&text(s))
    } else {
        before_answers
    }
}

/// Why a question was not imported, and where.
struct Fail {
    line: usize,
    problem: Problem,
}

fn fail<T>(line: usize, problem: Problem) -> Result<T, Fail> {
    Err(Fail { line, problem })
}

/// A question as read, before it gets its id.
struct Read {
    title: Option<String>,
    prompt: String,
    explanation: Option<String>,
    body: QuestionBody,
    notes: Vec<Note>,
}

/// The text formats GIFT names in `[…]` before a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Moodle,
    Html,
    Plain,
    Markdown,
}

/// What reading one question's texts found, for its notes.
#[derive(Default)]
struct Texts {
    /// Lines of `[html]` texts rewritten as Markdown.
    html_lines: BTreeSet<usize>,
    /// Elements dropped from `[html]` texts with their content.
    dropped: Vec<String>,
}

impl Texts {
    /// The text of `s` without its format marker (if any, else in `default`
    /// format), trimmed; an `[html]` text loses its tags.
    fn read(&mut self, s: S<'_>, default: Format) -> (String, Format) {
        let s = trim(s);
        let mut format = default;
        let mut body = s;
        if s.first().is_some_and(|c| c.is('[')) {
            if let Some(end) = find(s, ']') {
                let named = match text(&s[1..end]).as_str() {
                    "moodle" => Some(Format::Moodle),
                    "html" => Some(Format::Html),
                    "plain" => Some(Format::Plain),
                    "markdown" => Some(Format::Markdown),
                    _ => None,
                };
                if let Some(named) = named {
                    format = named;
                    body = trim(&s[end + 1..]);
                }
            }
        }
        let raw = text(body);
        if format == Format::Html {
            let read = html_to_markdown(&raw);
            if read.markdown != raw {
                self.html_lines.insert(line_of(s, 0));
            }
            for d in read.dropped {
                if !self.dropped.contains(&d) {
                    self.dropped.push(d);
                }
            }
            (read.markdown, format)
        } else {
            (raw, format)
        }
    }

    /// Like [`read`](Self::read), `None` for an empty text.
    fn optional(&mut self, s: Option<S<'_>>, default: Format) -> Option<String> {
        s.map(|s| self.read(s, default).0).filter(|t| !t.is_empty())
    }
}

fn read_question(all: S<'_>, start: usize) -> Result<Read, Fail> {
    let mut s = trim(all);
    let mut title = None;
    if matches_at(s, 0, "::") {
        let Some(end) = find_seq(s, "::", 2) else {
            return fail(start, Problem::TitleOpen);
        };
        title = Some(text(trim(&s[2..end]))).filter(|t| !t.trim().is_empty());
        s = trim(&s[end + 2..]);
    }
    let (open, close) = match (find(s, '{'), find(s, '}')) {
        (None, None) => return fail(start, Problem::NoAnswerPart),
        (Some(o), None) => return fail(s[o].line, Problem::BraceOpen),
        (None, Some(c)) => return fail(s[c].line, Problem::BraceStray),
        (Some(o), Some(c)) if c < o => return fail(s[c].line, Problem::BraceStray),
        (Some(o), Some(c)) => (o, c),
    };
    if let Some(i) = find(&s[open + 1..close], '{') {
        return fail(
            s[open + 1 + i].line,
            Problem::NestedBrace {
                opened: s[open].line,
            },
        );
    }
    let after_part = &s[close + 1..];
    if let Some(extra) = after_part.iter().find(|c| c.is('{') || c.is('}')) {
        return fail(
            extra.line,
            if extra.c == '{' {
                Problem::SecondAnswerPart
            } else {
                Problem::BraceStray
            },
        );
    }
    // Missing word: text after the answer part (Moodle puts "_____" where
    // the answer part was).
    let missing_word = !trim(after_part).is_empty();

    let mut texts = Texts::default();
    let mut notes = Vec::new();
    let (prompt, format) = if missing_word {
        // The whole text, with a marker where the answer part was; the
        // format marker, if any, opens the text before it.
        let mut whole: Vec<Ch> = s[..open].to_vec();
        whole.extend(GAP_PLACEHOLDER.chars().map(|c| Ch {
            c,
            escaped: true,
            line: s[open].line,
        }));
        whole.extend_from_slice(after_part);
        texts.read(&whole, Format::Moodle)
    } else {
        texts.read(&s[..open], Format::Moodle)
    };
    if missing_word && prompt.matches(GAP_PLACEHOLDER).count() != 1 {
        return fail(start, Problem::TextUnreadable);
    }
    if missing_word && !gap_markers(&prompt, usize::MAX).is_empty() {
        return fail(start, Problem::MarkerInText);
    }
    let inner = &s[open + 1..close];
    let (answers, explanation) = match rfind_seq(inner, "####") {
        Some(i) => (
            trim(&inner[..i]),
            texts.optional(inner.get(i + 4..), format),
        ),
        None => (trim(inner), None),
    };
    let body = if answers.is_empty() {
        notes.push(Note::EssayOneCriterion {
            criterion: DEFAULT_CRITERION.to_string(),
            points: 1,
        });
        QuestionBody::Essay {
            rubric: default_rubric(),
        }
    } else if answers[0].is('#') {
        numerical(&answers[1..], start, format, &mut texts, &mut notes)?
    } else if answers.iter().any(|c| c.is('~')) {
        choice(answers, format, &mut texts, &mut notes)?
    } else if answers.iter().any(|c| c.is('=')) && find_seq(answers, "->", 0).is_some() {
        matching(answers, format, &mut texts, &mut notes)?
    } else if let Some((answer, wrong, right)) = true_false(answers) {
        let wrong = texts.optional(wrong, format);
        let right = texts.optional(right, format);
        let (feedback_true, feedback_false) = if answer {
            (right, wrong)
        } else {
            (wrong, right)
        };
        notes.push(Note::TrueFalse { answer });
        for (value, feedback) in [(true, &feedback_true), (false, &feedback_false)] {
            if feedback.is_some() {
                notes.push(Note::TrueFalseFeedbackKept { answer: value });
            }
        }
        QuestionBody::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        }
    } else {
        short_answer(answers, start, format, &mut texts, &mut notes)?
    };
    let (prompt, body) = if missing_word {
        missing_word_body(prompt, body, &mut notes)
    } else {
        (prompt, body)
    };
    if explanation.is_some() {
        notes.push(Note::GeneralFeedbackKept {
            marker: Some("####".to_string()),
        });
    }
    if !texts.html_lines.is_empty() {
        notes.push(Note::HtmlAsMarkdown {
            lines: texts.html_lines.iter().copied().collect(),
        });
    }
    if !texts.dropped.is_empty() {
        notes.push(Note::HtmlDropped {
            elements: texts.dropped.clone(),
        });
    }
    Ok(Read {
        title,
        prompt,
        explanation,
        body,
        notes,
    })
}

/// Stands for the answer part in a missing-word text while it is read;
/// made of escaped characters, so no GIFT syntax can produce it.
const GAP_PLACEHOLDER: &str = "\u{1}GAP\u{1}";

/// A missing-word question: one with a single drop-down, a short answer or
/// a number becomes a fill-in with that gap; any other keeps its kind with
/// Moodle's `_____` in the text.
fn missing_word_body(
    prompt: String,
    body: QuestionBody,
    notes: &mut Vec<Note>,
) -> (String, QuestionBody) {
    let gap = match body {
        QuestionBody::SingleChoice { options } => Gap::Choice { options, weight: 1 },
        QuestionBody::ShortAnswer {
            accepted,
            ignore_tone_marks,
        } => Gap::ShortAnswer {
            accepted,
            ignore_tone_marks,
            weight: 1,
        },
        QuestionBody::Numerical { answers } => Gap::Numerical { answers, weight: 1 },
        other => {
            notes.push(Note::MissingWordUnderscores);
            return (prompt.replace(GAP_PLACEHOLDER, "_____"), other);
        }
    };
    let blank = match gap {
        Gap::Choice { .. } => Blank::Choice,
        Gap::ShortAnswer { .. } => Blank::Text,
        Gap::Numerical { .. } => Blank::Number,
    };
    notes.insert(0, Note::MissingWordGap { blank });
    (
        prompt.replace(GAP_PLACEHOLDER, "{1}"),
        QuestionBody::FillBlanks { gaps: vec![gap] },
    )
}

/// Text before the first answer marker, which GIFT does not allow here.
fn nothing_before(before: S<'_>, answers: S<'_>, pairs: bool) -> Result<(), Fail> {
    let before = trim(before);
    if before.is_empty() {
        Ok(())
    } else {
        fail(
            line_of(before, line_of(answers, 0)),
            Problem::TextBeforeAnswers {
                text: excerpt(&text(before)),
                pairs,
            },
        )
    }
}

fn choice(
    answers: S<'_>,
    format: Format,
    texts: &mut Texts,
    notes: &mut Vec<Note>,
) -> Result<QuestionBody, Fail> {
    let (before, parts) = pieces(answers, &['~', '=']);
    nothing_before(before, answers, false)?;
    let single = parts.iter().any(|(m, _)| m.c == '=');
    let mut options = Vec::new();
    let mut weights = Vec::new();
    for (i, &(marker, part)) in parts.iter().enumerate() {
        let id = option_id(i);
        let part = trim(part);
        let (w, part) = match marker.c {
            '~' => weight(part).unwrap_or((0, part)),
            _ => (FULL, part),
        };
        let (option, feedback) = split_once(part, '#');
        let (option, _) = texts.read(option, format);
        if option.is_empty() {
            return fail(
                marker.line,
                Problem::OptionNoText {
                    option: id.to_string(),
                    marker: Some(marker.c.to_string()),
                },
            );
        }
        let feedback = texts.optional(feedback, format);
        if feedback.is_some() {
            notes.push(Note::OptionFeedbackKept { option: id.clone() });
        }
        if single && marker.c == '~' && w != 0 {
            notes.push(Note::SingleWeightDropped {
                line: Some(marker.line),
                option: id.clone(),
                weight: format_weight(w),
            });
        }
        options.push(Choice {
            id,
            text: option,
            correct: if single { marker.c == '=' } else { w > 0 },
            feedback,
        });
        weights.push(w);
    }
    let correct = options.iter().filter(|o| o.correct).count();
    notes.insert(0, crate::import::choice_note(single, &options));
    let c = i64::try_from(correct).unwrap_or(i64::MAX);
    // Weights are at most 10^11 units: no overflow.
    let equal_share = |w: i64| (w.abs() * c - FULL).abs() <= SHARE_TOLERANCE * c;
    if !single && c > 0 && !weights.iter().all(|&w| equal_share(w)) {
        let first = parts.first().map_or(0, |p| p.0.line);
        let last = parts.last().map_or(0, |p| p.0.line);
        notes.push(Note::UnequalShares {
            lines: Some((first, last)),
            weights: weights.iter().map(|&w| format_weight(w)).collect(),
            correct,
        });
    }
    Ok(if single {
        QuestionBody::SingleChoice { options }
    } else {
        QuestionBody::MultipleChoice { options }
    })
}

/// A weight `%50%` (or `%-33.33333%`) at the start of `s`, in units of
/// 1/100 000 of a percent, and the rest of `s`.
fn weight(s: S<'_>) -> Option<(i64, S<'_>)> {
    let digit = |i: usize| {
        s.get(i)
            .filter(|c| !c.escaped)
            .and_then(|c| c.c.to_digit(10))
            .map(i64::from)
    };
    if !s.first()?.is('%') {
        return None;
    }
    let mut i = 1;
    let mut negative = false;
    while s.get(i)?.is('-') {
        negative = true;
        i += 1;
    }
    let mut whole: i64 = 0;
    let int_start = i;
    while let Some(d) = digit(i) {
        if i - int_start >= 6 {
            return None;
        }
        whole = whole * 10 + d;
        i += 1;
    }
    if i == int_start {
        return None;
    }
    let mut fraction: i64 = 0;
    if s.get(i)?.is('.') {
        i += 1;
        let mut scale = FULL / 100;
        while let Some(d) = digit(i) {
            scale /= 10;
            fraction += d * scale;
            i += 1;
        }
    }
    if !s.get(i)?.is('%') {
        return None;
    }
    let w = whole * (FULL / 100) + fraction;
    Some((if negative { -w } else { w }, s.get(i + 1..)?))
}

/// A weight as GIFT writes it: `50%`, `33.33333%`, `-100%`.
pub(super) fn format_weight(units: i64) -> String {
    let per_percent = FULL / 100;
    let sign = if units < 0 { "-" } else { "" };
    let units = units.abs();
    let fraction = format!("{:05}", units % per_percent);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{}%", units / per_percent)
    } else {
        format!("{sign}{}.{fraction}%", units / per_percent)
    }
}

fn matching(
    answers: S<'_>,
    format: Format,
    texts: &mut Texts,
    notes: &mut Vec<Note>,
) -> Result<QuestionBody, Fail> {
    let (before, parts) = pieces(answers, &['=']);
    nothing_before(before, answers, true)?;
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for &(marker, part) in &parts {
        let Some(arrow) = find_seq(part, "->", 0) else {
            return fail(
                marker.line,
                Problem::PairNoArrow {
                    pair: excerpt(&text(trim(part))),
                },
            );
        };
        let (left, _) = texts.read(&part[..arrow], format);
        let right = text(trim(&part[arrow + 2..]));
        if right.is_empty() {
            return fail(marker.line, Problem::PairNoRight);
        }
        if left.is_empty() {
            notes.push(Note::Distractor {
                line: Some(marker.line),
                item: right.clone(),
            });
            distractors.push(right);
            continue;
        }
        pairs.push((left, right));
    }
    notes.insert(0, Note::Matching { pairs: pairs.len() });
    Ok(QuestionBody::Matching { pairs, distractors })
}

/// `T`, `TRUE`, `F` or `FALSE`, then the feedback for a wrong and for a
/// right answer (Moodle's order).
fn true_false(answers: S<'_>) -> Option<(bool, Option<S<'_>>, Option<S<'_>>)> {
    let (head, rest) = split_once(answers, '#');
    let value = match text(trim(head)).as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return None,
    };
    let (wrong, right) = match rest {
        Some(rest) => {
            let (wrong, right) = split_once(rest, '#');
            (Some(wrong), right)
        }
        None => (None, None),
    };
    Some((value, wrong, right))
}

fn short_answer(
    answers: S<'_>,
    start: usize,
    format: Format,
    texts: &mut Texts,
    notes: &mut Vec<Note>,
) -> Result<QuestionBody, Fail> {
    let (before, parts) = pieces(answers, &['=']);
    // As in Moodle, text before the first = is an answer too: `{tham nhũng}`.
    let mut all = Vec::new();
    if !trim(before).is_empty() {
        all.push((line_of(trim(before), start), before));
    }
    all.extend(parts.iter().map(|&(m, part)| (m.line, part)));
    let mut accepted = Vec::new();
    for (line, part) in all {
        let part = trim(part);
        let (w, part) = weight(part).unwrap_or((FULL, part));
        let (answer, feedback) = split_once(part, '#');
        let (answer, _) = texts.read(answer, format);
        if answer.is_empty() {
            return fail(line, Problem::EmptyAfterMarker { marker: "=".into() });
        }
        let feedback = texts.optional(feedback, format);
        if feedback.is_some() {
            notes.push(Note::AnswerFeedbackKept {
                line: Some(line),
                answer: answer.clone(),
            });
        }
        if !(0..=FULL).contains(&w) {
            return fail(
                line,
                Problem::WeightOutOfRange {
                    answer: answer.clone(),
                    weight: format_weight(w),
                },
            );
        }
        if w != FULL {
            notes.push(Note::AnswerCredit {
                line: Some(line),
                answer: answer.clone(),
                credit: format_weight(w),
            });
        }
        accepted.push(Accepted {
            text: answer,
            credit: credit_of(w),
            feedback,
        });
    }
    if !accepted
        .iter()
        .any(|a| a.credit == lophoc_core::question::FULL_CREDIT)
    {
        return fail(start, Problem::NoFullWeight);
    }
    let listed: Vec<String> = accepted
        .iter()
        .filter(|a| a.credit == lophoc_core::question::FULL_CREDIT)
        .map(|a| a.text.clone())
        .collect();
    notes.insert(0, Note::ShortAnswer { accepted: listed });
    notes.push(Note::ToneMarksMustMatch);
    Ok(QuestionBody::ShortAnswer {
        accepted,
        ignore_tone_marks: false,
    })
}

/// A weight in units (see [`FULL`]) as a credit in percent.
pub(super) fn credit_of(units: i64) -> Decimal {
    credit_of_weight(units)
}

/// A weight in 1/100 000 of a percent (Moodle's precision) as a credit in
/// percent.
pub fn credit_of_weight(units: i64) -> Decimal {
    // 10^5 units per percent: five decimals, exactly.
    Decimal::from_parts(units, 5).unwrap_or(Decimal::ZERO)
}

/// A credit in percent as weight units, if it has at most five decimals.
pub(super) fn units_of(credit: Decimal) -> Option<i64> {
    let units = credit.units() / (Decimal::UNITS_PER_ONE / 100_000);
    (units * (Decimal::UNITS_PER_ONE / 100_000) == credit.units())
        .then(|| i64::try_from(units).ok())
        .flatten()
}

/// `{#…}`: the part after `#`, as Moodle reads it: an optional `~…` part
/// (feedback for any other number, noted and left out), then answers
/// split at `=`, each with an optional `%weight%`, `value`, `value:tolerance`
/// or `min..max`, and `#feedback`.
fn numerical(
    answers: S<'_>,
    start: usize,
    format: Format,
    texts: &mut Texts,
    notes: &mut Vec<Note>,
) -> Result<QuestionBody, Fail> {
    let (answers, other) = match find(answers, '~') {
        Some(i) => (&answers[..i], Some(&answers[i..])),
        None => (answers, None),
    };
    if let Some(other) = other {
        let (_, feedback) = split_once(&other[1..], '#');
        if let Some(feedback) = texts.optional(feedback, format) {
            notes.push(Note::OtherNumberFeedbackLeftOut {
                line: line_of(other, start),
                feedback: excerpt(&feedback),
            });
        }
    }
    let (before, parts) = pieces(answers, &['=']);
    let mut all = Vec::new();
    if !trim(before).is_empty() {
        all.push((line_of(trim(before), start), before));
    }
    all.extend(parts.iter().map(|&(m, part)| (m.line, part)));
    if all.is_empty() {
        return fail(start, Problem::NoNumber);
    }
    let mut out = Vec::new();
    for (line, part) in all {
        let part = trim(part);
        let (w, part) = weight(part).unwrap_or((FULL, part));
        let (value, feedback) = split_once(part, '#');
        let value = text(trim(value));
        let feedback = texts.optional(feedback, format);
        let number = |t: &str| {
            Decimal::parse(t).map_err(|_| Fail {
                line,
                problem: Problem::NotANumber {
                    text: t.to_string(),
                },
            })
        };
        let (value, tolerance) = if let Some((min, max)) = value.split_once("..") {
            let (min, max) = (number(min.trim())?, number(max.trim())?);
            if max < min {
                return fail(
                    line,
                    Problem::RangeBackwards {
                        min: min.to_string(),
                        max: max.to_string(),
                    },
                );
            }
            let middle = min.checked_add(max).map(Decimal::half);
            let half = max.checked_sub(min).map(Decimal::half);
            match (middle, half) {
                (Some(m), Some(h)) => (m, h),
                _ => return fail(line, Problem::RangeTooWide),
            }
        } else if let Some((v, t)) = value.split_once(':') {
            (number(v.trim())?, number(t.trim())?)
        } else {
            (number(&value)?, Decimal::ZERO)
        };
        if tolerance.is_negative() {
            return fail(
                line,
                Problem::ToleranceNegative {
                    tolerance: tolerance.to_string(),
                },
            );
        }
        if !(0..=FULL).contains(&w) {
            return fail(
                line,
                Problem::WeightOutOfRange {
                    answer: value.to_string(),
                    weight: format_weight(w),
                },
            );
        }
        if feedback.is_some() {
            notes.push(Note::ValueFeedbackKept {
                line,
                value: value.to_string(),
            });
        }
        out.push(NumericAnswer {
            value,
            tolerance,
            credit: credit_of(w),
            feedback,
        });
    }
    if !out
        .iter()
        .any(|a| a.credit == lophoc_core::question::FULL_CREDIT)
    {
        return fail(start, Problem::NoFullWeight);
    }
    let values = out
        .iter()
        .map(lophoc_core::question::numeric_text)
        .collect();
    notes.insert(0, Note::Numerical { values });
    Ok(QuestionBody::Numerical { answers: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(report: &ImportReport) -> Vec<(usize, Problem)> {
        report
            .problems
            .iter()
            .map(|p| (p.line, p.problem.clone()))
            .collect()
    }

    fn only(text: &str) -> lophoc_core::question::import::ImportedQuestion {
        let report = parse_gift(text);
        assert!(report.is_clean(), "{:?}", report.problems);
        assert_eq!(report.questions.len(), 1);
        report.questions.into_iter().next().unwrap()
    }

    /// A question's notes, as codes.
    fn notes(q: &lophoc_core::question::import::ImportedQuestion) -> Vec<Note> {
        q.notes.iter().map(|n| n.note.clone()).collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|i| i.to_string()).collect()
    }

    fn choices(body: &QuestionBody) -> Vec<(&str, &str, bool, Option<&str>)> {
        match body {
            QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
                options
                    .iter()
                    .map(|o| {
                        (
                            o.id.as_str(),
                            o.text.as_str(),
                            o.correct,
                            o.feedback.as_deref(),
                        )
                    })
                    .collect()
            }
            other => panic!("not a choice: {other:?}"),
        }
    }

    const BANK: &str = r#"// Ngân hàng câu hỏi: Phòng chống tham nhũng
// (xuất từ Moodle)
$CATEGORY: $course$/top/Phòng chống tham nhũng

// question: 1  name: Câu 1
::Câu 1::[markdown]Theo **Hiến pháp 2013**, cơ quan nào có quyền lập hiến?{
	~Chính phủ#Chính phủ trình dự án luật, không lập hiến.
	=Quốc hội#Đúng: Điều 69.
	~Chủ tịch nước
	####Xem Điều 69 Hiến pháp 2013.
}

::Câu 2::Những hành vi nào là tham nhũng?{
	~%50%Tham ô tài sản
	~%50%Nhận hối lộ
	~%-100%Đi họp muộn#Vi phạm kỷ luật, không phải tham nhũng.
}

Cán bộ được nhận quà dưới 500.000 đồng từ người có liên quan đến công việc mình giải quyết.{F#Sai: Điều 22 cấm nhận.#Đúng, không được nhận.}

Luật Phòng, chống tham nhũng hiện hành được Quốc hội thông qua năm nào? Ghi tên luật\: {=Luật Phòng, chống tham nhũng 2018 =Luật PCTN 2018}

$CATEGORY: Dân vận
Ghép nguyên tắc với nội dung.{
	=Dân biết -> Công khai thông tin
	=Dân bàn -> Lấy ý kiến nhân dân
	=Dân kiểm tra -> Giám sát cán bộ
}

::Tình huống::[html]<p>Trình bày cách xử lý khi <b>được biếu quà</b>&nbsp;&amp; phong bì.</p>{
####<i>Nêu căn cứ pháp lý.</i>}
"#;

    #[test]
    fn reads_each_kind_gift_and_lophoc_share() {
        let report = parse_gift(BANK);
        assert!(report.is_clean(), "{:?}", report.problems);
        let at: Vec<(usize, &str)> = report
            .questions
            .iter()
            .map(|q| (q.line, q.id.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                (6, "cau-1"),
                (13, "cau-2"),
                (19, "gift-3"),
                (21, "gift-4"),
                (24, "gift-5"),
                (30, "tinh-huong"),
            ]
        );
        let q = |i: usize| &report.questions[i];

        let single = &q(0).question;
        assert_eq!(
            single.prompt,
            "Theo **Hiến pháp 2013**, cơ quan nào có quyền lập hiến?"
        );
        assert_eq!(
            choices(&single.body),
            [
                (
                    "a",
                    "Chính phủ",
                    false,
                    Some("Chính phủ trình dự án luật, không lập hiến.")
                ),
                ("b", "Quốc hội", true, Some("Đúng: Điều 69.")),
                ("c", "Chủ tịch nước", false, None),
            ]
        );
        assert!(matches!(single.body, QuestionBody::SingleChoice { .. }));
        assert_eq!(
            single.explanation.as_deref(),
            Some("Xem Điều 69 Hiến pháp 2013.")
        );
        assert_eq!(
            notes(q(0)),
            [
                Note::IdFromTitle {
                    title: "Câu 1".into(),
                    id: "cau-1".into()
                },
                Note::Choice {
                    single: true,
                    options: 3,
                    correct: strings(&["b"])
                },
                Note::OptionFeedbackKept { option: "a".into() },
                Note::OptionFeedbackKept { option: "b".into() },
                Note::GeneralFeedbackKept {
                    marker: Some("####".into())
                },
                Note::CategoryKept {
                    category: "Phòng chống tham nhũng".into()
                },
            ]
        );
        assert_eq!(
            q(0).notes[0].text_en,
            "The id “cau-1” comes from the title “Câu 1”."
        );
        assert_eq!(q(0).category.as_deref(), Some("Phòng chống tham nhũng"));
        assert_eq!(single.tags, ["Phòng chống tham nhũng"]);
        assert_eq!((single.points, single.difficulty), (1, Difficulty::Medium));

        // Moodle's usual penalty of 100% is not Lophoc's one share: noted.
        let multiple = &q(1).question;
        assert!(matches!(multiple.body, QuestionBody::MultipleChoice { .. }));
        assert_eq!(
            choices(&multiple.body),
            [
                ("a", "Tham ô tài sản", true, None),
                ("b", "Nhận hối lộ", true, None),
                (
                    "c",
                    "Đi họp muộn",
                    false,
                    Some("Vi phạm kỷ luật, không phải tham nhũng.")
                ),
            ]
        );
        assert!(notes(q(1)).contains(&Note::UnequalShares {
            lines: Some((14, 16)),
            weights: strings(&["50%", "50%", "-100%"]),
            correct: 2,
        }));

        assert_eq!(
            q(2).question.body,
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: Some("Sai: Điều 22 cấm nhận.".into()),
                feedback_false: Some("Đúng, không được nhận.".into()),
            }
        );

        let short = &q(3).question;
        assert_eq!(
            short.prompt,
            "Luật Phòng, chống tham nhũng hiện hành được Quốc hội thông qua năm nào? \
             Ghi tên luật:"
        );
        assert_eq!(
            short.body,
            QuestionBody::ShortAnswer {
                accepted: vec![
                    "Luật Phòng, chống tham nhũng 2018".into(),
                    "Luật PCTN 2018".into()
                ],
                ignore_tone_marks: false,
            }
        );
        assert!(notes(q(3)).contains(&Note::ToneMarksMustMatch));

        let matching = &q(4);
        assert_eq!(
            matching.question.body,
            QuestionBody::Matching {
                distractors: vec![],
                pairs: vec![
                    ("Dân biết".into(), "Công khai thông tin".into()),
                    ("Dân bàn".into(), "Lấy ý kiến nhân dân".into()),
                    ("Dân kiểm tra".into(), "Giám sát cán bộ".into()),
                ]
            }
        );
        assert_eq!(matching.category.as_deref(), Some("Dân vận"));
        assert_eq!(matching.question.tags, ["Dân vận"]);

        let essay = &q(5);
        assert_eq!(
            essay.question.prompt,
            "Trình bày cách xử lý khi **được biếu quà** & phong bì."
        );
        assert_eq!(
            essay.question.explanation.as_deref(),
            Some("*Nêu căn cứ pháp lý.*")
        );
        assert_eq!(
            essay.question.body,
            QuestionBody::Essay {
                rubric: default_rubric()
            }
        );
        assert!(notes(essay).contains(&Note::EssayOneCriterion {
            criterion: DEFAULT_CRITERION.into(),
            points: 1
        }));
        assert!(notes(essay).contains(&Note::HtmlAsMarkdown {
            lines: vec![30, 31]
        }));
        assert!(essay.notes.iter().any(|n| n.text_en
            == "Lines 30, 31: The [html] text was rewritten as Markdown (Lophoc texts are Markdown)."));
    }

    #[test]
    fn windows_line_ends_read_the_same() {
        assert_eq!(parse_gift(&BANK.replace('\n', "\r\n")), parse_gift(BANK));
    }

    #[test]
    fn unequal_weights_become_equal_shares_and_say_so() {
        let q = only(
            "Biểu hiện suy thoái tư tưởng chính trị?{\n\
             ~%70%Phai nhạt lý tưởng\n\
             ~%30%Dao động, giảm sút niềm tin\n\
             ~Chăm chỉ học tập\n\
             }",
        );
        assert_eq!(
            choices(&q.question.body)
                .iter()
                .map(|c| c.2)
                .collect::<Vec<_>>(),
            [true, true, false]
        );
        assert!(
            notes(&q).contains(&Note::UnequalShares {
                lines: Some((2, 4)),
                weights: strings(&["70%", "30%", "0%"]),
                correct: 2,
            }),
            "{:?}",
            q.notes
        );
        assert!(q.notes.iter().any(|n| n.text_en
            == "Lines 2–4: The Moodle weights 70%, 30%, 0% are not equal shares; \
                Lophoc's partial credit is: each of the 2 correct options (those with \
                a positive weight) chosen earns 1/2 of the points and each wrong option \
                chosen takes 1/2 away."));
        // Moodle's own thirds are equal shares.
        let thirds =
            only("Chọn các đáp án đúng{~%33.33333%A ~%33.33333%B ~%33.33333%C ~%-33.33333%D}");
        assert!(!notes(&thirds)
            .iter()
            .any(|n| matches!(n, Note::UnequalShares { .. })));
        // A partial weight in a single choice question is dropped.
        let single = only("Chọn một{=Đúng ~%50%Gần đúng ~Sai}");
        assert_eq!(
            notes(&single)[1],
            Note::SingleWeightDropped {
                line: Some(1),
                option: "b".into(),
                weight: "50%".into()
            }
        );
        assert_eq!(
            choices(&single.question.body)
                .iter()
                .map(|c| c.2)
                .collect::<Vec<_>>(),
            [true, false, false]
        );
    }

    #[test]
    fn true_false_feedback_follows_moodle() {
        let t = only("Đảng Cộng sản Việt Nam ra đời năm 1930.{TRUE#Sai rồi.#Chính xác.}");
        assert_eq!(
            t.question.body,
            QuestionBody::TrueFalse {
                answer: true,
                feedback_true: Some("Chính xác.".into()),
                feedback_false: Some("Sai rồi.".into()),
            }
        );
        let f = only("Trái đất phẳng.{F}");
        assert_eq!(
            f.question.body,
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: None,
                feedback_false: None,
            }
        );
        let only_right = only(
            "1 + 1 = 2{T##Đúng.####Số học.}"
                .replace('=', "\\=")
                .as_str(),
        );
        assert_eq!(
            only_right.question.body,
            QuestionBody::TrueFalse {
                answer: true,
                feedback_true: Some("Đúng.".into()),
                feedback_false: None,
            }
        );
        assert_eq!(only_right.question.prompt, "1 + 1 = 2");
        assert_eq!(only_right.question.explanation.as_deref(), Some("Số học."));
    }

    #[test]
    fn short_answers_keep_partial_credit_and_feedback() {
        let q = only(
            "Hành vi lợi dụng chức vụ để chiếm đoạt tài sản gọi là gì?{\n\
             =tham ô\n\
             =%50%tham nhũng#Chưa đủ cụ thể.\n\
             =%100%tham ô tài sản#Đúng.\n\
             }",
        );
        assert_eq!(
            q.question.body,
            QuestionBody::ShortAnswer {
                accepted: vec![
                    "tham ô".into(),
                    Accepted {
                        text: "tham nhũng".into(),
                        credit: Decimal::from_int(50),
                        feedback: Some("Chưa đủ cụ thể.".into()),
                    },
                    Accepted {
                        feedback: Some("Đúng.".into()),
                        ..Accepted::full("tham ô tài sản")
                    },
                ],
                ignore_tone_marks: false,
            }
        );
        assert!(notes(&q).contains(&Note::AnswerCredit {
            line: Some(3),
            answer: "tham nhũng".into(),
            credit: "50%".into()
        }));
        assert!(notes(&q).contains(&Note::AnswerFeedbackKept {
            line: Some(3),
            answer: "tham nhũng".into()
        }));
        // A bare answer counts, as in Moodle.
        let bare = only("Thủ đô của Việt Nam?{Hà Nội}");
        assert_eq!(
            bare.question.body,
            QuestionBody::ShortAnswer {
                accepted: vec!["Hà Nội".into()],
                ignore_tone_marks: false,
            }
        );
    }

    #[test]
    fn numerical_answers_read_as_moodle_writes_them() {
        let dec = |s: &str| Decimal::parse(s).unwrap();
        let body = |t: &str| only(t).question.body;
        assert_eq!(
            body("Đảng Cộng sản Việt Nam ra đời năm nào?{#1930}"),
            QuestionBody::Numerical {
                answers: vec![NumericAnswer::exact(dec("1930"))]
            }
        );
        assert_eq!(
            body("Một số từ 1 đến 5?{#3:2}"),
            QuestionBody::Numerical {
                answers: vec![NumericAnswer {
                    tolerance: dec("2"),
                    ..NumericAnswer::exact(dec("3"))
                }]
            }
        );
        // A range is kept as its middle and half-width, as Moodle does.
        assert_eq!(body("{#1..4}x").clone(), body("{#1..4}x"));
        assert_eq!(
            body("Số từ 1 đến 4?{#1..4}"),
            QuestionBody::Numerical {
                answers: vec![NumericAnswer {
                    tolerance: dec("1.5"),
                    ..NumericAnswer::exact(dec("2.5"))
                }]
            }
        );
        let q = only(
            "Năm thành lập Đảng?{#\n=1930:0#Đúng.\n=%50%1929:1#Gần đúng.\n~#Xem lại bài 1.\n####3/2/1930}",
        );
        assert_eq!(
            q.question.body,
            QuestionBody::Numerical {
                answers: vec![
                    NumericAnswer {
                        feedback: Some("Đúng.".into()),
                        ..NumericAnswer::exact(dec("1930"))
                    },
                    NumericAnswer {
                        value: dec("1929"),
                        tolerance: dec("1"),
                        credit: dec("50"),
                        feedback: Some("Gần đúng.".into()),
                    },
                ]
            }
        );
        assert_eq!(q.question.explanation.as_deref(), Some("3/2/1930"));
        assert!(notes(&q).contains(&Note::OtherNumberFeedbackLeftOut {
            line: 4,
            feedback: "Xem lại bài 1.".into()
        }));
        let bad = parse_gift("Năm?{#mười chín}\n\nKhoảng?{#5..1}");
        assert_eq!(
            problems(&bad),
            [
                (
                    1,
                    Problem::NotANumber {
                        text: "mười chín".into()
                    }
                ),
                (
                    3,
                    Problem::RangeBackwards {
                        min: "5".into(),
                        max: "1".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn missing_words_become_one_gap_fill_ins() {
        let choice =
            only("Đảng Cộng sản Việt Nam ra đời tại {~Hà Nội =Hồng Kông ~Quảng Châu} năm 1930.");
        assert_eq!(
            choice.question.prompt,
            "Đảng Cộng sản Việt Nam ra đời tại {1} năm 1930."
        );
        match &choice.question.body {
            QuestionBody::FillBlanks { gaps } => match &gaps[..] {
                [Gap::Choice { options, weight: 1 }] => {
                    assert_eq!(options.iter().filter(|o| o.correct).count(), 1);
                    assert_eq!(options[1].text, "Hồng Kông");
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert_eq!(
            notes(&choice)[0],
            Note::MissingWordGap {
                blank: Blank::Choice
            }
        );
        let number = only("Đảng ra đời năm {#1930} tại Hồng Kông.");
        assert_eq!(number.question.prompt, "Đảng ra đời năm {1} tại Hồng Kông.");
        assert!(
            matches!(&number.question.body, QuestionBody::FillBlanks { gaps } if matches!(gaps[..], [Gap::Numerical { .. }]))
        );
        let short = only("Hai cộng {=hai =2} bằng bốn.");
        assert!(
            matches!(&short.question.body, QuestionBody::FillBlanks { gaps } if matches!(gaps[..], [Gap::ShortAnswer { .. }]))
        );
        // Other kinds keep their kind, with Moodle's blank in the text.
        let tf = only("Hồ Chí Minh đọc Tuyên ngôn độc lập năm 1945 {T} tại Ba Đình.");
        assert_eq!(
            tf.question.prompt,
            "Hồ Chí Minh đọc Tuyên ngôn độc lập năm 1945 _____ tại Ba Đình."
        );
        assert!(matches!(
            tf.question.body,
            QuestionBody::TrueFalse { answer: true, .. }
        ));
        // A text that already holds a marker would read as two gaps.
        let clash = parse_gift(r"Điền \{1\}: năm {#1930} nhé");
        assert_eq!(clash.problems[0].problem, Problem::MarkerInText);
        let before = parse_gift("Chọn một{xin chào =Có ~Không}");
        assert_eq!(
            before.problems[0].problem,
            Problem::TextBeforeAnswers {
                text: "xin chào".into(),
                pairs: false
            }
        );
    }

    #[test]
    fn ids_and_tags_come_from_moodle_comments() {
        let report = parse_gift(
            "// question: 12  name: Câu 12\n// [id:PCTN-01] [tag:tham nhũng] [tag:a\\]b]\n::Câu 12::Đúng?{T}",
        );
        let q = &report.questions[0];
        assert_eq!(q.id, "pctn-01");
        assert_eq!(q.question.tags, ["tham nhũng", "a]b"]);
        assert_eq!(
            notes(q)[0],
            Note::IdFromComment {
                idnumber: "PCTN-01".into(),
                id: "pctn-01".into()
            }
        );
    }

    #[test]
    fn matching_distractors_are_kept() {
        let q = only(
            "Ghép{\n=Hồ Chí Minh -> 1890\n=Võ Nguyên Giáp -> 1911\n= -> 1920\n=Lê Duẩn -> 1907\n}",
        );
        match &q.question.body {
            QuestionBody::Matching { pairs, distractors } => {
                assert_eq!(pairs.len(), 3);
                assert_eq!(distractors, &["1920"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(notes(&q).contains(&Note::Distractor {
            line: Some(4),
            item: "1920".into()
        }));
    }

    #[test]
    fn escapes_stand_for_their_characters() {
        let q =
            only(r"::a\:b::Ký hiệu \{ \} \~ \= \# \: và \\ gạch chéo\ndòng mới{=x \= y#ok ~a\#b}");
        assert_eq!(q.id, "a-b");
        assert_eq!(
            q.question.prompt,
            "Ký hiệu { } ~ = # : và \\ gạch chéo\ndòng mới"
        );
        assert_eq!(
            choices(&q.question.body),
            [("a", "x = y", true, Some("ok")), ("b", "a#b", false, None)]
        );
    }

    const BROKEN: &str = "\
// Tệp có lỗi: mỗi câu một lỗi
::Thiếu ngoặc đóng::Câu hỏi thiếu ngoặc đóng?{
=Đúng
~Sai

Câu hỏi thừa ngoặc đóng?} =Đúng ~Sai}

Năm thành lập Đảng?{#1930}

Hồ Chí Minh sinh năm {=1890 ~1900} tại Nghệ An.

Chỉ là một đoạn mô tả, không có câu trả lời.

Ngoặc lồng nhau {=a {~b}

::Thiếu dấu đóng tiêu đề Câu hỏi?{=a ~b}

Ghép đôi thiếu mũi tên{
=Dân biết -> Công khai
=Dân bàn
}

Thiếu dòng trống giữa hai câu{=a ~b}
Câu tiếp theo{=c ~d}

Chỉ một lựa chọn{=Duy nhất ~}

Câu hợp lệ duy nhất{=Đúng ~Sai}

Trả lời ngắn không có đáp án trọn điểm{=%50%gần đúng}

{=Không có đề bài ~Sai}
";

    #[test]
    fn reports_malformed_questions_at_their_lines() {
        let report = parse_gift(BROKEN);
        assert_eq!(
            problems(&report),
            [
                (2, Problem::BraceOpen),
                (6, Problem::BraceStray),
                (12, Problem::NoAnswerPart),
                (14, Problem::NestedBrace { opened: 14 }),
                (16, Problem::TitleOpen),
                (
                    20,
                    Problem::PairNoArrow {
                        pair: "Dân bàn".into()
                    }
                ),
                (24, Problem::SecondAnswerPart),
                (
                    26,
                    Problem::OptionNoText {
                        option: "b".into(),
                        marker: Some("~".into())
                    }
                ),
                (30, Problem::NoFullWeight),
                (
                    32,
                    Problem::EmptyPrompt {
                        question: "gift-13".into()
                    }
                ),
            ]
        );
        let labels: Vec<&str> = report
            .problems
            .iter()
            .map(|p| p.question_title_or_excerpt.as_str())
            .collect();
        assert_eq!(labels[0], "Thiếu ngoặc đóng");
        assert_eq!(labels[9], "{=Không có đề bài ~Sai}");
        // Three good questions (a numerical one and a missing word, which
        // Lophoc now reads): nothing by default, they alone with partial.
        let lines: Vec<usize> = report.questions.iter().map(|q| q.line).collect();
        assert_eq!(lines, [8, 10, 28]);
        assert_eq!(report.clone().accept(false).unwrap_err().len(), 10);
        let partial = report.accept(true).unwrap();
        assert_eq!(partial.len(), 3);
        assert_eq!(partial[2].prompt, "Câu hợp lệ duy nhất");
    }

    #[test]
    fn one_bad_question_keeps_the_file_out_unless_partial() {
        let text = "\
$CATEGORY: Kỹ năng lãnh đạo
Người đứng đầu chịu trách nhiệm khi cấp dưới tham nhũng.{T}

Câu hỏi hỏng{=a ~b

Kỹ năng nào quan trọng nhất với bí thư chi bộ?{=Lắng nghe ~Ra lệnh}
";
        let report = parse_gift(text);
        assert_eq!(problems(&report), [(4, Problem::BraceOpen)]);
        let problems = report.clone().accept(false).unwrap_err();
        assert_eq!(problems[0].question_title_or_excerpt, "Câu hỏi hỏng");
        let partial = report.accept(true).unwrap();
        assert_eq!(partial.len(), 2);
        assert!(partial.iter().all(|q| q.tags == ["Kỹ năng lãnh đạo"]));
        assert_eq!(
            partial.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
            ["gift-1", "gift-3"]
        );
    }

    #[test]
    fn categories_lose_moodle_prefixes_and_apply_until_the_next() {
        assert_eq!(
            clean_category(" $course$/top/Lý luận chính trị/Triết học "),
            Some("Lý luận chính trị/Triết học".into())
        );
        assert_eq!(clean_category("$system$/top"), None);
        assert_eq!(clean_category("top/Dân vận"), Some("Dân vận".into()));
        assert_eq!(clean_category("Dân vận"), Some("Dân vận".into()));
        let report = parse_gift(
            "Không có nhóm{T}\n\n$CATEGORY: A\n\nCâu của A{T}\n\nCâu nữa của A{F}\n\n\
             $CATEGORY: $course$/top\nCâu ở gốc{T}",
        );
        let tags: Vec<(usize, Vec<String>)> = report
            .questions
            .iter()
            .map(|q| (q.line, q.question.tags.clone()))
            .collect();
        assert_eq!(
            tags,
            [
                (1, vec![]),
                (5, vec!["A".to_string()]),
                (7, vec!["A".to_string()]),
                (10, vec![]),
            ]
        );
    }

    #[test]
    fn weights_read_like_moodle() {
        let chars = to_chars(&[(1, "%-33.33333%rest")]);
        let (w, rest) = weight(&chars).unwrap();
        assert_eq!((w, text(rest).as_str()), (-3_333_333, "rest"));
        assert_eq!(weight(&to_chars(&[(1, "%100%")])).unwrap().0, FULL);
        assert!(weight(&to_chars(&[(1, "%abc%")])).is_none());
        assert!(weight(&to_chars(&[(1, "%50")])).is_none());
        assert_eq!(format_weight(3_333_333), "33.33333%");
        assert_eq!(format_weight(-FULL), "-100%");
        assert_eq!(format_weight(1_250_000), "12.5%");
    }

    #[test]
    fn html_becomes_safe_markdown() {
        let q = only("[html]<p>Theo <b>Hiến pháp</b><script>alert(1)</script></p>{T}");
        assert_eq!(q.question.prompt, "Theo **Hiến pháp**");
        assert!(
            notes(&q).contains(&Note::HtmlDropped {
                elements: strings(&["script"])
            }),
            "{:?}",
            q.notes
        );
    }
}
