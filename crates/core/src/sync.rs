//! The sync protocol: ops, the push and pull messages, and the decisions both
//! sides take, as pure functions.
//!
//! Policy (see `docs/sync-protocol.md`): every learner action is an [`Op`]
//! written to the device's outbox in the same local transaction as its local
//! effect, with the next per-device sequence number. A push sends the ops
//! above the device's acknowledged sequence, in order; the server
//! ([`plan_push`]) skips what it already has, stops at the first gap, applies
//! the rest idempotently (the `op_id` is unique), advances the device's
//! acknowledged sequence and only then replies. The device deletes what the
//! reply acknowledges ([`DeviceLog::acknowledge`]). Nothing is ordered by the
//! client's clock: order is `(device, seq)` on the way in and the server's
//! version on the way out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The op schema this build writes and understands. Bump it when [`Event`]
/// changes in a way an older server could misread.
pub const SCHEMA_VERSION: u32 = 1;

/// Most ops one push may carry; the client sends batches of this size.
pub const MAX_BATCH: usize = 200;

/// Most events one pull page returns.
pub const PULL_PAGE: usize = 500;

/// One learner action, as recorded on a device and synced to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// UUIDv7, unique across all devices: the idempotency key.
    pub op_id: String,
    pub device_id: String,
    /// 1, 2, 3… per device, assigned in the same transaction as the op.
    pub seq: u64,
    pub user_id: i64,
    /// When the device thinks it happened, in ms since the epoch. For display
    /// only: device clocks can be off by days.
    pub client_time_ms: i64,
    /// [`SCHEMA_VERSION`] of the build that wrote the op.
    pub schema: u32,
    pub event: Event,
}

/// What happened. Progress is derived from these (see [`crate::progress`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The trainee opened a lesson.
    LessonOpened {
        course_id: String,
        lesson_id: String,
    },
    /// The trainee marked a lesson as read.
    LessonCompleted {
        course_id: String,
        lesson_id: String,
    },
    /// The trainee answered a question of a situation set (practice or
    /// discussion). Every answer is kept; the latest is the one shown.
    SituationAnswered {
        course_id: String,
        situation_id: String,
        question_id: String,
        answer: crate::question::Answer,
    },
    /// One choice in a branching scenario, recorded as it is made, so the
    /// path taken is kept step by step (`step` counts from 0 within the run;
    /// a run is one play-through from the start).
    ScenarioChoice {
        course_id: String,
        situation_id: String,
        run_id: String,
        step: u32,
        step_id: String,
        choice_id: String,
    },
    /// A lecturer's grade of an essay answer, against its rubric. Pushed by
    /// the lecturer's device; applies to the trainee's latest answer to that
    /// question in that attempt.
    EssayGraded {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
        question_id: String,
        /// Hundredths of a point per rubric criterion id.
        scores: Vec<(String, u32)>,
        comment: String,
    },
    /// The trainee started an attempt at an assessment. The seed fixes the
    /// questions drawn and their order (see [`crate::assessment`]).
    AttemptStarted {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
        seed: u64,
        /// The version of the course the device drew the questions from
        /// (absent from devices older than this field): the attempt is marked
        /// against that version's questions.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        course_version: Option<i64>,
    },
    /// The trainee answered a question of an attempt; saved as given.
    AttemptAnswered {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
        question_id: String,
        answer: crate::question::Answer,
    },
    /// The trainee handed the attempt in.
    AttemptSubmitted {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
    },
    /// The trainee joined a live session (written by the server, once per
    /// session, from the `live:<user id>` device).
    LiveAttended {
        /// Unique per session (a UUIDv7), unlike its reusable join code.
        session_id: String,
        course_id: String,
        title: String,
    },
    /// The trainee's answer counted in a live session (written by the
    /// server when it counts the answer), with its score.
    LiveAnswered {
        session_id: String,
        course_id: String,
        situation_id: String,
        question_id: String,
        answer: crate::question::Answer,
        /// Hundredths of a point earned, of `max`.
        earned: u32,
        max: u32,
    },
}

/// Body of `POST /api/sync/push`. Ops are sent as raw JSON so that the
/// server can refuse an op of an unknown schema by its code, instead of
/// failing to parse the whole batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: String,
    pub ops: Vec<serde_json::Value>,
}

/// The reply to a push: how far the server now holds this device's ops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Every op of this device with `seq <= acked_seq` is stored: delete them.
    pub acked_seq: u64,
    /// Ops newly stored by this push.
    pub applied: u32,
    /// Why the op at `acked_seq + 1` was refused, if it was. The client
    /// keeps refused ops and shows the reason.
    pub rejected: Option<Rejection>,
}

/// An op the server refused to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub seq: u64,
    pub reason: RejectReason,
}

