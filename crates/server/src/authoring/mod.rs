//! Authoring in the browser: drafts of courses, their files with versions
//! and history, review and approval, zip export and import.
//!
//! Policy — who may do what (the authorization table in `tests/it/authz.rs`
//! checks every route against it):
//!
//! - a draft belongs to the centre of whoever started it; its lecturers and
//!   centre admin read, edit and submit it; nobody else sees it (trainees
//!   and province admins are refused every authoring route);
//! - a published course belongs to a centre or to the province
//!   (`courses::store::Ownership`, issue 14): only the owning centre
//!   starts a draft of it, imports a zip of it, edits, submits and approves
//!   it. A draft whose course was handed to the province stays readable
//!   (and exportable) by its centre but changes no more; a new course
//!   belongs to the centre whose draft is approved first;
//! - a centre's reviewers are its centre admin and the lecturers the admin
//!   granted the role; a reviewer comments on, returns or approves a
//!   submission, but never their own;
//! - approving publishes exactly the submitted files, checked by the
//!   content loader; until then trainees keep the published version.
//!
//! Heavy work — reading a zip, scaling its images, compiling a draft for
//! the check, the submission, the approval and an import — runs on blocking
//! threads ([`off_the_workers`]), at most [`CONCURRENT_JOBS`] at once: the
//! server has two async workers, and a lecturer checking a big draft must
//! not hold up the answers of a live quiz.

pub mod files;
pub mod images;
pub mod store;

use std::collections::HashSet;

use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    accounts::Role,
    authoring::{
        diff_files, file_kind, is_valid_media_name, AuthoringHome, CheckReport, Decision,
        DraftDetail, DraftStatus, DraftSummary, FileContent, FileKind, FileVersion, HistoryEntry,
        ImportReport, NewDraft, NewItem, NewItemKind, Note, Preview, PreviewRequest, Problem,
        ReviewDiff, ReviewItem, ReviewerEntry, ReviewerGrant, SaveRequest, Saved, Uploaded,
        MAX_UPLOAD_BYTES,
    },
    ids::is_valid_id,
};
use sha2::{Digest, Sha256};

use self::store::{DraftRow, FileRow, SaveOutcome};
use crate::{accounts::store::Profile, auth::AuthUser, classes::me, error::HttpError, AppState};

/// Largest text file of a draft, in bytes.
pub const MAX_TEXT_BYTES: usize = 512 * 1024;
/// Compilations and zip imports at once; more wait their turn.
pub const CONCURRENT_JOBS: usize = 2;
/// Largest comment or note.
const MAX_NOTE_CHARS: usize = 4000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/authoring", get(home))
        .route("/authoring/drafts", post(create))
        .route(
            "/authoring/import",
            post(import).layer(DefaultBodyLimit::max(files::MAX_ZIP_BYTES)),
        )
        .route("/authoring/reviews", get(review_queue))
        .route("/authoring/reviewers", get(reviewers).post(grant))
        .route("/authoring/drafts/{course}", get(detail))
        .route(
            "/authoring/drafts/{course}/files/{*path}",
            get(file).put(save),
        )
        .route("/authoring/drafts/{course}/history/{*path}", get(history))
        .route(
            "/authoring/drafts/{course}/media/{name}",
            get(media).post(upload).layer(DefaultBodyLimit::max(
                usize::try_from(MAX_UPLOAD_BYTES).unwrap_or(usize::MAX) + 1024,
            )),
        )
        .route("/authoring/drafts/{course}/items", post(add_item))
        .route("/authoring/drafts/{course}/preview", post(preview))
        .route("/authoring/drafts/{course}/check", get(check))
        .route("/authoring/drafts/{course}/submit", post(submit))
        .route("/authoring/drafts/{course}/diff", get(diff))
        .route("/authoring/drafts/{course}/comments", post(comment))
        .route("/authoring/drafts/{course}/return", post(return_draft))
        .route("/authoring/drafts/{course}/approve", post(approve))
        .route("/authoring/drafts/{course}/export.zip", get(export))
}

