//! Authoring in the browser: the wire types of drafts, reviews and
//! approvals, and the pure rules they follow — which save wins, when a save
//! is a conflict, how two versions of a file differ line by line, and the
//! situation-set form (every question kind and the branching scenario) that
//! writes the `*.situation.toml` format.
//!
//! Policy: a draft is the course's files (`docs/content-format.md`), each
//! with a version number. A save names the version it edited
//! (`base_version`); a save on an older version than the server's is a
//! conflict that the author resolves by choosing, never a silent overwrite.
//! The same save sent twice (a retry after a lost answer) is not a conflict.

use serde::{Deserialize, Serialize};

use crate::{
    content::SituationMode,
    ids::is_valid_id,
    number::Decimal,
    question::{Accepted, Choice, Criterion, Difficulty, Gap, NumericAnswer, QuestionBody},
};

/// What a file of a draft is, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `course.toml`.
    Course,
    /// `<module>/<lesson>.md`.
    Lesson,
    /// `<module>/<id>.situation.toml`.
    Situation,
    /// `<module>/<id>.assessment.toml`.
    Assessment,
    /// `media/<name>`.
    Media,
}

/// Largest media file name.
const MAX_MEDIA_NAME: usize = 100;

/// Whether `name` may name a media file: `a-z 0-9 - _ .`, not starting
/// with a dot.
pub fn is_valid_media_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_MEDIA_NAME
        && !name.starts_with('.')
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// The kind of the file at `path`, or `None` when a draft cannot hold such
/// a path (so nothing outside the content format is ever written).
pub fn file_kind(path: &str) -> Option<FileKind> {
    if path == "course.toml" {
        return Some(FileKind::Course);
    }
    let (dir, name) = path.split_once('/')?;
    if dir == "media" {
        return is_valid_media_name(name).then_some(FileKind::Media);
    }
    if !is_valid_id(dir) {
        return None;
    }
    for (suffix, kind) in [
        (".situation.toml", FileKind::Situation),
        (".assessment.toml", FileKind::Assessment),
        (".md", FileKind::Lesson),
    ] {
        if let Some(id) = name.strip_suffix(suffix) {
            return is_valid_id(id).then_some(kind);
        }
    }
    None
}

/// What the server does with a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveDecision {
    /// Store the content as this new version.
    Store { version: i64 },
    /// The content is already the current version (a retried save): answer
    /// with it, store nothing.
    AlreadySaved { version: i64 },
    /// Someone saved a newer version than the one edited: refuse and show
    /// both.
    Conflict { current: i64 },
}

/// Decides a save of `content` edited from `base` (None: a new file) onto
/// the current version and content of the file (None: no such file).
pub fn decide_save<T: PartialEq + ?Sized>(
    current: Option<(i64, &T)>,
    base: Option<i64>,
    content: &T,
) -> SaveDecision {
    match current {
        None => SaveDecision::Store { version: 1 },
        Some((version, stored)) if *stored == *content => SaveDecision::AlreadySaved { version },
        Some((version, _)) if base == Some(version) => SaveDecision::Store {
            version: version + 1,
        },
        Some((version, _)) => SaveDecision::Conflict { current: version },
    }
}

/// Saves by one person within this many seconds of their previous save of
/// the same file share one history entry (autosave would otherwise write
/// one per pause in typing).
pub const COALESCE_SECS: i64 = 10 * 60;

/// Whether a save by `author` at `now` folds into the latest history entry
/// (by `last_author` at `last_at`, which `started_at` opened), rather than
/// starting a new one. An entry spans at most an hour, so a long session
/// still leaves steps to go back to.
pub fn coalesces(last_author: i64, last_at: i64, started_at: i64, author: i64, now: i64) -> bool {
    last_author == author && now - last_at <= COALESCE_SECS && now - started_at <= 3600
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// Above this many line pairs, the diff stops looking for a longest common
/// subsequence and shows the changed middle as removed then added.
const DIFF_CELLS: usize = 4_000_000;

/// The lines of `old` and `new` as kept, removed and added, in order
/// (a longest common subsequence of lines; common head and tail first).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<DiffLine> = a[..head]
        .iter()
        .map(|l| DiffLine::Same(l.to_string()))
        .collect();
    if ma.len().saturating_mul(mb.len()) > DIFF_CELLS {
        out.extend(ma.iter().map(|l| DiffLine::Removed(l.to_string())));
        out.extend(mb.iter().map(|l| DiffLine::Added(l.to_string())));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0_u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                out.push(DiffLine::Same(ma[i].to_string()));
                i += 1;
                j += 1;
            } else if i < ma.len() && (j == mb.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                out.push(DiffLine::Removed(ma[i].to_string()));
                i += 1;
            } else {
                out.push(DiffLine::Added(mb[j].to_string()));
                j += 1;
            }
        }
    }
    out.extend(
        a[a.len() - tail..]
            .iter()
            .map(|l| DiffLine::Same(l.to_string())),
    );
    out
}

/// How a file changed between the published course and a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Modified,
}

/// One changed file of a review. Media files carry no lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDiff {
    pub path: String,
    pub change: Change,
    pub lines: Vec<DiffLine>,
}

/// The changed files between `published` and `draft` (path and text; media
/// as a hash or any stand-in that changes with the bytes), by path.
pub fn diff_files(published: &[(String, String)], draft: &[(String, String)]) -> Vec<FileDiff> {
    let mut paths: Vec<&str> = published
        .iter()
        .chain(draft)
        .map(|(p, _)| p.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let find = |files: &[(String, String)], path: &str| {
        files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.clone())
    };
    let mut out = Vec::new();
    for path in paths {
        let media = path.starts_with("media/");
        let (change, old, new) = match (find(published, path), find(draft, path)) {
            (Some(old), Some(new)) if old == new => continue,
            (Some(old), Some(new)) => (Change::Modified, old, new),
            (None, Some(new)) => (Change::Added, String::new(), new),
            (Some(old), None) => (Change::Removed, old, String::new()),
            (None, None) => continue,
        };
        out.push(FileDiff {
            path: path.to_string(),
            change,
            lines: if media {
                Vec::new()
            } else {
                line_diff(&old, &new)
            },
        });
    }
    out
}

