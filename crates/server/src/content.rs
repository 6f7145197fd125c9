//! Loading a course from its folder: `course.toml`, Markdown lessons with
//! TOML front matter, and a `media/` folder (see `docs/content-format.md`).
//!
//! Policy: a course is loaded whole or not at all. Every problem found is
//! reported with the file and, where there is one, the line, and any problem
//! stops the course from being published, so trainees never see a
//! half-loaded course. Markdown is rendered to HTML and then sanitized:
//! no scripts, no event attributes, no frames, no `javascript:` links.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    fmt,
    path::{Path, PathBuf},
};

use lophoc_core::{
    assessment::{attempt_questions, paper_question, AssessmentPaper},
    content::AssessmentRef,
};
use lophoc_core::{
    content::CompletionRule,
    content::{
        CourseOutline, Lesson, LessonRef, ModuleOutline, SituationMode, SituationRef, SituationSet,
    },
    i18n::Lang,
    ids::is_valid_id,
    problem::{Listed as ListedKind, Problem},
    question::{
        validate_bank, validate_scenario, validate_situation, AssessmentSettings, BranchChoice,
        DrawError, Ending, Next, PoolRule, Question, Scenario, ScenarioProblem, Situation, Step,
    },
};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

/// Largest media file accepted, in bytes.
pub const MAX_MEDIA_BYTES: usize = 5 * 1024 * 1024;

/// One problem in a course folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    /// 1-based line, where the problem has one.
    pub line: Option<usize>,
    pub problem: Problem,
}

/// In English, with a parser's own words: for the log and the command line.
impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.problem.text_with_detail(Lang::En);
        match self.line {
            Some(line) => write!(f, "{}:{}: {text}", self.file.display(), line),
            None => write!(f, "{}: {text}", self.file.display()),
        }
    }
}

/// Every problem found in one course folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

/// A media file of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// A course ready to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledCourse {
    /// The outline; its `version` is assigned when published.
    pub outline: CourseOutline,
    pub lessons: Vec<Lesson>,
    pub situations: Vec<SituationSet>,
    pub assessments: Vec<CompiledAssessment>,
    pub media: Vec<Media>,
    /// SHA-256 over every source file, to skip republishing unchanged files.
    pub content_hash: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseFile {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read for validation; only Vietnamese courses exist so far"
    )]
    language: Option<String>,
    modules: Vec<ModuleFile>,
    /// What completing the course takes; by default every lesson read and
    /// every assessment passed.
    completion: Option<Spanned<CompletionFile>>,
}

/// `[completion]` of `course.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompletionFile {
    #[serde(default = "yes")]
    all_lessons: bool,
    #[serde(default)]
    all_situations: bool,
    /// Assessment ids that must be passed; all of the course's if left out.
    pass: Option<Vec<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    summary: String,
    lessons: Vec<Spanned<String>>,
    /// Situation sets, each a file `<module>/<id>.situation.toml`.
    #[serde(default)]
    situations: Vec<Spanned<String>>,
    /// Assessments, each a file `<module>/<id>.assessment.toml`.
    #[serde(default)]
    assessments: Vec<Spanned<String>>,
}

/// A `<module>/<id>.assessment.toml` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentFile {
    title: String,
    #[serde(default)]
    intro: String,
    settings: AssessmentSettings,
    #[serde(default)]
    pools: Vec<PoolRule>,
    questions: Vec<Question>,
}

/// A published assessment: what trainees see, and the answer key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledAssessment {
    pub paper: AssessmentPaper,
    /// The full questions, with answers: never sent to trainees.
    pub bank: Vec<Question>,
}

/// A `<module>/<id>.situation.toml` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SituationFile {
    title: String,
    mode: SituationMode,
    scenario: String,
    #[serde(default)]
    guidance: String,
    /// May be left out when the set has a branching scenario.
    #[serde(default)]
    questions: Vec<Question>,
    /// A branching scenario, `[branching]` (the key `scenario` is the set's
    /// situation text).
    #[serde(default)]
    branching: Option<BranchingFile>,
}

