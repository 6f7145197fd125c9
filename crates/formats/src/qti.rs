//! QTI 3.0 import ([`parse_qti`]): a content package (a ZIP with
//! `imsmanifest.xml`) or a single item file (`<qti-assessment-item>`).
//!
//! Policy:
//!
//! - **Which items, in which order**: the items of the package's
//!   assessment test, in its order, then any other item resource of the
//!   manifest (`imsqti_item_xmlv3p0`). The report numbers questions by
//!   their place in the package (items are files of their own), and names
//!   each by its file and title.
//! - **Kinds** (the inverse of [`super::qti_export`]): one block
//!   interaction (`qti-choice-interaction` — single, multiple, or
//!   true/false when its choices are `true` and `false` —,
//!   `qti-order-interaction`, `qti-match-interaction`,
//!   `qti-extended-text-interaction`), or text entries and inline choices
//!   in the text: one text entry alone after the text is a short answer
//!   (`string`) or a numerical question (`float`, `integer`); otherwise a
//!   fill in the blanks question, a blank where each interaction is. Any
//!   other interaction (hotspot, slider, upload…) or several block
//!   interactions in one item are reported, not imported.
//! - **Scores**: the correct response gives the right options, order and
//!   pairs; a mapping gives each accepted answer's credit (relative to the
//!   best one) and a blank's weight; `qti-equal` rules on a numerical
//!   response give its values and tolerances. `MAXSCORE` (else `SCORE`'s
//!   `normal-maximum`) gives the points. Response processing is not run:
//!   a scoring rule other than these is noted.
//! - **Texts**: the item body (without its interactions) and each
//!   interaction's `qti-prompt` become the Markdown prompt; choices and
//!   feedback become plain text; `qti-modal-feedback` `EXPLANATION` (or
//!   another modal feedback, noted) becomes the explanation; images of the
//!   package become bank media.
//! - **Packages are bounded**: at most [`MAX_FILES`] files unpacking to at
//!   most [`MAX_UNPACKED_BYTES`], checked while unpacking.

use std::collections::HashMap;
use std::io::{Cursor, Read as _};

use crate::html::{html_to_markdown, html_to_text};
use crate::import::{excerpt, option_id, Ids, DEFAULT_CRITERION};
use lophoc_core::api::FileProblem;
use lophoc_core::ids::is_valid_id;
use lophoc_core::note::Note;
use lophoc_core::number::Decimal;
use lophoc_core::problem::Problem;
use lophoc_core::question::import::{ImportReport, Numbering};
use lophoc_core::question::{
    gap_markers, Accepted, Choice, Criterion, Difficulty, Gap, NumericAnswer, Question,
    QuestionBody, FULL_CREDIT, MAX_POINTS,
};

use super::media::{self, Media, MAX_MEDIA_FILES, MEDIA_URL};
use super::moodle::read_rubric;
use super::qti_export::{CATEGORY_KEYWORD, EXPLANATION};
use super::xml::{self, escape_attr, escape_text, Element, Node};

/// The most files a package may hold.
pub const MAX_FILES: usize = 2000;
/// The most a package may unpack to, in bytes.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// What a QTI file gave: the report and the images its questions use.
#[derive(Debug, Default)]
pub struct Imported {
    pub report: ImportReport,
    pub media: Vec<Media>,
}

/// An item to read: where it is, and what the manifest says of it.
struct ItemRef {
    path: String,
    category: Option<String>,
    tags: Vec<String>,
    difficulty: Difficulty,
}