// --- Wire types -------------------------------------------------------------

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    /// Being written; not under review.
    Editing,
    /// Submitted; waits for a reviewer.
    Submitted,
    /// Sent back by a reviewer with comments.
    Returned,
}

/// A draft in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub course_id: String,
    pub title: String,
    pub status: DraftStatus,
    /// The published version it will replace, if any.
    pub published_version: Option<i64>,
    pub updated_at: i64,
    /// Who submitted it, while under review.
    pub submitted_by: Option<String>,
}

/// The authoring home: drafts, and published courses without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoringHome {
    pub drafts: Vec<DraftSummary>,
    /// `(id, title)` of published courses a draft can start from.
    pub published: Vec<(String, String)>,
    /// Whether the asker reviews for their centre.
    pub reviewer: bool,
}

/// Start a draft: from a published course (`from`), or a new empty course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDraft {
    pub course_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub from_published: bool,
}

/// One file of a draft, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFile {
    pub path: String,
    pub kind: FileKind,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
    /// Size in bytes.
    pub size: i64,
}

/// A comment on a review, on a file (and line) or on the whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    pub path: Option<String>,
    pub line: Option<i64>,
    pub body: String,
    pub at: i64,
}

/// What a reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Returned,
}

/// One submission and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    pub submitted_by: String,
    pub submitted_at: i64,
    pub note: String,
    pub decision: Option<Decision>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// The course version an approval published.
    pub published_version: Option<i64>,
    pub comments: Vec<Comment>,
}

/// A draft with its files and reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDetail {
    pub summary: DraftSummary,
    pub files: Vec<DraftFile>,
    /// Newest first.
    pub reviews: Vec<Review>,
    /// Whether the asker may edit and submit.
    pub can_edit: bool,
    /// Whether the asker may approve or return the open submission.
    pub can_decide: bool,
    /// The course as a lecturer thinks of it: its modules with their titles
    /// and, in course order, the lessons, situation sets and assessments
    /// with their titles and files (read leniently from the draft, so a
    /// draft with problems still shows). Files outside it are "other files".
    #[serde(default)]
    pub outline: Vec<DraftModule>,
}

/// A module of a draft, in course order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftModule {
    /// Its folder name.
    pub id: String,
    pub title: String,
    pub items: Vec<DraftItem>,
}

/// A lesson, situation set or assessment of a draft module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftItem {
    pub path: String,
    pub kind: FileKind,
    /// The title it has now; its file name when none can be read.
    pub title: String,
}

/// A file's content at a version. Media files have an empty `content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileContent {
    pub path: String,
    pub version: i64,
    pub content: String,
    pub updated_by: String,
    pub updated_at: i64,
    /// For a situation file the form can show: its fields.
    pub form: Option<SituationForm>,
}

/// A file's version as a conflicting save shows it beside the author's
/// text: who saved it, when, and what it says. Only these fields, so that
/// every page that reads an [`crate::api::ApiError`] (the trainee's too)
/// stays small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    pub version: i64,
    pub content: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A save: the new text and the version it was edited from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveRequest {
    pub base_version: Option<i64>,
    pub content: String,
}

/// A stored save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub version: i64,
}

/// One entry of a file's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub saved_by: String,
    pub saved_at: i64,
    pub content: String,
}

/// One problem of a draft, as the content loader reports it: where it is,
/// its code ([`crate::problem::Problem`]) and its sentences, which the staff
/// pages show in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    /// The code. The client leaves it out (and skips it on the wire): it
    /// shows `text`.
    #[cfg(any(test, feature = "server"))]
    pub problem: crate::problem::Problem,
    /// The code's sentence ([`crate::problem::Problem::text`]) in
    /// Vietnamese and in English: plain fields, so the client's decoder
    /// stays small.
    pub text_vi: String,
    pub text_en: String,
    /// Its technical detail ([`crate::problem::Problem::detail_text`]).
    pub detail_vi: Option<String>,
    pub detail_en: Option<String>,
}

#[cfg(any(test, feature = "server"))]
impl Problem {
    /// `problem` at `file` and `line`, with its sentences.
    pub fn new(file: String, line: Option<usize>, problem: crate::problem::Problem) -> Problem {
        use crate::i18n::Lang;
        Problem {
            file,
            line,
            text_vi: problem.text(Lang::Vi),
            text_en: problem.text(Lang::En),
            detail_vi: problem.detail_text(Lang::Vi),
            detail_en: problem.detail_text(Lang::En),
            problem,
        }
    }
}

/// The draft checked as the server would publish it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub problems: Vec<Problem>,
    /// After a submission: who may approve or return it (never the
    /// submitter), so the author knows who to turn to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<String>,
}

/// A lesson rendered as trainees will see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRequest {
    pub path: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub title: String,
    pub minutes: u32,
    /// Sanitized, as published.
    pub html: String,
    pub problems: Vec<Problem>,
}

/// Adds a module, a lesson or a situation set: its file and its place in
/// `course.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewItem {
    pub kind: NewItemKind,
    /// The module of a lesson or situation set.
    #[serde(default)]
    pub module: String,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewItemKind {
    Module,
    Lesson,
    Situation,
}

/// A submission's note, a reviewer's comment or decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Note {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub line: Option<i64>,
}

/// A submission waiting in a reviewer's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub draft: DraftSummary,
    /// Whether the asker may decide (not their own submission).
    pub can_decide: bool,
}

/// What a reviewer sees: the changes against the published course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDiff {
    pub files: Vec<FileDiff>,
    /// Questions changed under the same id (`file: id`): answers already
    /// given to them count against the new wording and key.
    #[serde(default)]
    pub changed_questions: Vec<String>,
}

