//! Centres, classes, rosters, class reports and certificates: the wire types
//! of `/api/classes`, `/api/report`, `/api/me/*` and `/api/certificates`,
//! and the pure rules behind them (reading a roster, making usernames,
//! Vietnamese dates).
//!
//! Policy: a roster import is all or nothing. [`read_roster`] checks every
//! row and reports every problem with its row number; the server creates no
//! account unless the whole file is clean, so a centre admin fixes the file
//! and imports it again without cleaning up half an import.

use serde::{Deserialize, Serialize};

use crate::{
    assessment::AttemptReport,
    completion::{AssessmentResult, CourseProgress, Status},
    text::fold,
};

/// A user as others see them in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
    pub full_name: String,
}

/// One class (lớp): `GET /api/classes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: i64,
    pub name: String,
    pub course_id: String,
    pub course_title: String,
    pub centre_name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    pub lecturers: Vec<UserRef>,
    pub trainee_count: u32,
}

/// Body of `POST /api/classes` (centre admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClass {
    pub name: String,
    pub course_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub lecturer_ids: Vec<i64>,
}

/// A trainee on a class roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub unit: String,
    pub position: String,
    pub phone: String,
}

/// `GET /api/classes/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDetail {
    pub class: ClassSummary,
    pub members: Vec<Member>,
    /// Whether the asker may import a roster (centre admins of the class's
    /// centre).
    pub may_import: bool,
}

/// A module column of the class matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixModule {
    pub id: String,
    pub title: String,
}

/// One trainee's module in the class matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub status: Status,
    pub done: u32,
    pub required: u32,
}

/// One trainee's row of the class matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub user: UserRef,
    pub cells: Vec<MatrixCell>,
    pub percent: u32,
    pub completed: bool,
    /// Results of the assessments the completion rule requires, in the
    /// order of [`ClassMatrix::assessments`].
    pub results: Vec<Option<AssessmentResult>>,
    /// The certificate's code, once issued.
    pub certificate: Option<String>,
    /// Live sessions of the course attended.
    #[serde(default)]
    pub live_sessions: u32,
}

/// `GET /api/classes/{id}/matrix`: trainees × modules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassMatrix {
    pub class_id: i64,
    pub class_name: String,
    pub course_id: String,
    pub modules: Vec<MatrixModule>,
    /// The required assessments: id and title.
    pub assessments: Vec<MatrixModule>,
    pub rows: Vec<MatrixRow>,
}

/// A trainee's answer to one question, as text a lecturer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerLine {
    pub question_id: String,
    /// Sanitized HTML.
    pub prompt: String,
    pub answer: String,
}

/// One attempt in a trainee's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordAttempt {
    pub assessment_id: String,
    pub assessment_title: String,
    /// Always with its per-question review, whatever the trainee may see.
    pub report: AttemptReport,
    pub answers: Vec<AnswerLine>,
    /// Started offline before the assessment closed and received after
    /// the close (within the grace): it counts, and the lecturer sees why.
    #[serde(default)]
    pub late: bool,
}

/// An op of the trainee the server refused, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRefused {
    /// The event kind (its serde tag), when the op said.
    pub kind: Option<String>,
    pub reason: crate::events::RejectReason,
    /// When the server received it, ms.
    pub received_ms: i64,
}

/// A trainee's answers to one situation set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSituation {
    pub situation_id: String,
    pub title: String,
    pub answers: Vec<AnswerLine>,
}

/// `GET /api/classes/{id}/trainees/{user}`: the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeRecord {
    pub member: Member,
    pub progress: CourseProgress,
    pub attempts: Vec<RecordAttempt>,
    pub situations: Vec<RecordSituation>,
    /// The trainee's ops the server refused, newest first.
    #[serde(default)]
    pub refused: Vec<RecordRefused>,
}

/// One question's statistics with its prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionReport {
    pub question_id: String,
    /// Sanitized HTML.
    pub prompt: String,
    pub stat: crate::stats::QuestionStat,
}

/// `GET /api/classes/{id}/stats`: per assessment, per question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentStats {
    pub assessment_id: String,
    pub title: String,
    /// Trainees whose first handed-in attempt is counted.
    pub attempts: u32,
    pub questions: Vec<QuestionReport>,
}

/// What importing a roster file needs: `POST /api/classes/{id}/roster`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterImport {
    /// The CSV file's text (UTF-8, comma or semicolon separated).
    pub csv: String,
    /// Only check; create nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A roster row that reads well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// 1-based row of the file or sheet.
    pub row: u32,
    pub full_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub unit: String,
    pub position: String,
    pub phone: String,
}

