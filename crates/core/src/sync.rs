//! The sync protocol: the push and pull messages that carry the event log
//! ([`crate::events`]) between a device and the server, and the decisions
//! both sides take, as pure functions.
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

use crate::events::{Event, Op, RejectReason, SCHEMA_VERSION};

/// Most ops one push may carry; the client sends batches of this size.
pub const MAX_BATCH: usize = 200;

/// Most events one pull page returns.
pub const PULL_PAGE: usize = 500;

/// Body of `POST /api/sync/push`. Ops are sent as raw JSON so that the
/// server can refuse an op of an unknown schema by its code, instead of
/// failing to parse the whole batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: String,
    pub ops: Vec<serde_json::Value>,
}

/// The reply to a push: how far the server now holds this device's ops.
///
/// Wire compatibility: `refused` is new; a client that does not know it
/// ignores it and still moves past the refused ops, as `acked_seq` covers
/// them. `rejected` keeps its old meaning (the device is held at
/// `acked_seq + 1`) and is only sent for a transient reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Every op of this device with `seq <= acked_seq` is settled — stored,
    /// or refused for good and listed in `refused`: delete them from the
    /// outbox. Lower than what the device knows means the server lost ops
    /// (restored from a backup): the device sends them again
    /// ([`DeviceLog::rewind`]).
    pub acked_seq: u64,
    /// Ops newly stored by this push.
    pub applied: u32,
    /// An op the server cannot take *yet* (written by a newer schema): the
    /// device is held at it, keeps it, and tries again after an update.
    pub rejected: Option<Rejection>,
    /// Ops refused for good, each with its reason. They are settled: the
    /// device keeps them for its user to see, and never sends them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Rejection>,
}

/// An op the server refused to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub seq: u64,
    pub reason: RejectReason,
}

/// `GET /api/sync/pull?cursor=N&device=D`: the signed-in user's events from
/// all their devices, in server order, after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub events: Vec<Op>,
    /// Pass this as the next `cursor`.
    pub cursor: i64,
    pub has_more: bool,
    /// How far the server holds the ops of device `D` (0 if it has none of
    /// them), when the pull named one of the user's devices. Below the
    /// device's own acknowledged sequence, the server lost ops (restored
    /// from a backup) and the device sends them again, even with nothing
    /// new in its outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_acked: Option<u64>,
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

/// The sequence number an op's JSON carries, if any (for planning a push
/// before each op is checked).
pub fn seq_of(value: &serde_json::Value) -> u64 {
    value
        .get("seq")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

/// A device's side of the protocol: its sequence counter, its acknowledged
/// sequence, its outbox and the ops the server refused. The browser keeps
/// the same fields in IndexedDB; this type is the reference the simulation
/// tests run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceLog {
    pub device_id: String,
    /// The seq the next op gets.
    pub next_seq: u64,
    /// Everything up to here is settled on the server (stored or refused).
    pub acked_seq: u64,
    /// Ops not yet acknowledged, by seq.
    pub outbox: BTreeMap<u64, Op>,
    /// Ops the server refused for good, oldest first, with the reason: kept
    /// for the user to see, never sent again (unless the server lost them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedOp>,
}

/// An op the server refused for good, as the device keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedOp {
    pub op: Op,
    pub reason: RejectReason,
}

/// What a push reply means for the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyEffect {
    /// Ops were settled (or nothing changed).
    Settled {
        /// Ops newly moved from the outbox to the refused list.
        refused: Vec<u64>,
    },
    /// The server holds less than the device knows it had: it was restored
    /// from a backup. Call [`DeviceLog::rewind`] with the ops the device
    /// still holds.
    ServerBehind { server_acked: u64 },
}