/// Why an op was refused. Stable codes the client matches on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RejectReason {
    /// Written by a newer (or unknown) schema than this server knows.
    UnknownSchema { schema: u32 },
    /// The op belongs to another user than the one signed in.
    WrongUser,
    /// The op is not valid (missing fields, wrong device id…).
    Malformed { detail: String },
}

/// `GET /api/sync/pull?cursor=N`: the signed-in user's events from all their
/// devices, in server order, after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub events: Vec<Op>,
    /// Pass this as the next `cursor`.
    pub cursor: i64,
    pub has_more: bool,
}

/// What the server should do with one push, decided from the device's
/// acknowledged sequence and the sequence numbers in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushPlan {
    /// Indexes into the batch of the ops to apply, in sequence order.
    pub apply: Vec<usize>,
    /// The device's acknowledged sequence after applying them.
    pub acked_seq: u64,
}

/// Decides a push: skip every op with `seq <= acked_seq` (already stored),
/// then take ops in sequence order while each is exactly the next one; stop
/// at the first gap (an earlier op was lost in transit and will come again).
/// Duplicates inside the batch are taken once. The batch may arrive in any
/// order.
pub fn plan_push(acked_seq: u64, seqs: &[u64]) -> PushPlan {
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    order.sort_by_key(|&i| seqs[i]);
    let mut next = acked_seq + 1;
    let mut apply = Vec::new();
    for i in order {
        let seq = seqs[i];
        if seq < next {
            continue; // stored already, or a duplicate in this batch
        }
        if seq > next {
            break; // a gap
        }
        apply.push(i);
        next += 1;
    }
    PushPlan {
        apply,
        acked_seq: next - 1,
    }
}

/// Checks that an op, decoded from a push by `device_id` for `user_id`, is
/// one the server may store.
pub fn check_op(
    value: &serde_json::Value,
    device_id: &str,
    user_id: i64,
) -> Result<Op, RejectReason> {
    let schema = value
        .get("schema")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| RejectReason::Malformed {
            detail: "no schema".into(),
        })?;
    if schema == 0 || schema > u64::from(SCHEMA_VERSION) {
        return Err(RejectReason::UnknownSchema {
            schema: u32::try_from(schema).unwrap_or(u32::MAX),
        });
    }
    let op: Op = serde_json::from_value(value.clone()).map_err(|e| RejectReason::Malformed {
        detail: e.to_string(),
    })?;
    if op.user_id != user_id {
        return Err(RejectReason::WrongUser);
    }
    if op.device_id != device_id || op.seq == 0 || op.op_id.is_empty() || op.op_id.len() > 64 {
        return Err(RejectReason::Malformed {
            detail: "op does not belong to this device".into(),
        });
    }
    Ok(op)
}

/// The sequence number an op's JSON carries, if any (for planning a push
/// before each op is checked).
pub fn seq_of(value: &serde_json::Value) -> u64 {
    value
        .get("seq")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

/// A device's side of the protocol: its sequence counter, its acknowledged
/// sequence and its outbox. The browser keeps the same fields in IndexedDB;
/// this type is the reference the simulation tests run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceLog {
    pub device_id: String,
    /// The seq the next op gets.
    pub next_seq: u64,
    /// Everything up to here is stored on the server.
    pub acked_seq: u64,
    /// Ops not yet acknowledged, by seq.
    pub outbox: BTreeMap<u64, Op>,
}

impl DeviceLog {
    pub fn new(device_id: impl Into<String>) -> DeviceLog {
        DeviceLog {
            device_id: device_id.into(),
            next_seq: 1,
            acked_seq: 0,
            outbox: BTreeMap::new(),
        }
    }

    /// Records an action: assigns the next seq and queues the op.
    pub fn record(&mut self, op_id: String, user_id: i64, client_time_ms: i64, event: Event) -> Op {
        let op = Op {
            op_id,
            device_id: self.device_id.clone(),
            seq: self.next_seq,
            user_id,
            client_time_ms,
            schema: SCHEMA_VERSION,
            event,
        };
        self.next_seq += 1;
        self.outbox.insert(op.seq, op.clone());
        op
    }

    /// The next batch to push: the oldest unacknowledged ops, in order.
    pub fn batch(&self, max: usize) -> Vec<Op> {
        self.outbox
            .range(self.acked_seq + 1..)
            .take(max)
            .map(|(_, op)| op.clone())
            .collect()
    }

    /// Applies a push reply: forget every op the server holds. A stale reply
    /// (lower than what is known) changes nothing.
    pub fn acknowledge(&mut self, acked_seq: u64) {
        if acked_seq <= self.acked_seq {
            return;
        }
        self.acked_seq = acked_seq.min(self.next_seq - 1);
        self.outbox = self.outbox.split_off(&(self.acked_seq + 1));
    }

