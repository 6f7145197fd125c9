//! The database side of staff accounts, centres and course ownership
//! (migrations 0015 and 0016).

use crate::store::StoreError;
use lophoc_core::{
    accounts::Role,
    accounts::{Account, CentreEntry, CentreRef, CourseOwner},
};
use sqlx::Row;

use crate::store::{now, Store};

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

fn account_row(row: &sqlx::sqlite::SqliteRow) -> Result<AccountRow, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(AccountRow {
        account: Account {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            full_name: row.try_get("full_name")?,
            role: Role::parse(&role).ok_or_else(|| StoreError::Data(format!("role {role}")))?,
            active: row.try_get("active")?,
            reviewer: row.try_get("reviewer")?,
            must_change_password: row.try_get("must_change_password")?,
        },
        centre_id: row.try_get("centre_id")?,
    })
}

/// Who owns a course, as far as changing it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// No published course has this id: whoever drafts it first will own it
    /// when it is approved.
    Unpublished,
    /// Published and owned by this centre (`None`: the province, also for
    /// a published course without an ownership row).
    Owned(Option<i64>),
}

impl Ownership {
    /// Whether `centre` may draft, import or approve changes to the course.
    pub fn lets(self, centre: i64) -> bool {
        match self {
            Ownership::Unpublished => true,
            Ownership::Owned(owner) => owner == Some(centre),
        }
    }
}

impl Store {
    /// Creates a centre; `None` when the name is taken.
    pub async fn create_centre_named(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO centres (name, created_at) VALUES (?, ?)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn centre_exists(&self, id: i64) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM centres WHERE id = ?")
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
             VALUES (?, ?, ?, ?, ?, ?, 1)
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
            "SELECT {ACCOUNT_COLUMNS} FROM users u WHERE u.id = ?"
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
        let marks = vec!["?"; roles.len()].join(", ");
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users u WHERE u.centre_id = ? AND u.role IN ({marks})
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
            sqlx::query("DELETE FROM deactivated_users WHERE user_id = ?")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO deactivated_users (user_id, deactivated_at, deactivated_by)
                 VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(now())
            .bind(by)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx.commit().await?)
    }

    /// Who may change a course (see [`Ownership`]).
    pub async fn ownership(&self, course_id: &str) -> Result<Ownership, StoreError> {
        let row: (i64, Option<i64>) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM courses WHERE id = ?1),
                    (SELECT centre_id FROM course_owners WHERE course_id = ?1)",
        )
        .bind(course_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(match row {
            (0, _) => Ownership::Unpublished,
            (_, owner) => Ownership::Owned(owner),
        })
    }

    /// Records an owner for a course that has none yet (a course folder
    /// loaded the first time: the province; a new course approved: the
    /// centre of its draft). An existing owner is kept.
    pub async fn ensure_course_owner(
        &self,
        course_id: &str,
        centre_id: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO course_owners (course_id, centre_id, changed_by, changed_at)
             VALUES (?, ?, NULL, ?) ON CONFLICT (course_id) DO NOTHING",
        )
        .bind(course_id)
        .bind(centre_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Hands a course to a centre (`Some`) or to the province (`None`). A
    /// draft of the course in progress goes along to a new owning centre,
    /// with its history and open submission; handed to the province it
    /// stays with its centre, which may read and export it but no longer
    /// change or approve it.
    pub async fn set_course_owner(
        &self,
        course_id: &str,
        centre_id: Option<i64>,
        by: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO course_owners (course_id, centre_id, changed_by, changed_at)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (course_id) DO UPDATE SET centre_id = excluded.centre_id,
               changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        )
        .bind(course_id)
        .bind(centre_id)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if let Some(centre) = centre_id {
            sqlx::query("UPDATE drafts SET centre_id = ? WHERE course_id = ?")
                .bind(centre)
                .bind(course_id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx.commit().await?)
    }

    /// Every published course with its owner, by title.
    pub async fn course_owners(&self) -> Result<Vec<CourseOwner>, StoreError> {
        let rows: Vec<(String, String, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT c.id, c.title, ce.id, ce.name FROM courses c
             LEFT JOIN course_owners o ON o.course_id = c.id
             LEFT JOIN centres ce ON ce.id = o.centre_id
             ORDER BY c.title, c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(course_id, title, id, name)| CourseOwner {
                course_id,
                title,
                owner: id.zip(name).map(|(id, name)| CentreRef { id, name }),
            })
            .collect())
    }
}
