//! What the server decides about a pushed op, beyond what the op alone
//! tells (`lophoc_core::events::check_op`): the checks that need its records.
//!
//! Policy (the authority table, `Event::authority` and
//! `docs/sync-protocol.md`): a device records only what its user may
//! assert. Here, inside the push's transaction:
//!
//! - an `attempt_started` is judged by `lophoc_core::assessment::judge_start`
//!   against the attempts the server already holds (order and count by
//!   receipt, and the seeds they used), the seeds it issues
//!   ([`SyncLog::attempt_seed`]) and the closing date by its own clock; the
//!   decision is kept in the `attempts` table;
//! - an answer or hand-in must name an attempt its user started;
//! - an `essay_graded` must come from a lecturer of a class that has the
//!   attempt's owner on its roster for that course, or an admin of the
//!   owner's centre ([`may_grade`]); accepted grades are listed in
//!   `accepted_grades`, the only place reads take grades from;
//! - an op id already used by another op is refused, never silently
//!   dropped, so a replayed id cannot stand in for someone's real op.
//!
//! Whatever is refused is answered with its reason and kept in
//! `refused_ops` for staff; the device moves past it.

use crate::store::StoreError;
use std::collections::HashMap;

use hmac::{Hmac, Mac};
use lophoc_core::{
    api::User,
    assessment::{judge_start, StartVerdict},
    events::{Event, Op, RejectReason},
    question::AssessmentSettings,
};
use sha2::Sha256;
use sqlx::{Any, Transaction};

use super::store::SyncLog;

/// Seeds are kept below 2^53 so they survive any JSON reader as numbers.
const SEED_MASK: u64 = (1 << 53) - 1;

/// The seed the server issues `user_id` for attempt number `rank` (1, 2, …)
/// at an assessment: an HMAC of those facts under the database's secret, so
/// it is the same every time it is asked for and nobody without the secret
/// can compute or choose it.
pub fn issue_seed(key: &[u8], user_id: i64, course: &str, assessment: &str, rank: u32) -> u64 {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return 0; // HMAC takes keys of any length
    };
    mac.update(format!("attempt-seed\n{user_id}\n{course}\n{assessment}\n{rank}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&bytes[..8]);
    u64::from_be_bytes(first) & SEED_MASK
}

/// What was decided about one op.
pub enum Outcome {
    /// Stored (`true`), or already stored by this device at this seq
    /// (`false`: a repeat).
    Stored(bool),
    Refused(RejectReason),
}

/// Lookups repeated within one push, kept for its duration.
#[derive(Default)]
pub struct PushCache {
    settings: HashMap<(String, String), Option<AssessmentSettings>>,
}

/// The SQL rule for who may grade whose essay: `$1` the grader, `$2` the
/// attempt's owner, `$3` the course. A lecturer of a class of that course
/// with the owner on its roster, or an admin of the owner's centre.
/// Migration 0012 applies the same rule to grades stored before it.
const MAY_GRADE: &str = "SELECT COUNT(*) FROM (
        SELECT 1 FROM users g JOIN users o ON o.id = $2
        WHERE g.id = $1 AND (
            (g.role = 'lecturer' AND EXISTS (
                SELECT 1 FROM classes c
                JOIN class_lecturers l ON l.class_id = c.id AND l.user_id = g.id
                JOIN class_members m ON m.class_id = c.id AND m.user_id = o.id
                WHERE c.course_id = $3))
            OR (g.role = 'centre_admin' AND g.centre_id IS NOT NULL AND g.centre_id = o.centre_id))) AS rule";

/// Whether `grader` may grade an attempt of `owner` at `course`.
pub async fn may_grade(
    tx: &mut Transaction<'_, Any>,
    grader: i64,
    owner: i64,
    course: &str,
) -> Result<bool, StoreError> {
    let may: i64 = sqlx::query_scalar(MAY_GRADE)
        .bind(grader)
        .bind(owner)
        .bind(course)
        .fetch_one(&mut **tx)
        .await?;
    Ok(may != 0)
}

impl SyncLog {
    /// The seed issued to `user_id` for attempt `rank` at an assessment.
    pub fn attempt_seed(&self, user_id: i64, course: &str, assessment: &str, rank: u32) -> u64 {
        issue_seed(&self.seed_key, user_id, course, assessment, rank)
    }