/// Reads a QTI package (ZIP) or item (XML).
pub fn parse_qti(bytes: &[u8]) -> Result<Imported, FileProblem> {
    let files = if bytes.starts_with(b"PK") {
        unpack(bytes)?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotQti)?;
        let root = xml::parse(text).map_err(|e| FileProblem::NotXml {
            line: u32::try_from(e.line).unwrap_or(u32::MAX),
        })?;
        if root.name != "qti-assessment-item" {
            return Err(FileProblem::NotQti);
        }
        HashMap::from([("item.xml".to_string(), bytes.to_vec())])
    };
    let items = if files.contains_key("imsmanifest.xml") {
        manifest_items(&files)?
    } else if files.len() == 1 && files.contains_key("item.xml") {
        vec![ItemRef {
            path: "item.xml".into(),
            category: None,
            tags: vec![],
            difficulty: Difficulty::Medium,
        }]
    } else {
        return Err(FileProblem::NotQti);
    };
    let mut report = ImportReport {
        numbered: Numbering::Questions,
        ..ImportReport::default()
    };
    let mut bag: HashMap<String, Media> = HashMap::new();
    let mut ids = Ids::default();
    for (n, item) in items.iter().enumerate() {
        let number = n + 1;
        let Some(bytes) = files.get(&item.path) else {
            report.problem(
                number,
                &item.path,
                Problem::ItemMissing {
                    path: item.path.clone(),
                },
            );
            continue;
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                report.problem(number, &item.path, Problem::NotUtf8);
                continue;
            }
        };
        let root = match xml::parse(text) {
            Ok(r) => r,
            Err(e) => {
                report.problem(
                    number,
                    &item.path,
                    Problem::Syntax {
                        line: Some(e.line),
                        column: None,
                        detail: e.message,
                    },
                );
                continue;
            }
        };
        if root.name != "qti-assessment-item" {
            report.problem(
                number,
                &item.path,
                Problem::WrongRoot {
                    found: root.name.clone(),
                    wanted: "qti-assessment-item".into(),
                },
            );
            continue;
        }
        let title = root.attr("title").unwrap_or_default();
        let label = if title.is_empty() {
            item.path.clone()
        } else {
            format!("{} — {}", item.path, excerpt(title))
        };
        let dir = item
            .path
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let mut r = ItemReader {
            notes: Vec::new(),
            files: &files,
            dir,
            bag: &mut bag,
        };
        match read_item(&root, &mut r) {
            Err(problem) => report.problem(number, &label, problem),
            Ok(read) => {
                let identifier = root.attr("identifier").unwrap_or_default();
                let stripped = identifier.strip_prefix('_').unwrap_or(identifier);
                let id = ids.take(
                    Some(stripped).filter(|s| !s.is_empty()),
                    format!("qti-{number}"),
                );
                let mut notes = r.notes;
                notes.insert(
                    0,
                    Note::IdFromIdentifier {
                        path: item.path.clone(),
                        identifier: identifier.to_string(),
                        id: id.clone(),
                    },
                );
                let mut tags = Vec::new();
                if let Some(c) = &item.category {
                    tags.push(c.clone());
                    notes.push(Note::CategoryKept {
                        category: c.clone(),
                    });
                }
                for t in &item.tags {
                    if !tags.contains(t) {
                        tags.push(t.clone());
                    }
                }
                let question = Question {
                    id,
                    prompt: read.prompt,
                    points: read.points,
                    difficulty: item.difficulty,
                    tags,
                    explanation: read.explanation,
                    grader_note: None,
                    body: read.body,
                };
                report.add(number, question, item.category.clone(), notes, &label);
            }
        }
    }
    let used: Vec<String> = report
        .questions
        .iter()
        .flat_map(|q| super::moodle::question_media(&q.question))
        .collect();
    let media = bag
        .into_values()
        .filter(|m| used.contains(&m.name))
        .collect();
    Ok(Imported { report, media })
}

/// Every file of a ZIP, by its path, within the limits.
fn unpack(bytes: &[u8]) -> Result<HashMap<String, Vec<u8>>, FileProblem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileProblem::NotQti)?;
    if archive.len() > MAX_FILES {
        return Err(FileProblem::TooLargeUnpacked {
            limit: MAX_UNPACKED_BYTES,
        });
    }
    let mut files = HashMap::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|_| FileProblem::NotQti)?;
        if file.is_dir() {
            continue;
        }
        let name = file
            .name()
            .map_err(|_| FileProblem::NotQti)?
            .trim_start_matches("./")
            .to_string();
        let room = MAX_UNPACKED_BYTES - total;
        let mut data = Vec::new();
        (&mut file)
            .take(room + 1)
            .read_to_end(&mut data)
            .map_err(|_| FileProblem::NotQti)?;
        total += data.len() as u64;
        if total > MAX_UNPACKED_BYTES {
            return Err(FileProblem::TooLargeUnpacked {
                limit: MAX_UNPACKED_BYTES,
            });
        }
        files.insert(name, data);
    }
    Ok(files)
}

