//! Wire types of the HTTP API, shared by the client and the server.
//!
//! Policy: every request and response body is one of these types, serialised
//! as JSON. Errors travel as [`ApiError`], tagged by a stable `code` the
//! client matches on and translates; its wording never reaches the user.

use serde::{Deserialize, Serialize};

use crate::accounts::Role;
#[cfg(feature = "staff")]
use crate::authoring::{FileVersion, Problem};

/// The signed-in user, as `GET /api/me` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// An initial or reset password: the user is asked to choose their own.
    #[serde(default)]
    pub must_change_password: bool,
}

/// `GET /api/staff/home`: a lecturer's or administrator's starting points,
/// each a count of what waits (their home page shows them as links).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHome {
    /// Classes they teach, run or oversee.
    pub classes: u32,
    /// Essay answers waiting for their marks; `None` for those who do not
    /// grade (the province admin).
    pub grading: Option<u32>,
    /// Course drafts waiting for their review; `None` for those who do not
    /// review.
    pub reviews: Option<u32>,
    /// Course drafts of their centre being written or returned for changes;
    /// `None` for those who do not write courses.
    pub drafts: Option<u32>,
}

/// Body of `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// One entry of `GET /api/courses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub version: i64,
    pub module_count: u32,
    pub lesson_count: u32,
}

/// Stable error codes of the API. The HTTP status goes with the code; the
/// client translates the code for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case", try_from = "ErrorFields")]
pub enum ApiError {
    /// No valid session: log in (again).
    Unauthenticated,
    /// Wrong username or password (deliberately not saying which).
    BadCredentials,
    /// Signed in, but not allowed to see this.
    Forbidden,
    /// No such course, lesson or file.
    NotFound,
    /// The request was malformed; `detail` is for developers and logs.
    BadRequest { detail: String },
    /// The upload is larger than `limit` bytes.
    TooLarge { limit: u64 },
    /// The current password given to change it is wrong.
    WrongPassword,
    /// The new password is shorter than `min` characters.
    WeakPassword { min: u32 },
    /// An uploaded file cannot be read as its format at all (nothing was
    /// imported); `problem` says why, for the client to explain.
    UnreadableFile { problem: FileProblem },
    /// The account was deactivated by an administrator (the right password
    /// was given; nobody else learns that the account exists).
    AccountDisabled,
    /// A username or centre name that is already taken.
    AlreadyExists,
    /// Too many requests from this address: try again after `retry_after`
    /// seconds (also sent as `Retry-After`).
    TooManyRequests { retry_after: u64 },
    /// The asker already holds `max` open live sessions: end one first.
    TooManySessions { max: u32 },
    /// The server cannot take more of this now (every live session code is
    /// taken); try again later.
    ServerBusy,
    /// Something failed on the server; details are in its log.
    Internal,
    /// The account must choose its own password first: every route but
    /// the password change, logout and `GET /api/me` answers this.
    PasswordChangeRequired,
    /// Too many login attempts for this account or from this address: try
    /// again in `retry_after` seconds (also sent as `Retry-After`).
    TooManyAttempts { retry_after: u64 },
    /// The request did not come from a page of this server (its `Origin`
    /// or `Sec-Fetch-Site` says another site).
    CrossSite,
    /// A save named an older version of the file than the server holds
    /// (409): the server's, to show beside the author's. Staff pages only
    /// (feature `staff`: the trainee's build does not carry its decoder).
    #[cfg(feature = "staff")]
    Conflict { current: Box<FileVersion> },
    /// The draft does not load as a course (422): what the content check
    /// found, by file and line. Staff pages only, like `Conflict`.
    #[cfg(feature = "staff")]
    ContentProblems { problems: Vec<Problem> },
}