/// The `[branching]` table of a situation file: `start`, then
/// `[[branching.steps]]` (each with `[[branching.steps.choices]]`, whose
/// `next = { step = "…" }` or `{ ending = "…" }`) and
/// `[[branching.endings]]`. Ids keep their place in the file, to point
/// problems at their line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BranchingFile {
    start: Spanned<String>,
    steps: Vec<StepFile>,
    endings: Vec<EndingFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    id: Spanned<String>,
    /// Markdown.
    text: String,
    #[serde(default)]
    allow_revisit: bool,
    #[serde(default)]
    choices: Vec<ChoiceFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceFile {
    id: Spanned<String>,
    /// Plain text, shown on a button.
    text: String,
    next: Next,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndingFile {
    id: Spanned<String>,
    /// Markdown.
    debrief: String,
    score: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    minutes: u32,
}

/// Finds course folders: `dir` itself if it holds a `course.toml`, else each
/// sub-folder that does, in name order.
pub fn course_dirs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    if dir.join("course.toml").is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("course.toml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

struct Collector {
    errors: Vec<ContentError>,
}

impl Collector {
    fn push(&mut self, file: &Path, line: Option<usize>, problem: Problem) {
        self.errors.push(ContentError {
            file: file.to_path_buf(),
            line,
            problem,
        });
    }

    /// A TOML parser's error at its line and column; `lines_before` are the
    /// file's lines before `text`.
    fn syntax(&mut self, file: &Path, text: &str, e: &toml::de::Error, lines_before: usize) {
        let (line, column) = match e.span() {
            Some(span) => (
                Some(line_of(text, span.start) + lines_before),
                Some(column_of(text, span.start)),
            ),
            None => (None, None),
        };
        self.push(
            file,
            line,
            Problem::Syntax {
                line,
                column,
                detail: e.message().trim().to_string(),
            },
        );
    }
}

/// The 1-based column (in characters) of a byte offset.
fn column_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let start = text.as_bytes()[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    text.get(start..offset).map_or(1, |s| s.chars().count() + 1)
}

/// Loads and validates the course in `dir`.
/// The course's completion rule: `[completion]`, or every lesson read and
/// every assessment passed. Names of assessments that the course does not
/// have are errors.
fn completion_rule(
    manifest: &CourseFile,
    modules: &[ModuleOutline],
    manifest_path: &Path,
    text: &str,
    out: &mut Collector,
) -> CompletionRule {
    let assessments: Vec<String> = modules
        .iter()
        .flat_map(|m| m.assessments.iter().map(|a| a.id.clone()))
        .collect();
    let Some(file) = &manifest.completion else {
        return CompletionRule {
            all_lessons: true,
            all_situations: false,
            pass: assessments,
        };
    };
    let line = Some(line_of(text, file.span().start));
    let file = file.get_ref();
    let pass = file.pass.clone().unwrap_or_else(|| assessments.clone());
    for id in &pass {
        if !assessments.contains(id) {
            out.push(
                manifest_path,
                line,
                Problem::CompletionUnknownAssessment { id: id.clone() },
            );
        }
    }
    if !file.all_lessons && !file.all_situations && pass.is_empty() {
        out.push(manifest_path, line, Problem::CompletionEmpty);
    }
    CompletionRule {
        all_lessons: file.all_lessons,
        all_situations: file.all_situations,
        pass,
    }
}

pub fn load_course(dir: &Path) -> Result<CompiledCourse, ContentErrors> {
    let mut out = Collector { errors: Vec::new() };
    let mut hasher = Sha256::new();
    let manifest_path = dir.join("course.toml");
    let text = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => text,
        Err(e) => {
            out.push(
                &manifest_path,
                None,
                Problem::Unreadable {
                    detail: e.to_string(),
                },
            );
            return Err(ContentErrors(out.errors));
        }
    };
    hasher.update(text.as_bytes());
    let manifest: CourseFile = match toml::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            out.syntax(&manifest_path, &text, &e, 0);
            return Err(ContentErrors(out.errors));
        }
    };

    let course_id = manifest.id.get_ref().clone();
    if !is_valid_id(&course_id) {
        let line = Some(line_of(&text, manifest.id.span().start));
        out.push(
            &manifest_path,
            line,
            Problem::BadId {
                id: course_id.clone(),
                question: None,
            },
        );
    }
    if manifest.title.trim().is_empty() {
        out.push(&manifest_path, None, Problem::CourseNoTitle);
    }
    if manifest.modules.is_empty() {
        out.push(&manifest_path, None, Problem::NoModules);
    }

    let media = load_media(&dir.join("media"), &mut out, &mut hasher);
    let media_names: HashSet<&str> = media.iter().map(|m| m.name.as_str()).collect();
    let media_sizes: HashMap<&str, (u32, u32)> = media
        .iter()
        .filter_map(|m| Some((m.name.as_str(), image_size(m)?)))
        .collect();

    let mut seen_modules = HashSet::new();
    let mut seen_lessons = HashSet::new();
    let mut modules = Vec::new();
    let mut lessons = Vec::new();
    let mut situations = Vec::new();
    let mut assessments = Vec::new();
    for module in &manifest.modules {
        let module_id = module.id.get_ref();
        let module_line = Some(line_of(&text, module.id.span().start));
        if !is_valid_id(module_id) {
            out.push(
                &manifest_path,
                module_line,
                Problem::BadId {
                    id: module_id.clone(),
                    question: None,
                },
            );
            continue;
        }
        if !seen_modules.insert(module_id.clone()) {
            out.push(
                &manifest_path,
                module_line,
                Problem::DuplicateId {
                    id: module_id.clone(),
                    question: None,
                },
            );
            continue;
        }
        if module.lessons.is_empty() {
            out.push(
                &manifest_path,
                module_line,
                Problem::ModuleNoLessons {
                    module: module_id.clone(),
                },
            );
        }
        let mut refs = Vec::new();
        for lesson_id in &module.lessons {
            let lesson_line = Some(line_of(&text, lesson_id.span().start));
            let lesson_id = lesson_id.get_ref();
            if !is_valid_id(lesson_id) {
                out.push(
                    &manifest_path,
                    lesson_line,
                    Problem::BadId {
                        id: lesson_id.clone(),
                        question: None,
                    },
                );
                continue;
            }
            if !seen_lessons.insert(lesson_id.clone()) {
                out.push(
                    &manifest_path,
                    lesson_line,
                    Problem::DuplicateId {
                        id: lesson_id.clone(),
                        question: None,
                    },
                );
                continue;
            }
            let path = dir.join(module_id).join(format!("{lesson_id}.md"));
            let Ok(source) = std::fs::read_to_string(&path) else {
                out.push(
                    &manifest_path,
                    lesson_line,
                    Problem::FileMissing {
                        kind: ListedKind::Lesson,
                        id: lesson_id.clone(),
                        file: relative(dir, &path),
                    },
                );
                continue;
            };
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(source.as_bytes());
            let all_lesson_ids: HashSet<&str> = manifest
                .modules
                .iter()
                .flat_map(|m| m.lessons.iter().map(|l| l.get_ref().as_str()))
                .collect();
            let links = Links {
                course_id: &course_id,
                media: &media_names,
                lessons: &all_lesson_ids,
                sizes: &media_sizes,
            };
            if let Some((front, html)) = parse_lesson(&path, &source, &links, &mut out) {
                refs.push(LessonRef {
                    id: lesson_id.clone(),
                    title: front.title.clone(),
                    minutes: front.minutes,
                });
                lessons.push(Lesson {
                    course_id: course_id.clone(),
                    module_id: module_id.clone(),
                    id: lesson_id.clone(),
                    title: front.title,
                    minutes: front.minutes,
                    html,
                });
            }
        }
        // Situation sets and assessments listed for this module.
        let listed = Listed {
            manifest: &manifest_path,
            text: &text,
            dir,
            module: module_id,
        };
        let mut situation_refs = Vec::new();
        for situation_id in &module.situations {
            let Some((path, source)) = listed.read(
                situation_id,
                ListedKind::Situation,
                &mut seen_lessons,
                &mut out,
                &mut hasher,
            ) else {
                continue;
            };
            let situation_id = situation_id.get_ref();
            let ids = SetIds {
                course: &course_id,
                module: module_id,
                set: situation_id,
            };
            if let Some(set) = parse_situation(&path, &source, &ids, &mut out) {
                situation_refs.push(SituationRef {
                    id: set.id.clone(),
                    title: set.title.clone(),
                    mode: set.mode,
                    question_count: u32::try_from(set.questions.len()).unwrap_or(u32::MAX),
                });
                situations.push(set);
            }
        }
        let mut assessment_refs = Vec::new();
        for assessment_id in &module.assessments {
            let Some((path, source)) = listed.read(
                assessment_id,
                ListedKind::Assessment,
                &mut seen_lessons,
                &mut out,
                &mut hasher,
            ) else {
                continue;
            };
            let assessment_id = assessment_id.get_ref();
            let ids = SetIds {
                course: &course_id,
                module: module_id,
                set: assessment_id,
            };
            if let Some(compiled) = parse_assessment(&path, &source, &ids, &mut out) {
                let count = attempt_questions(&compiled.paper, 0).map_or(0, |q| q.len());
                assessment_refs.push(AssessmentRef {
                    id: compiled.paper.id.clone(),
                    title: compiled.paper.title.clone(),
                    question_count: u32::try_from(count).unwrap_or(u32::MAX),
                    settings: compiled.paper.settings.clone(),
                });
                assessments.push(compiled);
            }
        }
        modules.push(ModuleOutline {
            id: module_id.clone(),
            title: module.title.clone(),
            summary: module.summary.clone(),
            lessons: refs,
            situations: situation_refs,
            assessments: assessment_refs,
        });
    }

    let completion = completion_rule(&manifest, &modules, &manifest_path, &text, &mut out);
    if !out.errors.is_empty() {
        return Err(ContentErrors(out.errors));
    }
    let outline = CourseOutline {
        completion,
        id: course_id,
        title: manifest.title,
        summary: manifest.summary,
        version: 0,
        modules,
        media: media.iter().map(|m| m.name.clone()).collect(),
        download_bytes: (lessons.iter().map(|l| l.html.len()).sum::<usize>()
            + media.iter().map(|m| m.bytes.len()).sum::<usize>()) as u64
            + situations
                .iter()
                .map(|s| lophoc_core::content::stored_bytes(&s.clone().for_trainee()))
                .sum::<u64>()
            + assessments
                .iter()
                .map(|a| lophoc_core::content::stored_bytes(&a.paper))
                .sum::<u64>(),
    };
    // The rules shared with the client; anything here is a bug above.
    let problems = outline.problems();
    if !problems.is_empty() {
        for p in problems {
            out.push(&manifest_path, None, p);
        }
        return Err(ContentErrors(out.errors));
    }
    let content_hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(CompiledCourse {
        outline,
        lessons,
        situations,
        assessments,
        media,
        content_hash,
    })
}