/// `base` + `href` with `.` and `..` resolved.
fn resolve(base_dir: &str, href: &str) -> String {
    let href = media::percent_decode(href.split(['#', '?']).next().unwrap_or(href));
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The items a manifest lists, in the order of its test if it has one.
fn manifest_items(files: &HashMap<String, Vec<u8>>) -> Result<Vec<ItemRef>, FileProblem> {
    let text = files
        .get("imsmanifest.xml")
        .and_then(|b| std::str::from_utf8(b).ok())
        .ok_or(FileProblem::NotQti)?;
    let manifest = xml::parse(text).map_err(|e| FileProblem::NotXml {
        line: u32::try_from(e.line).unwrap_or(u32::MAX),
    })?;
    if manifest.name != "manifest" {
        return Err(FileProblem::NotQti);
    }
    let resources: Vec<&Element> = manifest.descendants("resource");
    let mut items: Vec<ItemRef> = Vec::new();
    let item_of = |r: &Element| -> ItemRef {
        let href = resolve("", r.attr("href").unwrap_or_default());
        let mut category = None;
        let mut tags = Vec::new();
        let mut difficulty = Difficulty::Medium;
        for k in r.descendants("keyword") {
            let t = k.text().trim().to_string();
            if let Some(c) = t.strip_prefix(CATEGORY_KEYWORD) {
                category = Some(c.to_string()).filter(|c| !c.is_empty());
            } else if !t.is_empty() && !tags.contains(&t) {
                tags.push(t);
            }
        }
        for d in r.descendants("difficulty") {
            match d
                .child_text("value")
                .unwrap_or_else(|| d.text().trim().to_string())
                .as_str()
            {
                "very easy" | "easy" => difficulty = Difficulty::Easy,
                "difficult" | "very difficult" => difficulty = Difficulty::Hard,
                _ => {}
            }
        }
        ItemRef {
            path: href,
            category,
            tags,
            difficulty,
        }
    };
    let all_items: Vec<ItemRef> = resources
        .iter()
        .filter(|r| {
            r.attr("type")
                .is_some_and(|t| t.starts_with("imsqti_item_xmlv3p0"))
        })
        .map(|r| item_of(r))
        .collect();
    // Follow the test's order.
    for test in resources.iter().filter(|r| {
        r.attr("type")
            .is_some_and(|t| t.starts_with("imsqti_test_xmlv3p0"))
    }) {
        let path = resolve("", test.attr("href").unwrap_or_default());
        let Some(text) = files.get(&path).and_then(|b| std::str::from_utf8(b).ok()) else {
            continue;
        };
        let Ok(root) = xml::parse(text) else {
            continue;
        };
        let dir = path
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
        for r in root.descendants("qti-assessment-item-ref") {
            let target = resolve(&dir, r.attr("href").unwrap_or_default());
            if items.iter().any(|i| i.path == target) {
                continue;
            }
            if let Some(found) = all_items.iter().find(|i| i.path == target) {
                items.push(ItemRef {
                    path: found.path.clone(),
                    category: found.category.clone(),
                    tags: found.tags.clone(),
                    difficulty: found.difficulty,
                });
            } else {
                items.push(ItemRef {
                    path: target,
                    category: None,
                    tags: vec![],
                    difficulty: Difficulty::Medium,
                });
            }
        }
    }
    for i in all_items {
        if !items.iter().any(|x| x.path == i.path) {
            items.push(i);
        }
    }
    Ok(items)
}

/// Reads one item's texts, noting what it changes.
struct ItemReader<'a> {
    notes: Vec<Note>,
    files: &'a HashMap<String, Vec<u8>>,
    /// The item's folder in the package, `items/`.
    dir: String,
    bag: &'a mut HashMap<String, Media>,
}

struct Read {
    prompt: String,
    explanation: Option<String>,
    points: u32,
    body: QuestionBody,
}

/// A response declaration.
#[derive(Default)]
struct Decl {
    cardinality: String,
    base_type: String,
    correct: Vec<String>,
    /// (key, value, case-sensitive)
    mapping: Vec<(String, Decimal, bool)>,
}

fn decls(root: &Element) -> Result<HashMap<String, Decl>, Problem> {
    let mut out = HashMap::new();
    for d in root.children_named("qti-response-declaration") {
        let id = d.attr("identifier").unwrap_or_default().to_string();
        let mut decl = Decl {
            cardinality: d.attr("cardinality").unwrap_or("single").to_string(),
            base_type: d.attr("base-type").unwrap_or_default().to_string(),
            ..Decl::default()
        };
        if let Some(c) = d.child("qti-correct-response") {
            decl.correct = c
                .children_named("qti-value")
                .map(|v| v.text().trim().to_string())
                .collect();
        }
        if let Some(m) = d.child("qti-mapping") {
            for e in m.children_named("qti-map-entry") {
                let key = e.attr("map-key").unwrap_or_default().to_string();
                let raw = e.attr("mapped-value").unwrap_or("0");
                let value = Decimal::parse(raw).map_err(|_| Problem::NotANumber {
                    text: raw.to_string(),
                })?;
                let case = e.attr("case-sensitive").is_some_and(|c| c == "true");
                decl.mapping.push((key, value, case));
            }
        }
        out.insert(id, decl);
    }
    Ok(out)
}

/// The default value of the outcome `id`, or an attribute of it.
fn outcome_value(root: &Element, id: &str) -> Option<Decimal> {
    let o = root
        .children_named("qti-outcome-declaration")
        .find(|o| o.attr("identifier") == Some(id))?;
    let v = o.child("qti-default-value")?.child("qti-value")?.text();
    Decimal::parse(v.trim()).ok()
}

fn normal_maximum(root: &Element) -> Option<Decimal> {
    root.children_named("qti-outcome-declaration")
        .find(|o| o.attr("identifier") == Some("SCORE"))
        .and_then(|o| o.attr("normal-maximum"))
        .and_then(|v| Decimal::parse(v).ok())
}

