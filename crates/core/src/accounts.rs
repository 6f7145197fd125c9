//! Staff accounts, centres and course ownership: the wire types of
//! `/api/centres`, `/api/accounts` and `/api/course-owners`, and the rules
//! both sides apply (what a username may be, who manages whom).
//!
//! Policy (see `docs/accounts.md`):
//!
//! - the province admin creates centres and their admins, and manages
//!   (deactivates, reactivates, resets the password of) centre admins;
//! - a centre admin creates lecturers of their centre, names reviewers among
//!   them, and manages the lecturers and trainees of their centre;
//! - nobody manages their own account here (their password is changed in
//!   the settings), nor an account of another centre, nor a province admin
//!   (those are made with `lophoc-server user create`);
//! - a deactivated account cannot sign in and its sessions end at once, but
//!   nothing it did is removed: its events, grades, certificates and drafts
//!   stay, and reactivating it brings the same account back;
//! - every course has an owner, a centre or the province; only the owning
//!   centre drafts, imports and approves changes to it, and only the
//!   province admin hands a course to another owner.

use serde::{Deserialize, Serialize};

/// What a user may do. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Học viên: takes courses.
    Trainee,
    /// Giảng viên: teaches classes.
    Lecturer,
    /// Quản trị trung tâm: runs a district centre.
    CentreAdmin,
    /// Quản trị cấp tỉnh: sees every centre's figures.
    ProvinceAdmin,
}

impl Role {
    /// The name used in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Trainee => "trainee",
            Role::Lecturer => "lecturer",
            Role::CentreAdmin => "centre_admin",
            Role::ProvinceAdmin => "province_admin",
        }
    }

    /// Parses the name written by [`Role::as_str`].
    pub fn parse(name: &str) -> Option<Role> {
        match name {
            "trainee" => Some(Role::Trainee),
            "lecturer" => Some(Role::Lecturer),
            "centre_admin" => Some(Role::CentreAdmin),
            "province_admin" => Some(Role::ProvinceAdmin),
            _ => None,
        }
    }
}

/// Shortest and longest username.
pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=32;
/// Longest full name or centre name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Trainees listed at once on the accounts page (the rest by search).
pub const TRAINEE_PAGE: usize = 50;

/// Whether `name` may be a username: 3 to 32 lower-case ASCII letters,
/// digits, `.`, `_` or `-`, starting with a letter (what a person types on a
/// phone keyboard without surprises; roster imports make such names too).
pub fn is_valid_username(name: &str) -> bool {
    USERNAME_CHARS.contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// A person's or a centre's name, trimmed with inner runs of spaces
/// collapsed, or `None` if it is empty, too long or holds control
/// characters.
pub fn clean_name(name: &str) -> Option<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = name.chars().count();
    (1..=MAX_NAME_CHARS)
        .contains(&chars)
        .then_some(name)
        .filter(|n| !n.chars().any(char::is_control))
}

/// Whether an administrator with `role` may create an account with
/// `new_role`: the province admin makes centre admins, a centre admin makes
/// lecturers (trainees come from roster imports).
pub fn may_create(role: Role, new_role: Role) -> bool {
    matches!(
        (role, new_role),
        (Role::ProvinceAdmin, Role::CentreAdmin) | (Role::CentreAdmin, Role::Lecturer)
    )
}

/// Whether an administrator may deactivate, reactivate or reset the
/// password of an account: `same_centre` says whether both belong to the
/// same centre. See the module documentation.
pub fn may_manage(role: Role, same_centre: bool, target: Role, itself: bool) -> bool {
    if itself {
        return false;
    }
    match role {
        Role::ProvinceAdmin => target == Role::CentreAdmin,
        Role::CentreAdmin => same_centre && matches!(target, Role::Lecturer | Role::Trainee),
        Role::Trainee | Role::Lecturer => false,
    }
}

/// An account as an administrator sees it in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// A lecturer named reviewer of their centre (centre admins always are).
    pub reviewer: bool,
    /// Still on an initial or reset password.
    pub must_change_password: bool,
}

