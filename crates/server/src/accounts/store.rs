//! The accounts area's store: users (their profiles, passwords and
//! deactivation, migration 0015), sessions and centres.

use crate::store::StoreError;
use lophoc_core::{accounts::Role, api::User};
use lophoc_core::{
    accounts::{Account, CentreEntry},
    classes::UserRef,
};
use sqlx::{AnyPool, Row};

use crate::{
    classes::store::NewTrainee,
    store::{flag, now},
};

/// An account with the centre it belongs to.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub account: Account,
    pub centre_id: Option<i64>,
}

/// The columns of an [`Account`], from `users u`.
const ACCOUNT_COLUMNS: &str = "u.id, u.username, u.full_name, u.role, u.must_change_password,
     u.centre_id,
     NOT EXISTS (SELECT 1 FROM deactivated_users d WHERE d.user_id = u.id) AS active,
     (u.role = 'centre_admin' OR EXISTS (SELECT 1 FROM reviewers r
         WHERE r.user_id = u.id AND r.centre_id = u.centre_id)) AS reviewer";

fn account_row(row: &sqlx::any::AnyRow) -> Result<AccountRow, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(AccountRow {
        account: Account {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            full_name: row.try_get("full_name")?,
            role: Role::parse(&role).ok_or_else(|| StoreError::Data(format!("role {role}")))?,
            active: flag(row, "active")?,
            reviewer: flag(row, "reviewer")?,
            must_change_password: flag(row, "must_change_password")?,
        },
        centre_id: row.try_get("centre_id")?,
    })
}

/// The accounts area: users, their sessions, centres and deactivations.
#[derive(Clone, Debug)]
pub struct AccountStore {
    pool: AnyPool,
}

impl AccountStore {
    pub(crate) fn new(pool: AnyPool) -> AccountStore {
        AccountStore { pool }
    }
}

/// A user row with its password hash, for checking a login.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// False once an administrator deactivated the account.
    pub active: bool,
}

/// A session's last use is written when it is older than this (seconds).
const SESSION_TOUCH_SECONDS: i64 = 3600;

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Data(format!("role {role}")))?,
        must_change_password: flag(row, "must_change_password")?,
    })
}

/// Who is asking, with the centre they belong to.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user: User,
    pub centre_id: Option<i64>,
    pub centre_name: Option<String>,
    pub birth_date: Option<String>,
}

pub(crate) fn user_ref(row: &sqlx::any::AnyRow) -> Result<UserRef, StoreError> {
    Ok(UserRef {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
    })
}

impl AccountStore {
    /// Creates a centre; `None` when the name is taken.
    pub async fn create_centre_named(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO centres (name, created_at) VALUES ($1, $2)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn centre_exists(&self, id: i64) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM centres WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// A staff account on an initial password (`must_change_password`);
    /// `None` when the username is taken.
    pub async fn create_staff(
        &self,
        username: &str,
        full_name: &str,
        role: Role,
        centre_id: i64,
        password_hash: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO users (username, full_name, role, password_hash, created_at, centre_id,
                                must_change_password)
             VALUES ($1, $2, $3, $4, $5, $6, 1)
             ON CONFLICT (username) DO NOTHING RETURNING id",
        )
        .bind(username)
        .bind(full_name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now())
        .bind(centre_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn account(&self, user_id: i64) -> Result<Option<AccountRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users u WHERE u.id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_row).transpose()
    }