/// A lecturer of the centre and whether they review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerEntry {
    pub user_id: i64,
    pub full_name: String,
    pub reviewer: bool,
}

/// Grants or takes back the reviewer role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerGrant {
    pub user_id: i64,
    pub reviewer: bool,
}

/// What an imported zip did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub course_id: String,
    /// Files stored as new versions.
    pub changed: u32,
}

/// A stored upload: its file name under `media/` (a free one when the
/// name asked for holds another file) and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    pub name: String,
    pub bytes: u64,
}

/// Largest image or audio file a lecturer may upload, in bytes. Photos are
/// scaled down and recompressed on the server; what is stored must fit the
/// content format's media limit (5 MB).
pub const MAX_UPLOAD_BYTES: u64 = 12 * 1024 * 1024;

/// Media types the content format takes, by extension.
pub const MEDIA_EXTENSIONS: [&str; 9] = [
    "svg", "png", "jpg", "jpeg", "webp", "gif", "mp3", "ogg", "m4a",
];

/// A media file name made from a file's own name: lowercase, tone marks
/// and other characters folded to `-`, the extension kept; `None` when
/// the type is not one the content format takes.
pub fn media_name(file_name: &str) -> Option<String> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !MEDIA_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let folded = crate::text::fold(stem);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "anh" } else { slug };
    let slug: String = slug.chars().take(60).collect();
    Some(format!("{slug}.{ext}"))
}

/// An id made from a title: tone marks folded, `a-z 0-9 -` only, at
/// most 48 characters (`"Phòng bì ngày Tết"` → `"phong-bi-ngay-tet"`).
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in crate::text::fold(title).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.chars().take(48).collect();
    out.trim_end_matches('-').to_string()
}

/// A server time (Unix seconds) as Vietnam time, `HH:MM DD/MM/YYYY`.
pub fn vn_time(secs: i64) -> String {
    let local = secs + 7 * 3600;
    let day = local.div_euclid(86_400);
    let minutes = local.rem_euclid(86_400) / 60;
    let (y, m, d) = crate::calendar::civil_from_days(day);
    format!("{:02}:{:02} {d:02}/{m:02}/{y}", minutes / 60, minutes % 60)
}

// --- The situation-set form -------------------------------------------------

/// A situation file as the form edits it: every field of the format, every
/// question kind (as [`QuestionBody`], the same type the loader reads) and
/// the branching scenario. `to_toml` writes it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SituationForm {
    pub title: String,
    pub mode: FormMode,
    pub scenario: String,
    pub guidance: String,
    pub questions: Vec<FormQuestion>,
    pub branching: Option<BranchingForm>,
}

/// `mode` of a set, with a default for a new form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FormMode {
    #[default]
    Practice,
    Discussion,
}

impl From<SituationMode> for FormMode {
    fn from(mode: SituationMode) -> FormMode {
        match mode {
            SituationMode::Practice => FormMode::Practice,
            SituationMode::Discussion => FormMode::Discussion,
        }
    }
}

/// A question of the form, of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormQuestion {
    pub id: String,
    pub prompt: String,
    pub points: u32,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    /// Empty when there is none.
    pub explanation: String,
    /// For graders only; empty when there is none.
    #[serde(default)]
    pub grader_note: String,
    pub body: QuestionBody,
}

impl FormQuestion {
    /// A new single-choice question with two empty options, the first one
    /// marked correct.
    pub fn new(id: String) -> FormQuestion {
        FormQuestion {
            id,
            prompt: String::new(),
            points: 1,
            difficulty: Difficulty::default(),
            tags: Vec::new(),
            explanation: String::new(),
            grader_note: String::new(),
            body: body_of_kind(QuestionKind::SingleChoice, None),
        }
    }
}

/// The kinds of question, in the order the form offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    Ordering,
    Matching,
    ShortAnswer,
    Numerical,
    FillBlanks,
    Essay,
    Opinion,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 10] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::TrueFalse,
        QuestionKind::Ordering,
        QuestionKind::Matching,
        QuestionKind::ShortAnswer,
        QuestionKind::Numerical,
        QuestionKind::FillBlanks,
        QuestionKind::Essay,
        QuestionKind::Opinion,
    ];

    /// The `kind = "…"` name of the format.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Ordering => "ordering",
            QuestionKind::Matching => "matching",
            QuestionKind::ShortAnswer => "short_answer",
            QuestionKind::Numerical => "numerical",
            QuestionKind::FillBlanks => "fill_blanks",
            QuestionKind::Essay => "essay",
            QuestionKind::Opinion => "opinion",
        }
    }

    pub fn parse(name: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn of(body: &QuestionBody) -> QuestionKind {
        match body {
            QuestionBody::SingleChoice { .. } => QuestionKind::SingleChoice,
            QuestionBody::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            QuestionBody::TrueFalse { .. } => QuestionKind::TrueFalse,
            QuestionBody::Ordering { .. } => QuestionKind::Ordering,
            QuestionBody::Matching { .. } => QuestionKind::Matching,
            QuestionBody::ShortAnswer { .. } => QuestionKind::ShortAnswer,
            QuestionBody::Numerical { .. } => QuestionKind::Numerical,
            QuestionBody::FillBlanks { .. } => QuestionKind::FillBlanks,
            QuestionBody::Essay { .. } => QuestionKind::Essay,
            QuestionBody::Opinion {} => QuestionKind::Opinion,
        }
    }
}