/// Runs `job` on a blocking thread, never on the async workers, at most
/// [`CONCURRENT_JOBS`] at once.
async fn off_the_workers<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HttpError> {
    static JOBS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_JOBS);
    let _permit = JOBS
        .acquire()
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))
}

/// [`compile_for`], off the async workers.
async fn compile_off(
    course: &str,
    contents: CourseFiles,
) -> Result<Result<crate::content::CompiledCourse, Vec<Problem>>, HttpError> {
    let course = course.to_string();
    off_the_workers(move || compile_for(&course, &contents)).await
}

/// The asker, if they may author at all: a lecturer or centre admin of a
/// centre.
async fn author(state: &AppState, user_id: i64) -> Result<(Profile, i64), HttpError> {
    let me = me(state, user_id).await?;
    match (me.user.role, me.centre_id) {
        (Role::Lecturer | Role::CentreAdmin, Some(centre)) => Ok((me, centre)),
        _ => Err(HttpError::Forbidden),
    }
}

/// What the asker may do with a draft of their centre.
struct Access {
    me: Profile,
    draft: DraftRow,
    reviewer: bool,
    /// Whether the draft's centre owns the course (or it is new).
    may_change: bool,
}

impl Access {
    /// 403 unless the draft's centre may change the course.
    fn changing(&self) -> Result<(), HttpError> {
        if self.may_change {
            Ok(())
        } else {
            Err(HttpError::Forbidden)
        }
    }
}

/// Why a handler asks for a draft.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Changing it: its centre's lecturers and admin.
    Author,
    /// Reading, commenting, deciding: those, and the province admin, who
    /// reviews every centre's drafts (so a centre admin's own submission,
    /// which nobody at the centre may approve but another reviewer, never
    /// stalls for want of one).
    Review,
}

async fn access(
    state: &AppState,
    user_id: i64,
    course: &str,
    purpose: Purpose,
) -> Result<Access, HttpError> {
    let me = me(state, user_id).await?;
    let centre = match (me.user.role, me.centre_id, purpose) {
        (Role::Lecturer | Role::CentreAdmin, Some(centre), _) => Some(centre),
        (Role::ProvinceAdmin, _, Purpose::Review) => None,
        _ => return Err(HttpError::Forbidden),
    };
    if !is_valid_id(course) {
        return Err(HttpError::NotFound);
    }
    let draft = state
        .store
        .authoring
        .draft(course)
        .await?
        .ok_or(HttpError::NotFound)?;
    let reviewer = match centre {
        Some(centre) if draft.centre_id != centre => return Err(HttpError::Forbidden),
        Some(centre) => {
            state
                .store
                .authoring
                .is_reviewer(centre, me.user.id)
                .await?
        }
        None => true,
    };
    // The draft's own centre must own the course (or it is new), for its
    // staff and the province admin alike.
    let may_change = state
        .store
        .courses
        .ownership(course)
        .await?
        .lets(draft.centre_id);
    Ok(Access {
        me,
        draft,
        reviewer,
        may_change,
    })
}

/// The open submission the asker may decide on, or why not.
async fn decidable(state: &AppState, a: &Access) -> Result<i64, HttpError> {
    if !a.reviewer {
        return Err(HttpError::Forbidden);
    }
    let review = state
        .store
        .authoring
        .open_review(&a.draft.course_id)
        .await?
        .ok_or_else(|| HttpError::BadRequest("nothing is waiting for review".into()))?;
    if review.submitted_by == a.me.user.id {
        // Nobody approves their own work.
        return Err(HttpError::Forbidden);
    }
    Ok(review.id)
}

/// The open submission a reviewer decides on, and their comment.
async fn decision(
    state: &AppState,
    user_id: i64,
    course: &str,
    body: Result<Json<Note>, axum::extract::rejection::JsonRejection>,
) -> Result<(i64, String), HttpError> {
    let a = access(state, user_id, course, Purpose::Review).await?;
    a.changing()?;
    let review = decidable(state, &a).await?;
    let Json(note) = body?;
    Ok((review, checked_note(&note)?))
}