/// How the client reads an [`ApiError`]: its code and whichever fields it
/// has, in one pass. Serde's reader of an internally tagged enum buffers
/// the object and then reads it again as each variant; in every page's
/// `.wasm` that was 17 KB, this is a fraction. Its JSON is what
/// [`ApiError`]'s `Serialize` writes (test `every_error_reads_back_as_written`).
#[derive(Deserialize)]
struct ErrorFields {
    code: ErrorCode,
    detail: Option<String>,
    limit: Option<u64>,
    min: Option<u32>,
    problem: Option<FileProblem>,
    retry_after: Option<u64>,
    max: Option<u32>,
    #[cfg(feature = "staff")]
    current: Option<Box<FileVersion>>,
    #[cfg(feature = "staff")]
    problems: Option<Vec<Problem>>,
}

/// The `code` of an [`ApiError`], alone.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ErrorCode {
    Unauthenticated,
    BadCredentials,
    Forbidden,
    NotFound,
    BadRequest,
    TooLarge,
    WrongPassword,
    WeakPassword,
    UnreadableFile,
    AccountDisabled,
    AlreadyExists,
    TooManyRequests,
    TooManySessions,
    ServerBusy,
    Internal,
    PasswordChangeRequired,
    TooManyAttempts,
    CrossSite,
    #[cfg(feature = "staff")]
    Conflict,
    #[cfg(feature = "staff")]
    ContentProblems,
}

impl TryFrom<ErrorFields> for ApiError {
    type Error = &'static str;

    fn try_from(f: ErrorFields) -> Result<Self, Self::Error> {
        const MISSING: &str = "an error without the field its code needs";
        Ok(match f.code {
            ErrorCode::Unauthenticated => ApiError::Unauthenticated,
            ErrorCode::BadCredentials => ApiError::BadCredentials,
            ErrorCode::Forbidden => ApiError::Forbidden,
            ErrorCode::NotFound => ApiError::NotFound,
            ErrorCode::BadRequest => ApiError::BadRequest {
                detail: f.detail.ok_or(MISSING)?,
            },
            ErrorCode::TooLarge => ApiError::TooLarge {
                limit: f.limit.ok_or(MISSING)?,
            },
            ErrorCode::WrongPassword => ApiError::WrongPassword,
            ErrorCode::WeakPassword => ApiError::WeakPassword {
                min: f.min.ok_or(MISSING)?,
            },
            ErrorCode::UnreadableFile => ApiError::UnreadableFile {
                problem: f.problem.ok_or(MISSING)?,
            },
            ErrorCode::AccountDisabled => ApiError::AccountDisabled,
            ErrorCode::AlreadyExists => ApiError::AlreadyExists,
            ErrorCode::TooManyRequests => ApiError::TooManyRequests {
                retry_after: f.retry_after.ok_or(MISSING)?,
            },
            ErrorCode::TooManySessions => ApiError::TooManySessions {
                max: f.max.ok_or(MISSING)?,
            },
            ErrorCode::ServerBusy => ApiError::ServerBusy,
            ErrorCode::Internal => ApiError::Internal,
            ErrorCode::PasswordChangeRequired => ApiError::PasswordChangeRequired,
            ErrorCode::TooManyAttempts => ApiError::TooManyAttempts {
                retry_after: f.retry_after.ok_or(MISSING)?,
            },
            ErrorCode::CrossSite => ApiError::CrossSite,
            #[cfg(feature = "staff")]
            ErrorCode::Conflict => ApiError::Conflict {
                current: f.current.ok_or(MISSING)?,
            },
            #[cfg(feature = "staff")]
            ErrorCode::ContentProblems => ApiError::ContentProblems {
                problems: f.problems.ok_or(MISSING)?,
            },
        })
    }
}

/// Why an uploaded question-bank file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileProblem {
    /// Not well-formed XML; the line of the first fault.
    NotXml { line: u32 },
    /// Well-formed XML, but not a Moodle question file (`<quiz>`).
    NotMoodleXml,
    /// Neither a QTI 3.0 content package (a ZIP with `imsmanifest.xml`)
    /// nor a QTI 3.0 item or test (`<qti-assessment-item>`…).
    NotQti,
    /// A package whose files unpack to more than `limit` bytes.
    TooLargeUnpacked { limit: u64 },
}