fn mime_for(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "m4a" => "audio/mp4",
        _ => return None,
    })
}

fn load_media(dir: &Path, out: &mut Collector, hasher: &mut Sha256) -> Vec<Media> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in entries.filter_map(Result::ok) {
        files.insert(
            entry.file_name().to_string_lossy().into_owned(),
            entry.path(),
        );
    }
    let mut media = Vec::new();
    for (name, path) in files {
        let valid_name = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
            && !name.starts_with('.');
        if !valid_name {
            out.push(&path, None, Problem::MediaBadName);
            continue;
        }
        let Some(mime) = mime_for(&name) else {
            out.push(&path, None, Problem::MediaBadType);
            continue;
        };
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() > MAX_MEDIA_BYTES => out.push(
                &path,
                None,
                Problem::MediaTooLarge {
                    bytes: bytes.len(),
                    max: MAX_MEDIA_BYTES,
                },
            ),
            Ok(bytes) => {
                hasher.update(name.as_bytes());
                hasher.update(&bytes);
                media.push(Media { name, mime, bytes });
            }
            Err(e) => out.push(
                &path,
                None,
                Problem::Unreadable {
                    detail: e.to_string(),
                },
            ),
        }
    }
    media
}

/// What a lesson may link to.
struct Links<'a> {
    course_id: &'a str,
    media: &'a HashSet<&'a str>,
    lessons: &'a HashSet<&'a str>,
    /// Width and height of the course's images, when known: written on each
    /// `<img>` so the page keeps the image's place while it loads.
    sizes: &'a HashMap<&'a str, (u32, u32)>,
}

