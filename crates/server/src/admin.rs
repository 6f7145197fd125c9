//! Work done from the server machine's command line rather than the
//! browser: the first accounts of a new installation, and backups.
//!
//! Policy: a production database starts empty (no demo account unless the
//! server runs with `--demo`); `lophoc-server user create` makes the first
//! province administrator — and may make centre administrators and
//! lecturers — with a password typed at the terminal or piped on standard
//! input, never on the command line, where it would stay in the shell's
//! history and show in the process list. The person who types it chose it,
//! so it need not be changed at the first login.
//!
//! `lophoc-server backup FILE` copies the live database with SQLite's
//! `VACUUM INTO`: a consistent snapshot taken inside one read transaction,
//! while the server keeps serving (WAL mode lets the reader and the writers
//! go on together). It opens the database read-only and migrates nothing,
//! so a newer binary may back up a database an older server is using (the
//! first step of an upgrade, `docs/deploy.md`).

use std::{path::Path, str::FromStr};

use anyhow::{bail, Context};
use lophoc_core::{
    accounts::Role,
    classes::{is_valid_username, MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS},
};
use sqlx::{sqlite::SqliteConnectOptions, ConnectOptions, Connection, Row};

use crate::store::Store;

/// Longest password accepted (the login refuses longer ones unhashed).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A staff account to create from the command line.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// The centre of a centre admin or lecturer, by name; created if the
    /// database has no centre of that name yet.
    pub centre: Option<String>,
}

/// Why a password cannot be used, in both languages (the tool speaks to
/// the person at the terminal).
pub fn password_problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự / the password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.len() > MAX_PASSWORD_CHARS {
        return Some(format!(
            "mật khẩu dài quá {MAX_PASSWORD_CHARS} byte / the password is longer than {MAX_PASSWORD_CHARS} bytes"
        ));
    }
    None
}

/// Creates a staff account; returns its id.
pub async fn create_staff(
    store: &Store,
    staff: &NewStaff,
    password: String,
) -> anyhow::Result<i64> {
    if !is_valid_username(&staff.username) {
        bail!(
            "tên đăng nhập {:?} không hợp lệ: 2–{MAX_USERNAME_CHARS} chữ thường a–z, số, '.', '_' hoặc '-' / \
             username {:?} is not valid: 2–{MAX_USERNAME_CHARS} lower-case letters a–z, digits, '.', '_' or '-'",
            staff.username,
            staff.username
        );
    }
    let full_name = staff.full_name.trim();
    if full_name.is_empty() || full_name.chars().count() > 200 {
        bail!(
            "họ và tên cần có, tối đa 200 ký tự / the full name is needed, at most 200 characters"
        );
    }
    if let Some(problem) = password_problem(&password) {
        bail!("{problem}");
    }
    let centre = staff.centre.as_deref().map(str::trim);
    match (staff.role, centre) {
        (Role::Trainee, _) => {
            bail!("học viên được thêm qua danh sách lớp / trainees are added with a class roster")
        }
        (Role::ProvinceAdmin, Some(_)) => {
            bail!("quản trị cấp tỉnh không thuộc trung tâm nào / a province admin belongs to no centre")
        }
        (Role::CentreAdmin | Role::Lecturer, None | Some("")) => {
            bail!("cần --centre \"Tên trung tâm\" / --centre \"Centre name\" is needed")
        }
        _ => {}
    }
    if store.accounts.credentials(&staff.username).await?.is_some() {
        bail!(
            "tên đăng nhập {0:?} đã có / the username {0:?} is taken",
            staff.username
        );
    }
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .context("hashing")?
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = store
        .accounts
        .create_user(&staff.username, full_name, staff.role, &hash)
        .await?;
    if let Some(name) = centre {
        let centre_id = match store.accounts.centre_named(name).await? {
            Some(id) => id,
            None => store.accounts.create_centre(name).await?,
        };
        store.accounts.set_user_centre(id, centre_id).await?;
    }
    Ok(id)
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Backup {
    pub bytes: u64,
    pub users: i64,
}

/// Copies the database at `database_url` (SQLite) to `target`, which must
/// not exist yet, and checks the copy (`PRAGMA integrity_check`).
pub async fn backup(database_url: &str, target: &Path) -> anyhow::Result<Backup> {
    if target.exists() {
        bail!(
            "{} đã có; chọn tên khác / {} exists; choose another name",
            target.display(),
            target.display()
        );
    }
    if crate::engine::Engine::of(database_url).ok() == Some(crate::engine::Engine::Postgres) {
        bail!(
            "cơ sở dữ liệu PostgreSQL được sao lưu bằng pg_dump / a PostgreSQL database is \
             backed up with pg_dump"
        );
    }
    let source = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("database URL {database_url}"))?
        .read_only(true)
        .create_if_missing(false);
    let mut conn = source
        .connect()
        .await
        .with_context(|| format!("opening {database_url}"))?;
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut conn)
        .await
        .context("reading the database (is it a Lophoc database?)")?;
    // Written beside the target and renamed once whole, so a backup file
    // that exists is complete.
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let partial_text = partial
        .to_str()
        .context("the backup path is not valid UTF-8")?
        .to_string();
    sqlx::query("VACUUM INTO ?")
        .bind(&partial_text)
        .execute(&mut conn)
        .await
        .with_context(|| format!("writing {}", partial.display()))?;
    conn.close().await?;
    let mut copy = SqliteConnectOptions::new()
        .filename(&partial)
        .read_only(true)
        .connect()
        .await?;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await?
        .try_get(0)?;
    copy.close().await?;
    if check != "ok" {
        let _ = std::fs::remove_file(&partial);
        bail!("the copy failed its integrity check: {check}");
    }
    std::fs::rename(&partial, target)
        .with_context(|| format!("renaming {} to {}", partial.display(), target.display()))?;
    let bytes = std::fs::metadata(target)?.len();
    Ok(Backup { bytes, users })
}