/// A body of `kind` to start from when an author switches a question to it.
/// Options carry over between single and multiple choice (a single choice
/// keeps only the first correct one); any other switch starts with two empty
/// rows, so the form always shows something to fill in.
pub fn body_of_kind(kind: QuestionKind, previous: Option<&QuestionBody>) -> QuestionBody {
    let options = match previous {
        Some(QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options }) => {
            Some(options.clone())
        }
        _ => None,
    };
    let two = || {
        vec![
            Choice {
                id: "a".into(),
                text: String::new(),
                correct: true,
                feedback: None,
            },
            Choice {
                id: "b".into(),
                text: String::new(),
                correct: false,
                feedback: None,
            },
        ]
    };
    match kind {
        QuestionKind::SingleChoice => {
            let mut options = options.unwrap_or_else(two);
            let first = options.iter().position(|o| o.correct).unwrap_or(0);
            for (i, o) in options.iter_mut().enumerate() {
                o.correct = i == first;
            }
            QuestionBody::SingleChoice { options }
        }
        QuestionKind::MultipleChoice => QuestionBody::MultipleChoice {
            options: options.unwrap_or_else(two),
        },
        QuestionKind::TrueFalse => QuestionBody::TrueFalse {
            answer: true,
            feedback_true: None,
            feedback_false: None,
        },
        QuestionKind::Ordering => QuestionBody::Ordering {
            items: vec![String::new(), String::new()],
        },
        QuestionKind::Matching => QuestionBody::Matching {
            pairs: vec![
                (String::new(), String::new()),
                (String::new(), String::new()),
            ],
            distractors: Vec::new(),
        },
        QuestionKind::ShortAnswer => QuestionBody::ShortAnswer {
            accepted: vec![Accepted::full("")],
            ignore_tone_marks: true,
        },
        QuestionKind::Numerical => QuestionBody::Numerical {
            answers: vec![NumericAnswer::exact(Decimal::ZERO)],
        },
        QuestionKind::FillBlanks => QuestionBody::FillBlanks {
            gaps: vec![Gap::ShortAnswer {
                accepted: vec![Accepted::full("")],
                ignore_tone_marks: true,
                weight: 1,
            }],
        },
        QuestionKind::Essay => QuestionBody::Essay {
            rubric: vec![Criterion {
                id: "tc-1".into(),
                description: String::new(),
                max_points: 5,
            }],
        },
        QuestionKind::Opinion => QuestionBody::Opinion {},
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BranchingForm {
    pub start: String,
    pub steps: Vec<StepForm>,
    pub endings: Vec<EndingForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StepForm {
    pub id: String,
    pub text: String,
    pub allow_revisit: bool,
    pub choices: Vec<ChoiceForm>,
}

/// A choice; `next` names a step or an ending (ids are unique across both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ChoiceForm {
    pub id: String,
    pub text: String,
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EndingForm {
    pub id: String,
    pub debrief: String,
    pub score: i64,
}

/// A TOML basic string: quoted, with `\`, `"` and control characters
/// escaped, so any text the author types stays exactly that text.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl SituationForm {
    /// The `*.situation.toml` text of the form.
    pub fn to_toml(&self) -> String {
        let mut t = String::new();
        let line = |t: &mut String, key: &str, value: &str| {
            t.push_str(&format!("{key} = {}\n", toml_string(value)));
        };
        line(&mut t, "title", &self.title);
        line(
            &mut t,
            "mode",
            match self.mode {
                FormMode::Practice => "practice",
                FormMode::Discussion => "discussion",
            },
        );
        line(&mut t, "scenario", &self.scenario);
        if !self.guidance.is_empty() {
            line(&mut t, "guidance", &self.guidance);
        }
        for q in &self.questions {
            t.push_str("\n[[questions]]\n");
            line(&mut t, "id", &q.id);
            line(&mut t, "prompt", &q.prompt);
            if q.points != 1 {
                t.push_str(&format!("points = {}\n", q.points));
            }
            if q.difficulty != Difficulty::default() {
                let name = match q.difficulty {
                    Difficulty::Easy => "easy",
                    Difficulty::Medium => "medium",
                    Difficulty::Hard => "hard",
                };
                line(&mut t, "difficulty", name);
            }
            if !q.tags.is_empty() {
                t.push_str(&format!("tags = {}\n", toml_list(&q.tags)));
            }
            if !q.explanation.is_empty() {
                line(&mut t, "explanation", &q.explanation);
            }
            if !q.grader_note.is_empty() {
                line(&mut t, "grader_note", &q.grader_note);
            }
            t.push_str(&format!(
                "[questions.body]\nkind = \"{}\"\n",
                QuestionKind::of(&q.body).as_str()
            ));
            write_body(&mut t, &q.body);
        }
        if let Some(b) = &self.branching {
            t.push_str("\n[branching]\n");
            line(&mut t, "start", &b.start);
            for s in &b.steps {
                t.push_str("\n[[branching.steps]]\n");
                line(&mut t, "id", &s.id);
                line(&mut t, "text", &s.text);
                if s.allow_revisit {
                    t.push_str("allow_revisit = true\n");
                }
                for c in &s.choices {
                    t.push_str("[[branching.steps.choices]]\n");
                    line(&mut t, "id", &c.id);
                    line(&mut t, "text", &c.text);
                    let target = if b.endings.iter().any(|e| e.id == c.next) {
                        "ending"
                    } else {
                        "step"
                    };
                    t.push_str(&format!(
                        "next = {{ {target} = {} }}\n",
                        toml_string(&c.next)
                    ));
                }
            }
            for e in &b.endings {
                t.push_str("\n[[branching.endings]]\n");
                line(&mut t, "id", &e.id);
                line(&mut t, "debrief", &e.debrief);
                t.push_str(&format!("score = {}\n", e.score));
            }
        }
        t
    }
}

/// `["a", "b"]` as TOML.
fn toml_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", items.join(", "))
}