    /// Accounts of a centre with one of `roles`, by name.
    pub async fn centre_accounts(
        &self,
        centre_id: i64,
        roles: &[Role],
    ) -> Result<Vec<Account>, StoreError> {
        let marks: Vec<String> = (2..roles.len() + 2).map(|n| format!("${n}")).collect();
        let marks = marks.join(", ");
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users u WHERE u.centre_id = $1 AND u.role IN ({marks})
             ORDER BY u.full_name, u.id"
        );
        let mut query = sqlx::query(&sql).bind(centre_id);
        for role in roles {
            query = query.bind(role.as_str());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| account_row(row).map(|a| a.account))
            .collect()
    }

    /// Every centre with its admins and how many lecturers and trainees it
    /// has, by name.
    pub async fn centres(&self) -> Result<Vec<CentreEntry>, StoreError> {
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.name,
                    (SELECT COUNT(*) FROM users u WHERE u.centre_id = c.id AND u.role = 'lecturer'),
                    (SELECT COUNT(*) FROM users u WHERE u.centre_id = c.id AND u.role = 'trainee')
             FROM centres c ORDER BY c.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, name, lecturers, trainees) in rows {
            out.push(CentreEntry {
                id,
                name,
                admins: self.centre_accounts(id, &[Role::CentreAdmin]).await?,
                lecturers: u32::try_from(lecturers).unwrap_or_default(),
                trainees: u32::try_from(trainees).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Deactivates (ending every session in the same transaction) or
    /// reactivates an account. Nothing else about it changes.
    pub async fn set_active(&self, user_id: i64, active: bool, by: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if active {
            sqlx::query("DELETE FROM deactivated_users WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO deactivated_users (user_id, deactivated_at, deactivated_by)
                 VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(now())
            .bind(by)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx.commit().await?)
    }

    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn create_user(
        &self,
        username: &str,
        full_name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO users (username, full_name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(username)
        .bind(full_name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query(
            "SELECT id, username, full_name, role, must_change_password, password_hash,
                    NOT EXISTS (SELECT 1 FROM deactivated_users d WHERE d.user_id = users.id)
                        AS active
             FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Credentials {
                user: user_from_row(&row)?,
                password_hash: row.try_get("password_hash")?,
                active: flag(&row, "active")?,
            })
        })
        .transpose()
    }

    /// Stores a new session (its token's hash), used now, ending at
    /// `expires_at` at the latest.
    pub async fn create_session(
        &self,
        token_hash: &[u8],
        user_id: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let now = now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user of a live session: not past its end, and used within
    /// [`crate::auth::SESSION_IDLE_SECONDS`]. Marks it used, at most once an
    /// hour (a write per request would cost a disk sync each). A deactivated
    /// account has no session (they are deleted then; this is the second lock).
    pub async fn session_user(&self, token_hash: &[u8]) -> Result<Option<User>, StoreError> {
        let now = now();
        let row = sqlx::query(
            "SELECT u.id, u.username, u.full_name, u.role, u.must_change_password,
                    s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3
               AND NOT EXISTS (SELECT 1 FROM deactivated_users d WHERE d.user_id = u.id)",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - crate::auth::SESSION_IDLE_SECONDS)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let last_seen: i64 = row.try_get("last_seen_at")?;
        if now - last_seen >= SESSION_TOUCH_SECONDS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
        }
        user_from_row(&row).map(Some)
    }

    /// Ends a session, and clears sessions that have ended on their own.
    pub async fn delete_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        let now = now();
        sqlx::query(
            "DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2 OR last_seen_at <= $3",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - crate::auth::SESSION_IDLE_SECONDS)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends every session of a user but the one whose token hashes to
    /// `keep` (the session asking: one's own password change); returns how
    /// many ended.
    pub async fn end_other_sessions(&self, user_id: i64, keep: &[u8]) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash != $2")
            .bind(user_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn create_centre(&self, name: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO centres (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now())
        .fetch_one(&self.pool)
        .await?)
    }

    /// The centre with exactly this name.
    pub async fn centre_named(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM centres WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn set_user_centre(&self, user_id: i64, centre_id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET centre_id = $1 WHERE id = $2")
            .bind(centre_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn profile(&self, user_id: i64) -> Result<Option<Profile>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.full_name, u.role, u.must_change_password, u.centre_id,
                    u.birth_date, ce.name AS centre_name
             FROM users u LEFT JOIN centres ce ON ce.id = u.centre_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let role: String = row.try_get("role")?;
            Ok(Profile {
                user: User {
                    id: row.try_get("id")?,
                    username: row.try_get("username")?,
                    full_name: row.try_get("full_name")?,
                    role: Role::parse(&role)
                        .ok_or_else(|| StoreError::Data(format!("role {role}")))?,
                    must_change_password: flag(&row, "must_change_password")?,
                },
                centre_id: row.try_get("centre_id")?,
                centre_name: row.try_get("centre_name")?,
                birth_date: row.try_get("birth_date")?,
            })
        })
        .transpose()
    }

    /// The stored password hash of a user.
    pub async fn password_hash(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Sets a password; `must_change` for one someone else chose, which
    /// also ends every session of the user. When users choose their own,
    /// the handler ends their other sessions (`AccountStore::end_other_sessions`).
    pub async fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        must_change: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(hash)
            .bind(i64::from(must_change))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if must_change {
            // A reset: whoever held the old password is logged out.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx.commit().await?)
    }

    /// Active lecturers of a centre, for choosing a class's lecturers.
    pub async fn centre_lecturers(&self, centre_id: i64) -> Result<Vec<UserRef>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, username, full_name FROM users
             WHERE centre_id = $1 AND role = 'lecturer'
               AND id NOT IN (SELECT user_id FROM deactivated_users)
             ORDER BY full_name",
        )
        .bind(centre_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_ref).collect()
    }
}

/// Creates a trainee's account from a roster row, on the caller's
/// transaction (the roster import adds it to a class in the same one), with
/// the first free username made from the name. Returns its id and username.
pub(crate) async fn insert_trainee(
    conn: &mut sqlx::AnyConnection,
    centre_id: i64,
    trainee: &NewTrainee,
) -> Result<(i64, String), StoreError> {
    let row = &trainee.row;
    let base = lophoc_core::classes::username_base(&row.full_name);
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT username FROM users WHERE username LIKE $1 || '%'")
            .bind(&base)
            .fetch_all(&mut *conn)
            .await?;
    let username = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|name| !taken.contains(name))
        .unwrap_or(base);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, full_name, role, password_hash, created_at,
                            centre_id, birth_date, unit, position, phone, must_change_password)
         VALUES ($1, $2, 'trainee', $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id",
    )
    .bind(&username)
    .bind(&row.full_name)
    .bind(&trainee.password_hash)
    .bind(now())
    .bind(centre_id)
    .bind(&row.birth_date)
    .bind(&row.unit)
    .bind(&row.position)
    .bind(&row.phone)
    .fetch_one(conn)
    .await?;
    Ok((id, username))
}

/// Lets `users.role` hold `province_admin` (added with classes, migration
/// 0006). SQLite cannot change a CHECK constraint in place: the table is
/// rebuilt, which must happen with foreign keys off — otherwise dropping the
/// old table would cascade into sessions, devices and events — and a
/// migration cannot turn them off (it runs inside a transaction). Done once;
/// a no-op when the constraint already allows the role.
pub(crate) async fn add_province_admin_role(pool: &AnyPool) -> Result<(), StoreError> {
    let sql: String =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
            .fetch_one(pool)
            .await?;
    if sql.contains("province_admin") {
        return Ok(());
    }
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let rebuilt = rebuild_users(&mut conn).await;
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    rebuilt
}

async fn rebuild_users(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    use sqlx::Connection;
    let mut tx = conn.begin().await?;
    for statement in [
        "CREATE TABLE users_new (
            id            INTEGER PRIMARY KEY,
            username      TEXT NOT NULL UNIQUE,
            full_name     TEXT NOT NULL,
            role          TEXT NOT NULL
                          CHECK (role IN ('trainee', 'lecturer', 'centre_admin', 'province_admin')),
            password_hash TEXT NOT NULL,
            created_at    INTEGER NOT NULL,
            centre_id     INTEGER REFERENCES centres(id),
            birth_date    TEXT,
            unit          TEXT NOT NULL DEFAULT '',
            position      TEXT NOT NULL DEFAULT '',
            phone         TEXT NOT NULL DEFAULT '',
            must_change_password INTEGER NOT NULL DEFAULT 0
        )",
        "INSERT INTO users_new (id, username, full_name, role, password_hash, created_at,
                                centre_id, birth_date, unit, position, phone, must_change_password)
         SELECT id, username, full_name, role, password_hash, created_at,
                centre_id, birth_date, unit, position, phone, must_change_password FROM users",
        "DROP TABLE users",
        "ALTER TABLE users_new RENAME TO users",
        "CREATE INDEX users_by_centre ON users(centre_id)",
    ] {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    let broken: Vec<sqlx::any::AnyRow> = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *tx)
        .await?;
    if !broken.is_empty() {
        return Err(StoreError::Data(format!(
            "rebuilding users left {} broken references",
            broken.len()
        )));
    }
    Ok(tx.commit().await?)
}

