//! The SQLite store: accounts, sessions and published courses.
//!
//! Policy: the database file is created if missing and migrated on open
//! (migration files in `migrations/`, embedded at build time); it runs in WAL
//! mode with `synchronous=FULL`, so a committed write survives a power cut.
//! Queries are plain SQL with bound parameters. A PostgreSQL engine behind
//! the same interface is planned for deployments that outgrow one machine.

use std::{str::FromStr, time::Duration};

use lophoc_core::{
    accounts::Role,
    api::{CourseSummary, User},
    assessment::AssessmentPaper,
    content::AssessmentRef,
    content::{
        CourseOutline, DiscussionResponse, Lesson, LessonRef, ModuleOutline, SituationMode,
        SituationRef, SituationSet,
    },
    events::Event,
    question::{Answer, Question},
};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Row, SqlitePool,
};

use lophoc_core::{
    events::{check_op, is_server_device, Op, RejectReason},
    sync::{plan_push, seq_of, PullResponse, PushRequest, PushResponse, Rejection, PULL_PAGE},
};

use crate::content::CompiledCourse;

/// Why a push was refused as a whole.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("the device belongs to another user")]
    DeviceOfAnotherUser,
    /// A device id the server writes from (`live:…`), or not a well-formed
    /// one: no client may push to it or claim it.
    #[error("not a device a client may push from")]
    NotAClientDevice,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for PushError {
    fn from(error: sqlx::Error) -> Self {
        PushError::Store(error.into())
    }
}

/// What a store can fail with. Handlers see this, never the engine's own
/// error type: a second engine brings its own behind the same variants.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed, or could not be reached.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date when the store opened.
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored value this build cannot read or write (a JSON body, a role
    /// name): the data, not the request, is at fault.
    #[error("stored data: {0}")]
    Data(String),
}

impl StoreError {
    /// A stored value that does not read or write as it should.
    pub fn data(error: impl std::fmt::Display) -> StoreError {
        StoreError::Data(error.to_string())
    }
}

/// A handle on the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: SqlitePool,
    /// The id of each user whose events changed, sent after the commit.
    changes: tokio::sync::broadcast::Sender<i64>,
    /// Users whose certificate check is running, and whether another was
    /// asked for meanwhile (see `classes::progress::check_certificates`).
    pub(crate) certificate_checks:
        std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, bool>>>,
    /// The key attempt seeds are issued with (`server_secrets`).
    pub(crate) seed_key: std::sync::Arc<[u8]>,
}

/// A user row with its password hash, for checking a login.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// False once an administrator deactivated the account.
    pub active: bool,
}

/// What publishing a course did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// A new version was stored.
    New { version: i64 },
    /// The files were identical to the published version; nothing changed.
    Unchanged { version: i64 },
}

/// A session's last use is written when it is older than this (seconds).
const SESSION_TOUCH_SECONDS: i64 = 3600;

/// Seconds since the Unix epoch, by the server's clock.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch, by the server's clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// Most bytes of a refused op's body kept for staff.
const REFUSED_BODY_BYTES: usize = 4096;

/// An op refused for good, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRow {
    pub device_id: String,
    pub seq: i64,
    pub kind: Option<String>,
    pub code: String,
    pub detail: String,
    pub received_ms: i64,
}

impl RefusedRow {
    /// Why it was refused, as the device was told.
    pub fn reason(&self) -> RejectReason {
        reason_from_code(&self.code, &self.detail)
    }
}