/// A whole number of points, or why not.
fn whole_points(d: Decimal, notes: &mut Vec<Note>) -> u32 {
    let mut n = 0u32;
    let mut rest = d;
    let one = Decimal::from_int(1);
    while rest >= one && n < MAX_POINTS {
        rest = rest.checked_sub(one).unwrap_or(Decimal::ZERO);
        n += 1;
    }
    if rest != Decimal::ZERO || n == 0 {
        notes.push(Note::MaxScoreRoundedUp {
            score: d.to_string(),
            points: n + 1,
        });
        n + 1
    } else {
        n
    }
}

/// Names of the interactions that stand as blocks.
const BLOCK: [&str; 4] = [
    "qti-choice-interaction",
    "qti-order-interaction",
    "qti-match-interaction",
    "qti-extended-text-interaction",
];
const INLINE: [&str; 2] = [
    "qti-text-entry-interaction",
    "qti-inline-choice-interaction",
];

/// Stands for blank `i` while the text around it is read.
fn placeholder(i: usize) -> String {
    format!("\u{2}{i}\u{3}")
}

impl ItemReader<'_> {
    /// An image of the package as a bank image's address, or `None` (noted).
    fn image(&mut self, src: &str) -> Option<String> {
        if src.starts_with("http://") || src.starts_with("https://") || src.starts_with(MEDIA_URL) {
            return Some(src.to_string());
        }
        let path = resolve(&self.dir, src);
        let Some(bytes) = self.files.get(&path) else {
            self.notes.push(Note::ImageNotInPackage {
                image: src.to_string(),
            });
            return None;
        };
        match media::make(bytes.clone()) {
            Ok(m) => {
                if self.bag.len() >= MAX_MEDIA_FILES && !self.bag.contains_key(&m.name) {
                    self.notes.push(Note::TooManyImages {
                        image: src.to_string(),
                        max: MAX_MEDIA_FILES,
                    });
                    return None;
                }
                let url = format!("{MEDIA_URL}{}", m.name);
                self.notes.push(Note::ImageKept {
                    image: src.to_string(),
                    name: m.name.clone(),
                });
                self.bag.entry(m.name.clone()).or_insert(m);
                Some(url)
            }
            Err(reason) => {
                self.notes.push(Note::ImageRefused {
                    image: src.to_string(),
                    reason,
                });
                None
            }
        }
    }

    /// XHTML content as HTML for the Markdown reader, with interactions
    /// taken out: inline ones become placeholders (pushed to `gaps`),
    /// block ones leave their `qti-prompt`.
    fn html<'e>(
        &mut self,
        e: &'e Element,
        out: &mut String,
        gaps: &mut Vec<&'e Element>,
        blocks: &mut Vec<&'e Element>,
    ) {
        for n in &e.children {
            match n {
                Node::Text(t) => out.push_str(&escape_text(t)),
                Node::Element(c) => {
                    let name = c.name.as_str();
                    if INLINE.contains(&name) {
                        out.push_str(&placeholder(gaps.len()));
                        gaps.push(c);
                    } else if name.ends_with("-interaction") {
                        blocks.push(c);
                        if let Some(p) = c.child("qti-prompt") {
                            out.push_str("<p>");
                            self.html(p, out, gaps, blocks);
                            out.push_str("</p>");
                        }
                    } else if matches!(
                        name,
                        "qti-rubric-block"
                            | "qti-feedback-block"
                            | "qti-feedback-inline"
                            | "qti-template-block"
                            | "qti-template-inline"
                            | "qti-printed-variable"
                    ) {
                        if name != "qti-rubric-block" {
                            self.notes.push(Note::FeedbackElementLeftOut {
                                line: c.line,
                                element: name.to_string(),
                            });
                        }
                    } else {
                        out.push('<');
                        out.push_str(name);
                        for (k, v) in &c.attrs {
                            let v = if name == "img" && k == "src" {
                                match self.image(v) {
                                    Some(v) => v,
                                    None => continue,
                                }
                            } else {
                                v.clone()
                            };
                            out.push_str(&format!(" {k}=\"{}\"", escape_attr(&v)));
                        }
                        out.push('>');
                        self.html(c, out, gaps, blocks);
                        out.push_str(&format!("</{name}>"));
                    }
                }
            }
        }
    }

    /// The plain text of an element, without its inline feedback.
    fn plain(&mut self, e: &Element) -> (String, Option<String>) {
        let mut html = String::new();
        let mut feedback = None;
        for n in &e.children {
            match n {
                Node::Element(c) if c.name == "qti-feedback-inline" => {
                    feedback = Some(html_to_text(&c.inner_xml()).0).filter(|f| !f.is_empty());
                }
                Node::Element(c) if c.name == "img" => {
                    self.notes.push(Note::ImageInPlainText { text: None });
                }
                Node::Element(c) => {
                    html.push_str(&format!("<{0}>{1}</{0}>", c.name, c.inner_xml()))
                }
                Node::Text(t) => html.push_str(&escape_text(t)),
            }
        }
        (html_to_text(&html).0, feedback)
    }
}