/// Splits front matter from the body, renders and sanitizes the body.
fn parse_lesson(
    path: &Path,
    source: &str,
    links: &Links<'_>,
    out: &mut Collector,
) -> Option<(FrontMatter, String)> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Some(rest) = source
        .strip_prefix("+++\n")
        .or_else(|| source.strip_prefix("+++\r\n"))
    else {
        out.push(path, Some(1), Problem::NoFrontMatter);
        return None;
    };
    let Some(end) = rest.find("\n+++") else {
        out.push(path, Some(1), Problem::FrontMatterOpen);
        return None;
    };
    let front_text = &rest[..end + 1];
    let body_start = (source.len() - rest.len()) + end + "\n+++".len();
    let body = source.get(body_start..).unwrap_or_default();
    // Lines before the body: "+++", the front matter, "+++".
    let body_line_offset = line_of(source, body_start) - 1;
    let front: FrontMatter = match toml::from_str(front_text) {
        Ok(front) => front,
        Err(e) => {
            out.syntax(path, front_text, &e, 1);
            return None;
        }
    };
    if front.title.trim().is_empty() {
        out.push(path, Some(2), Problem::LessonNoTitle);
        return None;
    }
    let errors_before = out.errors.len();
    let html = render_markdown(body, |dest, offset| {
        let line = Some(body_line_offset + line_of(body, offset));
        let resolved = resolve_link(dest, links);
        if let Err(problem) = &resolved {
            out.push(path, line, problem.clone());
        }
        resolved.ok()
    });
    let html = with_image_sizes(html, links);
    (out.errors.len() == errors_before).then_some((front, html))
}

/// Writes `width` and `height` on the lesson's images of known size (the
/// stylesheet scales them to the column, keeping the ratio), so the text
/// below an image does not jump when it arrives on a slow link. Runs on
/// sanitized HTML; the attributes are numbers.
fn with_image_sizes(html: String, links: &Links<'_>) -> String {
    let mut html = html;
    for (name, (width, height)) in links.sizes {
        let src = format!("<img src=\"/api/courses/{}/media/{name}\"", links.course_id);
        if html.contains(&src) {
            let sized = format!(
                "<img width=\"{width}\" height=\"{height}\" src=\"/api/courses/{}/media/{name}\"",
                links.course_id
            );
            html = html.replace(&src, &sized);
        }
    }
    html
}