/// Accepted answers as TOML: plain strings, or inline tables for partial
/// credit or feedback.
fn toml_accepted(accepted: &[Accepted]) -> String {
    let items: Vec<String> = accepted
        .iter()
        .map(|a| {
            if a.credit == crate::question::FULL_CREDIT && a.feedback.is_none() {
                toml_string(&a.text)
            } else {
                let mut fields = vec![format!("text = {}", toml_string(&a.text))];
                if a.credit != crate::question::FULL_CREDIT {
                    fields.push(format!("credit = {}", toml_string(&a.credit.to_string())));
                }
                if let Some(f) = &a.feedback {
                    fields.push(format!("feedback = {}", toml_string(f)));
                }
                format!("{{ {} }}", fields.join(", "))
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// Accepted values as TOML inline tables; numbers as strings, so they stay
/// exact.
fn toml_numeric(answers: &[NumericAnswer]) -> String {
    let items: Vec<String> = answers
        .iter()
        .map(|a| {
            let mut fields = vec![format!("value = {}", toml_string(&a.value.to_string()))];
            if a.tolerance != Decimal::ZERO {
                fields.push(format!(
                    "tolerance = {}",
                    toml_string(&a.tolerance.to_string())
                ));
            }
            if a.credit != crate::question::FULL_CREDIT {
                fields.push(format!("credit = {}", toml_string(&a.credit.to_string())));
            }
            if let Some(f) = &a.feedback {
                fields.push(format!("feedback = {}", toml_string(f)));
            }
            format!("{{ {} }}", fields.join(", "))
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn toml_weight(t: &mut String, weight: u32) {
    if weight != 1 {
        t.push_str(&format!("weight = {weight}\n"));
    }
}

/// The fields of `[questions.body]` after its `kind` line.
fn write_body(t: &mut String, body: &QuestionBody) {
    let line = |t: &mut String, key: &str, value: &str| {
        t.push_str(&format!("{key} = {}\n", toml_string(value)));
    };
    match body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            for o in options {
                t.push_str("[[questions.body.options]]\n");
                line(t, "id", &o.id);
                line(t, "text", &o.text);
                if o.correct {
                    t.push_str("correct = true\n");
                }
                if let Some(feedback) = o.feedback.as_deref().filter(|f| !f.is_empty()) {
                    line(t, "feedback", feedback);
                }
            }
        }
        QuestionBody::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            t.push_str(&format!("answer = {answer}\n"));
            if let Some(f) = feedback_true.as_deref().filter(|f| !f.is_empty()) {
                line(t, "feedback_true", f);
            }
            if let Some(f) = feedback_false.as_deref().filter(|f| !f.is_empty()) {
                line(t, "feedback_false", f);
            }
        }
        QuestionBody::Ordering { items } => {
            t.push_str(&format!("items = {}\n", toml_list(items)));
        }
        QuestionBody::Matching { pairs, distractors } => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(l, r)| format!("[{}, {}]", toml_string(l), toml_string(r)))
                .collect();
            t.push_str(&format!("pairs = [{}]\n", pairs.join(", ")));
            if !distractors.is_empty() {
                t.push_str(&format!("distractors = {}\n", toml_list(distractors)));
            }
        }
        QuestionBody::ShortAnswer {
            accepted,
            ignore_tone_marks,
        } => {
            t.push_str(&format!("accepted = {}\n", toml_accepted(accepted)));
            if *ignore_tone_marks {
                t.push_str("ignore_tone_marks = true\n");
            }
        }
        QuestionBody::Numerical { answers } => {
            t.push_str(&format!("answers = {}\n", toml_numeric(answers)));
        }
        QuestionBody::FillBlanks { gaps } => {
            for gap in gaps {
                t.push_str("[[questions.body.gaps]]\n");
                match gap {
                    Gap::ShortAnswer {
                        accepted,
                        ignore_tone_marks,
                        weight,
                    } => {
                        t.push_str("kind = \"short_answer\"\n");
                        t.push_str(&format!("accepted = {}\n", toml_accepted(accepted)));
                        if *ignore_tone_marks {
                            t.push_str("ignore_tone_marks = true\n");
                        }
                        toml_weight(t, *weight);
                    }
                    Gap::Numerical { answers, weight } => {
                        t.push_str("kind = \"numerical\"\n");
                        t.push_str(&format!("answers = {}\n", toml_numeric(answers)));
                        toml_weight(t, *weight);
                    }
                    Gap::Choice { options, weight } => {
                        t.push_str("kind = \"choice\"\n");
                        toml_weight(t, *weight);
                        let options: Vec<String> = options
                            .iter()
                            .map(|o| {
                                let mut fields = vec![
                                    format!("id = {}", toml_string(&o.id)),
                                    format!("text = {}", toml_string(&o.text)),
                                ];
                                if o.correct {
                                    fields.push("correct = true".into());
                                }
                                if let Some(f) = o.feedback.as_deref().filter(|f| !f.is_empty()) {
                                    fields.push(format!("feedback = {}", toml_string(f)));
                                }
                                format!("{{ {} }}", fields.join(", "))
                            })
                            .collect();
                        t.push_str(&format!("options = [{}]\n", options.join(", ")));
                    }
                }
            }
        }
        QuestionBody::Essay { rubric } => {
            for c in rubric {
                t.push_str("[[questions.body.rubric]]\n");
                line(t, "id", &c.id);
                line(t, "description", &c.description);
                t.push_str(&format!("max_points = {}\n", c.max_points));
            }
        }
        QuestionBody::Opinion {} => {}
    }
}

/// One line of a branching scenario's graph, as an indented outline from
/// the start step: a step, a choice under it, or where a choice leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphLine {
    pub depth: usize,
    pub node: GraphNode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GraphNode {
    Step {
        id: String,
    },
    Choice {
        id: String,
        text: String,
    },
    Ending {
        id: String,
        score: i64,
    },
    /// A step shown higher up already (a loop or a join).
    SeenStep {
        id: String,
    },
    /// A `next` that names no step or ending.
    Missing {
        id: String,
    },
}

/// The scenario as an outline from its start, and the steps it never
/// reaches. Each step is expanded once; later mentions are `SeenStep`.
pub fn scenario_graph(b: &BranchingForm) -> (Vec<GraphLine>, Vec<String>) {
    fn visit(
        b: &BranchingForm,
        id: &str,
        depth: usize,
        seen: &mut Vec<String>,
        out: &mut Vec<GraphLine>,
    ) {
        if let Some(e) = b.endings.iter().find(|e| e.id == id) {
            out.push(GraphLine {
                depth,
                node: GraphNode::Ending {
                    id: e.id.clone(),
                    score: e.score,
                },
            });
            return;
        }
        let Some(step) = b.steps.iter().find(|s| s.id == id) else {
            out.push(GraphLine {
                depth,
                node: GraphNode::Missing { id: id.to_string() },
            });
            return;
        };
        if seen.iter().any(|s| s == id) {
            out.push(GraphLine {
                depth,
                node: GraphNode::SeenStep { id: id.to_string() },
            });
            return;
        }
        seen.push(id.to_string());
        out.push(GraphLine {
            depth,
            node: GraphNode::Step { id: id.to_string() },
        });
        for c in &step.choices {
            out.push(GraphLine {
                depth: depth + 1,
                node: GraphNode::Choice {
                    id: c.id.clone(),
                    text: c.text.clone(),
                },
            });
            visit(b, &c.next, depth + 2, seen, out);
        }
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    visit(b, &b.start, 0, &mut seen, &mut out);
    let unreached = b
        .steps
        .iter()
        .filter(|s| !seen.contains(&s.id))
        .map(|s| s.id.clone())
        .collect();
    (out, unreached)
}

/// The next free id `prefix-N` among `taken`.
pub fn next_id<'a>(prefix: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| !taken.clone().any(|t| t == id))
        .unwrap_or_default()
}

/// The Markdown of a new lesson.
pub fn lesson_template(title: &str) -> String {
    format!(
        "+++\ntitle = {}\nminutes = 5\n+++\n\n## \n\n",
        toml_string(title)
    )
}

/// A lesson's front matter, edited as fields above its text so an author
/// never meets the `+++` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonMeta {
    pub title: String,
    /// Reading time in minutes.
    pub minutes: u32,
}

/// Reads a TOML basic string (`"…"` with `\"`, `\\`, `\n`, `\t`, `\r`,
/// `\uXXXX` escapes), the way [`toml_string`] writes it.
fn read_toml_string(value: &str) -> Option<String> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            },
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Splits a lesson into its front matter and its Markdown body, when the
/// front matter holds exactly a title and a reading time (as
/// [`lesson_template`] writes them). Anything else — other keys, other
/// string forms — gives `None`, and the editor shows the file as it is, so
/// nothing an author wrote is lost.
pub fn split_lesson(text: &str) -> Option<(LessonMeta, String)> {
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++")?;
    let (head, after) = rest.split_at(end);
    let after = after.strip_prefix("\n+++")?;
    let body = after.strip_prefix('\n').unwrap_or(after);
    let body = body.strip_prefix('\n').unwrap_or(body);
    let mut title = None;
    let mut minutes = None;
    for line in head.lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line.split_once('=')?;
        match key.trim() {
            "title" if title.is_none() => title = Some(read_toml_string(value.trim())?),
            "minutes" if minutes.is_none() => minutes = Some(value.trim().parse().ok()?),
            _ => return None,
        }
    }
    Some((
        LessonMeta {
            title: title?,
            minutes: minutes?,
        },
        body.to_string(),
    ))
}