/// `GET /api/accounts?q=…` (centre admins): the centre's staff, and its
/// trainees whose name or username matches `q` (with or without tone
/// marks), at most [`TRAINEE_PAGE`] of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub centre_name: String,
    /// Lecturers and centre admins.
    pub staff: Vec<Account>,
    pub trainees: Vec<Account>,
    /// Trainees matching `q`, listed or not.
    pub trainees_found: u32,
}

/// A centre with its admins: `GET /api/centres` (province admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreEntry {
    pub id: i64,
    pub name: String,
    pub admins: Vec<Account>,
    pub lecturers: u32,
    pub trainees: u32,
}

/// Body of `POST /api/centres`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCentre {
    pub name: String,
}

/// Body of `POST /api/accounts`: a centre admin (by the province admin, for
/// `centre_id`) or a lecturer (by a centre admin, for their own centre).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub full_name: String,
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub centre_id: Option<i64>,
}

/// Body of `POST /api/accounts/{id}/active`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetActive {
    pub active: bool,
}

/// A centre as a choice (for handing a course over).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreRef {
    pub id: i64,
    pub name: String,
}

/// One published course and who owns it: `GET /api/course-owners`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseOwner {
    pub course_id: String,
    pub title: String,
    /// `None`: the province.
    pub owner: Option<CentreRef>,
}

/// Body of `POST /api/course-owners/{course}`: the new owner (`None`: the
/// province).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetOwner {
    pub centre_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in [
            Role::Trainee,
            Role::Lecturer,
            Role::CentreAdmin,
            Role::ProvinceAdmin,
        ] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("admin"), None);
    }
    #[test]
    fn usernames_are_plain_and_typeable() {
        for ok in ["giangvien", "tran.binh", "gv_02", "a-b", "abc"] {
            assert!(is_valid_username(ok), "{ok}");
        }
        for bad in [
            "",
            "ab",
            "Giangvien",
            "2gv",
            "trần",
            "gv binh",
            "gv@x",
            ".gv",
            "a234567890123456789012345678901234",
        ] {
            assert!(!is_valid_username(bad), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            clean_name("  Trần   Thị  Bình ").as_deref(),
            Some("Trần Thị Bình")
        );
        assert_eq!(clean_name("   "), None);
        assert_eq!(clean_name(&"a".repeat(MAX_NAME_CHARS + 1)), None);
        assert_eq!(clean_name("a\u{7}b"), None);
    }

    #[test]
    fn who_creates_whom() {
        assert!(may_create(Role::ProvinceAdmin, Role::CentreAdmin));
        assert!(may_create(Role::CentreAdmin, Role::Lecturer));
        for (role, new) in [
            (Role::ProvinceAdmin, Role::ProvinceAdmin),
            (Role::ProvinceAdmin, Role::Lecturer),
            (Role::CentreAdmin, Role::CentreAdmin),
            (Role::CentreAdmin, Role::Trainee),
            (Role::Lecturer, Role::Lecturer),
            (Role::Trainee, Role::Trainee),
        ] {
            assert!(!may_create(role, new), "{role:?} → {new:?}");
        }
    }

    #[test]
    fn who_manages_whom() {
        use Role::*;
        // The province admin: centre admins anywhere, nobody else.
        assert!(may_manage(ProvinceAdmin, false, CentreAdmin, false));
        assert!(!may_manage(ProvinceAdmin, false, Lecturer, false));
        assert!(!may_manage(ProvinceAdmin, false, ProvinceAdmin, false));
        // A centre admin: lecturers and trainees of the same centre.
        assert!(may_manage(CentreAdmin, true, Lecturer, false));
        assert!(may_manage(CentreAdmin, true, Trainee, false));
        assert!(!may_manage(CentreAdmin, false, Trainee, false));
        assert!(!may_manage(CentreAdmin, true, CentreAdmin, false));
        // Nobody manages themselves; lecturers and trainees nobody.
        assert!(!may_manage(CentreAdmin, true, CentreAdmin, true));
        assert!(!may_manage(ProvinceAdmin, false, CentreAdmin, true));
        assert!(!may_manage(Lecturer, true, Trainee, false));
        assert!(!may_manage(Trainee, true, Trainee, false));
    }
}