impl ApiError {
    /// The HTTP status that goes with the code.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthenticated | ApiError::BadCredentials => 401,
            ApiError::Forbidden
            | ApiError::AccountDisabled
            | ApiError::PasswordChangeRequired
            | ApiError::CrossSite => 403,
            ApiError::NotFound => 404,
            ApiError::AlreadyExists | ApiError::TooManySessions { .. } => 409,
            #[cfg(feature = "staff")]
            ApiError::Conflict { .. } => 409,
            #[cfg(feature = "staff")]
            ApiError::ContentProblems { .. } => 422,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::ServerBusy => 503,
            ApiError::BadRequest { .. }
            | ApiError::UnreadableFile { .. }
            | ApiError::WrongPassword
            | ApiError::WeakPassword { .. } => 400,
            ApiError::TooLarge { .. } => 413,
            ApiError::Internal => 500,
            ApiError::TooManyAttempts { .. } => 429,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_a_stable_code_tag() {
        let json = serde_json::to_string(&ApiError::BadCredentials).unwrap();
        assert_eq!(json, r#"{"code":"bad_credentials"}"#);
        let parsed: ApiError =
            serde_json::from_str(r#"{"code":"bad_request","detail":"x"}"#).unwrap();
        assert_eq!(parsed, ApiError::BadRequest { detail: "x".into() });
    }

    #[test]
    fn every_error_reads_back_as_written() {
        #[cfg_attr(not(feature = "staff"), allow(unused_mut))] // staff: 2 more
        let mut errors = vec![
            ApiError::Unauthenticated,
            ApiError::BadCredentials,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::BadRequest { detail: "x".into() },
            ApiError::TooLarge { limit: 7 },
            ApiError::WrongPassword,
            ApiError::WeakPassword { min: 10 },
            ApiError::UnreadableFile {
                problem: FileProblem::NotXml { line: 4 },
            },
            ApiError::UnreadableFile {
                problem: FileProblem::NotQti,
            },
            ApiError::AccountDisabled,
            ApiError::AlreadyExists,
            ApiError::TooManyRequests { retry_after: 60 },
            ApiError::TooManySessions { max: 3 },
            ApiError::ServerBusy,
            ApiError::Internal,
            ApiError::PasswordChangeRequired,
            ApiError::TooManyAttempts { retry_after: 30 },
            ApiError::CrossSite,
        ];
        #[cfg(feature = "staff")]
        errors.extend([
            ApiError::Conflict {
                current: Box::new(crate::authoring::FileVersion {
                    version: 2,
                    content: "x".into(),
                    updated_by: "gv".into(),
                    updated_at: 5,
                }),
            },
            ApiError::ContentProblems {
                problems: vec![crate::authoring::Problem::new(
                    "course.toml".into(),
                    Some(3),
                    crate::problem::Problem::CourseNoTitle,
                )],
            },
        ]);
        for error in &errors {
            // No wildcard: a new variant fails to compile until it is in
            // the list above.
            match error {
                ApiError::Unauthenticated
                | ApiError::BadCredentials
                | ApiError::Forbidden
                | ApiError::NotFound
                | ApiError::BadRequest { .. }
                | ApiError::TooLarge { .. }
                | ApiError::WrongPassword
                | ApiError::WeakPassword { .. }
                | ApiError::UnreadableFile { .. }
                | ApiError::AccountDisabled
                | ApiError::AlreadyExists
                | ApiError::TooManyRequests { .. }
                | ApiError::TooManySessions { .. }
                | ApiError::ServerBusy
                | ApiError::Internal
                | ApiError::PasswordChangeRequired
                | ApiError::TooManyAttempts { .. }
                | ApiError::CrossSite => {}
                #[cfg(feature = "staff")]
                ApiError::Conflict { .. } | ApiError::ContentProblems { .. } => {}
            }
            let json = serde_json::to_string(error).unwrap();
            let read: ApiError = serde_json::from_str(&json).unwrap();
            assert_eq!(&read, error, "{json}");
        }
        // What serde's own reader refused is refused: a code without the
        // field it needs, a code nobody knows.
        for json in [
            r#"{"code":"too_large"}"#,
            r#"{"code":"no_such_code"}"#,
            r#"{"limit":3}"#,
        ] {
            assert!(serde_json::from_str::<ApiError>(json).is_err(), "{json}");
        }
    }

    #[cfg(feature = "staff")]
    #[test]
    fn a_draft_s_problems_sit_beside_the_code() {
        let problems = ApiError::ContentProblems {
            problems: vec![crate::authoring::Problem::new(
                "course.toml".into(),
                Some(3),
                crate::problem::Problem::CourseNoTitle,
            )],
        };
        let json = serde_json::to_value(&problems).unwrap();
        assert_eq!(json["code"], "content_problems");
        assert_eq!(
            json["problems"][0]["line"], 3,
            "the fields sit beside the code"
        );
        assert_eq!(json["problems"][0]["problem"]["code"], "course_no_title");
        assert_eq!(
            json["problems"][0]["text_vi"],
            crate::problem::Problem::CourseNoTitle.text(crate::i18n::Lang::Vi),
            "the server sends the sentences too"
        );
        assert_eq!(problems.status(), 422);
    }
}

/// Question-bank formats a lecturer can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    Aiken,
    Gift,
}

/// Body of `POST /api/bank/import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub format: ImportFormat,
    /// The file's text (UTF-8).
    pub text: String,
    /// Import the valid questions even when others have problems.
    #[serde(default)]
    pub partial: bool,
    /// Only report; import nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Reply of `POST /api/bank/import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    pub report: crate::question::import::ImportReport,
    /// Questions stored by this request (0 for a dry run, or when problems
    /// stopped an all-or-nothing import).
    pub imported: u32,
    /// Images the questions read show, kept with the bank when they are
    /// imported (Moodle XML and QTI files carry them inside).
    #[serde(default)]
    pub media: u32,
}