/// The size of an image in `media/`: an SVG's `width`/`height` (else its
/// `viewBox`), a PNG's or JPEG's header. `None` when it cannot be told.
fn image_size(media: &Media) -> Option<(u32, u32)> {
    if media.mime == "image/svg+xml" {
        let text = std::str::from_utf8(&media.bytes).ok()?;
        let start = text.find("<svg")?;
        let tag = &text[start..start + text[start..].find('>')?];
        let attr = |name: &str| {
            let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(&tag[at..at + tag[at..].find('"')?])
        };
        let number = |value: &str| value.trim().parse::<f64>().ok().filter(|n| *n > 0.0);
        let size = match (
            attr("width").and_then(number),
            attr("height").and_then(number),
        ) {
            (Some(w), Some(h)) => (w, h),
            _ => {
                let view: Vec<f64> = attr("viewBox")?
                    .split([' ', ','])
                    .filter(|p| !p.is_empty())
                    .filter_map(|p| p.parse().ok())
                    .collect();
                match view[..] {
                    [_, _, w, h] if w > 0.0 && h > 0.0 => (w, h),
                    _ => return None,
                }
            }
        };
        return Some((size.0.round() as u32, size.1.round() as u32));
    }
    if media.mime.starts_with("image/") {
        return image::ImageReader::new(std::io::Cursor::new(&media.bytes))
            .with_guessed_format()
            .ok()?
            .into_dimensions()
            .ok();
    }
    None
}

/// A lesson's source rendered exactly as [`load_course`] renders it, for
/// the authoring preview: its title, minutes and sanitized HTML, or its
/// problems (with lines). `media` and `lessons` are the names the course
/// has; media links point at `/api/courses/{course_id}/media/…` as when
/// published (a preview rewrites them to the draft's).
pub fn render_lesson(
    file: &Path,
    source: &str,
    course_id: &str,
    media: &HashSet<&str>,
    lessons: &HashSet<&str>,
) -> Result<(String, u32, String), ContentErrors> {
    let mut out = Collector { errors: Vec::new() };
    let no_sizes = HashMap::new();
    let links = Links {
        course_id,
        media,
        lessons,
        sizes: &no_sizes,
    };
    match parse_lesson(file, source, &links, &mut out) {
        Some((front, html)) if out.errors.is_empty() => Ok((front.title, front.minutes, html)),
        _ => Err(ContentErrors(out.errors)),
    }
}

/// Where files listed in `course.toml` (situation sets, assessments) live.
struct Listed<'a> {
    manifest: &'a Path,
    /// The text of `course.toml`, for line numbers.
    text: &'a str,
    dir: &'a Path,
    module: &'a str,
}

impl Listed<'_> {
    /// Checks a listed id (valid, unique in the course) and reads its file
    /// `<module>/<id>.<kind>.toml`, adding it to the course hash. Problems
    /// are reported at the id's line in `course.toml`.
    fn read(
        &self,
        id: &Spanned<String>,
        kind: ListedKind,
        seen: &mut HashSet<String>,
        out: &mut Collector,
        hasher: &mut Sha256,
    ) -> Option<(PathBuf, String)> {
        let line = Some(line_of(self.text, id.span().start));
        let id = id.get_ref();
        if !is_valid_id(id) {
            let problem = Problem::BadId {
                id: id.clone(),
                question: None,
            };
            out.push(self.manifest, line, problem);
            return None;
        }
        if !seen.insert(id.clone()) {
            let problem = Problem::DuplicateId {
                id: id.clone(),
                question: None,
            };
            out.push(self.manifest, line, problem);
            return None;
        }
        let ext = match kind {
            ListedKind::Lesson => "md",
            ListedKind::Situation => "situation.toml",
            ListedKind::Assessment => "assessment.toml",
        };
        let path = self.dir.join(self.module).join(format!("{id}.{ext}"));
        let Ok(source) = std::fs::read_to_string(&path) else {
            out.push(
                self.manifest,
                line,
                Problem::FileMissing {
                    kind,
                    id: id.clone(),
                    file: relative(self.dir, &path),
                },
            );
            return None;
        };
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(source.as_bytes());
        Some((path, source))
    }
}

/// Which set a situation file is, for the published copy.
struct SetIds<'a> {
    course: &'a str,
    module: &'a str,
    set: &'a str,
}

/// Parses a TOML file, reporting a syntax or shape error at its line.
fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    source: &str,
    out: &mut Collector,
) -> Option<T> {
    match toml::from_str(source) {
        Ok(file) => Some(file),
        Err(e) => {
            out.syntax(path, source, &e, 0);
            None
        }
    }
}

/// The line of a question's `id = "…"`, to point problems at it.
/// The line of the question a problem is about (a question id used twice:
/// its first).
fn problem_line(
    problem: &Problem,
    line_of_question: impl Fn(&str) -> Option<usize>,
) -> Option<usize> {
    match problem {
        Problem::DuplicateId { id, question: None } => line_of_question(id),
        _ => problem.question().and_then(line_of_question),
    }
}