impl AccountStore {
    /// Counts an attempt on `key` at `now_ms` under `limit` (GCRA, see
    /// `crate::throttle`): passes, moving the key's due time one period on,
    /// or `Err(ms)` to wait. One statement, so attempts counted at once by
    /// several instances are each counted.
    pub async fn throttle(
        &self,
        key: &str,
        limit: crate::throttle::Limit,
        now_ms: i64,
    ) -> Result<Result<(), i64>, StoreError> {
        let passed = sqlx::query(
            "INSERT INTO login_throttle (key, due_ms) VALUES ($1, $2 + $3)
             ON CONFLICT (key) DO UPDATE
             SET due_ms = CASE WHEN login_throttle.due_ms > $2 THEN login_throttle.due_ms ELSE $2 END + $3
             WHERE login_throttle.due_ms <= $2 + $4",
        )
        .bind(key)
        .bind(now_ms)
        .bind(limit.period_ms)
        .bind(limit.tolerance_ms())
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if passed {
            return Ok(Ok(()));
        }
        let due: i64 = sqlx::query_scalar("SELECT due_ms FROM login_throttle WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(Err((due - limit.tolerance_ms() - now_ms).max(1)))
    }

    /// Deletes the throttle keys that have fully recovered by `now_ms`;
    /// returns how many.
    pub async fn forget_recovered_throttles(&self, now_ms: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM login_throttle WHERE due_ms < $1")
            .bind(now_ms)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