/// A Lophoc option id for a QTI choice identifier (the `_` the export puts
/// before a digit dropped), else `a`, `b`… by position.
fn choice_id(identifier: &str, index: usize) -> String {
    let stripped = identifier.strip_prefix('_').unwrap_or(identifier);
    if is_valid_id(stripped) {
        stripped.to_string()
    } else {
        option_id(index)
    }
}

fn read_item(root: &Element, r: &mut ItemReader<'_>) -> Result<Read, Problem> {
    let decls = decls(root)?;
    let body = root
        .child("qti-item-body")
        .ok_or_else(|| Problem::MissingElement {
            element: "qti-item-body".into(),
        })?;
    // A lone text entry ending the body is a short answer or numerical
    // question, not a blank.
    let inline_count = INLINE
        .iter()
        .map(|n| body.descendants(n).len())
        .sum::<usize>();
    let block_count: usize = BLOCK.iter().map(|n| body.descendants(n).len()).sum();
    let last = body.elements().last();
    let standalone = inline_count == 1
        && block_count == 0
        && last.is_some_and(|p| {
            matches!(p.name.as_str(), "p" | "div")
                && p.elements().count() == 1
                && p.elements().all(|e| e.name == "qti-text-entry-interaction")
                && p.children.iter().all(|n| match n {
                    Node::Text(t) => t.trim().is_empty(),
                    Node::Element(_) => true,
                })
        });
    // Without its last block when that block is the lone text entry.
    let trimmed = Element {
        children: if standalone {
            body.children
                .iter()
                .take(
                    body.children
                        .iter()
                        .rposition(|n| matches!(n, Node::Element(_)))
                        .unwrap_or(0),
                )
                .cloned()
                .collect()
        } else {
            body.children.clone()
        },
        ..Element::default()
    };
    let standalone_entry = if standalone {
        last.and_then(|p| p.elements().next()).cloned()
    } else {
        None
    };
    let mut html = String::new();
    let mut gaps: Vec<&Element> = Vec::new();
    let mut blocks: Vec<&Element> = Vec::new();
    r.html(&trimmed, &mut html, &mut gaps, &mut blocks);
    let reading = html_to_markdown(&html);
    if !reading.dropped.is_empty() {
        r.notes.push(Note::HtmlDropped {
            elements: reading.dropped,
        });
    }
    let mut prompt = reading.markdown;
    if !gaps.is_empty() && !gap_markers(&prompt, usize::MAX).is_empty() {
        return Err(Problem::MarkerInText);
    }
    for i in 0..gaps.len() {
        prompt = prompt.replace(&placeholder(i), &format!("{{{}}}", i + 1));
    }
    // Explanation and per-answer feedback.
    let mut modal: HashMap<String, String> = HashMap::new();
    let mut explanation = None;
    for m in root.children_named("qti-modal-feedback") {
        let id = m.attr("identifier").unwrap_or_default().to_string();
        let content = m.child("qti-content-body").unwrap_or(m);
        let mut html = String::new();
        let mut g = Vec::new();
        let mut b = Vec::new();
        r.html(content, &mut html, &mut g, &mut b);
        if id == EXPLANATION {
            explanation = Some(html_to_markdown(&html).markdown).filter(|e| !e.trim().is_empty());
        } else if id.starts_with("FB_") {
            modal.insert(id, html_to_text(&html).0);
        } else if explanation.is_none() {
            r.notes.push(Note::ModalFeedbackKept { id });
            explanation = Some(html_to_markdown(&html).markdown).filter(|e| !e.trim().is_empty());
        } else {
            r.notes.push(Note::ModalFeedbackLeftOut { id });
        }
    }
    if explanation.is_some() {
        r.notes.push(Note::ExplanationKept);
    }
    let max = outcome_value(root, "MAXSCORE").or_else(|| normal_maximum(root));
    let mut point_notes = Vec::new();
    let points = max
        .filter(|m| *m > Decimal::ZERO)
        .map_or(1, |m| whole_points(m, &mut point_notes));
    r.notes.extend(point_notes);
    let processing = root.child("qti-response-processing");
    if blocks.len() + usize::from(standalone_entry.is_some()) + usize::from(!gaps.is_empty()) > 1
        || blocks.len() > 1
    {
        return Err(Problem::SeveralInteractions);
    }
    let body = if let Some(b) = blocks.first() {
        let decl = decls.get(b.attr("response-identifier").unwrap_or_default());
        match b.name.as_str() {
            "qti-choice-interaction" => choice(b, decl, r)?,
            "qti-order-interaction" => {
                let decl = decl.ok_or_else(|| undeclared("qti-order-interaction"))?;
                let mut texts = HashMap::new();
                for c in b.children_named("qti-simple-choice") {
                    texts.insert(
                        c.attr("identifier").unwrap_or_default().to_string(),
                        r.plain(c).0,
                    );
                }
                if decl.correct.is_empty() {
                    return Err(Problem::NoCorrectOrder);
                }
                let items: Vec<String> = decl
                    .correct
                    .iter()
                    .map(|id| texts.remove(id).unwrap_or_default())
                    .collect();
                r.notes.insert(0, Note::Ordering { items: items.len() });
                QuestionBody::Ordering { items }
            }
            "qti-match-interaction" => matching(b, decl, r)?,
            "qti-extended-text-interaction" => {
                if max == Some(Decimal::ZERO) {
                    r.notes.insert(0, Note::Opinion);
                    QuestionBody::Opinion {}
                } else {
                    let rubric = root.descendants("qti-rubric-block").first().and_then(|rb| {
                        let lines: Vec<String> = rb
                            .descendants("li")
                            .iter()
                            .map(|li| format!("- {}", li.text().trim()))
                            .collect();
                        read_rubric(&format!(
                            "{}\n{}",
                            super::moodle::RUBRIC_HEADING,
                            lines.join("\n")
                        ))
                    });
                    match rubric {
                        Some(rubric) => {
                            r.notes.insert(
                                0,
                                Note::RubricKept {
                                    criteria: rubric.len(),
                                },
                            );
                            QuestionBody::Essay { rubric }
                        }
                        None => {
                            r.notes.insert(
                                0,
                                Note::EssayOneCriterion {
                                    criterion: DEFAULT_CRITERION.into(),
                                    points,
                                },
                            );
                            QuestionBody::Essay {
                                rubric: vec![Criterion {
                                    id: "toan-bai".into(),
                                    description: DEFAULT_CRITERION.into(),
                                    max_points: points,
                                }],
                            }
                        }
                    }
                }
            }
            other => {
                return Err(Problem::Unsupported {
                    kind: other.to_string(),
                })
            }
        }
    } else if let Some(entry) = &standalone_entry {
        let rid = entry.attr("response-identifier").unwrap_or_default();
        let decl = decls
            .get(rid)
            .ok_or_else(|| undeclared("qti-text-entry-interaction"))?;
        let unit = Decimal::from_int(i64::from(points));
        if is_number(decl) {
            let answers = numbers(rid, decl, processing, &modal, "FB", r)?;
            r.notes.insert(
                0,
                Note::NumericalCount {
                    count: answers.len(),
                },
            );
            QuestionBody::Numerical { answers }
        } else {
            let accepted = texts(decl, &modal, "FB", unit, r)?;
            r.notes.insert(
                0,
                Note::ShortAnswerCount {
                    count: accepted.len(),
                },
            );
            QuestionBody::ShortAnswer {
                accepted,
                ignore_tone_marks: false,
            }
        }
    } else if !gaps.is_empty() {
        let mut out = Vec::new();
        for (g, e) in gaps.iter().enumerate() {
            let n = g + 1;
            let rid = e.attr("response-identifier").unwrap_or_default();
            let decl = decls.get(rid).ok_or_else(|| undeclared(&e.name))?;
            let prefix = format!("FB_{n}");
            let gap = if e.name == "qti-inline-choice-interaction" {
                let right = decl.correct.first().cloned().unwrap_or_default();
                let weight = decl
                    .mapping
                    .iter()
                    .find(|(k, _, _)| *k == right)
                    .and_then(|(_, v, _)| weight_of(*v))
                    .unwrap_or(1);
                let mut options = Vec::new();
                for (k, c) in e.children_named("qti-inline-choice").enumerate() {
                    let identifier = c.attr("identifier").unwrap_or_default();
                    let (text, _) = r.plain(c);
                    options.push(Choice {
                        id: choice_id(identifier, k),
                        text,
                        correct: identifier == right,
                        feedback: modal.get(&format!("{prefix}_{}", k + 1)).cloned(),
                    });
                }
                Gap::Choice { options, weight }
            } else if is_number(decl) {
                let answers = numbers(rid, decl, processing, &modal, &prefix, r)?;
                let weight = gap_weight_numeric(rid, processing).unwrap_or(1);
                Gap::Numerical { answers, weight }
            } else {
                let best = decl.mapping.iter().map(|(_, v, _)| *v).max();
                let weight = best.and_then(weight_of).unwrap_or(1);
                let unit = Decimal::from_int(i64::from(weight));
                Gap::ShortAnswer {
                    accepted: texts(decl, &modal, &prefix, unit, r)?,
                    ignore_tone_marks: false,
                    weight,
                }
            };
            out.push(gap);
        }
        r.notes.insert(0, Note::FillBlanks { gaps: out.len() });
        QuestionBody::FillBlanks { gaps: out }
    } else {
        return Err(Problem::NoInteraction);
    };
    Ok(Read {
        prompt,
        explanation,
        points,
        body,
    })
}