/// `path` relative to the course folder, as authors name files.
fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn line_of_id(source: &str, id: &str) -> Option<usize> {
    source
        .find(&format!("id = \"{id}\""))
        .map(|offset| line_of(source, offset))
}

/// Parses and validates a situation set file; renders its Markdown fields.
fn parse_situation(
    path: &Path,
    source: &str,
    ids: &SetIds<'_>,
    out: &mut Collector,
) -> Option<SituationSet> {
    let file: SituationFile = parse_toml(path, source, out)?;
    let line_of_question = |id: &str| line_of_id(source, id);
    let situation = Situation {
        id: ids.set.to_string(),
        title: file.title.clone(),
        text: file.scenario.clone(),
        questions: file.questions.clone(),
    };
    let mut problems = validate_situation(&situation);
    if file.branching.is_some() && file.questions.is_empty() {
        // A branching scenario is enough on its own.
        problems.retain(|p| !matches!(p, Problem::NoQuestions { .. }));
    }
    let scenario = file
        .branching
        .map(|b| parse_branching(path, source, b, ids, &file.title, out));
    if file.mode == SituationMode::Discussion && file.guidance.trim().is_empty() {
        out.push(path, None, Problem::NoGuidance);
    }
    for problem in &problems {
        let line = problem_line(problem, line_of_question);
        out.push(path, line, problem.clone());
    }
    if !problems.is_empty() {
        return None;
    }
    // A scenario with problems keeps the set from being published.
    let scenario = match scenario {
        Some(None) => return None,
        Some(Some(scenario)) => Some(scenario),
        None => None,
    };
    let html = |markdown: &str| render_markdown(markdown, |_, _| None);
    let questions = file
        .questions
        .into_iter()
        .map(|mut q| {
            q.prompt = html(&q.prompt);
            q.explanation = q.explanation.as_deref().map(html);
            q.grader_note = q.grader_note.as_deref().map(html);
            q
        })
        .collect();
    Some(SituationSet {
        course_id: ids.course.to_string(),
        module_id: ids.module.to_string(),
        id: ids.set.to_string(),
        title: file.title,
        mode: file.mode,
        scenario_html: html(&file.scenario),
        guidance_html: if file.guidance.trim().is_empty() {
            String::new()
        } else {
            html(&file.guidance)
        },
        questions,
        scenario,
    })
}

/// Builds, checks and renders the `[branching]` table of the set `ids`;
/// `None` (with every problem reported at its line) if it cannot be
/// published.
fn parse_branching(
    path: &Path,
    source: &str,
    file: BranchingFile,
    ids: &SetIds<'_>,
    title: &str,
    out: &mut Collector,
) -> Option<Scenario> {
    let line = |span: std::ops::Range<usize>| line_of(source, span.start);
    // Where each step and ending id, and each (step, choice) id, is written.
    let nodes: Vec<(&str, usize)> = file
        .steps
        .iter()
        .map(|s| (s.id.get_ref().as_str(), line(s.id.span())))
        .chain(
            file.endings
                .iter()
                .map(|e| (e.id.get_ref().as_str(), line(e.id.span()))),
        )
        .collect();
    let choices: Vec<(&str, &str, usize)> = file
        .steps
        .iter()
        .flat_map(|s| {
            s.choices.iter().map(|c| {
                (
                    s.id.get_ref().as_str(),
                    c.id.get_ref().as_str(),
                    line(c.id.span()),
                )
            })
        })
        .collect();
    let node_line = |id: &str, nth: usize| {
        nodes
            .iter()
            .filter(|(n, _)| *n == id)
            .nth(nth)
            .map(|&(_, l)| l)
    };
    let choice_line = |step: &str, choice: &str, nth: usize| {
        choices
            .iter()
            .filter(|(s, c, _)| *s == step && *c == choice)
            .nth(nth)
            .map(|&(_, _, l)| l)
    };
    let errors_before = out.errors.len();
    for step in &file.steps {
        let at = Some(line(step.id.span()));
        if step.text.trim().is_empty() {
            out.push(
                path,
                at,
                Problem::StepNoText {
                    step: step.id.get_ref().clone(),
                },
            );
        }
        for choice in step.choices.iter().filter(|c| c.text.trim().is_empty()) {
            out.push(
                path,
                Some(line(choice.id.span())),
                Problem::ChoiceNoText {
                    step: step.id.get_ref().clone(),
                    choice: choice.id.get_ref().clone(),
                },
            );
        }
    }
    for ending in file.endings.iter().filter(|e| e.debrief.trim().is_empty()) {
        out.push(
            path,
            Some(line(ending.id.span())),
            Problem::EndingNoDebrief {
                ending: ending.id.get_ref().clone(),
            },
        );
    }
    let mut scenario = Scenario {
        id: ids.set.to_string(),
        title: title.to_string(),
        start: file.start.get_ref().clone(),
        steps: file
            .steps
            .iter()
            .map(|s| Step {
                id: s.id.get_ref().clone(),
                text: s.text.clone(),
                choices: s
                    .choices
                    .iter()
                    .map(|c| BranchChoice {
                        id: c.id.get_ref().clone(),
                        text: c.text.trim().to_string(),
                        next: c.next.clone(),
                    })
                    .collect(),
                allow_revisit: s.allow_revisit,
            })
            .collect(),
        endings: file
            .endings
            .iter()
            .map(|e| Ending {
                id: e.id.get_ref().clone(),
                debrief: e.debrief.clone(),
                score: e.score,
            })
            .collect(),
    };
    for problem in validate_scenario(&scenario) {
        let at = match &problem {
            ScenarioProblem::InvalidId { id } => node_line(id, 0)
                .or_else(|| choices.iter().find(|(_, c, _)| c == id).map(|&(_, _, l)| l)),
            ScenarioProblem::DuplicateId { id } => node_line(id, 1),
            ScenarioProblem::DuplicateChoice { step, choice } => choice_line(step, choice, 1),
            ScenarioProblem::UnknownStart { .. } => Some(line(file.start.span())),
            ScenarioProblem::UnknownTarget { step, choice, .. } => choice_line(step, choice, 0),
            ScenarioProblem::NoChoices { step } | ScenarioProblem::NoWayOut { step } => {
                node_line(step, 0)
            }
            ScenarioProblem::Unreachable { id } => node_line(id, 0),
            ScenarioProblem::UnmarkedCycle { steps } => steps.first().and_then(|s| node_line(s, 0)),
        };
        out.push(path, at, Problem::from(&problem));
    }
    if out.errors.len() != errors_before {
        return None;
    }
    let html = |markdown: &str| render_markdown(markdown, |_, _| None);
    for step in &mut scenario.steps {
        step.text = html(&step.text);
    }
    for ending in &mut scenario.endings {
        ending.debrief = html(&ending.debrief);
    }
    Some(scenario)
}