/// One question of a lecturer's bank: `GET /api/bank`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankEntry {
    pub id: String,
    pub category: Option<String>,
    /// The question kind, e.g. `single_choice`.
    pub kind: String,
    pub prompt: String,
}

/// Largest question-bank file accepted, in bytes.
pub const MAX_IMPORT_BYTES: usize = 512 * 1024;

/// Largest Moodle XML file or QTI package accepted, in bytes: these carry
/// their images inside (base64 or files in the ZIP).
pub const MAX_PACKAGE_BYTES: usize = 8 * 1024 * 1024;

/// The first path segments of the staff pages (accounts, classes, reports, the live
/// presenter, the question bank, grading, authoring and review). Their code is
/// in a separate build of the client (`dist/staff/`) that trainees' phones
/// never download: the server and the service worker (`public/sw.js`, kept
/// in step by a server test) send that build for these addresses.
pub const STAFF_PAGES: &[&str] = &[
    "accounts",
    "classes",
    "report",
    "present",
    "bank",
    "grading",
    "authoring",
    "review",
];

/// True when `path` (an address path, such as `/classes/3`) is a staff page.
pub fn is_staff_page(path: &str) -> bool {
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    STAFF_PAGES.contains(&first)
}

#[cfg(test)]
mod staff_page_tests {
    use super::is_staff_page;

    #[test]
    fn staff_pages_are_recognised_by_their_first_segment() {
        assert!(is_staff_page("/classes"));
        assert!(is_staff_page("/classes/3/trainees/hocvien"));
        assert!(is_staff_page("/authoring/demo/edit/lessons/a"));
        assert!(is_staff_page("/present/ABC123"));
        assert!(is_staff_page("/accounts"));
        assert!(!is_staff_page("/"));
        assert!(!is_staff_page("/courses/demo"));
        assert!(!is_staff_page("/classesx"));
        assert!(!is_staff_page("/live/ABC123"));
        assert!(!is_staff_page("/progress"));
    }
}
