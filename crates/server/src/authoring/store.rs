//! The authoring area's store (migration 0008): drafts and their versioned
//! files, history, reviewers, submissions, the published sources, and the
//! lecturers' question banks.
//!
//! Policy: a save reads the current version and writes the next in one
//! transaction, so two saves on the same version cannot both win; the
//! decision itself is `lophoc_core::authoring::decide_save`.

use crate::store::StoreError;
use lophoc_core::authoring::{
    coalesces, decide_save, file_kind, Comment, Decision, DraftFile, DraftStatus, HistoryEntry,
    Review, ReviewerEntry, SaveDecision,
};
use lophoc_core::question::Question;
use sqlx::{AnyPool, Row};

use crate::store::{now, to_json, Engine};

/// A draft as stored.
#[derive(Debug, Clone)]
pub struct DraftRow {
    pub course_id: String,
    pub centre_id: i64,
    pub status: DraftStatus,
    pub updated_at: i64,
}

/// A file's current version, for a save's answer or a conflict.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub version: i64,
    pub content: Vec<u8>,
    pub updated_by: String,
    pub updated_at: i64,
}

/// What a save did.
#[derive(Debug)]
pub enum SaveOutcome {
    Saved(i64),
    Conflict(FileRow),
}

/// An open (undecided) submission.
#[derive(Debug, Clone, Copy)]
pub struct OpenReview {
    pub id: i64,
    pub submitted_by: i64,
}

fn status_name(status: DraftStatus) -> &'static str {
    match status {
        DraftStatus::Editing => "editing",
        DraftStatus::Submitted => "submitted",
        DraftStatus::Returned => "returned",
    }
}

fn parse_status(name: &str) -> DraftStatus {
    match name {
        "submitted" => DraftStatus::Submitted,
        "returned" => DraftStatus::Returned,
        _ => DraftStatus::Editing,
    }
}

fn draft_row(row: &sqlx::any::AnyRow) -> Result<DraftRow, StoreError> {
    Ok(DraftRow {
        course_id: row.try_get("course_id")?,
        centre_id: row.try_get("centre_id")?,
        status: parse_status(&row.try_get::<String, _>("status")?),
        updated_at: row.try_get("updated_at")?,
    })
}

/// The authoring area: drafts, their files and history, reviews, reviewers, published sources, question banks.
#[derive(Clone, Debug)]
pub struct AuthoringStore {
    pool: AnyPool,
    engine: Engine,
}

impl AuthoringStore {
    pub(crate) fn new(pool: AnyPool, engine: Engine) -> AuthoringStore {
        AuthoringStore { pool, engine }
    }
}

impl AuthoringStore {
    pub async fn draft(&self, course_id: &str) -> Result<Option<DraftRow>, StoreError> {
        let row = sqlx::query(
            "SELECT course_id, centre_id, status, updated_at FROM drafts WHERE course_id = $1",
        )
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(draft_row).transpose()
    }

