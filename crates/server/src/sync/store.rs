//! The sync log: devices, the events they pushed (and the server wrote),
//! ops refused for good, attempts and accepted grades. Every event is
//! stored here, once, by `push` or `append_server_events`.

use lophoc_core::{api::User, content::DiscussionResponse, events::Event, question::Answer};
use lophoc_core::{
    events::{check_op, is_server_device, Op, RejectReason},
    sync::{plan_push, seq_of, PullResponse, PushRequest, PushResponse, Rejection, PULL_PAGE},
};
use std::collections::HashMap;

use crate::engine::{relay_pokes, Change, Listening};
use crate::store::{now, now_ms, to_json, Engine, StoreError};
use sqlx::AnyPool;

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

/// Keeps a refused op for staff: who, which device and seq, why, and the
/// first 4 KB of what was sent.
async fn record_refused(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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

/// JSON text for a stored column.
/// Stores one op in the log with the columns it is found by
/// ([`Event::index`]); `false` if its op id or `(device, seq)` is already
/// taken (nothing is written then). The only `INSERT INTO events`.
pub(crate) async fn insert_event(
    conn: &mut sqlx::AnyConnection,
    op: &Op,
    body: &str,
) -> Result<bool, StoreError> {
    let index = op.event.index();
    let result = sqlx::query(
        "INSERT INTO events (op_id, device_id, seq, user_id, schema, client_time_ms, server_time,
                             body, kind, course_id, item_id, attempt_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
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

/// The sync log area.
#[derive(Clone, Debug)]
pub struct SyncLog {
    pub(in crate::sync) pool: AnyPool,
    engine: Engine,
    /// Whose events changed, sent after the commit (on PostgreSQL by
    /// every instance, through the database: `engine::relay_pokes`).
    changes: tokio::sync::broadcast::Sender<Change>,
    /// On PostgreSQL, the task that receives the pokes of every instance.
    listening: Option<std::sync::Arc<Listening>>,
    /// The key attempt seeds are issued with (`server_secrets`).
    pub(in crate::sync) seed_key: std::sync::Arc<[u8]>,
}

impl SyncLog {
    /// The sync log on `pool`, with the key attempt seeds are issued with.
    ///
    /// Event versions are the devices' pull cursors. A server started on a
    /// database restored from a backup would give out again the versions it
    /// gave out after the backup, to other events, and a device whose cursor is
    /// already past them would never pull those. So on every start the next
    /// version is at least the clock in microseconds-ish (ms × 1000): beyond any
    /// version given out before, unless more than a thousand events a
    /// millisecond were stored — far beyond what one server takes. Versions stay
    /// below 2^53 for two centuries, so any JSON reader keeps them exact.
    pub(crate) async fn open(
        pool: AnyPool,
        engine: Engine,
        url: &str,
    ) -> Result<SyncLog, StoreError> {
        engine
            .raise_versions(&pool, now_ms().saturating_mul(1000))
            .await?;
        let seed_key: Vec<u8> =
            sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'attempt_seeds'")
                .fetch_one(&pool)
                .await?;
        let (changes, _) = tokio::sync::broadcast::channel(256);
        let listening = match engine {
            Engine::Postgres => Some(relay_pokes(url, changes.clone()).await?.into()),
            Engine::Sqlite => None,
        };
        Ok(SyncLog {
            pool,
            engine,
            changes,
            listening,
            seed_key: seed_key.into(),
        })
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
        let mut tx = self.engine.begin_event_write(&self.pool).await?;
        let device: Option<(i64, i64)> =
            sqlx::query_as("SELECT user_id, acked_seq FROM devices WHERE device_id = $1")
                .bind(&request.device_id)
                .fetch_optional(&mut *tx)
                .await?;
        let acked = match device {
            Some((owner, _)) if owner != user_id => return Err(PushError::DeviceOfAnotherUser),
            Some((_, acked)) => u64::try_from(acked).unwrap_or_default(),
            None => {
                sqlx::query("INSERT INTO devices (device_id, user_id, acked_seq, last_seen) VALUES ($1, $2, 0, $3)")
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
        let mut cache = crate::sync::authority::PushCache::default();
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
                Err(reason) => crate::sync::authority::Outcome::Refused(reason),
            };
            match outcome {
                crate::sync::authority::Outcome::Stored(new) => applied += u32::from(new),
                crate::sync::authority::Outcome::Refused(reason) if reason.is_transient() => {
                    rejected = Some(Rejection { seq, reason });
                    break;
                }
                crate::sync::authority::Outcome::Refused(reason) => {
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
                "SELECT seq, code, detail FROM refused_ops WHERE device_id = $1 AND seq BETWEEN $2 AND $3",
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
        sqlx::query("UPDATE devices SET acked_seq = $1, last_seen = $2 WHERE device_id = $3")
            .bind(i64::try_from(acked_seq).unwrap_or(i64::MAX))
            .bind(now())
            .bind(&request.device_id)
            .execute(&mut *tx)
            .await?;
        let pokes = if applied > 0 { vec![user_id] } else { vec![] };
        self.commit_and_poke(tx, &pokes).await?;
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
             WHERE user_id = $1 ORDER BY id DESC LIMIT 200",
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
    /// changed — on any instance sharing the database. Listeners that fall
    /// behind miss pokes, not data: a poke only asks a device to pull.
    pub fn changes(&self) -> tokio::sync::broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Stops listening for other instances' pokes (the store is closing).
    pub(crate) fn stop_listening(&self) {
        if let Some(listening) = &self.listening {
            listening.stop();
        }
    }

    /// Commits `tx`, which stored new events of `users`, and pokes their
    /// devices wherever they listen. Nobody listening is fine: a poke only
    /// speeds up other devices.
    async fn commit_and_poke(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        users: &[i64],
    ) -> Result<(), StoreError> {
        let through_database = self.engine.poke_on_commit(&mut tx, users).await?;
        tx.commit().await?;
        if !through_database {
            for user in users {
                let _ = self.changes.send(Change::User(*user));
            }
        }
        Ok(())
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
        let newest: i64 = sqlx::query_scalar(self.engine.newest_version_sql())
            .fetch_one(&self.pool)
            .await?;
        let cursor = if cursor > newest { 0 } else { cursor };
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT version, body FROM events WHERE user_id = $1 AND version > $2 ORDER BY version LIMIT $3",
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
                    "SELECT acked_seq FROM devices WHERE device_id = $1 AND user_id = $2",
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
            sqlx::query_as("SELECT body FROM events WHERE user_id = $1 ORDER BY version")
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
            sqlx::query_as("SELECT acked_seq FROM devices WHERE device_id = $1")
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
        let mut tx = self.engine.begin_event_write(&self.pool).await?;
        let mut users = Vec::new();
        for (user_id, device_id, op_id, event) in ops {
            sqlx::query(
                "INSERT INTO devices (device_id, user_id, acked_seq, last_seen) VALUES ($1, $2, 0, $3)
                 ON CONFLICT (device_id) DO NOTHING",
            )
            .bind(device_id)
            .bind(user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            let (owner, acked): (i64, i64) =
                sqlx::query_as("SELECT user_id, acked_seq FROM devices WHERE device_id = $1")
                    .bind(device_id)
                    .fetch_one(&mut *tx)
                    .await?;
            if owner != *user_id {
                tracing::warn!(device = %device_id, user = user_id, "server device of another user; event skipped");
                continue;
            }
            let last: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = $1")
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
                sqlx::query(
                    "UPDATE devices SET acked_seq = $1, last_seen = $2 WHERE device_id = $3",
                )
                .bind(seq)
                .bind(now())
                .bind(device_id)
                .execute(&mut *tx)
                .await?;
                users.push(*user_id);
            }
        }
        users.sort_unstable();
        users.dedup();
        self.commit_and_poke(tx, &users).await
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
             WHERE g.course_id = $1 AND g.assessment_id = $2
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

    /// Users who handed in an attempt at an assessment, with their full names.
    pub async fn assessment_takers(
        &self,
        course_id: &str,
        assessment_id: &str,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT u.id, u.full_name FROM events e JOIN users u ON u.id = e.user_id
             WHERE e.kind = 'attempt_submitted' AND e.course_id = $1 AND e.item_id = $2
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
             WHERE user_id = $1 AND kind = 'situation_answered' AND course_id = $2 AND item_id = $3",
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
                 JOIN classes c ON c.id = me.class_id AND c.course_id = $1
                 JOIN class_members mate ON mate.class_id = me.class_id
                 WHERE me.user_id = $2 AND mate.user_id <> $3)
               AND e.kind = 'situation_answered' AND e.course_id = $4 AND e.item_id = $5
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

    /// Every event of the class's trainees, by user.
    pub async fn member_events(&self, class_id: i64) -> Result<HashMap<i64, Vec<Op>>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT e.user_id, e.body FROM events e
             JOIN class_members cm ON cm.user_id = e.user_id AND cm.class_id = $1
             ORDER BY e.version",
        )
        .bind(class_id)
        .fetch_all(&self.pool)
        .await?;
        let mut by_user: HashMap<i64, Vec<Op>> = HashMap::new();
        for (user, body) in rows {
            by_user
                .entry(user)
                .or_default()
                .push(serde_json::from_str(&body).map_err(StoreError::data)?);
        }
        Ok(by_user)
    }

    /// The owner of an attempt, as the server received it.
    pub async fn attempt_owner(&self, attempt_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT user_id FROM attempts WHERE attempt_id = $1")
                .bind(attempt_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Courses a user has events in.
    pub async fn courses_with_events(&self, user_id: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT course_id FROM events WHERE user_id = $1 AND course_id IS NOT NULL",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