/// A blank's weight from its full-credit mapped value (hundredths of the
/// weight, as Lophoc writes it); `None` for other values.
fn weight_of(full: Decimal) -> Option<u32> {
    let w = full.checked_div_exact(100)?;
    let mut n = 0u32;
    let mut rest = w;
    let one = Decimal::from_int(1);
    while rest >= one && n <= 100 {
        rest = rest.checked_sub(one)?;
        n += 1;
    }
    (rest == Decimal::ZERO && n >= 1).then_some(n)
}

fn is_number(decl: &Decl) -> bool {
    matches!(decl.base_type.as_str(), "float" | "integer")
}

/// Accepted answers from a string response: its mapping (each credit
/// relative to the best answer, written as hundredths of `unit` by Lophoc)
/// or else its correct values.
fn texts(
    decl: &Decl,
    modal: &HashMap<String, String>,
    prefix: &str,
    unit: Decimal,
    r: &mut ItemReader<'_>,
) -> Result<Vec<Accepted>, Problem> {
    let mut out = Vec::new();
    if decl.mapping.is_empty() {
        for (k, v) in decl.correct.iter().enumerate() {
            out.push(Accepted {
                text: v.clone(),
                credit: FULL_CREDIT,
                feedback: modal.get(&format!("{prefix}_{}", k + 1)).cloned(),
            });
        }
        return Ok(out);
    }
    let best = decl
        .mapping
        .iter()
        .map(|(_, v, _)| *v)
        .max()
        .unwrap_or(Decimal::ZERO);
    // Lophoc's own files: hundredths of the unit, exact.
    let hundredths = unit.checked_mul_int(100).is_some_and(|u| u == best);
    for (k, (key, value, case)) in decl.mapping.iter().enumerate() {
        if *case {
            r.notes.push(Note::AnswerCaseIgnored {
                answer: key.clone(),
            });
        }
        let credit = if hundredths {
            value.checked_div(unit)
        } else {
            value.checked_mul_int(100).and_then(|v| v.checked_div(best))
        }
        .ok_or_else(|| Problem::NoExactShare {
            value: value.to_string(),
        })?;
        if credit != FULL_CREDIT {
            r.notes.push(Note::AnswerCredit {
                line: None,
                answer: key.clone(),
                credit: format!("{credit}%"),
            });
        }
        out.push(Accepted {
            text: key.clone(),
            credit,
            feedback: modal.get(&format!("{prefix}_{}", k + 1)).cloned(),
        });
    }
    Ok(out)
}