    /// Every centre's drafts (the province admin reviews them all).
    pub async fn all_drafts(&self) -> Result<Vec<DraftRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT course_id, centre_id, status, updated_at FROM drafts ORDER BY updated_at DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(draft_row).collect()
    }

    pub async fn centre_drafts(&self, centre_id: i64) -> Result<Vec<DraftRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT course_id, centre_id, status, updated_at FROM drafts
             WHERE centre_id = $1 ORDER BY updated_at DESC",
        )
        .bind(centre_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(draft_row).collect()
    }

    /// Starts a draft with `files` as their first versions. False when the
    /// course already has a draft.
    pub async fn create_draft(
        &self,
        course_id: &str,
        centre_id: i64,
        user_id: i64,
        files: &[(String, Vec<u8>)],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let t = now();
        let created = sqlx::query(
            "INSERT INTO drafts (course_id, centre_id, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(course_id)
        .bind(centre_id)
        .bind(user_id)
        .bind(t)
        .bind(t)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !created {
            return Ok(false);
        }
        for (path, content) in files {
            write_version(&mut tx, course_id, path, 1, content, user_id, None).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn draft_files(&self, course_id: &str) -> Result<Vec<DraftFile>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.path, f.version, f.updated_at, length(f.content) AS size, u.full_name
             FROM draft_files f JOIN users u ON u.id = f.updated_by
             WHERE f.course_id = $1 ORDER BY f.path",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let path: String = row.try_get("path")?;
            let Some(kind) = file_kind(&path) else {
                continue;
            };
            out.push(DraftFile {
                path,
                kind,
                version: row.try_get("version")?,
                updated_by: row.try_get("full_name")?,
                updated_at: row.try_get("updated_at")?,
                size: row.try_get("size")?,
            });
        }
        Ok(out)
    }

    /// Every file of a draft with its content, by path.
    pub async fn draft_contents(
        &self,
        course_id: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT path, content FROM draft_files WHERE course_id = $1 ORDER BY path",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn draft_file(
        &self,
        course_id: &str,
        path: &str,
    ) -> Result<Option<FileRow>, StoreError> {
        let row = sqlx::query(
            "SELECT f.version, f.content, f.updated_at, u.full_name FROM draft_files f
             JOIN users u ON u.id = f.updated_by WHERE f.course_id = $1 AND f.path = $2",
        )
        .bind(course_id)
        .bind(path)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(FileRow {
                version: row.try_get("version")?,
                content: row.try_get("content")?,
                updated_by: row.try_get("full_name")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Saves `content` as the next version of a file if `base` is its
    /// current version (or the file is new and `base` is None); a conflict
    /// otherwise, unless the content is already stored.
    pub async fn save_file(
        &self,
        course_id: &str,
        path: &str,
        base: Option<i64>,
        content: &[u8],
        user_id: i64,
    ) -> Result<SaveOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        let current: Option<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT version, content FROM draft_files WHERE course_id = $1 AND path = $2",
        )
        .bind(course_id)
        .bind(path)
        .fetch_optional(&mut *tx)
        .await?;
        let decision = decide_save(
            current.as_ref().map(|(v, c)| (*v, c.as_slice())),
            base,
            content,
        );
        match decision {
            SaveDecision::AlreadySaved { version } => Ok(SaveOutcome::Saved(version)),
            SaveDecision::Conflict { .. } => {
                drop(tx);
                let row = self
                    .draft_file(course_id, path)
                    .await?
                    .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
                Ok(SaveOutcome::Conflict(row))
            }
            SaveDecision::Store { version } => {
                let last: Option<(i64, i64, i64, i64)> = sqlx::query_as(
                    "SELECT id, saved_by, saved_at, started_at FROM draft_history
                     WHERE course_id = $1 AND path = $2 ORDER BY version DESC LIMIT 1",
                )
                .bind(course_id)
                .bind(path)
                .fetch_optional(&mut *tx)
                .await?;
                let fold = last
                    .filter(|(_, by, at, started)| coalesces(*by, *at, *started, user_id, now()))
                    .map(|(id, ..)| id);
                write_version(&mut tx, course_id, path, version, content, user_id, fold).await?;
                sqlx::query("UPDATE drafts SET updated_at = $1 WHERE course_id = $2")
                    .bind(now())
                    .bind(course_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(SaveOutcome::Saved(version))
            }
        }
    }

    /// A file's history, newest first.
    pub async fn file_history(
        &self,
        course_id: &str,
        path: &str,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT h.version, h.content, h.saved_at, u.full_name FROM draft_history h
             JOIN users u ON u.id = h.saved_by
             WHERE h.course_id = $1 AND h.path = $2 ORDER BY h.version DESC",
        )
        .bind(course_id)
        .bind(path)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let content: Vec<u8> = row.try_get("content")?;
                Ok(HistoryEntry {
                    version: row.try_get("version")?,
                    saved_by: row.try_get("full_name")?,
                    saved_at: row.try_get("saved_at")?,
                    content: String::from_utf8_lossy(&content).into_owned(),
                })
            })
            .collect()
    }

    /// Submits the draft's files as they are now; the draft is then
    /// `submitted`.
    pub async fn submit(
        &self,
        course_id: &str,
        user_id: i64,
        note: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reviews (course_id, submitted_by, submitted_at, note) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(course_id)
        .bind(user_id)
        .bind(now())
        .bind(note)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO review_files (review_id, path, content)
             SELECT $1, path, content FROM draft_files WHERE course_id = $2",
        )
        .bind(id)
        .bind(course_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE drafts SET status = 'submitted', updated_at = $1 WHERE course_id = $2")
            .bind(now())
            .bind(course_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn open_review(&self, course_id: &str) -> Result<Option<OpenReview>, StoreError> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT id, submitted_by FROM reviews WHERE course_id = $1 AND decision IS NULL
             ORDER BY id DESC LIMIT 1",
        )
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, submitted_by)| OpenReview { id, submitted_by }))
    }

    pub async fn review_files(&self, review_id: i64) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT path, content FROM review_files WHERE review_id = $1 ORDER BY path",
        )
        .bind(review_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The latest review of a draft, decided or not.
    pub async fn latest_review(&self, course_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT MAX(id) FROM reviews WHERE course_id = $1")
                .bind(course_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn add_comment(
        &self,
        review_id: i64,
        user_id: i64,
        path: Option<&str>,
        line: Option<i64>,
        body: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO review_comments (review_id, author_id, path, line, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(review_id)
        .bind(user_id)
        .bind(path)
        .bind(line)
        .bind(body)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a decision; the draft goes back to `editing` (approved) or
    /// `returned`.
    pub async fn decide(
        &self,
        course_id: &str,
        review_id: i64,
        user_id: i64,
        decision: Decision,
        published_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let (name, status) = match decision {
            Decision::Approved => ("approved", DraftStatus::Editing),
            Decision::Returned => ("returned", DraftStatus::Returned),
        };
        sqlx::query(
            "UPDATE reviews SET decision = $1, decided_by = $2, decided_at = $3, published_version = $4
             WHERE id = $5",
        )
        .bind(name)
        .bind(user_id)
        .bind(now())
        .bind(published_version)
        .bind(review_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE drafts SET status = $1, updated_at = $2 WHERE course_id = $3")
            .bind(status_name(status))
            .bind(now())
            .bind(course_id)
            .execute(&mut *tx)
            .await?;
        Ok(tx.commit().await?)
    }

    /// A draft's reviews with their comments, newest first.
    pub async fn reviews(&self, course_id: &str) -> Result<Vec<Review>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.submitted_at, r.note, r.decision, r.decided_at, r.published_version,
                    s.full_name AS submitter, d.full_name AS decider
             FROM reviews r JOIN users s ON s.id = r.submitted_by
             LEFT JOIN users d ON d.id = r.decided_by
             WHERE r.course_id = $1 ORDER BY r.id DESC",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let comments = sqlx::query(
                "SELECT c.path, c.line, c.body, c.created_at, u.full_name FROM review_comments c
                 JOIN users u ON u.id = c.author_id WHERE c.review_id = $1 ORDER BY c.id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|c| {
                Ok(Comment {
                    author: c.try_get("full_name")?,
                    path: c.try_get("path")?,
                    line: c.try_get("line")?,
                    body: c.try_get("body")?,
                    at: c.try_get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
            let decision: Option<String> = row.try_get("decision")?;
            out.push(Review {
                id,
                submitted_by: row.try_get("submitter")?,
                submitted_at: row.try_get("submitted_at")?,
                note: row.try_get("note")?,
                decision: decision.map(|d| {
                    if d == "approved" {
                        Decision::Approved
                    } else {
                        Decision::Returned
                    }
                }),
                decided_by: row.try_get("decider")?,
                decided_at: row.try_get("decided_at")?,
                published_version: row.try_get("published_version")?,
                comments,
            });
        }
        Ok(out)
    }

    /// The full name of whoever submitted the open review of a draft.
    pub async fn submitter_name(&self, course_id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT u.full_name FROM reviews r JOIN users u ON u.id = r.submitted_by
             WHERE r.course_id = $1 AND r.decision IS NULL ORDER BY r.id DESC LIMIT 1",
        )
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn published_sources(
        &self,
        course_id: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT path, content FROM published_sources WHERE course_id = $1 ORDER BY path",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces the published sources of a course and records where they
    /// came from (`folder_hash` for a folder; an approval keeps the hash of
    /// the folder last loaded).
    pub async fn set_published_sources(
        &self,
        course_id: &str,
        files: &[(String, Vec<u8>)],
        folder_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM published_sources WHERE course_id = $1")
            .bind(course_id)
            .execute(&mut *tx)
            .await?;
        for (path, content) in files {
            sqlx::query(
                "INSERT INTO published_sources (course_id, path, content) VALUES ($1, $2, $3)",
            )
            .bind(course_id)
            .bind(path)
            .bind(content)
            .execute(&mut *tx)
            .await?;
        }
        match folder_hash {
            Some(hash) => {
                sqlx::query(
                    "INSERT INTO published_origin (course_id, origin, folder_hash) VALUES ($1, 'folder', $2)
                     ON CONFLICT (course_id) DO UPDATE SET origin = 'folder', folder_hash = excluded.folder_hash",
                )
                .bind(course_id)
                .bind(hash)
                .execute(&mut *tx)
                .await?
            }
            None => {
                sqlx::query(
                    "INSERT INTO published_origin (course_id, origin) VALUES ($1, 'approval')
                     ON CONFLICT (course_id) DO UPDATE SET origin = 'approval'",
                )
                .bind(course_id)
                .execute(&mut *tx)
                .await?
            }
        };
        Ok(tx.commit().await?)
    }

    /// Whether the published version of a course came from an approval
    /// made after the folder with this hash was loaded (so loading the
    /// same folder again must not replace it).
    pub async fn approved_since_folder(
        &self,
        course_id: &str,
        folder_hash: &str,
    ) -> Result<bool, StoreError> {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT origin, folder_hash FROM published_origin WHERE course_id = $1")
                .bind(course_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(matches!(row, Some((origin, Some(hash))) if origin == "approval" && hash == folder_hash))
    }

    /// Whether a user reviews for a centre: its centre admins do, and the
    /// lecturers they granted the role.
    pub async fn is_reviewer(&self, centre_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM reviewers WHERE centre_id = $1 AND user_id = $2)
                  + (SELECT COUNT(*) FROM users WHERE id = $2 AND centre_id = $1 AND role = 'centre_admin')",
        )
        .bind(centre_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The names of everyone who may decide on a submission of the centre
    /// but `except` (its submitter): the centre's admins, the lecturers they
    /// named reviewers, and the province admins.
    pub async fn decision_makers(
        &self,
        centre_id: i64,
        except: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT full_name FROM users
             WHERE id != $2 AND (
                 (centre_id = $1 AND role = 'centre_admin')
                 OR role = 'province_admin'
                 OR id IN (SELECT user_id FROM reviewers WHERE centre_id = $1))
             ORDER BY role = 'province_admin', full_name",
        )
        .bind(centre_id)
        .bind(except)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn centre_reviewers(&self, centre_id: i64) -> Result<Vec<ReviewerEntry>, StoreError> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT u.id, u.full_name,
                    CASE WHEN EXISTS (SELECT 1 FROM reviewers r
                                      WHERE r.centre_id = $1 AND r.user_id = u.id)
                         THEN 1 ELSE 0 END
             FROM users u WHERE u.centre_id = $1 AND u.role = 'lecturer' ORDER BY u.full_name",
        )
        .bind(centre_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(user_id, full_name, r)| ReviewerEntry {
                user_id,
                full_name,
                reviewer: r != 0,
            })
            .collect())
    }

    pub async fn set_reviewer(
        &self,
        centre_id: i64,
        user_id: i64,
        granted_by: i64,
        reviewer: bool,
    ) -> Result<(), StoreError> {
        if reviewer {
            sqlx::query(
                "INSERT INTO reviewers (centre_id, user_id, granted_by, granted_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
            )
            .bind(centre_id)
            .bind(user_id)
            .bind(granted_by)
            .bind(now())
            .execute(&self.pool)
            .await?;
        } else {
            sqlx::query("DELETE FROM reviewers WHERE centre_id = $1 AND user_id = $2")
                .bind(centre_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
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
                "INSERT INTO bank_media (owner_id, name, mime, bytes, created_at) VALUES ($1, $2, $3, $4, $5)
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
                "INSERT INTO bank_questions (owner_id, id, category, body, imported_at) VALUES ($1, $2, $3, $4, $5)
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
            sqlx::query_as("SELECT mime, bytes FROM bank_media WHERE owner_id = $1 AND name = $2")
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
        let rows: Vec<(Option<String>, String)> = sqlx::query_as(self.engine.bank_sql())
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
}

/// Writes a file's new version and its history entry (folded into the
/// entry `fold` when given).
async fn write_version(
    tx: &mut sqlx::AnyConnection,
    course_id: &str,
    path: &str,
    version: i64,
    content: &[u8],
    user_id: i64,
    fold: Option<i64>,
) -> Result<(), StoreError> {
    let t = now();
    sqlx::query(
        "INSERT INTO draft_files (course_id, path, version, content, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (course_id, path) DO UPDATE SET version = excluded.version,
           content = excluded.content, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at",
    )
    .bind(course_id)
    .bind(path)
    .bind(version)
    .bind(content)
    .bind(user_id)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    match fold {
        Some(id) => {
            sqlx::query(
                "UPDATE draft_history SET version = $1, content = $2, saved_at = $3 WHERE id = $4",
            )
            .bind(version)
            .bind(content)
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO draft_history (course_id, path, version, content, saved_by, started_at, saved_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(course_id)
            .bind(path)
            .bind(version)
            .bind(content)
            .bind(user_id)
            .bind(t)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// Gives a course's draft (if any) to `centre`, on the caller's transaction
/// (a course handed over takes its draft along).
pub(crate) async fn move_draft(
    conn: &mut sqlx::AnyConnection,
    course_id: &str,
    centre: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE drafts SET centre_id = $1 WHERE course_id = $2")
        .bind(centre)
        .bind(course_id)
        .execute(conn)
        .await?;
    Ok(())
}