async fn summary(state: &AppState, draft: &DraftRow) -> Result<DraftSummary, HttpError> {
    let published = state.store.courses.course_title(&draft.course_id).await?;
    let title = match state
        .store
        .authoring
        .draft_file(&draft.course_id, "course.toml")
        .await?
    {
        Some(row) => title_of(&row.content),
        None => None,
    };
    let submitted_by = if draft.status == DraftStatus::Submitted {
        state
            .store
            .authoring
            .submitter_name(&draft.course_id)
            .await?
    } else {
        None
    };
    Ok(DraftSummary {
        course_id: draft.course_id.clone(),
        title: title
            .or_else(|| published.as_ref().map(|(t, _)| t.clone()))
            .unwrap_or_else(|| draft.course_id.clone()),
        status: draft.status,
        published_version: published.map(|(_, v)| v),
        updated_at: draft.updated_at,
        submitted_by,
    })
}

fn title_of(course_toml: &[u8]) -> Option<String> {
    let doc: toml_edit::DocumentMut = std::str::from_utf8(course_toml).ok()?.parse().ok()?;
    doc.get("title")?.as_str().map(str::to_string)
}

async fn home(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<AuthoringHome>, HttpError> {
    let (me, centre) = author(&state, user.id).await?;
    let mut drafts = Vec::new();
    for draft in state.store.authoring.centre_drafts(centre).await? {
        drafts.push(summary(&state, &draft).await?);
    }
    // Only courses the centre owns can be drafted.
    let mut published = Vec::new();
    for course in state.store.courses.list().await? {
        if state.store.authoring.draft(&course.id).await?.is_none()
            && state
                .store
                .courses
                .ownership(&course.id)
                .await?
                .lets(centre)
        {
            published.push((course.id, course.title));
        }
    }
    Ok(Json(AuthoringHome {
        drafts,
        published,
        reviewer: state
            .store
            .authoring
            .is_reviewer(centre, me.user.id)
            .await?,
    }))
}

async fn create(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<NewDraft>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, HttpError> {
    let (_, centre) = author(&state, user.id).await?;
    let Json(new) = body?;
    if !is_valid_id(&new.course_id) {
        return Err(HttpError::BadRequest(lophoc_core::ids::ID_RULE.into()));
    }
    let published = state.store.courses.course_title(&new.course_id).await?;
    let files = if new.from_published {
        if published.is_none() {
            return Err(HttpError::NotFound);
        }
        if !state
            .store
            .courses
            .ownership(&new.course_id)
            .await?
            .lets(centre)
        {
            return Err(HttpError::Forbidden);
        }
        let sources = state
            .store
            .authoring
            .published_sources(&new.course_id)
            .await?;
        if sources.is_empty() {
            return Err(HttpError::BadRequest(
                "the published course has no source files to start from".into(),
            ));
        }
        sources
    } else {
        if published.is_some() {
            return Err(HttpError::BadRequest("a course with this id exists".into()));
        }
        let title = new.title.trim();
        if title.is_empty() {
            return Err(HttpError::BadRequest("a new course needs a title".into()));
        }
        vec![
            (
                "course.toml".to_string(),
                files::new_course_toml(&new.course_id, title).into_bytes(),
            ),
            (
                "chuyen-de-1/bai-1.md".to_string(),
                lophoc_core::authoring::lesson_template("Bài 1").into_bytes(),
            ),
        ]
    };
    if !state
        .store
        .authoring
        .create_draft(&new.course_id, centre, user.id, &files)
        .await?
    {
        return Err(HttpError::BadRequest(
            "this course already has a draft".into(),
        ));
    }
    let draft = state
        .store
        .authoring
        .draft(&new.course_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok((StatusCode::CREATED, Json(summary(&state, &draft).await?)).into_response())
}

async fn detail(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
) -> Result<Json<DraftDetail>, HttpError> {
    let a = access(&state, user.id, &course, Purpose::Review).await?;
    let open = state.store.authoring.open_review(&course).await?;
    let contents = state.store.authoring.draft_contents(&course).await?;
    Ok(Json(DraftDetail {
        outline: files::draft_outline(&contents),
        summary: summary(&state, &a.draft).await?,
        files: state.store.authoring.draft_files(&course).await?,
        reviews: state.store.authoring.reviews(&course).await?,
        can_edit: a.may_change && a.me.user.role != Role::ProvinceAdmin,
        can_decide: a.may_change
            && a.reviewer
            && open.is_some_and(|r| r.submitted_by != a.me.user.id),
    }))
}

fn checked_path(path: &str) -> Result<FileKind, HttpError> {
    file_kind(path).ok_or(HttpError::NotFound)
}

/// A file's text; media files have none.
fn file_text(path: &str, content: &[u8]) -> String {
    if file_kind(path) == Some(FileKind::Media) {
        String::new()
    } else {
        String::from_utf8_lossy(content).into_owned()
    }
}

fn file_content(path: &str, row: FileRow) -> FileContent {
    let text = file_text(path, &row.content);
    FileContent {
        path: path.to_string(),
        version: row.version,
        form: files::situation_form(path, &text),
        content: text,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    }
}

async fn file(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, path)): Path<(String, String)>,
) -> Result<Json<FileContent>, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    checked_path(&path)?;
    let row = state
        .store
        .authoring
        .draft_file(&course, &path)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok(Json(file_content(&path, row)))
}