/// The rules of `processing` that test the response `rid` against a number:
/// (value, tolerance, the value the rule gives).
fn number_rules(
    rid: &str,
    processing: Option<&Element>,
) -> Vec<(Decimal, Decimal, Option<Decimal>, String)> {
    let Some(p) = processing else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for branch in p.descendants("qti-response-if") {
        let Some(test) = branch.elements().next() else {
            continue;
        };
        if !matches!(test.name.as_str(), "qti-equal" | "qti-match") {
            continue;
        }
        let refers = test
            .children_named("qti-variable")
            .any(|v| v.attr("identifier") == Some(rid));
        let Some(value) = test
            .child("qti-base-value")
            .and_then(|b| Decimal::parse(b.text().trim()).ok())
        else {
            continue;
        };
        if !refers {
            continue;
        }
        let tolerance = if test.attr("tolerance-mode") == Some("absolute") {
            test.attr("tolerance")
                .and_then(|t| t.split_whitespace().next())
                .and_then(|t| Decimal::parse(t).ok())
                .unwrap_or(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        let mut gives = None;
        let mut feedback = String::new();
        for set in branch.children_named("qti-set-outcome-value") {
            if set.attr("identifier") == Some("FEEDBACK") {
                if let Some(b) = set.descendants("qti-base-value").last() {
                    feedback = b.text().trim().to_string();
                }
            } else {
                gives = set
                    .descendants("qti-base-value")
                    .first()
                    .and_then(|b| Decimal::parse(b.text().trim()).ok());
            }
        }
        out.push((value, tolerance, gives, feedback));
    }
    out
}

/// A numerical blank's weight: its full-credit rule gives `weight × 100`.
fn gap_weight_numeric(rid: &str, processing: Option<&Element>) -> Option<u32> {
    number_rules(rid, processing)
        .iter()
        .filter_map(|(_, _, g, _)| *g)
        .max()
        .and_then(weight_of)
}

/// Accepted values of a number response: from Lophoc's `qti-equal` rules,
/// else the correct value.
fn numbers(
    rid: &str,
    decl: &Decl,
    processing: Option<&Element>,
    modal: &HashMap<String, String>,
    prefix: &str,
    r: &mut ItemReader<'_>,
) -> Result<Vec<NumericAnswer>, Problem> {
    let rules = number_rules(rid, processing);
    if rules.is_empty() {
        let v = decl.correct.first().ok_or(Problem::NoCorrectValue)?;
        let value = Decimal::parse(v).map_err(|_| Problem::NotANumber { text: v.clone() })?;
        return Ok(vec![NumericAnswer::exact(value)]);
    }
    let best = rules
        .iter()
        .filter_map(|(_, _, g, _)| *g)
        .max()
        .unwrap_or(Decimal::ZERO);
    let mut out = Vec::new();
    for (k, (value, tolerance, gives, feedback_id)) in rules.into_iter().enumerate() {
        let credit = match gives {
            Some(g) if best > Decimal::ZERO => g
                .checked_mul_int(100)
                .and_then(|g| g.checked_div(best))
                .ok_or_else(|| Problem::NoExactShare {
                    value: value.to_string(),
                })?,
            _ => FULL_CREDIT,
        };
        let feedback = modal
            .get(&feedback_id)
            .or_else(|| modal.get(&format!("{prefix}_{}", k + 1)))
            .cloned();
        if credit != FULL_CREDIT {
            r.notes.push(Note::ValueCredit {
                value: value.to_string(),
                credit: format!("{credit}%"),
            });
        }
        out.push(NumericAnswer {
            value,
            tolerance,
            credit,
            feedback,
        });
    }
    Ok(out)
}

fn choice(
    b: &Element,
    decl: Option<&Decl>,
    r: &mut ItemReader<'_>,
) -> Result<QuestionBody, Problem> {
    let decl = decl.ok_or_else(|| undeclared("qti-choice-interaction"))?;
    let choices: Vec<&Element> = b.children_named("qti-simple-choice").collect();
    let ids: Vec<&str> = choices
        .iter()
        .map(|c| c.attr("identifier").unwrap_or_default())
        .collect();
    let max_choices = b.attr("max-choices").unwrap_or("1");
    let single = max_choices == "1" && decl.cardinality == "single";
    if single && choices.len() == 2 && ids.contains(&"true") && ids.contains(&"false") {
        let answer = decl.correct.first().is_some_and(|c| c == "true");
        let mut feedback_true = None;
        let mut feedback_false = None;
        for c in &choices {
            let (_, f) = r.plain(c);
            if c.attr("identifier") == Some("true") {
                feedback_true = f;
            } else {
                feedback_false = f;
            }
        }
        r.notes.insert(0, Note::TrueFalse { answer });
        return Ok(QuestionBody::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        });
    }
    let mut options = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        let identifier = c.attr("identifier").unwrap_or_default();
        let (text, feedback) = r.plain(c);
        if feedback.is_some() {
            r.notes.push(Note::OptionFeedbackKept {
                option: choice_id(identifier, i),
            });
        }
        options.push(Choice {
            id: choice_id(identifier, i),
            text,
            correct: decl.correct.iter().any(|v| v == identifier),
            feedback,
        });
    }
    r.notes
        .insert(0, crate::import::choice_note(single, &options));
    Ok(if single {
        QuestionBody::SingleChoice { options }
    } else {
        QuestionBody::MultipleChoice { options }
    })
}