    /// Ops waiting to be synced.
    pub fn pending(&self) -> usize {
        self.outbox.len()
    }
}

/// Formats a UUIDv7 (RFC 9562) from a Unix time in milliseconds and 10
/// random bytes. The caller supplies the randomness (the browser's crypto),
/// so this stays pure. Ids made later sort later, which keeps the server's
/// unique index on `op_id` compact.
pub fn uuid_v7(unix_ms: u64, random: [u8; 10]) -> String {
    let mut b = [0_u8; 16];
    b[..6].copy_from_slice(&unix_ms.to_be_bytes()[2..]);
    b[6..].copy_from_slice(&random);
    b[6] = 0x70 | (b[6] & 0x0f); // version 7
    b[8] = 0x80 | (b[8] & 0x3f); // variant 10
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn uuid_v7_has_version_variant_and_time_order() {
        let a = uuid_v7(1_700_000_000_000, [0xff; 10]);
        let b = uuid_v7(1_700_000_000_001, [0x00; 10]);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "7");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert!(a < b, "later ids sort later");
        assert_eq!(&uuid_v7(0x0123_4567_89ab, [0; 10])[..13], "01234567-89ab");
    }

    fn opened(n: u32) -> Event {
        Event::LessonOpened {
            course_id: "c".into(),
            lesson_id: format!("l{n}"),
        }
    }

    #[test]
    fn a_push_skips_what_is_stored_and_stops_at_a_gap() {
        assert_eq!(plan_push(0, &[1, 2, 3]).acked_seq, 3);
        assert_eq!(
            plan_push(2, &[1, 2, 3, 4]),
            PushPlan {
                apply: vec![2, 3],
                acked_seq: 4
            }
        );
        assert_eq!(
            plan_push(0, &[1, 3, 4]),
            PushPlan {
                apply: vec![0],
                acked_seq: 1
            }
        );
        assert_eq!(
            plan_push(0, &[2, 3]),
            PushPlan {
                apply: vec![],
                acked_seq: 0
            }
        );
        assert_eq!(plan_push(0, &[3, 1, 2, 2]).acked_seq, 3);
        assert_eq!(plan_push(5, &[]).acked_seq, 5);
    }

    #[test]
    fn ops_of_an_unknown_schema_or_another_user_are_refused() {
        let mut log = DeviceLog::new("d1");
        let op = log.record("op-1".into(), 7, 0, opened(1));
        let mut value = serde_json::to_value(&op).unwrap();
        assert_eq!(check_op(&value, "d1", 7), Ok(op.clone()));
        assert_eq!(check_op(&value, "d1", 8), Err(RejectReason::WrongUser));
        assert!(matches!(
            check_op(&value, "d2", 7),
            Err(RejectReason::Malformed { .. })
        ));
        value["schema"] = serde_json::json!(SCHEMA_VERSION + 1);
        assert_eq!(
            check_op(&value, "d1", 7),
            Err(RejectReason::UnknownSchema {
                schema: SCHEMA_VERSION + 1
            })
        );
        value["schema"] = serde_json::json!(1);
        value["event"] = serde_json::json!({"type": "something_new"});
        assert!(matches!(
            check_op(&value, "d1", 7),
            Err(RejectReason::Malformed { .. })
        ));
    }

    #[test]
    fn the_outbox_forgets_only_what_is_acknowledged() {
        let mut log = DeviceLog::new("d");
        for n in 0..5 {
            log.record(format!("op-{n}"), 1, 0, opened(n));
        }
        assert_eq!(
            log.batch(2).iter().map(|o| o.seq).collect::<Vec<_>>(),
            vec![1, 2]
        );
        log.acknowledge(3);
        assert_eq!(log.pending(), 2);
        log.acknowledge(2); // stale reply
        assert_eq!(log.acked_seq, 3);
        assert_eq!(
            log.batch(10).iter().map(|o| o.seq).collect::<Vec<_>>(),
            vec![4, 5]
        );
        log.acknowledge(99); // never past what exists
        assert_eq!((log.acked_seq, log.pending()), (5, 0));
    }

    proptest! {
        /// Whatever order and duplication a batch arrives in, the plan applies
        /// exactly the contiguous run after `acked`, each seq once.
        #[test]
        fn plans_apply_the_contiguous_run(acked in 0u64..20, mut seqs in proptest::collection::vec(1u64..40, 0..30)) {
            seqs.sort_unstable();
            let plan = plan_push(acked, &seqs);
            let applied: Vec<u64> = plan.apply.iter().map(|&i| seqs[i]).collect();
            let expected: Vec<u64> = (acked + 1..=plan.acked_seq).collect();
            prop_assert_eq!(&applied, &expected);
            prop_assert!(!seqs.contains(&(plan.acked_seq + 1)));
        }
    }
}