/// Stores a save, or answers 409 with the newer version beside it.
async fn store_save(
    state: &AppState,
    course: &str,
    path: &str,
    base: Option<i64>,
    content: &[u8],
    user_id: i64,
) -> Result<Response, HttpError> {
    match state
        .store
        .authoring
        .save_file(course, path, base, content, user_id)
        .await?
    {
        SaveOutcome::Saved(version) => Ok(Json(Saved { version }).into_response()),
        SaveOutcome::Conflict(row) => Err(HttpError::Conflict(Box::new(FileVersion {
            version: row.version,
            content: file_text(path, &row.content),
            updated_by: row.updated_by,
            updated_at: row.updated_at,
        }))),
    }
}

async fn save(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, path)): Path<(String, String)>,
    body: Result<Json<SaveRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, HttpError> {
    access(&state, user.id, &course, Purpose::Author)
        .await?
        .changing()?;
    if checked_path(&path)? == FileKind::Media {
        return Err(HttpError::BadRequest("upload media files".into()));
    }
    let Json(request) = body?;
    if request.content.len() > MAX_TEXT_BYTES {
        return Err(HttpError::TooLarge(MAX_TEXT_BYTES as u64));
    }
    // Stored in NFC, whatever keyboard typed it (see `nfc`).
    let content = nfc(&request.content);
    store_save(
        &state,
        &course,
        &path,
        request.base_version,
        content.as_bytes(),
        user.id,
    )
    .await
}

async fn history(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, path)): Path<(String, String)>,
) -> Result<Json<Vec<HistoryEntry>>, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    if checked_path(&path)? == FileKind::Media {
        return Ok(Json(Vec::new()));
    }
    Ok(Json(
        state.store.authoring.file_history(&course, &path).await?,
    ))
}

fn media_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("mp3") => "audio/mpeg",
        Some("ogg") => "audio/ogg",
        Some("m4a") => "audio/mp4",
        _ => "application/octet-stream",
    }
}

async fn media(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, name)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    let path = format!("media/{name}");
    checked_path(&path)?;
    let row = state
        .store
        .authoring
        .draft_file(&course, &path)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(media_type(&name)),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            ),
        ],
        row.content,
    )
        .into_response())
}