fn matching(
    b: &Element,
    decl: Option<&Decl>,
    r: &mut ItemReader<'_>,
) -> Result<QuestionBody, Problem> {
    let decl = decl.ok_or_else(|| undeclared("qti-match-interaction"))?;
    let sets: Vec<&Element> = b.children_named("qti-simple-match-set").collect();
    let [left_set, right_set] = sets.as_slice() else {
        return Err(Problem::MatchSets);
    };
    let read = |set: &Element, r: &mut ItemReader<'_>| -> Vec<(String, String)> {
        set.children_named("qti-simple-associable-choice")
            .map(|c| {
                (
                    c.attr("identifier").unwrap_or_default().to_string(),
                    r.plain(c).0,
                )
            })
            .collect()
    };
    let lefts = read(left_set, r);
    let rights = read(right_set, r);
    let mut pairs = Vec::new();
    let mut used = Vec::new();
    for (lid, ltext) in &lefts {
        let Some(pair) = decl
            .correct
            .iter()
            .find(|v| v.split_whitespace().next() == Some(lid.as_str()))
        else {
            return Err(Problem::NoMatch {
                item: ltext.clone(),
            });
        };
        let rid = pair.split_whitespace().nth(1).unwrap_or_default();
        let rtext = rights
            .iter()
            .find(|(id, _)| id == rid)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| Problem::UnknownMatch {
                item: ltext.clone(),
                target: rid.to_string(),
            })?;
        used.push(rid.to_string());
        pairs.push((ltext.clone(), rtext));
    }
    let distractors: Vec<String> = rights
        .iter()
        .filter(|(id, _)| !used.contains(id))
        .map(|(_, t)| t.clone())
        .collect();
    for d in &distractors {
        r.notes.push(Note::Distractor {
            line: None,
            item: d.clone(),
        });
    }
    r.notes.insert(0, Note::Matching { pairs: pairs.len() });
    Ok(QuestionBody::Matching { pairs, distractors })
}

/// An interaction with no `<qti-response-declaration>` of its own.
fn undeclared(interaction: &str) -> Problem {
    Problem::NoResponseDeclaration {
        interaction: interaction.to_string(),
    }
}