/// The lesson file of `meta` and `body`: the inverse of [`split_lesson`].
pub fn join_lesson(meta: &LessonMeta, body: &str) -> String {
    format!(
        "+++\ntitle = {}\nminutes = {}\n+++\n\n{body}",
        toml_string(&meta.title),
        meta.minutes
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paths_outside_the_content_format_are_refused() {
        assert_eq!(file_kind("course.toml"), Some(FileKind::Course));
        assert_eq!(file_kind("mod-1/bai-1.md"), Some(FileKind::Lesson));
        assert_eq!(
            file_kind("mod-1/tinh-huong.situation.toml"),
            Some(FileKind::Situation)
        );
        assert_eq!(
            file_kind("mod-1/kt.assessment.toml"),
            Some(FileKind::Assessment)
        );
        assert_eq!(file_kind("media/so-do_1.png"), Some(FileKind::Media));
        for bad in [
            "../etc/passwd",
            "mod-1/../../x.md",
            "Mod/bai.md",
            "mod/bai.txt",
            "media/.hidden",
            "media/a/b.png",
            "a/b/c.md",
            "",
            "mod/.md",
        ] {
            assert_eq!(file_kind(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_save_on_the_current_version_is_stored_as_the_next() {
        assert_eq!(
            decide_save(None, None, "a"),
            SaveDecision::Store { version: 1 }
        );
        assert_eq!(
            decide_save(Some((3, "old")), Some(3), "new"),
            SaveDecision::Store { version: 4 }
        );
    }

    #[test]
    fn a_save_on_an_older_version_is_a_conflict() {
        assert_eq!(
            decide_save(Some((4, "theirs")), Some(3), "mine"),
            SaveDecision::Conflict { current: 4 }
        );
        // Someone created the file while I was writing mine.
        assert_eq!(
            decide_save(Some((1, "theirs")), None, "mine"),
            SaveDecision::Conflict { current: 1 }
        );
        // A base from the future is not trusted either.
        assert_eq!(
            decide_save(Some((2, "x")), Some(9), "y"),
            SaveDecision::Conflict { current: 2 }
        );
    }

    #[test]
    fn a_retried_save_is_not_a_conflict() {
        assert_eq!(
            decide_save(Some((4, "mine")), Some(3), "mine"),
            SaveDecision::AlreadySaved { version: 4 }
        );
    }

    #[test]
    fn history_folds_one_authors_quick_saves_only() {
        assert!(coalesces(1, 100, 100, 1, 160));
        assert!(!coalesces(1, 100, 100, 2, 160), "another author");
        assert!(
            !coalesces(1, 100, 100, 1, 100 + COALESCE_SECS + 1),
            "a pause"
        );
        assert!(!coalesces(1, 3650, 0, 1, 3700), "an hour-long entry");
    }

    fn render(diff: &[DiffLine]) -> String {
        diff.iter()
            .map(|l| match l {
                DiffLine::Same(t) => format!(" {t}"),
                DiffLine::Added(t) => format!("+{t}"),
                DiffLine::Removed(t) => format!("-{t}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn diff_shows_changed_lines_in_place() {
        let d = line_diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
        assert_eq!(render(&d), " a\n-b\n+B\n c\n d\n+e");
        assert_eq!(render(&line_diff("", "x")), "+x");
        assert_eq!(render(&line_diff("x\ny", "y")), "-x\n y");
    }

    #[test]
    fn file_diffs_list_added_removed_and_modified_files_only() {
        let f = |p: &str, c: &str| (p.to_string(), c.to_string());
        let published = vec![f("a.md", "1"), f("b.md", "2"), f("media/x.png", "h1")];
        let draft = vec![f("a.md", "1"), f("b.md", "3"), f("c.md", "4")];
        let diffs = diff_files(&published, &draft);
        let summary: Vec<(&str, Change)> =
            diffs.iter().map(|d| (d.path.as_str(), d.change)).collect();
        assert_eq!(
            summary,
            vec![
                ("b.md", Change::Modified),
                ("c.md", Change::Added),
                ("media/x.png", Change::Removed)
            ]
        );
        assert!(diffs[2].lines.is_empty(), "no lines for media");
    }

    proptest! {
        /// Keeping the same and added lines gives the new text back;
        /// keeping the same and removed ones gives the old.
        #[test]
        fn diff_rebuilds_both_sides(
            old in proptest::collection::vec("[abc]{0,2}", 0..12),
            new in proptest::collection::vec("[abc]{0,2}", 0..12),
        ) {
            let (old, new) = (old.join("\n"), new.join("\n"));
            let d = line_diff(&old, &new);
            let side = |keep_added: bool| d.iter().filter_map(|l| match l {
                DiffLine::Same(t) => Some(t.as_str()),
                DiffLine::Added(t) if keep_added => Some(t.as_str()),
                DiffLine::Removed(t) if !keep_added => Some(t.as_str()),
                _ => None,
            }).collect::<Vec<_>>();
            prop_assert_eq!(side(false), old.lines().collect::<Vec<_>>());
            prop_assert_eq!(side(true), new.lines().collect::<Vec<_>>());
        }

        /// The version a save names decides: the current one stores, any
        /// other conflicts unless the content is already there.
        #[test]
        fn saves_never_overwrite_a_newer_version(
            current in 1_i64..50, base in proptest::option::of(0_i64..60), same: bool,
        ) {
            let stored = "stored";
            let content = if same { stored } else { "edited" };
            match decide_save(Some((current, stored)), base, content) {
                SaveDecision::Store { version } => {
                    prop_assert_eq!(base, Some(current));
                    prop_assert_eq!(version, current + 1);
                }
                SaveDecision::AlreadySaved { .. } => prop_assert!(same),
                SaveDecision::Conflict { .. } => prop_assert!(!same && base != Some(current)),
            }
        }
    }

    #[test]
    fn a_lesson_splits_into_fields_and_body_and_back() {
        let text = "+++\ntitle = \"Nêu gương \\\"người thật\\\"\"\nminutes = 8\n+++\n\n## Vì sao\n\nNội dung.\n";
        let (meta, body) = split_lesson(text).unwrap();
        assert_eq!(meta.title, "Nêu gương \"người thật\"");
        assert_eq!(meta.minutes, 8);
        assert_eq!(body, "## Vì sao\n\nNội dung.\n");
        assert_eq!(join_lesson(&meta, &body), text);
        let template = lesson_template("Bài 1");
        let (meta, body) = split_lesson(&template).unwrap();
        assert_eq!((meta.title.as_str(), meta.minutes), ("Bài 1", 5));
        assert_eq!(join_lesson(&meta, &body), template);
        // Anything the fields cannot hold keeps the file as text.
        assert!(split_lesson("+++\ntitle = \"A\"\nminutes = 5\nauthor = \"B\"\n+++\n").is_none());
        assert!(split_lesson("+++\ntitle = 'A'\nminutes = 5\n+++\n").is_none());
        assert!(split_lesson("## no front matter").is_none());
    }

    proptest! {
        #[test]
        fn any_title_and_body_round_trip(title in "\\PC{0,30}", minutes in 1u32..300, body in "(\\PC|\n){0,80}") {
            let meta = LessonMeta { title, minutes };
            let text = join_lesson(&meta, &body);
            let (back, back_body) = split_lesson(&text).unwrap();
            prop_assert_eq!(back, meta);
            prop_assert_eq!(back_body, body);
        }
    }

    #[test]
    fn toml_strings_escape_what_would_break_the_file() {
        assert_eq!(toml_string("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
        assert_eq!(toml_string("\u{7}"), r#""\u0007""#);
    }

    fn scenario() -> BranchingForm {
        BranchingForm {
            start: "s1".into(),
            steps: vec![
                StepForm {
                    id: "s1".into(),
                    text: "Bắt đầu".into(),
                    allow_revisit: false,
                    choices: vec![
                        ChoiceForm {
                            id: "c1".into(),
                            text: "Đi tiếp".into(),
                            next: "s2".into(),
                        },
                        ChoiceForm {
                            id: "c2".into(),
                            text: "Dừng".into(),
                            next: "e1".into(),
                        },
                    ],
                },
                StepForm {
                    id: "s2".into(),
                    text: "Bước 2".into(),
                    allow_revisit: false,
                    choices: vec![ChoiceForm {
                        id: "c3".into(),
                        text: "Kết".into(),
                        next: "e1".into(),
                    }],
                },
                StepForm {
                    id: "lac".into(),
                    text: "Không tới được".into(),
                    allow_revisit: false,
                    choices: vec![],
                },
            ],
            endings: vec![EndingForm {
                id: "e1".into(),
                debrief: "Tốt".into(),
                score: 10,
            }],
        }
    }

    #[test]
    fn the_graph_follows_choices_and_names_unreached_steps() {
        let (lines, unreached) = scenario_graph(&scenario());
        let outline: Vec<String> = lines
            .iter()
            .map(|l| {
                let label = match &l.node {
                    GraphNode::Step { id } => format!("step {id}"),
                    GraphNode::Choice { id, .. } => format!("choice {id}"),
                    GraphNode::Ending { id, score } => format!("end {id} {score}"),
                    GraphNode::SeenStep { id } => format!("seen {id}"),
                    GraphNode::Missing { id } => format!("missing {id}"),
                };
                format!("{}{label}", " ".repeat(l.depth))
            })
            .collect();
        assert_eq!(
            outline,
            vec![
                "step s1",
                " choice c1",
                "  step s2",
                "   choice c3",
                "    end e1 10",
                " choice c2",
                "  end e1 10"
            ]
        );
        assert_eq!(unreached, vec!["lac".to_string()]);
    }

    #[test]
    fn the_form_writes_choices_that_lead_to_steps_or_endings() {
        let form = SituationForm {
            title: "Tình huống \"khó\"".into(),
            scenario: "Dòng 1\nDòng 2".into(),
            branching: Some(scenario()),
            ..Default::default()
        };
        let toml = form.to_toml();
        assert!(toml.contains(r#"title = "Tình huống \"khó\"""#), "{toml}");
        assert!(toml.contains(r#"next = { step = "s2" }"#), "{toml}");
        assert!(toml.contains(r#"next = { ending = "e1" }"#), "{toml}");
        assert!(toml.contains("score = 10"), "{toml}");
    }

    #[test]
    fn switching_kinds_keeps_options_and_one_correct_for_single_choice() {
        let options = |correct: [bool; 3]| {
            correct
                .iter()
                .enumerate()
                .map(|(i, &c)| Choice {
                    id: format!("o{i}"),
                    text: format!("Phương án {i}"),
                    correct: c,
                    feedback: None,
                })
                .collect::<Vec<_>>()
        };
        let multiple = QuestionBody::MultipleChoice {
            options: options([false, true, true]),
        };
        let single = body_of_kind(QuestionKind::SingleChoice, Some(&multiple));
        assert_eq!(
            single,
            QuestionBody::SingleChoice {
                options: options([false, true, false])
            }
        );
        let back = body_of_kind(QuestionKind::MultipleChoice, Some(&single));
        assert_eq!(QuestionKind::of(&back), QuestionKind::MultipleChoice);
        // Other switches start afresh, with rows to fill in.
        match body_of_kind(QuestionKind::Matching, Some(&single)) {
            QuestionBody::Matching { pairs, .. } => assert_eq!(pairs.len(), 2),
            other => panic!("{other:?}"),
        }
        for kind in QuestionKind::ALL {
            assert_eq!(QuestionKind::of(&body_of_kind(kind, None)), kind);
            assert_eq!(QuestionKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn the_form_writes_every_kind_in_the_content_format() {
        let question = |id: &str, body: QuestionBody| FormQuestion {
            body,
            points: 2,
            difficulty: Difficulty::Hard,
            tags: vec!["đất đai".into(), "dân vận".into()],
            explanation: "Vì \"thế\"".into(),
            grader_note: "Chỉ người chấm".into(),
            ..FormQuestion::new(id.into())
        };
        let form = SituationForm {
            title: "T".into(),
            scenario: "S".into(),
            questions: vec![
                question(
                    "a",
                    QuestionBody::Ordering {
                        items: vec!["một".into(), "hai".into()],
                    },
                ),
                question(
                    "b",
                    QuestionBody::Matching {
                        pairs: vec![("x".into(), "y".into())],
                        distractors: vec![],
                    },
                ),
                question(
                    "c",
                    QuestionBody::ShortAnswer {
                        accepted: vec!["dân chủ".into()],
                        ignore_tone_marks: true,
                    },
                ),
                question(
                    "d",
                    QuestionBody::TrueFalse {
                        answer: false,
                        feedback_true: Some("Chưa đúng".into()),
                        feedback_false: None,
                    },
                ),
            ],
            ..Default::default()
        };
        let toml = form.to_toml();
        for expected in [
            r#"items = ["một", "hai"]"#,
            r#"pairs = [["x", "y"]]"#,
            r#"accepted = ["dân chủ"]"#,
            "ignore_tone_marks = true",
            "answer = false",
            r#"feedback_true = "Chưa đúng""#,
            "points = 2",
            r#"difficulty = "hard""#,
            r#"tags = ["đất đai", "dân vận"]"#,
            r#"explanation = "Vì \"thế\"""#,
            r#"grader_note = "Chỉ người chấm""#,
        ] {
            assert!(toml.contains(expected), "{expected} missing in\n{toml}");
        }
    }

    #[test]
    fn media_names_are_made_safe() {
        assert_eq!(
            media_name("Sơ đồ Quy trình.PNG").as_deref(),
            Some("so-do-quy-trinh.png")
        );
        assert_eq!(media_name("..jpg").as_deref(), Some("anh.jpg"));
        assert_eq!(media_name("virus.exe"), None);
        assert!(media_name("Ảnh 1.jpeg").is_some_and(|n| is_valid_media_name(&n)));
    }

    #[test]
    fn slugs_and_times_read_as_expected() {
        assert_eq!(slug("Phòng bì ngày Tết!"), "phong-bi-ngay-tet");
        assert_eq!(slug("  Đảng bộ — xã  "), "dang-bo-xa");
        assert_eq!(slug("!!!"), "");
        // 2026-03-02 00:30 UTC is 07:30 in Vietnam.
        assert_eq!(vn_time(1_772_411_400), "07:30 02/03/2026");
    }

    #[test]
    fn next_ids_skip_taken_ones() {
        let taken = ["buoc-1", "buoc-2"];
        assert_eq!(next_id("buoc", taken.iter().copied()), "buoc-3");
        assert_eq!(next_id("ket", taken.iter().copied()), "ket-1");
    }
}