/// Stores an uploaded image or sound under `media/`, under a free name.
async fn upload(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, name)): Path<(String, String)>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Uploaded>, HttpError> {
    access(&state, user.id, &course, Purpose::Author)
        .await?
        .changing()?;
    let Ok(bytes) = body else {
        return Err(HttpError::TooLarge(MAX_UPLOAD_BYTES));
    };
    if bytes.len() as u64 > MAX_UPLOAD_BYTES {
        return Err(HttpError::TooLarge(MAX_UPLOAD_BYTES));
    }
    if !is_valid_media_name(&name) || media_type(&name) == "application/octet-stream" {
        return Err(HttpError::BadRequest(
            "use svg, png, jpg, webp, gif, mp3, ogg or m4a".into(),
        ));
    }
    if bytes.is_empty() {
        return Err(HttpError::BadRequest("the file is empty".into()));
    }
    // Photos straight from a phone: scaled and recompressed off the runtime.
    let shrink_name = name.clone();
    let bytes = off_the_workers(move || images::shrink(&shrink_name, bytes.to_vec())).await?;
    if bytes.len() > crate::content::MAX_MEDIA_BYTES {
        return Err(HttpError::TooLarge(crate::content::MAX_MEDIA_BYTES as u64));
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    for n in 1..100 {
        let candidate = if n == 1 {
            name.clone()
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = format!("media/{candidate}");
        if let SaveOutcome::Saved(_) = state
            .store
            .authoring
            .save_file(&course, &path, None, &bytes, user.id)
            .await?
        {
            return Ok(Json(Uploaded {
                name: candidate,
                bytes: bytes.len() as u64,
            }));
        }
    }
    Err(HttpError::BadRequest(
        "too many files with this name".into(),
    ))
}

async fn add_item(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<NewItem>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, HttpError> {
    access(&state, user.id, &course, Purpose::Author)
        .await?
        .changing()?;
    let Json(mut item) = body?;
    item.title = nfc(&item.title);
    if !is_valid_id(&item.id) || (item.kind != NewItemKind::Module && !is_valid_id(&item.module)) {
        return Err(HttpError::BadRequest(lophoc_core::ids::ID_RULE.into()));
    }
    if item.title.trim().is_empty() {
        return Err(HttpError::BadRequest("a title is needed".into()));
    }
    let manifest = state
        .store
        .authoring
        .draft_file(&course, "course.toml")
        .await?
        .ok_or(HttpError::NotFound)?;
    let text = String::from_utf8_lossy(&manifest.content);
    let (new_manifest, new_file) = files::add_item(&text, &item).map_err(HttpError::BadRequest)?;
    if let Some((path, content)) = &new_file {
        if state
            .store
            .authoring
            .draft_file(&course, path)
            .await?
            .is_some()
        {
            return Err(HttpError::BadRequest(format!("{path} exists")));
        }
        if let SaveOutcome::Conflict(_) = state
            .store
            .authoring
            .save_file(&course, path, None, content.as_bytes(), user.id)
            .await?
        {
            return Err(HttpError::BadRequest(format!("{path} exists")));
        }
    }
    store_save(
        &state,
        &course,
        "course.toml",
        Some(manifest.version),
        new_manifest.as_bytes(),
        user.id,
    )
    .await
}

async fn preview(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<PreviewRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Preview>, HttpError> {
    access(&state, user.id, &course, Purpose::Author).await?;
    let Json(request) = body?;
    if checked_path(&request.path)? != FileKind::Lesson {
        return Err(HttpError::BadRequest("only lessons have a preview".into()));
    }
    let files = state.store.authoring.draft_files(&course).await?;
    let media: HashSet<&str> = files
        .iter()
        .filter_map(|f| f.path.strip_prefix("media/"))
        .collect();
    let lessons: HashSet<&str> = files
        .iter()
        .filter(|f| f.kind == FileKind::Lesson)
        .filter_map(|f| f.path.rsplit_once('/'))
        .filter_map(|(_, name)| name.strip_suffix(".md"))
        .collect();
    let file = std::path::Path::new(&request.path);
    Ok(Json(
        match crate::content::render_lesson(file, &request.content, &course, &media, &lessons) {
            Ok((title, minutes, html)) => Preview {
                title,
                minutes,
                // The draft's media, not the published course's.
                html: html.replace(
                    &format!("/api/courses/{course}/media/"),
                    &format!("/api/authoring/drafts/{course}/media/"),
                ),
                problems: Vec::new(),
            },
            Err(errors) => Preview {
                title: String::new(),
                minutes: 0,
                html: String::new(),
                problems: files::problems(&errors, std::path::Path::new("")),
            },
        },
    ))
}

/// The draft's files compiled as a course, or the problems; a course id
/// other than the draft's is a problem too.
fn compile_for(
    course: &str,
    contents: &[(String, Vec<u8>)],
) -> Result<crate::content::CompiledCourse, Vec<Problem>> {
    let compiled = files::compile(contents)?;
    if compiled.outline.id != course {
        return Err(vec![Problem::new(
            "course.toml".into(),
            None,
            lophoc_core::problem::Problem::CourseIdChanged {
                id: compiled.outline.id.clone(),
                course: course.to_string(),
            },
        )]);
    }
    Ok(compiled)
}

async fn check(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
) -> Result<Json<CheckReport>, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    let contents = state.store.authoring.draft_contents(&course).await?;
    let problems = compile_off(&course, contents)
        .await?
        .err()
        .unwrap_or_default();
    Ok(Json(CheckReport {
        problems,
        reviewers: Vec::new(),
    }))
}

/// Text in Unicode NFC: a Vietnamese letter with its marks as one character
/// ("ế", not "ê" + U+0301), as some keyboards do not type it. Precomposed
/// text draws right in every font and compares equal to what others type.
pub fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

fn checked_note(note: &Note) -> Result<String, HttpError> {
    let text = nfc(&note.text);
    let text = text.trim();
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(HttpError::BadRequest("the text is too long".into()));
    }
    Ok(text.to_string())
}

async fn submit(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<Note>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, HttpError> {
    let a = access(&state, user.id, &course, Purpose::Author).await?;
    a.changing()?;
    let Json(note) = body?;
    let note = checked_note(&note)?;
    if a.draft.status == DraftStatus::Submitted {
        return Err(HttpError::BadRequest("already waiting for review".into()));
    }
    let contents = state.store.authoring.draft_contents(&course).await?;
    if let Err(problems) = compile_off(&course, contents).await? {
        return Err(HttpError::ContentProblems(problems));
    }
    state
        .store
        .authoring
        .submit(&course, user.id, &note)
        .await?;
    tracing::info!(course, user = user.id, "draft submitted for review");
    Ok(Json(CheckReport {
        problems: Vec::new(),
        reviewers: state
            .store
            .authoring
            .decision_makers(a.draft.centre_id, user.id)
            .await?,
    })
    .into_response())
}

/// Text of a file for a diff; media by a hash of its bytes.
fn diff_text(path: &str, content: &[u8]) -> String {
    if path.starts_with("media/") {
        let hash = Sha256::digest(content);
        format!("{} bytes, sha256 {hash:x}", content.len())
    } else {
        String::from_utf8_lossy(content).into_owned()
    }
}

async fn diff(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
) -> Result<Json<ReviewDiff>, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    // What was submitted, while it waits; the draft as it is otherwise.
    let draft = match state.store.authoring.open_review(&course).await? {
        Some(review) => state.store.authoring.review_files(review.id).await?,
        None => state.store.authoring.draft_contents(&course).await?,
    };
    let published = state.store.authoring.published_sources(&course).await?;
    let as_text = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, String)> {
        files
            .into_iter()
            .map(|(p, c)| {
                let text = diff_text(&p, &c);
                (p, text)
            })
            .collect()
    };
    let (published, draft) = (as_text(published), as_text(draft));
    Ok(Json(ReviewDiff {
        files: diff_files(&published, &draft),
        changed_questions: files::changed_questions(&published, &draft),
    }))
}

async fn comment(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<Note>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    let Json(note) = body?;
    let text = checked_note(&note)?;
    if text.is_empty() {
        return Err(HttpError::BadRequest("the comment is empty".into()));
    }
    let review = state
        .store
        .authoring
        .latest_review(&course)
        .await?
        .ok_or_else(|| HttpError::BadRequest("nothing was submitted yet".into()))?;
    let path = note.path.filter(|p| file_kind(p).is_some());
    state
        .store
        .authoring
        .add_comment(review, user.id, path.as_deref(), note.line, &text)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn return_draft(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<Note>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, HttpError> {
    let (review, text) = decision(&state, user.id, &course, body).await?;
    if text.is_empty() {
        return Err(HttpError::BadRequest("say what to change".into()));
    }
    state
        .store
        .authoring
        .add_comment(review, user.id, None, None, &text)
        .await?;
    state
        .store
        .authoring
        .decide(&course, review, user.id, Decision::Returned, None)
        .await?;
    tracing::info!(course, user = user.id, "draft returned");
    Ok(StatusCode::NO_CONTENT)
}

async fn approve(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<Note>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, HttpError> {
    let (review, text) = decision(&state, user.id, &course, body).await?;
    let submitted = state.store.authoring.review_files(review).await?;
    let compiled = match compile_off(&course, submitted.clone()).await? {
        Ok(compiled) => compiled,
        Err(problems) => return Err(HttpError::ContentProblems(problems)),
    };
    // A new course belongs to the centre that wrote it (a published one
    // keeps its owner, which `decision` checked is this centre).
    if let Some(draft) = state.store.authoring.draft(&course).await? {
        state
            .store
            .courses
            .ensure_course_owner(&course, Some(draft.centre_id))
            .await?;
    }
    let version = match state.store.courses.publish(&compiled).await? {
        crate::courses::store::Published::New { version }
        | crate::courses::store::Published::Unchanged { version } => version,
    };
    state
        .store
        .authoring
        .set_published_sources(&course, &submitted, None)
        .await?;
    if !text.is_empty() {
        state
            .store
            .authoring
            .add_comment(review, user.id, None, None, &text)
            .await?;
    }
    state
        .store
        .authoring
        .decide(&course, review, user.id, Decision::Approved, Some(version))
        .await?;
    tracing::info!(
        course,
        version,
        user = user.id,
        "draft approved and published"
    );
    Ok(Json(Saved { version }).into_response())
}

async fn export(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
) -> Result<Response, HttpError> {
    access(&state, user.id, &course, Purpose::Review).await?;
    let contents = state.store.authoring.draft_contents(&course).await?;
    let zip =
        files::export_zip(&course, &contents).map_err(|e| HttpError::Internal(e.to_string()))?;
    Ok(crate::web::attachment(
        "application/zip",
        &format!("{course}.zip"),
        zip,
    ))
}

/// A zipped course folder, checked whole by the loader first: nothing is
/// stored unless it would publish. Into an existing draft of the centre,
/// each changed file becomes a new version (the old stays in history).
async fn import(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, HttpError> {
    let (_, centre) = author(&state, user.id).await?;
    let Ok(bytes) = body else {
        return Err(HttpError::TooLarge(files::MAX_ZIP_BYTES as u64));
    };
    // Unzip, scale wide photos and compile, all off the async workers.
    let checked = off_the_workers(move || import_job(&bytes)).await?;
    let (course, contents) = match checked {
        Ok(found) => found,
        Err(ImportRefusal::BadZip(reason)) => return Err(HttpError::BadRequest(reason)),
        Err(ImportRefusal::Problems(problems)) => return Err(HttpError::ContentProblems(problems)),
    };
    if !state.store.courses.ownership(&course).await?.lets(centre) {
        return Err(HttpError::Forbidden);
    }
    let mut changed = 0;
    match state.store.authoring.draft(&course).await? {
        None => {
            state
                .store
                .authoring
                .create_draft(&course, centre, user.id, &contents)
                .await?;
            changed = u32::try_from(contents.len()).unwrap_or(u32::MAX);
        }
        Some(draft) if draft.centre_id != centre => return Err(HttpError::Forbidden),
        Some(_) => {
            for (path, content) in &contents {
                let base = state
                    .store
                    .authoring
                    .draft_file(&course, path)
                    .await?
                    .map(|r| r.version);
                if let SaveOutcome::Saved(version) = state
                    .store
                    .authoring
                    .save_file(&course, path, base, content, user.id)
                    .await?
                {
                    if Some(version) != base {
                        changed += 1;
                    }
                }
            }
        }
    }
    Ok(Json(ImportReport {
        course_id: course,
        changed,
    })
    .into_response())
}

/// A course's files: path in the course folder, bytes.
type CourseFiles = Vec<(String, Vec<u8>)>;

/// Why a zip is not imported.
enum ImportRefusal {
    /// Not a zip, or not a course folder in one.
    BadZip(String),
    /// The course it holds would not publish.
    Problems(Vec<Problem>),
}

/// The course in a zip, checked whole: its id and files, images wider than
/// the limit scaled down. Blocks: run with [`off_the_workers`].
fn import_job(bytes: &[u8]) -> Result<(String, CourseFiles), ImportRefusal> {
    let contents = files::import_zip(bytes).map_err(ImportRefusal::BadZip)?;
    let contents: CourseFiles = contents
        .into_iter()
        .map(|(path, content)| {
            let content = match (path.strip_prefix("media/"), file_kind(&path)) {
                (Some(name), _) => images::shrink_if_wide(name, content),
                // Text files in NFC, as the editor saves them.
                (None, Some(kind)) if kind != FileKind::Media => match String::from_utf8(content) {
                    Ok(text) => nfc(&text).into_bytes(),
                    Err(e) => e.into_bytes(),
                },
                (None, _) => content,
            };
            (path, content)
        })
        .collect();
    let course = contents
        .iter()
        .find(|(p, _)| p == "course.toml")
        .and_then(|(_, c)| files::course_id_of(c));
    let course = match course {
        Some(id) if is_valid_id(&id) => id,
        // Let the loader say what is wrong with course.toml, with its line.
        _ => {
            return Err(ImportRefusal::Problems(
                files::compile(&contents).err().unwrap_or_default(),
            ))
        }
    };
    compile_for(&course, &contents).map_err(ImportRefusal::Problems)?;
    Ok((course, contents))
}

async fn review_queue(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<ReviewItem>>, HttpError> {
    Ok(Json(reviews_for(&state, user.id).await?))
}

/// The submissions waiting for review that the user sees: their centre's,
/// if they review there; every centre's for the province admin.
pub(crate) async fn reviews_for(
    state: &AppState,
    user_id: i64,
) -> Result<Vec<ReviewItem>, HttpError> {
    let me = me(state, user_id).await?;
    let drafts = match (me.user.role, me.centre_id) {
        (Role::ProvinceAdmin, _) => state.store.authoring.all_drafts().await?,
        (Role::Lecturer | Role::CentreAdmin, Some(centre))
            if state
                .store
                .authoring
                .is_reviewer(centre, me.user.id)
                .await? =>
        {
            state.store.authoring.centre_drafts(centre).await?
        }
        _ => return Err(HttpError::Forbidden),
    };
    let mut out = Vec::new();
    for draft in drafts {
        if draft.status != DraftStatus::Submitted {
            continue;
        }
        let open = state.store.authoring.open_review(&draft.course_id).await?;
        let owned = state
            .store
            .courses
            .ownership(&draft.course_id)
            .await?
            .lets(draft.centre_id);
        out.push(ReviewItem {
            draft: summary(state, &draft).await?,
            can_decide: owned && open.is_some_and(|r| r.submitted_by != me.user.id),
        });
    }
    Ok(out)
}

/// The centre admin and their centre, or 403.
async fn centre_admin(state: &AppState, user_id: i64) -> Result<i64, HttpError> {
    match author(state, user_id).await? {
        (me, centre) if me.user.role == Role::CentreAdmin => Ok(centre),
        _ => Err(HttpError::Forbidden),
    }
}

async fn reviewers(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<ReviewerEntry>>, HttpError> {
    let centre = centre_admin(&state, user.id).await?;
    Ok(Json(state.store.authoring.centre_reviewers(centre).await?))
}

async fn grant(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<ReviewerGrant>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Vec<ReviewerEntry>>, HttpError> {
    let centre = centre_admin(&state, user.id).await?;
    let Json(grant) = body?;
    let lecturers = state.store.authoring.centre_reviewers(centre).await?;
    if !lecturers.iter().any(|l| l.user_id == grant.user_id) {
        return Err(HttpError::BadRequest(
            "not a lecturer of this centre".into(),
        ));
    }
    state
        .store
        .authoring
        .set_reviewer(centre, grant.user_id, user.id, grant.reviewer)
        .await?;
    Ok(Json(state.store.authoring.centre_reviewers(centre).await?))
}