impl Store {
    /// Opens (creating if missing) and migrates the database at `url`,
    /// e.g. `sqlite://data/lophoc.db`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        add_province_admin_role(&pool).await?;
        start_versions_beyond_any_given_out(&pool).await?;
        let seed_key: Vec<u8> =
            sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'attempt_seeds'")
                .fetch_one(&pool)
                .await?;
        let (changes, _) = tokio::sync::broadcast::channel(256);
        Ok(Store {
            pool,
            changes,
            certificate_checks: Default::default(),
            seed_key: seed_key.into(),
        })
    }

    /// The connection pool, for tests that inspect or plant rows directly.
    #[doc(hidden)]
    pub fn pool_for_tests(&self) -> SqlitePool {
        self.pool.clone()
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
             VALUES (?, ?, ?, ?, ?) RETURNING id",
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
             FROM users WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Credentials {
                user: user_from_row(&row)?,
                password_hash: row.try_get("password_hash")?,
                active: row.try_get("active")?,
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
             VALUES (?, ?, ?, ?, ?)",
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
             WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?
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
            sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
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
            "DELETE FROM sessions WHERE token_hash = ? OR expires_at <= ? OR last_seen_at <= ?",
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
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash != ?")
            .bind(user_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Publishes a compiled course in one transaction: a new version if its
    /// files changed, nothing otherwise. Readers see the old or the new
    /// version whole, never a mix.
    pub async fn publish(&self, course: &CompiledCourse) -> Result<Published, StoreError> {
        let outline = &course.outline;
        let mut tx = self.pool.begin().await?;
        let current: Option<(i64, String)> =
            sqlx::query_as("SELECT version, content_hash FROM courses WHERE id = ?")
                .bind(&outline.id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((version, hash)) = &current {
            if *hash == course.content_hash {
                return Ok(Published::Unchanged { version: *version });
            }
        }
        let version = current.map_or(1, |(v, _)| v + 1);
        sqlx::query("DELETE FROM courses WHERE id = ?")
            .bind(&outline.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO courses (id, version, title, summary, content_hash, published_at, completion)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&outline.id)
        .bind(version)
        .bind(&outline.title)
        .bind(&outline.summary)
        .bind(&course.content_hash)
        .bind(now())
        .bind(to_json(&outline.completion)?)
        .execute(&mut *tx)
        .await?;
        let mut position = 0_i64;
        for (m_pos, module) in outline.modules.iter().enumerate() {
            sqlx::query(
                "INSERT INTO modules (course_id, id, position, title, summary) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&outline.id)
            .bind(&module.id)
            .bind(m_pos as i64)
            .bind(&module.title)
            .bind(&module.summary)
            .execute(&mut *tx)
            .await?;
            for lesson_ref in &module.lessons {
                let Some(lesson) = course.lessons.iter().find(|l| l.id == lesson_ref.id) else {
                    continue;
                };
                sqlx::query(
                    "INSERT INTO lessons (course_id, id, module_id, position, title, minutes, html)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&outline.id)
                .bind(&lesson.id)
                .bind(&module.id)
                .bind(position)
                .bind(&lesson.title)
                .bind(i64::from(lesson.minutes))
                .bind(&lesson.html)
                .execute(&mut *tx)
                .await?;
                position += 1;
            }
        }
        for (position, set) in course.situations.iter().enumerate() {
            let body = serde_json::to_string(set).map_err(StoreError::data)?;
            sqlx::query(
                "INSERT INTO situations (course_id, id, module_id, position, title, mode, question_count, body)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&outline.id)
            .bind(&set.id)
            .bind(&set.module_id)
            .bind(position as i64)
            .bind(&set.title)
            .bind(mode_name(set.mode))
            .bind(set.questions.len() as i64)
            .bind(body)
            .execute(&mut *tx)
            .await?;
        }
        for (position, compiled) in course.assessments.iter().enumerate() {
            let mut paper = compiled.paper.clone();
            paper.course_version = version;
            let count =
                lophoc_core::assessment::attempt_questions(&paper, 0).map_or(0, |q| q.len());
            let listing = AssessmentRef {
                id: compiled.paper.id.clone(),
                title: compiled.paper.title.clone(),
                question_count: u32::try_from(count).unwrap_or(u32::MAX),
                settings: compiled.paper.settings.clone(),
            };
            sqlx::query(
                "INSERT INTO assessments (course_id, id, module_id, position, listing, paper, bank)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&outline.id)
            .bind(&compiled.paper.id)
            .bind(&compiled.paper.module_id)
            .bind(position as i64)
            .bind(to_json(&listing)?)
            .bind(to_json(&paper)?)
            .bind(to_json(&compiled.bank)?)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT OR REPLACE INTO assessment_versions (course_id, assessment_id, version, paper, bank)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&outline.id)
            .bind(&paper.id)
            .bind(version)
            .bind(to_json(&paper)?)
            .bind(to_json(&compiled.bank)?)
            .execute(&mut *tx)
            .await?;
        }
        for media in &course.media {
            sqlx::query("INSERT INTO media (course_id, name, mime, bytes) VALUES (?, ?, ?, ?)")
                .bind(&outline.id)
                .bind(&media.name)
                .bind(media.mime)
                .bind(&media.bytes)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Published::New { version })
    }

    pub async fn courses(&self) -> Result<Vec<CourseSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.title, c.summary, c.version,
                    (SELECT COUNT(*) FROM modules m WHERE m.course_id = c.id) AS module_count,
                    (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id) AS lesson_count
             FROM courses c ORDER BY c.title",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CourseSummary {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    summary: row.try_get("summary")?,
                    version: row.try_get("version")?,
                    module_count: row.try_get("module_count")?,
                    lesson_count: row.try_get("lesson_count")?,
                })
            })
            .collect()
    }

    pub async fn outline(&self, course_id: &str) -> Result<Option<CourseOutline>, StoreError> {
        let Some(course) =
            sqlx::query("SELECT id, title, summary, version, completion FROM courses WHERE id = ?")
                .bind(course_id)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let modules = sqlx::query(
            "SELECT id, title, summary FROM modules WHERE course_id = ? ORDER BY position",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        let lessons = sqlx::query(
            "SELECT id, module_id, title, minutes FROM lessons WHERE course_id = ? ORDER BY position",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        let mut outline = CourseOutline {
            id: course.try_get("id")?,
            title: course.try_get("title")?,
            summary: course.try_get("summary")?,
            version: course.try_get("version")?,
            modules: Vec::with_capacity(modules.len()),
            media: Vec::new(),
            download_bytes: 0,
            completion: serde_json::from_str(&course.try_get::<String, _>("completion")?)
                .unwrap_or_default(),
        };
        let media: Vec<(String, i64)> = sqlx::query_as(
            "SELECT name, length(bytes) FROM media WHERE course_id = ? ORDER BY name",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        // What a trainee's device stores on downloading the course, counted
        // as the client counts it afterwards (`lophoc_core::content::
        // stored_bytes`): lesson HTML in bytes (not characters), each
        // situation set as a trainee receives it and each paper as JSON, and
        // the media files.
        let html_bytes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(length(CAST(html AS BLOB))), 0) FROM lessons WHERE course_id = ?",
        )
        .bind(course_id)
        .fetch_one(&self.pool)
        .await?;
        let mut item_bytes = 0_u64;
        let bodies: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM situations WHERE course_id = ?")
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
        for (body,) in bodies {
            if let Ok(set) = serde_json::from_str::<SituationSet>(&body) {
                item_bytes += lophoc_core::content::stored_bytes(&set.for_trainee());
            }
        }
        let papers: Vec<(String,)> =
            sqlx::query_as("SELECT paper FROM assessments WHERE course_id = ?")
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
        for (paper,) in papers {
            if let Ok(paper) = serde_json::from_str::<AssessmentPaper>(&paper) {
                item_bytes += lophoc_core::content::stored_bytes(&paper);
            }
        }
        outline.download_bytes =
            u64::try_from(html_bytes + media.iter().map(|(_, n)| n).sum::<i64>())
                .unwrap_or_default()
                + item_bytes;
        outline.media = media.into_iter().map(|(name, _)| name).collect();
        for m in &modules {
            let id: String = m.try_get("id")?;
            let mut module_lessons = Vec::new();
            for l in &lessons {
                if l.try_get::<String, _>("module_id")? == id {
                    module_lessons.push(LessonRef {
                        id: l.try_get("id")?,
                        title: l.try_get("title")?,
                        minutes: l.try_get("minutes")?,
                    });
                }
            }
            let situations: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT id, title, mode, question_count FROM situations
                 WHERE course_id = ? AND module_id = ? ORDER BY position",
            )
            .bind(course_id)
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            let assessments: Vec<(String,)> = sqlx::query_as(
                "SELECT listing FROM assessments WHERE course_id = ? AND module_id = ? ORDER BY position",
            )
            .bind(course_id)
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            let assessments = assessments
                .into_iter()
                .map(|(json,)| serde_json::from_str(&json).map_err(StoreError::data))
                .collect::<Result<Vec<AssessmentRef>, _>>()?;
            outline.modules.push(ModuleOutline {
                assessments,
                id,
                title: m.try_get("title")?,
                summary: m.try_get("summary")?,
                lessons: module_lessons,
                situations: situations
                    .into_iter()
                    .map(|(id, title, mode, count)| SituationRef {
                        id,
                        title,
                        mode: if mode == "discussion" {
                            SituationMode::Discussion
                        } else {
                            SituationMode::Practice
                        },
                        question_count: u32::try_from(count).unwrap_or_default(),
                    })
                    .collect(),
            });
        }
        Ok(Some(outline))
    }

    pub async fn lesson(
        &self,
        course_id: &str,
        lesson_id: &str,
    ) -> Result<Option<Lesson>, StoreError> {
        let row = sqlx::query(
            "SELECT course_id, module_id, id, title, minutes, html FROM lessons
             WHERE course_id = ? AND id = ?",
        )
        .bind(course_id)
        .bind(lesson_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Lesson {
                course_id: row.try_get("course_id")?,
                module_id: row.try_get("module_id")?,
                id: row.try_get("id")?,
                title: row.try_get("title")?,
                minutes: row.try_get("minutes")?,
                html: row.try_get("html")?,
            })
        })
        .transpose()
    }

    /// A published situation set.
    pub async fn situation(
        &self,
        course_id: &str,
        id: &str,
    ) -> Result<Option<SituationSet>, StoreError> {
        let body: Option<(String,)> =
            sqlx::query_as("SELECT body FROM situations WHERE course_id = ? AND id = ?")
                .bind(course_id)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        body.map(|(body,)| serde_json::from_str(&body).map_err(StoreError::data))
            .transpose()
    }

    /// An assessment's answer-free paper and its full bank.
    pub async fn assessment(
        &self,
        course_id: &str,
        id: &str,
    ) -> Result<Option<(AssessmentPaper, Vec<Question>)>, StoreError> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT paper, bank FROM assessments WHERE course_id = ? AND id = ?")
                .bind(course_id)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(paper, bank)| {
            Ok((
                serde_json::from_str(&paper).map_err(StoreError::data)?,
                serde_json::from_str(&bank).map_err(StoreError::data)?,
            ))
        })
        .transpose()
    }

    /// The earlier published versions of an assessment (newest first), for
    /// attempts started on them; the current one is [`Store::assessment`].
    pub async fn older_assessments(
        &self,
        course_id: &str,
        id: &str,
        current: i64,
    ) -> Result<Vec<(AssessmentPaper, Vec<Question>)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT paper, bank FROM assessment_versions
             WHERE course_id = ? AND assessment_id = ? AND version <> ?
             ORDER BY version DESC",
        )
        .bind(course_id)
        .bind(id)
        .bind(current)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(paper, bank)| {
                Ok((
                    serde_json::from_str(&paper).map_err(StoreError::data)?,
                    serde_json::from_str(&bank).map_err(StoreError::data)?,
                ))
            })
            .collect()
    }

    /// Adds (or replaces, by id) questions in a lecturer's bank, in one
    /// transaction. Returns how many were stored.
    pub async fn save_bank(
        &self,
        owner_id: i64,
        entries: &[(String, Option<String>, Question)],
    ) -> Result<u32, StoreError> {
        self.save_bank_import(owner_id, entries, &[]).await
    }

    /// Adds (or replaces, by id) questions and the images they show in a
    /// lecturer's bank, all in one transaction: either everything is stored
    /// or nothing. Images already stored (same name, same content) are
    /// left as they are. Returns how many questions were stored.
    pub async fn save_bank_import(
        &self,
        owner_id: i64,
        entries: &[(String, Option<String>, Question)],
        media: &[lophoc_formats::media::Media],
    ) -> Result<u32, StoreError> {
        let mut tx = self.pool.begin().await?;
        for m in media {
            sqlx::query(
                "INSERT INTO bank_media (owner_id, name, mime, bytes, created_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (owner_id, name) DO NOTHING",
            )
            .bind(owner_id)
            .bind(&m.name)
            .bind(&m.mime)
            .bind(&m.bytes)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        for (id, category, question) in entries {
            sqlx::query(
                "INSERT INTO bank_questions (owner_id, id, category, body, imported_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (owner_id, id) DO UPDATE SET category = excluded.category, body = excluded.body,
                 imported_at = excluded.imported_at",
            )
            .bind(owner_id)
            .bind(id)
            .bind(category)
            .bind(to_json(question)?)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(u32::try_from(entries.len()).unwrap_or(u32::MAX))
    }

    /// One image of a lecturer's bank: its MIME type and bytes.
    pub async fn bank_media(
        &self,
        owner_id: i64,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT mime, bytes FROM bank_media WHERE owner_id = ? AND name = ?")
                .bind(owner_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The images of a lecturer's bank named in `names` (those it has).
    pub async fn bank_media_named(
        &self,
        owner_id: i64,
        names: &[String],
    ) -> Result<Vec<lophoc_formats::media::Media>, StoreError> {
        let mut out = Vec::new();
        for name in names {
            if let Some((mime, bytes)) = self.bank_media(owner_id, name).await? {
                out.push(lophoc_formats::media::Media {
                    name: name.clone(),
                    mime,
                    bytes,
                });
            }
        }
        Ok(out)
    }

    /// A lecturer's bank: category and question, in import order.
    pub async fn bank(&self, owner_id: i64) -> Result<Vec<(Option<String>, Question)>, StoreError> {
        let rows: Vec<(Option<String>, String)> = sqlx::query_as(
            "SELECT category, body FROM bank_questions WHERE owner_id = ? ORDER BY imported_at, rowid",
        )
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(category, body)| {
                Ok((
                    category,
                    serde_json::from_str(&body).map_err(StoreError::data)?,
                ))
            })
            .collect()
    }

    /// The accepted `essay_graded` events of an assessment, in server
    /// order: only those the server took from the trainee's own lecturer or
    /// centre admin (`accepted_grades`, see `authority`). An `essay_graded`
    /// in the log that is not listed there counts for nothing.
    pub async fn grade_events(
        &self,
        course_id: &str,
        assessment_id: &str,
    ) -> Result<Vec<Op>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT e.body FROM accepted_grades g JOIN events e ON e.op_id = g.op_id
             WHERE g.course_id = ? AND g.assessment_id = ?
             ORDER BY e.version",
        )
        .bind(course_id)
        .bind(assessment_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(body,)| serde_json::from_str(&body).map_err(StoreError::data))
            .collect()
    }

    /// All published assessments as `(course id, assessment id)`.
    pub async fn assessment_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT course_id, id FROM assessments ORDER BY course_id, position")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Users who handed in an attempt at an assessment, with their full names.
    pub async fn assessment_takers(
        &self,
        course_id: &str,
        assessment_id: &str,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT u.id, u.full_name FROM events e JOIN users u ON u.id = e.user_id
             WHERE e.kind = 'attempt_submitted' AND e.course_id = ? AND e.item_id = ?
             ORDER BY u.full_name",
        )
        .bind(course_id)
        .bind(assessment_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether `user_id` has answered any question of the set.
    pub async fn has_answered(
        &self,
        user_id: i64,
        course_id: &str,
        situation_id: &str,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events
             WHERE user_id = ? AND kind = 'situation_answered' AND course_id = ? AND item_id = ?",
        )
        .bind(user_id)
        .bind(course_id)
        .bind(situation_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The latest opinion and essay answers to a set of the asker's
    /// classmates — trainees on the roster of a class of this course that
    /// the asker is on too — without any name or id, in the order they
    /// arrived. Nobody else's: not other classes', not other centres'.
    /// Linear in the classmates' events: each answer replaces the previous
    /// one of the same person and question through a map.
    pub async fn discussion_responses(
        &self,
        asker: i64,
        course_id: &str,
        situation_id: &str,
    ) -> Result<Vec<DiscussionResponse>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT e.user_id, e.body FROM events e
             WHERE e.user_id IN (
                 SELECT DISTINCT mate.user_id FROM class_members me
                 JOIN classes c ON c.id = me.class_id AND c.course_id = ?
                 JOIN class_members mate ON mate.class_id = me.class_id
                 WHERE me.user_id = ? AND mate.user_id <> ?)
               AND e.kind = 'situation_answered' AND e.course_id = ? AND e.item_id = ?
             ORDER BY e.version",
        )
        .bind(course_id)
        .bind(asker)
        .bind(asker)
        .bind(course_id)
        .bind(situation_id)
        .fetch_all(&self.pool)
        .await?;
        // (user, question) → index of its latest answer in `latest`; a
        // replaced answer leaves a `None` behind, so order is kept without
        // any search.
        let mut index: std::collections::HashMap<(i64, String), usize> =
            std::collections::HashMap::new();
        let mut latest: Vec<Option<DiscussionResponse>> = Vec::new();
        for (user, body) in rows {
            let Ok(op) = serde_json::from_str::<lophoc_core::events::Op>(&body) else {
                continue;
            };
            let Event::SituationAnswered {
                question_id,
                answer,
                ..
            } = op.event
            else {
                continue;
            };
            let (Answer::Opinion { text } | Answer::Essay { text }) = answer else {
                continue;
            };
            if let Some(old) = index.insert((user, question_id.clone()), latest.len()) {
                latest[old] = None;
            }
            latest.push(Some(DiscussionResponse { question_id, text }));
        }
        Ok(latest.into_iter().flatten().collect())
    }

    /// A media file of a course: its MIME type and bytes.
    pub async fn media(
        &self,
        course_id: &str,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT mime, bytes FROM media WHERE course_id = ? AND name = ?")
                .bind(course_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Applies a push from `device_id` by `user` in one transaction (see
    /// `lophoc_core::sync::plan_push`): the device's acknowledged sequence
    /// moves only together with the events it covers, and the reply is sent
    /// only after the commit. Each op is checked (`check_op`, then
    /// `authority`); one refused for good is recorded in `refused_ops`,
    /// answered in the reply's `refused`, and passed; one of an unknown
    /// schema holds the device there, as before.
    pub async fn push(
        &self,
        user: &User,
        request: &PushRequest,
    ) -> Result<PushResponse, PushError> {
        let user_id = user.id;
        if is_server_device(&request.device_id)
            || !lophoc_core::limits::is_token(&request.device_id)
        {
            return Err(PushError::NotAClientDevice);
        }
        // IMMEDIATE takes the write lock up front, so concurrent pushes from
        // one device queue up instead of both reading the same acked_seq.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let device: Option<(i64, i64)> =
            sqlx::query_as("SELECT user_id, acked_seq FROM devices WHERE device_id = ?")
                .bind(&request.device_id)
                .fetch_optional(&mut *tx)
                .await?;
        let acked = match device {
            Some((owner, _)) if owner != user_id => return Err(PushError::DeviceOfAnotherUser),
            Some((_, acked)) => u64::try_from(acked).unwrap_or_default(),
            None => {
                sqlx::query("INSERT INTO devices (device_id, user_id, acked_seq, last_seen) VALUES (?, ?, 0, ?)")
                    .bind(&request.device_id)
                    .bind(user_id)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                0
            }
        };
        let seqs: Vec<u64> = request.ops.iter().map(seq_of).collect();
        let plan = plan_push(acked, &seqs);
        let received_ms = now_ms();
        let mut cache = crate::authority::PushCache::default();
        let mut acked_seq = acked;
        let mut applied = 0_u32;
        let mut rejected = None;
        let mut refused = Vec::new();
        for index in plan.apply {
            let value = &request.ops[index];
            let seq = seqs[index];
            let checked =
                check_op(value, &request.device_id, user_id, user.role).and_then(|mut op| {
                    op.clamp_time(received_ms);
                    serde_json::to_string(&op)
                        .map(|body| (op, body))
                        .map_err(|e| RejectReason::Malformed {
                            detail: e.to_string(),
                        })
                });
            let outcome = match checked {
                Ok((op, body)) => {
                    self.check_and_store(&mut tx, user, &op, &body, received_ms, &mut cache)
                        .await?
                }
                Err(reason) => crate::authority::Outcome::Refused(reason),
            };
            match outcome {
                crate::authority::Outcome::Stored(new) => applied += u32::from(new),
                crate::authority::Outcome::Refused(reason) if reason.is_transient() => {
                    rejected = Some(Rejection { seq, reason });
                    break;
                }
                crate::authority::Outcome::Refused(reason) => {
                    record_refused(
                        &mut tx,
                        user_id,
                        &request.device_id,
                        seq,
                        value,
                        &reason,
                        received_ms,
                    )
                    .await?;
                    refused.push(Rejection { seq, reason });
                }
            }
            acked_seq = seq;
        }
        // Ops sent again that the server had already settled: a refusal the
        // device may never have heard of (its reply was lost) is told again.
        if let Some(&low) = seqs.iter().filter(|&&s| s >= 1 && s <= acked).min() {
            let again: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT seq, code, detail FROM refused_ops WHERE device_id = ? AND seq BETWEEN ? AND ?",
            )
            .bind(&request.device_id)
            .bind(i64::try_from(low).unwrap_or(i64::MAX))
            .bind(i64::try_from(acked).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
            for (seq, code, detail) in again {
                let seq = u64::try_from(seq).unwrap_or_default();
                if seqs.contains(&seq) && !refused.iter().any(|r: &Rejection| r.seq == seq) {
                    refused.push(Rejection {
                        seq,
                        reason: reason_from_code(&code, &detail),
                    });
                }
            }
            refused.sort_by_key(|r| r.seq);
        }
        sqlx::query("UPDATE devices SET acked_seq = ?, last_seen = ? WHERE device_id = ?")
            .bind(i64::try_from(acked_seq).unwrap_or(i64::MAX))
            .bind(now())
            .bind(&request.device_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if applied > 0 {
            // Nobody listening is fine: the poke only speeds up other devices.
            let _ = self.changes.send(user_id);
        }
        Ok(PushResponse {
            acked_seq,
            applied,
            rejected,
            refused,
        })
    }

    /// The ops of `user_id` refused for good, newest first (at most 200).
    pub async fn refused_ops(&self, user_id: i64) -> Result<Vec<RefusedRow>, StoreError> {
        let rows: Vec<(String, i64, Option<String>, String, String, i64)> = sqlx::query_as(
            "SELECT device_id, seq, kind, code, detail, received_ms FROM refused_ops
             WHERE user_id = ? ORDER BY id DESC LIMIT 200",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(device_id, seq, kind, code, detail, received_ms)| RefusedRow {
                    device_id,
                    seq,
                    kind,
                    code,
                    detail,
                    received_ms,
                },
            )
            .collect())
    }

    /// Tells, for each committed push that stored new events, whose events
    /// changed. Listeners that fall behind miss pokes, not data: a poke only
    /// asks a device to pull.
    pub fn changes(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.changes.subscribe()
    }

    /// One page of the user's events after `cursor`, in server order. A
    /// cursor beyond every version the server has was given out by a
    /// server that held more (this one was restored from a backup): the
    /// device then reads from the start again, so it misses nothing stored
    /// since (events are keyed by op id on the device: nothing doubles).
    ///
    /// With `device`, one of the user's devices, the reply says how far the
    /// server holds that device's ops (`device_acked`).
    pub async fn pull(
        &self,
        user_id: i64,
        cursor: i64,
        device: Option<&str>,
    ) -> Result<PullResponse, StoreError> {
        let newest: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
        )
        .fetch_one(&self.pool)
        .await?;
        let cursor = if cursor > newest { 0 } else { cursor };
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT version, body FROM events WHERE user_id = ? AND version > ? ORDER BY version LIMIT ?",
        )
        .bind(user_id)
        .bind(cursor)
        .bind(i64::try_from(PULL_PAGE + 1).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let has_more = rows.len() > PULL_PAGE;
        let mut events = Vec::with_capacity(rows.len().min(PULL_PAGE));
        let mut last = cursor;
        for (version, body) in rows.into_iter().take(PULL_PAGE) {
            let op: Op = serde_json::from_str(&body).map_err(StoreError::data)?;
            events.push(op);
            last = version;
        }
        let device_acked = match device {
            Some(device) => {
                let acked: Option<i64> = sqlx::query_scalar(
                    "SELECT acked_seq FROM devices WHERE device_id = ? AND user_id = ?",
                )
                .bind(device)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
                Some(acked.map_or(0, |a| u64::try_from(a).unwrap_or_default()))
            }
            None => None,
        };
        Ok(PullResponse {
            events,
            cursor: last,
            has_more,
            device_acked,
        })
    }

    /// Every event of a user, in server order (for projections).
    pub async fn user_events(&self, user_id: i64) -> Result<Vec<Op>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM events WHERE user_id = ? ORDER BY version")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(body,)| serde_json::from_str(&body).map_err(StoreError::data))
            .collect()
    }

    /// A device's acknowledged sequence, if it ever pushed.
    pub async fn acked_seq(&self, device_id: &str) -> Result<Option<u64>, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT acked_seq FROM devices WHERE device_id = ?")
                .bind(device_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(a,)| u64::try_from(a).unwrap_or_default()))
    }

    /// Appends events the server itself records for users (live session
    /// attendance and answers), in one transaction. Each `(user, device,
    /// op id, event)` goes to `device`, a device of that user only, with the
    /// device's next sequence number, so the user's pulls return it like any
    /// other op; the users' other devices are poked after the commit. An op
    /// id already stored is skipped.
    pub async fn append_server_events(
        &self,
        ops: &[(i64, String, String, Event)],
    ) -> Result<(), StoreError> {
        if ops.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut users = Vec::new();
        for (user_id, device_id, op_id, event) in ops {
            sqlx::query(
                "INSERT INTO devices (device_id, user_id, acked_seq, last_seen) VALUES (?, ?, 0, ?)
                 ON CONFLICT (device_id) DO NOTHING",
            )
            .bind(device_id)
            .bind(user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            let (owner, acked): (i64, i64) =
                sqlx::query_as("SELECT user_id, acked_seq FROM devices WHERE device_id = ?")
                    .bind(device_id)
                    .fetch_one(&mut *tx)
                    .await?;
            if owner != *user_id {
                tracing::warn!(device = %device_id, user = user_id, "server device of another user; event skipped");
                continue;
            }
            let last: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ?")
                    .bind(device_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let seq = last.max(acked) + 1;
            let op = Op {
                op_id: op_id.clone(),
                device_id: device_id.clone(),
                seq: u64::try_from(seq).unwrap_or_default(),
                user_id: *user_id,
                client_time_ms: now() * 1000,
                schema: lophoc_core::events::SCHEMA_VERSION,
                event: event.clone(),
            };
            let stored = insert_event(&mut tx, &op, &to_json(&op)?).await?;
            if stored {
                sqlx::query("UPDATE devices SET acked_seq = ?, last_seen = ? WHERE device_id = ?")
                    .bind(seq)
                    .bind(now())
                    .bind(device_id)
                    .execute(&mut *tx)
                    .await?;
                users.push(*user_id);
            }
        }
        tx.commit().await?;
        users.sort_unstable();
        users.dedup();
        for user in users {
            let _ = self.changes.send(user);
        }
        Ok(())
    }

    /// Closes the pool, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Event versions are the devices' pull cursors. A server started on a
/// database restored from a backup would give out again the versions it
/// gave out after the backup, to other events, and a device whose cursor is
/// already past them would never pull those. So on every start the next
/// version is at least the clock in microseconds-ish (ms × 1000): beyond any
/// version given out before, unless more than a thousand events a
/// millisecond were stored — far beyond what one server takes. Versions stay
/// below 2^53 for two centuries, so any JSON reader keeps them exact.
async fn start_versions_beyond_any_given_out(pool: &SqlitePool) -> Result<(), StoreError> {
    let floor = now_ms().saturating_mul(1000);
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO sqlite_sequence (name, seq)
         SELECT 'events', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'events'")
        .bind(floor)
        .execute(&mut *tx)
        .await?;
    Ok(tx.commit().await?)
}

/// Keeps a refused op for staff: who, which device and seq, why, and the
/// first 4 KB of what was sent.
async fn record_refused(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    user_id: i64,
    device_id: &str,
    seq: u64,
    value: &serde_json::Value,
    reason: &RejectReason,
    received_ms: i64,
) -> Result<(), StoreError> {
    let mut body = value.to_string();
    if body.len() > REFUSED_BODY_BYTES {
        let mut cut = REFUSED_BODY_BYTES;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
    }
    let kind = value
        .pointer("/event/type")
        .and_then(serde_json::Value::as_str)
        .map(|k| lophoc_core::limits::truncate(lophoc_core::limits::TextField::Title, k));
    // The whole reason, so a refusal told again is told the same.
    let detail = serde_json::to_string(reason).unwrap_or_default();
    sqlx::query(
        "INSERT INTO refused_ops (op_id, device_id, seq, user_id, kind, code, detail, body, received_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
        value
            .get("op_id")
            .and_then(serde_json::Value::as_str)
            .map(|id| id.chars().take(64).collect::<String>()),
    )
    .bind(device_id)
    .bind(i64::try_from(seq).unwrap_or(i64::MAX))
    .bind(user_id)
    .bind(kind)
    .bind(reason.code())
    .bind(detail)
    .bind(body)
    .bind(received_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A refusal told again: from the stored reason, else from its code alone
/// (rows moved by migration 0012).
fn reason_from_code(code: &str, detail: &str) -> RejectReason {
    serde_json::from_str(detail)
        .or_else(|_| serde_json::from_value(serde_json::json!({ "code": code })))
        .unwrap_or_else(|_| RejectReason::Malformed {
            detail: detail.to_string(),
        })
}

/// Lets `users.role` hold `province_admin` (added with classes, migration
/// 0006). SQLite cannot change a CHECK constraint in place: the table is
/// rebuilt, which must happen with foreign keys off — otherwise dropping the
/// old table would cascade into sessions, devices and events — and a
/// migration cannot turn them off (it runs inside a transaction). Done once;
/// a no-op when the constraint already allows the role.
async fn add_province_admin_role(pool: &SqlitePool) -> Result<(), StoreError> {
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

async fn rebuild_users(conn: &mut sqlx::SqliteConnection) -> Result<(), StoreError> {
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
    let broken: Vec<sqlx::sqlite::SqliteRow> = sqlx::query("PRAGMA foreign_key_check")
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

fn user_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<User, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Data(format!("role {role}")))?,
        must_change_password: row.try_get("must_change_password")?,
    })
}

fn mode_name(mode: SituationMode) -> &'static str {
    match mode {
        SituationMode::Discussion => "discussion",
        SituationMode::Practice => "practice",
    }
}

/// JSON text for a stored column.
/// Stores one op in the log with the columns it is found by
/// ([`Event::index`]); `false` if its op id or `(device, seq)` is already
/// taken (nothing is written then). The only `INSERT INTO events`.
pub(crate) async fn insert_event(
    conn: &mut sqlx::SqliteConnection,
    op: &Op,
    body: &str,
) -> Result<bool, StoreError> {
    let index = op.event.index();
    let result = sqlx::query(
        "INSERT INTO events (op_id, device_id, seq, user_id, schema, client_time_ms, server_time,
                             body, kind, course_id, item_id, attempt_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(&op.op_id)
    .bind(&op.device_id)
    .bind(i64::try_from(op.seq).unwrap_or(i64::MAX))
    .bind(op.user_id)
    .bind(i64::from(op.schema))
    .bind(op.client_time_ms)
    .bind(now())
    .bind(body)
    .bind(index.kind)
    .bind(index.course_id)
    .bind(index.item_id)
    .bind(index.attempt_id)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() > 0)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::data)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The files that may name the database engine: the stores and what
    /// runs queries for them. Handlers see [`super::StoreError`] only.
    const ENGINE_FILES: &[&str] = &[
        "store.rs",
        "accounts/store.rs",
        "authoring/store.rs",
        "classes/store.rs",
        "authority.rs",
        "admin.rs",
    ];

    fn rust_files(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                into.push(path);
            }
        }
    }

    #[test]
    fn only_the_stores_name_the_database_engine() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        assert!(files.len() > 20, "read the sources: {}", files.len());
        let naming: Vec<String> = files
            .iter()
            .filter(|f| {
                std::fs::read_to_string(f).is_ok_and(|text| {
                    text.lines()
                        .any(|l| !l.trim_start().starts_with("//") && l.contains("sqlx"))
                })
            })
            .filter_map(|f| f.strip_prefix(&src).ok())
            .map(|f| f.display().to_string())
            .filter(|f| !ENGINE_FILES.contains(&f.as_str()))
            .collect();
        assert!(naming.is_empty(), "outside the stores: {naming:?}");
    }
}