/// Parses and validates an assessment file; renders its Markdown fields.
fn parse_assessment(
    path: &Path,
    source: &str,
    ids: &SetIds<'_>,
    out: &mut Collector,
) -> Option<CompiledAssessment> {
    let file: AssessmentFile = parse_toml(path, source, out)?;
    let line_of_question = |id: &str| line_of_id(source, id);
    let errors_before = out.errors.len();
    for problem in file.settings.problems() {
        out.push(path, None, problem);
    }
    for problem in validate_bank(&file.questions) {
        let line = problem_line(&problem, line_of_question);
        out.push(path, line, problem);
    }
    let html = |markdown: &str| render_markdown(markdown, |_, _| None);
    let bank: Vec<Question> = file
        .questions
        .into_iter()
        .map(|mut q| {
            q.prompt = html(&q.prompt);
            q.explanation = q.explanation.as_deref().map(html);
            q.grader_note = q.grader_note.as_deref().map(html);
            q
        })
        .collect();
    let mut paper_bank = Vec::new();
    for q in &bank {
        match paper_question(q) {
            Some(p) => paper_bank.push(p),
            None => out.push(
                path,
                line_of_question(&q.id),
                Problem::NotForAssessment {
                    question: q.id.clone(),
                },
            ),
        }
    }
    let paper = AssessmentPaper {
        course_id: ids.course.to_string(),
        // Set when the course is published (`CourseStore::publish`).
        course_version: 0,
        module_id: ids.module.to_string(),
        id: ids.set.to_string(),
        title: file.title,
        intro_html: html(&file.intro),
        settings: file.settings,
        pools: file.pools,
        bank: paper_bank,
        seeds: None,
    };
    for (a, b) in lophoc_core::assessment::overlapping_pools(&paper.pools, &paper.bank) {
        out.push(
            path,
            None,
            Problem::PoolsOverlap {
                a: a.to_string(),
                b: b.to_string(),
            },
        );
    }
    if let Err(e) = attempt_questions(&paper, 0) {
        out.push(
            path,
            None,
            match e {
                DrawError::NotEnough {
                    tag,
                    wanted,
                    available,
                } => Problem::PoolShort {
                    tag,
                    wanted,
                    available,
                },
                DrawError::NotEnoughHard {
                    tag,
                    wanted,
                    available,
                } => Problem::PoolShortHard {
                    tag,
                    wanted,
                    available,
                },
                DrawError::HardAboveCount {
                    tag,
                    count,
                    min_hard,
                } => Problem::PoolHardAboveCount {
                    tag,
                    count,
                    min_hard,
                },
            },
        );
    }
    (out.errors.len() == errors_before).then_some(CompiledAssessment { paper, bank })
}