    /// How many attempts of `user_id` at an assessment the server holds.
    pub async fn attempts_received(
        &self,
        user_id: i64,
        course: &str,
        assessment: &str,
    ) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM attempts WHERE user_id = $1 AND course_id = $2 AND assessment_id = $3",
        )
        .bind(user_id)
        .bind(course)
        .bind(assessment)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The ids of a user's attempts at any assessment of `course` flagged
    /// late.
    pub async fn late_attempts_in(
        &self,
        user_id: i64,
        course: &str,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT attempt_id FROM attempts WHERE user_id = $1 AND course_id = $2 AND late = 1",
        )
        .bind(user_id)
        .bind(course)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().collect())
    }

    /// Checks `op` against the server's records and stores it, in the
    /// push's transaction. `value` is its canonical JSON (with the device
    /// time already bounded); `received_ms` the server's clock.
    pub(crate) async fn check_and_store(
        &self,
        tx: &mut Transaction<'_, Any>,
        user: &User,
        op: &Op,
        body: &str,
        received_ms: i64,
        cache: &mut PushCache,
    ) -> Result<Outcome, StoreError> {
        match &op.event {
            Event::AttemptStarted {
                course_id,
                assessment_id,
                attempt_id,
                seed,
                ..
            } => {
                let Some(settings) = self.settings(tx, cache, course_id, assessment_id).await?
                else {
                    return Ok(Outcome::Refused(RejectReason::UnknownAssessment));
                };
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT user_id FROM attempts WHERE attempt_id = $1")
                        .bind(attempt_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if taken.is_some() {
                    // A repeat of this very op is settled by its op id below.
                    if let Some(outcome) = self.repeat(tx, op).await? {
                        return Ok(outcome);
                    }
                    return Ok(Outcome::Refused(RejectReason::DuplicateAttempt));
                }
                // The seeds of the attempts the server holds: their count is
                // this attempt's rank, and none may draw again.
                let used: Vec<i64> = sqlx::query_scalar(
                    "SELECT seed FROM attempts WHERE user_id = $1 AND course_id = $2 AND assessment_id = $3",
                )
                .bind(user.id)
                .bind(course_id)
                .bind(assessment_id)
                .fetch_all(&mut **tx)
                .await?;
                let prior = u32::try_from(used.len()).unwrap_or(u32::MAX);
                let used: Vec<u64> = used
                    .into_iter()
                    .filter_map(|s| u64::try_from(s).ok())
                    .collect();
                let issued: Vec<u64> = (1..=prior.saturating_add(1))
                    .map(|rank| self.attempt_seed(user.id, course_id, assessment_id, rank))
                    .collect();
                let verdict = match judge_start(
                    &settings,
                    prior,
                    *seed,
                    &issued,
                    &used,
                    op.client_time_ms,
                    received_ms,
                ) {
                    Ok(verdict) => verdict,
                    Err(reason) => return Ok(Outcome::Refused(reason)),
                };
                let outcome = self.insert(tx, op, body).await?;
                if matches!(outcome, Outcome::Stored(true)) {
                    sqlx::query(
                        "INSERT INTO attempts (attempt_id, user_id, course_id, assessment_id, rank, seed, received_ms, late)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(attempt_id)
                    .bind(user.id)
                    .bind(course_id)
                    .bind(assessment_id)
                    .bind(i64::from(prior) + 1)
                    .bind(i64::try_from(*seed).unwrap_or(i64::MAX))
                    .bind(received_ms)
                    .bind(i64::from(verdict == StartVerdict::Late))
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(outcome)
            }
            Event::AttemptAnswered {
                course_id,
                assessment_id,
                attempt_id,
                ..
            }
            | Event::AttemptSubmitted {
                course_id,
                assessment_id,
                attempt_id,
            } => {
                let owner = attempt_of(tx, attempt_id).await?;
                if owner != Some((user.id, course_id.clone(), assessment_id.clone())) {
                    return Ok(Outcome::Refused(RejectReason::UnknownAttempt));
                }
                self.insert(tx, op, body).await
            }
            Event::EssayGraded {
                course_id,
                assessment_id,
                attempt_id,
                ..
            } => {
                let Some((owner, course, assessment)) = attempt_of(tx, attempt_id).await? else {
                    return Ok(Outcome::Refused(RejectReason::NotYourTrainee));
                };
                if course != *course_id
                    || assessment != *assessment_id
                    || !may_grade(tx, user.id, owner, course_id).await?
                {
                    return Ok(Outcome::Refused(RejectReason::NotYourTrainee));
                }
                let outcome = self.insert(tx, op, body).await?;
                if matches!(outcome, Outcome::Stored(true)) {
                    sqlx::query(
                        "INSERT INTO accepted_grades (op_id, course_id, assessment_id, attempt_id)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&op.op_id)
                    .bind(course_id)
                    .bind(assessment_id)
                    .bind(attempt_id)
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(outcome)
            }
            Event::LessonOpened { .. }
            | Event::LessonCompleted { .. }
            | Event::SituationAnswered { .. }
            | Event::ScenarioChoice { .. } => self.insert(tx, op, body).await,
            // `check_op` refuses these from any client; never reached.
            Event::LiveAttended { .. } | Event::LiveAnswered { .. } => {
                Ok(Outcome::Refused(RejectReason::ServerOnly))
            }
        }
    }

    /// Inserts the event. An op id or `(device, seq)` already stored is a
    /// repeat only if it is this very op; otherwise the op is refused.
    async fn insert(
        &self,
        tx: &mut Transaction<'_, Any>,
        op: &Op,
        body: &str,
    ) -> Result<Outcome, StoreError> {
        if super::store::insert_event(tx, op, body).await? {
            return Ok(Outcome::Stored(true));
        }
        Ok(self
            .repeat(tx, op)
            .await?
            .unwrap_or(Outcome::Refused(RejectReason::DuplicateOpId)))
    }

    /// `Some(Stored(false))` if this very op (same id, device and seq) is
    /// stored already, `Some(Refused)` if its id or seq is taken by another,
    /// `None` if neither is stored.
    async fn repeat(
        &self,
        tx: &mut Transaction<'_, Any>,
        op: &Op,
    ) -> Result<Option<Outcome>, StoreError> {
        let found: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT op_id, device_id, seq FROM events
             WHERE op_id = $1 OR (device_id = $2 AND seq = $3) LIMIT 1",
        )
        .bind(&op.op_id)
        .bind(&op.device_id)
        .bind(i64::try_from(op.seq).unwrap_or(i64::MAX))
        .fetch_optional(&mut **tx)
        .await?;
        Ok(found.map(|(op_id, device, seq)| {
            if op_id == op.op_id
                && device == op.device_id
                && u64::try_from(seq).ok() == Some(op.seq)
            {
                Outcome::Stored(false)
            } else {
                Outcome::Refused(RejectReason::DuplicateOpId)
            }
        }))
    }

    /// The settings of a published assessment, read once per push.
    async fn settings(
        &self,
        tx: &mut Transaction<'_, Any>,
        cache: &mut PushCache,
        course: &str,
        assessment: &str,
    ) -> Result<Option<AssessmentSettings>, StoreError> {
        let key = (course.to_string(), assessment.to_string());
        if let Some(found) = cache.settings.get(&key) {
            return Ok(found.clone());
        }
        let paper: Option<String> =
            sqlx::query_scalar("SELECT paper FROM assessments WHERE course_id = $1 AND id = $2")
                .bind(course)
                .bind(assessment)
                .fetch_optional(&mut **tx)
                .await?;
        let settings = paper
            .map(|p| {
                serde_json::from_str::<lophoc_core::assessment::AssessmentPaper>(&p)
                    .map(|p| p.settings)
                    .map_err(StoreError::data)
            })
            .transpose()?;
        cache.settings.insert(key, settings.clone());
        Ok(settings)
    }
}

/// The owner, course and assessment of an attempt the server holds.
async fn attempt_of(
    tx: &mut Transaction<'_, Any>,
    attempt_id: &str,
) -> Result<Option<(i64, String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT user_id, course_id, assessment_id FROM attempts WHERE attempt_id = $1",
    )
    .bind(attempt_id)
    .fetch_optional(&mut **tx)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_depend_on_the_key_the_trainee_and_the_attempt() {
        let key = [7_u8; 32];
        let a = issue_seed(&key, 1, "c", "a", 1);
        assert_eq!(a, issue_seed(&key, 1, "c", "a", 1), "stable");
        assert!(a <= SEED_MASK);
        for other in [
            issue_seed(&key, 2, "c", "a", 1),
            issue_seed(&key, 1, "c", "a", 2),
            issue_seed(&key, 1, "c", "b", 1),
            issue_seed(&[8_u8; 32], 1, "c", "a", 1),
        ] {
            assert_ne!(a, other);
        }
    }
}
