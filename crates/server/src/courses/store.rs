//! The courses area: published courses, their modules, lessons, situation
//! sets, assessments (with every version given out), media, and who owns
//! each course. Written by publishing an approved draft or a course folder.

use crate::content::CompiledCourse;
use crate::store::{count, now, to_json, Engine, StoreError};
use lophoc_core::{
    accounts::{CentreRef, CourseOwner},
    api::CourseSummary,
    assessment::AssessmentPaper,
    content::AssessmentRef,
    content::{
        CourseOutline, Lesson, LessonRef, ModuleOutline, SituationMode, SituationRef, SituationSet,
    },
    question::Question,
};
use sqlx::{AnyPool, Row};

/// What publishing a course did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// A new version was stored.
    New { version: i64 },
    /// The files were identical to the published version; nothing changed.
    Unchanged { version: i64 },
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

fn mode_name(mode: SituationMode) -> &'static str {
    match mode {
        SituationMode::Discussion => "discussion",
        SituationMode::Practice => "practice",
    }
}

/// The courses area.
#[derive(Clone, Debug)]
pub struct CourseStore {
    pool: AnyPool,
    engine: Engine,
}

impl CourseStore {
    pub(crate) fn new(pool: AnyPool, engine: Engine) -> CourseStore {
        CourseStore { pool, engine }
    }
}

impl CourseStore {
    /// Publishes a compiled course in one transaction: a new version if its
    /// files changed, nothing otherwise. Readers see the old or the new
    /// version whole, never a mix.
    pub async fn publish(&self, course: &CompiledCourse) -> Result<Published, StoreError> {
        let outline = &course.outline;
        let mut tx = self.pool.begin().await?;
        let current: Option<(i64, String)> =
            sqlx::query_as("SELECT version, content_hash FROM courses WHERE id = $1")
                .bind(&outline.id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((version, hash)) = &current {
            if *hash == course.content_hash {
                return Ok(Published::Unchanged { version: *version });
            }
        }
        let version = current.map_or(1, |(v, _)| v + 1);
        sqlx::query("DELETE FROM courses WHERE id = $1")
            .bind(&outline.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO courses (id, version, title, summary, content_hash, published_at, completion)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
                "INSERT INTO modules (course_id, id, position, title, summary) VALUES ($1, $2, $3, $4, $5)",
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
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
                "INSERT INTO assessment_versions (course_id, assessment_id, version, paper, bank)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (course_id, assessment_id, version)
                 DO UPDATE SET paper = excluded.paper, bank = excluded.bank",
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
            sqlx::query("INSERT INTO media (course_id, name, mime, bytes) VALUES ($1, $2, $3, $4)")
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

    pub async fn list(&self) -> Result<Vec<CourseSummary>, StoreError> {
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
                    module_count: count(row, "module_count")?,
                    lesson_count: count(row, "lesson_count")?,
                })
            })
            .collect()
    }

    pub async fn outline(&self, course_id: &str) -> Result<Option<CourseOutline>, StoreError> {
        let Some(course) = sqlx::query(
            "SELECT id, title, summary, version, completion FROM courses WHERE id = $1",
        )
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let modules = sqlx::query(
            "SELECT id, title, summary FROM modules WHERE course_id = $1 ORDER BY position",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        let lessons = sqlx::query(
            "SELECT id, module_id, title, minutes FROM lessons WHERE course_id = $1 ORDER BY position",
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
            "SELECT name, length(bytes) FROM media WHERE course_id = $1 ORDER BY name",
        )
        .bind(course_id)
        .fetch_all(&self.pool)
        .await?;
        // What a trainee's device stores on downloading the course, counted
        // as the client counts it afterwards (`lophoc_core::content::
        // stored_bytes`): lesson HTML in bytes (not characters), each
        // situation set as a trainee receives it and each paper as JSON, and
        // the media files.
        let html_bytes: i64 = sqlx::query_scalar(self.engine.lesson_bytes_sql())
            .bind(course_id)
            .fetch_one(&self.pool)
            .await?;
        let mut item_bytes = 0_u64;
        let bodies: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM situations WHERE course_id = $1")
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
        for (body,) in bodies {
            if let Ok(set) = serde_json::from_str::<SituationSet>(&body) {
                item_bytes += lophoc_core::content::stored_bytes(&set.for_trainee());
            }
        }
        let papers: Vec<(String,)> =
            sqlx::query_as("SELECT paper FROM assessments WHERE course_id = $1")
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
                        minutes: count(l, "minutes")?,
                    });
                }
            }
            let situations: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT id, title, mode, question_count FROM situations
                 WHERE course_id = $1 AND module_id = $2 ORDER BY position",
            )
            .bind(course_id)
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            let assessments: Vec<(String,)> = sqlx::query_as(
                "SELECT listing FROM assessments WHERE course_id = $1 AND module_id = $2 ORDER BY position",
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
             WHERE course_id = $1 AND id = $2",
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
                minutes: count(&row, "minutes")?,
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
            sqlx::query_as("SELECT body FROM situations WHERE course_id = $1 AND id = $2")
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
            sqlx::query_as("SELECT paper, bank FROM assessments WHERE course_id = $1 AND id = $2")
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
    /// attempts started on them; the current one is [`CourseStore::assessment`].
    pub async fn older_assessments(
        &self,
        course_id: &str,
        id: &str,
        current: i64,
    ) -> Result<Vec<(AssessmentPaper, Vec<Question>)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT paper, bank FROM assessment_versions
             WHERE course_id = $1 AND assessment_id = $2 AND version <> $3
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

    /// All published assessments as `(course id, assessment id)`.
    pub async fn assessment_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT course_id, id FROM assessments ORDER BY course_id, position")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// A media file of a course: its MIME type and bytes.
    pub async fn media(
        &self,
        course_id: &str,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT mime, bytes FROM media WHERE course_id = $1 AND name = $2")
                .bind(course_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Who may change a course (see [`Ownership`]).
    pub async fn ownership(&self, course_id: &str) -> Result<Ownership, StoreError> {
        let row: (i64, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM courses WHERE id = $1),
                    (SELECT centre_id FROM course_owners WHERE course_id = $1)",
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
             VALUES ($1, $2, NULL, $3) ON CONFLICT (course_id) DO NOTHING",
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
             VALUES ($1, $2, $3, $4)
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
            crate::authoring::store::move_draft(&mut tx, course_id, centre).await?;
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

    /// The title of a published course.
    pub async fn course_title(&self, course_id: &str) -> Result<Option<(String, i64)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT title, version FROM courses WHERE id = $1")
                .bind(course_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