/// Maps a link or image destination written in a lesson to its URL in the
/// app: `../media/x.svg` to the media endpoint, `other-lesson.md` (or
/// `../module/other-lesson.md`) to that lesson's page, web links unchanged.
fn resolve_link(dest: &str, links: &Links<'_>) -> Result<String, Problem> {
    if dest.starts_with("https://")
        || dest.starts_with("http://")
        || dest.starts_with("mailto:")
        || dest.starts_with('#')
    {
        return Ok(dest.to_string());
    }
    if let Some(name) = dest.strip_prefix("../media/") {
        return if links.media.contains(name) {
            Ok(format!("/api/courses/{}/media/{name}", links.course_id))
        } else {
            Err(Problem::MissingMedia {
                link: dest.to_string(),
            })
        };
    }
    if let Some(file) = dest.strip_suffix(".md") {
        let lesson = file.rsplit('/').next().unwrap_or(file);
        return if links.lessons.contains(lesson) {
            Ok(format!("/courses/{}/lessons/{lesson}", links.course_id))
        } else {
            Err(Problem::MissingLesson {
                link: dest.to_string(),
                lesson: lesson.to_string(),
            })
        };
    }
    Err(Problem::BadLink {
        link: dest.to_string(),
    })
}

/// Renders Markdown to sanitized HTML. `resolve` maps each link and image
/// destination (with its byte offset in `markdown`) to a URL, or `None` to
/// drop it.
pub fn render_markdown(
    markdown: &str,
    mut resolve: impl FnMut(&str, usize) -> Option<String>,
) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options)
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = CowStr::from(resolve(&dest_url, range.start).unwrap_or_default());
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = CowStr::from(resolve(&dest_url, range.start).unwrap_or_default());
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    wrap_tables(&sanitize(&html))
}

/// Puts each table in a keyboard-focusable box that scrolls sideways, so a
/// wide table never widens the page on a phone and can still be scrolled
/// without a mouse. Runs on sanitized HTML, where every `<table>` is a table.
fn wrap_tables(html: &str) -> String {
    html.replace(
        "<table>",
        r#"<div class="table-scroll" tabindex="0"><table>"#,
    )
    .replace("</table>", "</table></div>")
}

/// Removes everything a lesson must not carry: scripts, styles, frames,
/// event-handler attributes, and links with other schemes than http(s)/mailto.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_images_get_their_size_so_the_text_does_not_jump() {
        let svg = |head: &str| Media {
            name: "x.svg".into(),
            mime: "image/svg+xml",
            bytes: format!("<?xml version=\"1.0\"?>\n{head}<rect/></svg>").into_bytes(),
        };
        assert_eq!(
            image_size(&svg(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="360" height="176">"#
            )),
            Some((360, 176))
        );
        assert_eq!(
            image_size(&svg(r#"<svg viewBox="0 0 640.4 320">"#)),
            Some((640, 320))
        );
        assert_eq!(image_size(&svg(r#"<svg width="100%">"#)), None);
        let mut png = Vec::new();
        image::RgbImage::new(7, 3)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let png = Media {
            name: "p.png".into(),
            mime: "image/png",
            bytes: png,
        };
        assert_eq!(image_size(&png), Some((7, 3)));

        let sizes = HashMap::from([("x.svg", (360, 176))]);
        let media = HashSet::from(["x.svg", "y.svg"]);
        let lessons = HashSet::new();
        let links = Links {
            course_id: "c",
            media: &media,
            lessons: &lessons,
            sizes: &sizes,
        };
        let html = render_markdown(
            "![Sơ đồ](../media/x.svg) ![Khác](../media/y.svg)",
            |dest, _| resolve_link(dest, &links).ok(),
        );
        let html = with_image_sizes(html, &links);
        assert!(
            html.contains(
                r#"<img width="360" height="176" src="/api/courses/c/media/x.svg" alt="Sơ đồ">"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<img src="/api/courses/c/media/y.svg""#),
            "{html}"
        );
    }

    #[test]
    fn sanitizing_removes_scripts_handlers_and_frames() {
        let html = render_markdown(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> \
             <iframe src=\"https://evil.example\"></iframe> [x](javascript:alert(1))",
            |dest, _| Some(dest.to_string()),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("Hi"));
    }

    #[test]
    fn renders_tables_quotes_and_lists() {
        let html = render_markdown(
            "## Tiêu đề\n\n> Trích dẫn\n\n- một\n- hai\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            |d, _| Some(d.into()),
        );
        for tag in [
            "<h2>",
            "<blockquote>",
            "<ul>",
            "<table>",
            "<td>2</td>",
            r#"<div class="table-scroll" tabindex="0"><table>"#,
        ] {
            assert!(html.contains(tag), "{tag} missing in {html}");
        }
    }

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