impl DeviceLog {
    pub fn new(device_id: impl Into<String>) -> DeviceLog {
        DeviceLog {
            device_id: device_id.into(),
            next_seq: 1,
            acked_seq: 0,
            outbox: BTreeMap::new(),
            refused: Vec::new(),
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

    /// Applies the reply to a push: the refused ops move to the refused
    /// list, and every op up to `acked_seq` leaves the outbox. A reply below
    /// the device's acknowledged sequence means the server holds less than
    /// it did (restored from a backup) — or is a stale copy of an older
    /// reply; either way [`DeviceLog::rewind`] is safe: ops the server has
    /// are skipped when they come again.
    pub fn apply_reply(&mut self, reply: &PushResponse) -> ReplyEffect {
        if reply.acked_seq < self.acked_seq {
            return ReplyEffect::ServerBehind {
                server_acked: reply.acked_seq,
            };
        }
        let mut moved = Vec::new();
        for rejection in &reply.refused {
            if rejection.reason.is_transient() || rejection.seq > reply.acked_seq {
                continue;
            }
            if let Some(op) = self.outbox.remove(&rejection.seq) {
                self.refused.push(RefusedOp {
                    op,
                    reason: rejection.reason.clone(),
                });
                moved.push(rejection.seq);
            }
        }
        self.acknowledge(reply.acked_seq);
        ReplyEffect::Settled { refused: moved }
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

    /// The server holds this device's ops only up to `server_acked` (it was
    /// restored from a backup): queue again every op after it that the
    /// device still holds — `own`, the device's own ops from its local
    /// events, and the refused ones — so nothing is lost. Ops of other
    /// devices in `own` are ignored. Returns the seqs it could not find:
    /// the server would wait at that gap forever, so the caller then moves
    /// the outbox to a new device ([`DeviceLog::restart_as`]).
    pub fn rewind(&mut self, server_acked: u64, own: impl IntoIterator<Item = Op>) -> Vec<u64> {
        if server_acked >= self.acked_seq {
            return Vec::new();
        }
        for op in own {
            if op.device_id == self.device_id && op.seq > server_acked && op.seq <= self.acked_seq {
                self.outbox.insert(op.seq, op);
            }
        }
        let (again, keep): (Vec<RefusedOp>, Vec<RefusedOp>) = std::mem::take(&mut self.refused)
            .into_iter()
            .partition(|r| r.op.seq > server_acked && r.op.device_id == self.device_id);
        self.refused = keep;
        for refused in again {
            self.outbox.insert(refused.op.seq, refused.op);
        }
        let missing = (server_acked + 1..=self.acked_seq)
            .filter(|seq| !self.outbox.contains_key(seq))
            .collect();
        self.acked_seq = server_acked;
        missing
    }

    /// Moves every queued op to a fresh device log `device_id`, numbered
    /// from 1 in their order, keeping their op ids (so none is stored
    /// twice). For a device whose log has a gap the server would wait at
    /// forever.
    pub fn restart_as(&mut self, device_id: impl Into<String>) {
        let device_id = device_id.into();
        let ops = std::mem::take(&mut self.outbox);
        self.device_id = device_id;
        self.acked_seq = 0;
        self.next_seq = 1;
        for (_, mut op) in ops {
            op.device_id = self.device_id.clone();
            op.seq = self.next_seq;
            self.next_seq += 1;
            self.outbox.insert(op.seq, op);
        }
    }

    /// Ops waiting to be synced.
    pub fn pending(&self) -> usize {
        self.outbox.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::tests::opened;
    use proptest::prelude::*;

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
    fn refused_ops_are_kept_apart_and_never_block() {
        let mut log = DeviceLog::new("d");
        for n in 0..4 {
            log.record(format!("op-{n}"), 1, 0, opened(n));
        }
        let reply = PushResponse {
            acked_seq: 4,
            applied: 3,
            rejected: None,
            refused: vec![Rejection {
                seq: 2,
                reason: RejectReason::NotAllowed,
            }],
        };
        assert_eq!(
            log.apply_reply(&reply),
            ReplyEffect::Settled { refused: vec![2] }
        );
        assert_eq!(log.pending(), 0);
        assert_eq!(log.refused.len(), 1);
        assert_eq!(log.refused[0].op.seq, 2);
        assert_eq!(
            log.refused[0].reason.message(),
            crate::i18n::Msg::RefusedNotAllowed
        );
    }

    #[test]
    fn a_server_behind_the_device_gets_its_ops_again() {
        let mut log = DeviceLog::new("d");
        let mut kept = Vec::new();
        for n in 0..5 {
            kept.push(log.record(format!("op-{n}"), 1, 0, opened(n)));
        }
        let refused = Rejection {
            seq: 3,
            reason: RejectReason::NotAllowed,
        };
        log.apply_reply(&PushResponse {
            acked_seq: 5,
            applied: 4,
            rejected: None,
            refused: vec![refused],
        });
        assert_eq!(log.pending(), 0);
        // The server was restored from a backup taken when it held 1.
        let behind = PushResponse {
            acked_seq: 1,
            applied: 0,
            rejected: None,
            refused: vec![],
        };
        assert_eq!(
            log.apply_reply(&behind),
            ReplyEffect::ServerBehind { server_acked: 1 }
        );
        // The device holds its own ops among its events (not the refused
        // one: it left the events when it was refused).
        let own: Vec<Op> = kept.iter().filter(|o| o.seq != 3).cloned().collect();
        assert_eq!(log.rewind(1, own), Vec::<u64>::new());
        assert_eq!(
            log.batch(10).iter().map(|o| o.seq).collect::<Vec<_>>(),
            vec![2, 3, 4, 5]
        );
        assert!(log.refused.is_empty());
        // A gap the device cannot fill: a fresh device log takes the ops.
        let mut gappy = DeviceLog::new("g");
        for n in 0..3 {
            gappy.record(format!("g-{n}"), 1, 0, opened(n));
        }
        gappy.acknowledge(3);
        assert_eq!(gappy.rewind(0, Vec::new()), vec![1, 2, 3]);
        gappy.record("g-3".into(), 1, 0, opened(3));
        gappy.restart_as("g2");
        let batch = gappy.batch(10);
        assert_eq!(batch.len(), 1);
        assert_eq!((batch[0].device_id.as_str(), batch[0].seq), ("g2", 1));
        assert_eq!(batch[0].op_id, "g-3");
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
