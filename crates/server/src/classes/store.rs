//! The classes area's store: classes, their lecturers and members (a
//! roster's new accounts through the accounts area), certificates.

use crate::store::StoreError;
use std::collections::HashMap;

use lophoc_core::{
    accounts::Role,
    calendar::vn_date,
    classes::{
        Certificate, ClassSummary, Member, NewAccount, NewClass, Revocation, RosterRow, UserRef,
    },
};
use sqlx::{AnyPool, Row};

use crate::{
    accounts::store::{user_ref, Profile},
    store::now,
};

/// A class as stored.
#[derive(Debug, Clone)]
pub struct ClassRow {
    pub id: i64,
    pub centre_id: i64,
    pub centre_name: String,
    pub course_id: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A trainee's account to create from a roster row.
pub struct NewTrainee {
    pub row: RosterRow,
    pub password: String,
    pub password_hash: String,
}

const CLASS_COLUMNS: &str = "c.id, c.centre_id, ce.name AS centre_name, c.course_id, c.name,
     c.starts_on, c.ends_on";

fn class_row(row: &sqlx::any::AnyRow) -> Result<ClassRow, StoreError> {
    Ok(ClassRow {
        id: row.try_get("id")?,
        centre_id: row.try_get("centre_id")?,
        centre_name: row.try_get("centre_name")?,
        course_id: row.try_get("course_id")?,
        name: row.try_get("name")?,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
    })
}

/// The classes area: classes, their lecturers and members, certificates.
#[derive(Clone, Debug)]
pub struct ClassStore {
    pool: AnyPool,
    /// Users whose certificate check is running, and whether another was
    /// asked for meanwhile (see `classes::progress::check_certificates`).
    pub(crate) certificate_checks:
        std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, bool>>>,
}

impl ClassStore {
    pub(crate) fn new(pool: AnyPool) -> ClassStore {
        ClassStore {
            pool,
            certificate_checks: Default::default(),
        }
    }
}

impl ClassStore {
    pub async fn class(&self, id: i64) -> Result<Option<ClassRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CLASS_COLUMNS} FROM classes c JOIN centres ce ON ce.id = c.centre_id
             WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(class_row).transpose()
    }

    /// Classes the asker may see: a lecturer's own, a centre admin's
    /// centre's, every class for a province admin, none for a trainee.
    pub async fn classes_for(&self, me: &Profile) -> Result<Vec<ClassRow>, StoreError> {
        let base =
            format!("SELECT {CLASS_COLUMNS} FROM classes c JOIN centres ce ON ce.id = c.centre_id");
        let order = " ORDER BY c.starts_on DESC, c.id DESC";
        let rows = match me.user.role {
            Role::Trainee => return Ok(Vec::new()),
            Role::Lecturer => {
                sqlx::query(&format!(
                    "{base} JOIN class_lecturers cl ON cl.class_id = c.id
                     WHERE cl.user_id = $1{order}"
                ))
                .bind(me.user.id)
                .fetch_all(&self.pool)
                .await?
            }
            Role::CentreAdmin => {
                sqlx::query(&format!("{base} WHERE c.centre_id = $1{order}"))
                    .bind(me.centre_id)
                    .fetch_all(&self.pool)
                    .await?
            }
            Role::ProvinceAdmin => {
                sqlx::query(&format!("{base}{order}"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(class_row).collect()
    }

    pub async fn class_summary(&self, class: &ClassRow) -> Result<ClassSummary, StoreError> {
        let course_title: Option<String> =
            sqlx::query_scalar("SELECT title FROM courses WHERE id = $1")
                .bind(&class.course_id)
                .fetch_optional(&self.pool)
                .await?;
        let trainee_count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM class_members WHERE class_id = $1")
                .bind(class.id)
                .fetch_one(&self.pool)
                .await?;
        Ok(ClassSummary {
            id: class.id,
            name: class.name.clone(),
            course_id: class.course_id.clone(),
            course_title: course_title.unwrap_or_else(|| class.course_id.clone()),
            centre_name: class.centre_name.clone(),
            starts_on: class.starts_on.clone(),
            ends_on: class.ends_on.clone(),
            lecturers: self.class_lecturers(class.id).await?,
            trainee_count: u32::try_from(trainee_count).unwrap_or_default(),
        })
    }

    pub async fn class_lecturers(&self, class_id: i64) -> Result<Vec<UserRef>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.full_name FROM class_lecturers cl
             JOIN users u ON u.id = cl.user_id WHERE cl.class_id = $1 ORDER BY u.full_name",
        )
        .bind(class_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_ref).collect()
    }

    pub async fn class_members(&self, class_id: i64) -> Result<Vec<Member>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.full_name, u.birth_date, u.unit, u.position, u.phone
             FROM class_members cm JOIN users u ON u.id = cm.user_id
             WHERE cm.class_id = $1 ORDER BY u.full_name, u.id",
        )
        .bind(class_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Member {
                    id: row.try_get("id")?,
                    username: row.try_get("username")?,
                    full_name: row.try_get("full_name")?,
                    birth_date: row.try_get("birth_date")?,
                    unit: row.try_get("unit")?,
                    position: row.try_get("position")?,
                    phone: row.try_get("phone")?,
                })
            })
            .collect()
    }

    pub async fn is_class_lecturer(&self, class_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM class_lecturers WHERE class_id = $1 AND user_id = $2",
        )
        .bind(class_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn is_class_member(&self, class_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM class_members WHERE class_id = $1 AND user_id = $2",
        )
        .bind(class_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The classes a trainee is on, newest first.
    pub async fn member_classes(&self, user_id: i64) -> Result<Vec<ClassRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CLASS_COLUMNS} FROM classes c JOIN centres ce ON ce.id = c.centre_id
             JOIN class_members cm ON cm.class_id = c.id WHERE cm.user_id = $1
             ORDER BY c.starts_on DESC, c.id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(class_row).collect()
    }

    pub async fn create_class(&self, centre_id: i64, class: &NewClass) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO classes (centre_id, course_id, name, starts_on, ends_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(centre_id)
        .bind(&class.course_id)
        .bind(class.name.trim())
        .bind(&class.starts_on)
        .bind(&class.ends_on)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        for lecturer in &class.lecturer_ids {
            sqlx::query("INSERT INTO class_lecturers (class_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(lecturer)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_member(&self, class_id: i64, user_id: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO class_members (class_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(class_id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Creates the trainees of a roster in one transaction, each with a
    /// username made unique (`annv`, `annv2`, …), and puts them on the class.
    pub async fn create_trainees(
        &self,
        class: &ClassRow,
        trainees: Vec<NewTrainee>,
    ) -> Result<Vec<NewAccount>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut accounts = Vec::with_capacity(trainees.len());
        for t in trainees {
            let (id, username) =
                crate::accounts::store::insert_trainee(&mut tx, class.centre_id, &t).await?;
            sqlx::query("INSERT INTO class_members (class_id, user_id) VALUES ($1, $2)")
                .bind(class.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            accounts.push(NewAccount {
                full_name: t.row.full_name,
                birth_date: Some(t.row.birth_date),
                unit: t.row.unit,
                username,
                password: t.password,
            });
        }
        tx.commit().await?;
        Ok(accounts)
    }

    /// Issues a certificate unless the trainee already has one for the
    /// course. Returns the code of the certificate they hold.
    pub async fn issue_certificate(
        &self,
        code: &str,
        user: &Profile,
        course_id: &str,
        course_title: &str,
        centre_name: &str,
        class: Option<&ClassRow>,
    ) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO certificates (code, user_id, course_id, class_id, trainee_name,
                 birth_date, course_title, centre_name, starts_on, ends_on, issued_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
        )
        .bind(code)
        .bind(user.user.id)
        .bind(course_id)
        .bind(class.map(|c| c.id))
        .bind(&user.user.full_name)
        .bind(&user.birth_date)
        .bind(course_title)
        .bind(centre_name)
        .bind(class.map(|c| c.starts_on.clone()))
        .bind(class.map(|c| c.ends_on.clone()))
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query_scalar(
            "SELECT code FROM certificates WHERE user_id = $1 AND course_id = $2",
        )
        .bind(user.user.id)
        .bind(course_id)
        .fetch_one(&self.pool)
        .await?)
    }

    /// A certificate with the user it belongs to and its class.
    pub async fn certificate(
        &self,
        code: &str,
    ) -> Result<Option<(Certificate, i64, Option<i64>)>, StoreError> {
        let row = sqlx::query(
            "SELECT ce.*, c.name AS class_name FROM certificates ce
             LEFT JOIN classes c ON c.id = ce.class_id WHERE ce.code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let revoked_at: Option<i64> = row.try_get("revoked_at")?;
            Ok((
                Certificate {
                    code: row.try_get("code")?,
                    trainee_name: row.try_get("trainee_name")?,
                    birth_date: row.try_get("birth_date")?,
                    course_id: row.try_get("course_id")?,
                    course_title: row.try_get("course_title")?,
                    centre_name: row.try_get("centre_name")?,
                    class_name: row.try_get("class_name")?,
                    starts_on: row.try_get("starts_on")?,
                    ends_on: row.try_get("ends_on")?,
                    issued_on: vn_date(row.try_get::<i64, _>("issued_at")? * 1000),
                    revoked: revoked_at
                        .map(|at| {
                            Ok::<_, StoreError>(Revocation {
                                on: vn_date(at * 1000),
                                reason: row
                                    .try_get::<Option<String>, _>("revoked_reason")?
                                    .unwrap_or_default(),
                            })
                        })
                        .transpose()?,
                },
                row.try_get("user_id")?,
                row.try_get("class_id")?,
            ))
        })
        .transpose()
    }

    /// The code of a user's certificate for a course.
    pub async fn certificate_code(
        &self,
        user_id: i64,
        course_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT code FROM certificates WHERE user_id = $1 AND course_id = $2",
        )
        .bind(user_id)
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every certificate code of a course, by trainee.
    pub async fn certificate_codes(
        &self,
        course_id: &str,
    ) -> Result<HashMap<i64, String>, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT user_id, code FROM certificates WHERE course_id = $1")
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn revoke_certificate(
        &self,
        code: &str,
        by: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE certificates SET revoked_at = $1, revoked_reason = $2, revoked_by = $3
             WHERE code = $4 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(reason)
        .bind(by)
        .bind(code)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