/// What is wrong with a roster file or one of its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RosterProblemKind {
    /// No row names the columns (`Họ và tên`, `Ngày sinh`, …).
    NoHeader,
    /// A required column is missing from the header row.
    MissingColumn { column: String },
    /// The row has no full name.
    MissingName,
    /// The birth date is missing or not a date.
    BadDate { value: String },
    /// The phone number is not 9–11 digits.
    BadPhone { value: String },
    /// The same name and birth date appear on an earlier row.
    Duplicate { first_row: u32 },
    /// A cell is longer than [`MAX_CELL_CHARS`].
    TooLong,
    /// More than [`MAX_ROSTER_ROWS`] trainees.
    TooManyRows { max: u32 },
    /// No trainee rows at all.
    Empty,
    /// The file cannot be read (not CSV/XLSX, damaged).
    Unreadable,
}

/// A problem and where it is (row 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterProblem {
    pub row: u32,
    pub kind: RosterProblemKind,
}

/// An account made by a roster import or a password reset: the sheet a
/// centre admin prints and hands out in class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub full_name: String,
    pub birth_date: Option<String>,
    pub unit: String,
    pub username: String,
    /// The initial password; the trainee must change it at first login.
    pub password: String,
}

/// Reply of a roster import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterResult {
    pub problems: Vec<RosterProblem>,
    /// Rows read (also on a dry run).
    pub rows: u32,
    /// Accounts created (empty on a dry run or when there are problems).
    pub accounts: Vec<NewAccount>,
}

/// Body of `POST /api/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Shortest password a user may choose.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A certificate of completion (giấy chứng nhận).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub trainee_name: String,
    /// Left out of the public verify page.
    pub birth_date: Option<String>,
    pub course_id: String,
    pub course_title: String,
    pub centre_name: String,
    pub class_name: Option<String>,
    /// `YYYY-MM-DD`, the class's dates when there is a class.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// `YYYY-MM-DD`, Vietnam time.
    pub issued_on: String,
    pub revoked: Option<Revocation>,
}

/// Why and when a certificate was revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub on: String,
    pub reason: String,
}

/// Body of `POST /api/certificates/{code}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoke {
    pub reason: String,
}

/// `GET /api/me/progress`: one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCourse {
    pub course_title: String,
    pub progress: CourseProgress,
    pub certificate: Option<Certificate>,
}

/// One line of a centre's report: a course at a centre in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub centre_name: String,
    pub course_id: String,
    pub course_title: String,
    pub classes: u32,
    pub trainees: u32,
    /// Trainees who met the course's completion rule.
    pub completed: u32,
    /// Trainees who passed every required assessment.
    pub passed: u32,
}

/// `GET /api/report?year=YYYY`: classes starting in that year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreReport {
    pub year: i32,
    pub rows: Vec<ReportRow>,
}

/// `count / total` as a whole percentage, rounded down (0 when `total` is 0).
pub fn rate(count: u32, total: u32) -> u32 {
    if total == 0 {
        0
    } else {
        u32::try_from(u64::from(count) * 100 / u64::from(total)).unwrap_or(100)
    }
}

/// Most trainees one roster file may hold.
pub const MAX_ROSTER_ROWS: u32 = 500;
/// Longest cell, in characters.
pub const MAX_CELL_CHARS: usize = 200;

/// The roster columns, as the template names them.
pub const ROSTER_COLUMNS: [&str; 5] = [
    "Họ và tên",
    "Ngày sinh",
    "Đơn vị",
    "Chức vụ",
    "Số điện thoại",
];

/// Longest username.
pub const MAX_USERNAME_CHARS: usize = 64;

/// Whether `name` may be a username: 2 to [`MAX_USERNAME_CHARS`] lower-case
/// letters a–z, digits, `.`, `_` or `-`, starting with a letter or digit —
/// what people type on a phone keyboard without surprises, and what roster
/// imports make ([`username_base`]).
pub fn is_valid_username(name: &str) -> bool {
    (2..=MAX_USERNAME_CHARS).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// The username a roster import gives a trainee before making it unique:
/// the given name followed by the initials of the family and middle names,
/// without tone marks, as Vietnamese offices do (`Nguyễn Văn An` → `annv`).
pub fn username_base(full_name: &str) -> String {
    let words: Vec<String> = full_name
        .split_whitespace()
        .map(|w| {
            fold(w)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let Some((given, others)) = words.split_last() else {
        return "hocvien".into();
    };
    let mut name = given.clone();
    name.extend(others.iter().filter_map(|w| w.chars().next()));
    name.truncate(24);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_plain_lower_case_words() {
        for ok in [
            "hocvien",
            "quantritinh",
            "annv2",
            "nguyen.an",
            "gv_01",
            "a-b",
        ] {
            assert!(is_valid_username(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "HocVien",
            "học",
            "an nv",
            ".an",
            "-x",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_username(bad), "{bad}");
        }
        assert!(is_valid_username(&username_base("Nguyễn Văn An")));
    }

    #[test]
    fn usernames_follow_the_office_habit() {
        assert_eq!(username_base("Nguyễn Văn An"), "annv");
        assert_eq!(username_base("  Lò   Thị Đào "), "daolt");
        assert_eq!(username_base("Hoàng"), "hoang");
        assert_eq!(username_base("!!!"), "hocvien");
    }
}
