//! The local store: IndexedDB, through the `idb` crate.
//!
//! Policy: everything a trainee does is written here first, so it survives a
//! reload, a crash and days without network. One user action is one
//! IndexedDB transaction that takes the next sequence number, queues the op
//! in the outbox and records the event (its local effect) together, so an op
//! never exists without its effect or the other way round. Ops leave the
//! outbox only when the server has acknowledged them. Each user of a browser
//! has a device log of their own, so one person's queued work is never sent
//! as another's.
//!
//! Object stores (all keys are strings, values JSON text unless noted):
//! - `meta`: `device/<user>` → [`DeviceLog`] header (no outbox; with the
//!   ops the server refused), `seeds/<user>/<course>/<assessment>` → the
//!   attempt seeds issued to that user, `user` → the
//!   last signed-in [`User`], `cursor/<user>` → pull cursor, `last_sync/<user>`
//!   → ms timestamp, `download/<course>` → [`Download`];
//! - `outbox`: `<device>/<seq, 12 digits>` → [`Op`];
//! - `events`: `<user>/<op_id>` → [`Op`] (own and pulled, for projections);
//! - `courses`: `<course>` → [`CourseOutline`], `<course>/situation/<id>` →
//!   [`SituationSet`], `<course>/assessment/<id>` → [`AssessmentPaper`];
//! - `lessons`: `<course>/<lesson>` → [`Lesson`];
//! - `media`: `<course>/<name>` → `{ mime, bytes: Uint8Array }`.

use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, Query, TransactionMode};
use js_sys::{Object, Reflect, Uint8Array};
use lophoc_core::{
    api::User,
    assessment::{AssessmentPaper, IssuedSeeds},
    content::{CourseOutline, Lesson, SituationSet},
    events::{uuid_v7, Event, Op},
    sync::{DeviceLog, PushResponse, RefusedOp, ReplyEffect},
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "lophoc";
const DB_VERSION: u32 = 1;
const STORES: [&str; 6] = ["meta", "outbox", "events", "courses", "lessons", "media"];

/// A local store failure. The browser's message is kept for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl From<idb::Error> for StoreError {
    fn from(e: idb::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// What is stored about a course downloaded for offline use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    pub version: i64,
    /// Bytes of lessons and media stored.
    pub bytes: u64,
}

/// What a push reply did on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Acknowledged ops left the outbox; `refused` of them were refused.
    Settled { refused: usize },
    /// The server was behind the device: ops were queued again.
    Rewound,
}

/// A connection to the local database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct LocalStore {
    db: Rc<Database>,
}

fn json<T: Serialize>(value: &T) -> Result<JsValue> {
    Ok(JsValue::from_str(&serde_json::to_string(value)?))
}

fn parse<T: DeserializeOwned>(value: JsValue) -> Result<T> {
    let text = value
        .as_string()
        .ok_or_else(|| StoreError("stored value is not text".into()))?;
    Ok(serde_json::from_str(&text)?)
}

fn key(k: &str) -> JsValue {
    JsValue::from_str(k)
}

/// All keys starting with `prefix`.
fn prefix_range(prefix: &str) -> Result<Query> {
    let range = KeyRange::bound(&key(prefix), &key(&format!("{prefix}\u{ffff}")), None, None)?;
    Ok(Query::from(range))
}

fn outbox_key(device_id: &str, seq: u64) -> String {
    format!("{device_id}/{seq:012}")
}

/// A fresh UUIDv7 from the clock and the browser's crypto.
pub fn new_id() -> String {
    let mut random = [0_u8; 10];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    uuid_v7(js_sys::Date::now() as u64, random)
}

impl LocalStore {
    /// Opens (creating on first use) the local database.
    pub async fn open() -> Result<LocalStore> {
        let factory = Factory::new()?;
        let mut request = factory.open(DB_NAME, Some(DB_VERSION))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            let existing = db.store_names();
            for name in STORES {
                if !existing.iter().any(|n| n == name) {
                    let _ = db.create_object_store(name, ObjectStoreParams::new());
                }
            }
        });
        Ok(LocalStore {
            db: Rc::new(request.await?),
        })
    }

    async fn get<T: DeserializeOwned>(&self, store: &str, k: &str) -> Result<Option<T>> {
        self.get_raw(store, k).await?.map(parse).transpose()
    }

    /// The stored value, not decoded. Not generic, so the database code
    /// exists once in the wasm rather than once per stored type.
    async fn get_raw(&self, store: &str, k: &str) -> Result<Option<JsValue>> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        Ok(tx.object_store(store)?.get(key(k))?.await?)
    }

    async fn put<T: Serialize>(&self, store: &str, k: &str, value: &T) -> Result<()> {
        self.put_raw(store, k, json(value)?).await
    }

    async fn put_raw(&self, store: &str, k: &str, value: JsValue) -> Result<()> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadWrite)?;
        tx.object_store(store)?.put(&value, Some(&key(k)))?.await?;
        tx.commit()?.await?;
        Ok(())
    }

    async fn delete(&self, store: &str, k: &str) -> Result<()> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadWrite)?;
        tx.object_store(store)?.delete(key(k))?.await?;
        tx.commit()?.await?;
        Ok(())
    }

    // --- the signed-in user, remembered for offline starts ---

    pub async fn saved_user(&self) -> Result<Option<User>> {
        self.get("meta", "user").await
    }

    pub async fn save_user(&self, user: &User) -> Result<()> {
        self.put("meta", "user", user).await
    }

    pub async fn forget_user(&self) -> Result<()> {
        self.delete("meta", "user").await
    }

    // --- the device log and the outbox ---

    /// This browser's device log header for `user_id` (its outbox is in the
    /// `outbox` store), created on first use.
    pub async fn device(&self, user_id: i64) -> Result<DeviceLog> {
        let k = format!("device/{user_id}");
        if let Some(log) = self.get::<DeviceLog>("meta", &k).await? {
            return Ok(log);
        }
        let log = DeviceLog::new(new_id());
        self.put("meta", &k, &log).await?;
        Ok(log)
    }

    /// Records a user action in one transaction: next seq, outbox, event.
    pub async fn record(&self, user_id: i64, event: Event) -> Result<Op> {
        // Make sure the device exists before the write transaction starts.
        self.device(user_id).await?;
        let tx = self
            .db
            .transaction(&["meta", "outbox", "events"], TransactionMode::ReadWrite)?;
        let meta = tx.object_store("meta")?;
        let device_key = format!("device/{user_id}");
        let stored = meta
            .get(key(&device_key))?
            .await?
            .ok_or_else(|| StoreError("device vanished".into()))?;
        let mut log: DeviceLog = parse(stored)?;
        let op = log.record(new_id(), user_id, js_sys::Date::now() as i64, event);
        log.outbox.clear(); // the header only; ops live in `outbox`
        meta.put(&json(&log)?, Some(&key(&device_key)))?.await?;
        tx.object_store("outbox")?
            .put(&json(&op)?, Some(&key(&outbox_key(&op.device_id, op.seq))))?
            .await?;
        tx.object_store("events")?
            .put(&json(&op)?, Some(&key(&format!("{user_id}/{}", op.op_id))))?
            .await?;
        tx.commit()?.await?;
        Ok(op)
    }

    /// The oldest queued ops of the user's device, in seq order.
    pub async fn outbox_batch(&self, user_id: i64, max: u32) -> Result<Vec<Op>> {
        let log = self.device(user_id).await?;
        let tx = self
            .db
            .transaction(&["outbox"], TransactionMode::ReadOnly)?;
        let values = tx
            .object_store("outbox")?
            .get_all(
                Some(prefix_range(&format!("{}/", log.device_id))?),
                Some(max),
            )?
            .await?;
        values.into_iter().map(parse).collect()
    }

    /// Ops waiting to be synced for the user.
    pub async fn pending(&self, user_id: i64) -> Result<u32> {
        let log = self.device(user_id).await?;
        let tx = self
            .db
            .transaction(&["outbox"], TransactionMode::ReadOnly)?;
        let n = tx
            .object_store("outbox")?
            .count(Some(prefix_range(&format!("{}/", log.device_id))?))?
            .await?;
        Ok(n)
    }

    /// The user's own changes waiting to be synced: queued ops other than
    /// "lesson opened", which is bookkeeping that travels with them (what
    /// the header counts, and what signing out warns about).
    pub async fn pending_changes(&self, user_id: i64) -> Result<u32> {
        let log = self.device(user_id).await?;
        let tx = self
            .db
            .transaction(&["outbox"], TransactionMode::ReadOnly)?;
        let values = tx
            .object_store("outbox")?
            .get_all(Some(prefix_range(&format!("{}/", log.device_id))?), None)?
            .await?;
        // Only the event's kind is read: the header needs no more, and the
        // full `Op` reader stays out of the first download.
        #[derive(Deserialize)]
        struct Queued {
            event: Kind,
        }
        #[derive(Deserialize)]
        struct Kind {
            #[serde(rename = "type")]
            kind: String,
        }
        let mut n = 0_u32;
        for value in values {
            let op: Queued = parse(value)?;
            if op.event.kind != "lesson_opened" {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Applies the reply to a push, in one transaction (see
    /// `DeviceLog::apply_reply`): ops refused for good leave the outbox
    /// and the local events (they do not count) for the device's refused
    /// list; acknowledged ops leave the outbox; the acknowledged sequence
    /// advances. A reply below what the device knows means the server lost
    /// ops (restored from a backup): the device's own ops after the
    /// server's sequence are queued again from its local events, and the
    /// pull starts over, so nothing is lost.
    pub async fn apply_reply(&self, user_id: i64, reply: &PushResponse) -> Result<Applied> {
        let tx = self
            .db
            .transaction(&["meta", "outbox", "events"], TransactionMode::ReadWrite)?;
        let meta = tx.object_store("meta")?;
        let outbox = tx.object_store("outbox")?;
        let events = tx.object_store("events")?;
        let device_key = format!("device/{user_id}");
        let Some(stored) = meta.get(key(&device_key))?.await? else {
            return Ok(Applied::Settled { refused: 0 });
        };
        let mut log: DeviceLog = parse(stored)?;
        log.outbox.clear();
        let applied = match log.apply_reply(reply) {
            ReplyEffect::Settled { .. } => {
                // `log.outbox` was empty: take the refused ops from the store.
                let mut refused = 0;
                for rejection in &reply.refused {
                    if rejection.reason.is_transient() || rejection.seq > reply.acked_seq {
                        continue;
                    }
                    let k = key(&outbox_key(&log.device_id, rejection.seq));
                    let Some(value) = outbox.get(k)?.await? else {
                        continue;
                    };
                    let op: Op = parse(value)?;
                    events
                        .delete(key(&format!("{user_id}/{}", op.op_id)))?
                        .await?;
                    log.refused.push(RefusedOp {
                        op,
                        reason: rejection.reason.clone(),
                    });
                    refused += 1;
                }
                let from = key(&outbox_key(&log.device_id, 0));
                let to = key(&outbox_key(&log.device_id, reply.acked_seq));
                outbox
                    .delete(Query::from(KeyRange::bound(&from, &to, None, None)?))?
                    .await?;
                Applied::Settled { refused }
            }
            ReplyEffect::ServerBehind { server_acked } => {
                requeue(user_id, &mut log, server_acked, &meta, &outbox, &events).await?;
                Applied::Rewound
            }
        };
        meta.put(&json(&log)?, Some(&key(&device_key)))?.await?;
        tx.commit()?.await?;
        Ok(applied)
    }

    /// The server holds this device's ops only up to `server_acked` (a pull
    /// said so): queue again the device's own ops after it, as
    /// [`LocalStore::apply_reply`] does for a push reply. Returns whether
    /// anything changed.
    pub async fn rewind(&self, user_id: i64, server_acked: u64) -> Result<bool> {
        let tx = self
            .db
            .transaction(&["meta", "outbox", "events"], TransactionMode::ReadWrite)?;
        let meta = tx.object_store("meta")?;
        let device_key = format!("device/{user_id}");
        let Some(stored) = meta.get(key(&device_key))?.await? else {
            return Ok(false);
        };
        let mut log: DeviceLog = parse(stored)?;
        if server_acked >= log.acked_seq {
            return Ok(false);
        }
        log.outbox.clear();
        let outbox = tx.object_store("outbox")?;
        let events = tx.object_store("events")?;
        requeue(user_id, &mut log, server_acked, &meta, &outbox, &events).await?;
        meta.put(&json(&log)?, Some(&key(&device_key)))?.await?;
        tx.commit()?.await?;
        Ok(true)
    }

    /// Deletes acknowledged ops and advances the device's acknowledged
    /// sequence, in one transaction; a lower `acked_seq` changes nothing.
    /// The sync uses [`LocalStore::apply_reply`], which also settles refused
    /// ops and notices a server behind the device.
    pub async fn acknowledge(&self, user_id: i64, acked_seq: u64) -> Result<()> {
        let tx = self
            .db
            .transaction(&["meta", "outbox"], TransactionMode::ReadWrite)?;
        let meta = tx.object_store("meta")?;
        let device_key = format!("device/{user_id}");
        let Some(stored) = meta.get(key(&device_key))?.await? else {
            return Ok(());
        };
        let mut log: DeviceLog = parse(stored)?;
        if acked_seq > log.acked_seq {
            let from = key(&outbox_key(&log.device_id, 0));
            let to = key(&outbox_key(&log.device_id, acked_seq));
            tx.object_store("outbox")?
                .delete(Query::from(KeyRange::bound(&from, &to, None, None)?))?
                .await?;
            log.acked_seq = acked_seq.min(log.next_seq.saturating_sub(1));
            meta.put(&json(&log)?, Some(&key(&device_key)))?.await?;
        }
        tx.commit()?.await?;
        Ok(())
    }

    /// The user's ops the server refused for good, oldest first.
    pub async fn refused(&self, user_id: i64) -> Result<Vec<RefusedOp>> {
        Ok(self.device(user_id).await?.refused)
    }

    /// Adds events pulled from the server and moves the pull cursor, together.
    pub async fn add_pulled(&self, user_id: i64, events: &[Op], cursor: i64) -> Result<()> {
        let tx = self
            .db
            .transaction(&["meta", "events"], TransactionMode::ReadWrite)?;
        let store = tx.object_store("events")?;
        for op in events {
            store
                .put(&json(op)?, Some(&key(&format!("{user_id}/{}", op.op_id))))?
                .await?;
        }
        tx.object_store("meta")?
            .put(&json(&cursor)?, Some(&key(&format!("cursor/{user_id}"))))?
            .await?;
        tx.commit()?.await?;
        Ok(())
    }

    pub async fn pull_cursor(&self, user_id: i64) -> Result<i64> {
        Ok(self
            .get("meta", &format!("cursor/{user_id}"))
            .await?
            .unwrap_or(0))
    }

    /// Every event known for the user: their own and those pulled.
    pub async fn events(&self, user_id: i64) -> Result<Vec<Op>> {
        let tx = self
            .db
            .transaction(&["events"], TransactionMode::ReadOnly)?;
        let values = tx
            .object_store("events")?
            .get_all(Some(prefix_range(&format!("{user_id}/"))?), None)?
            .await?;
        values.into_iter().map(parse).collect()
    }

    pub async fn last_sync(&self, user_id: i64) -> Result<Option<f64>> {
        self.get("meta", &format!("last_sync/{user_id}")).await
    }

    pub async fn set_last_sync(&self, user_id: i64, ms: f64) -> Result<()> {
        self.put("meta", &format!("last_sync/{user_id}"), &ms).await
    }

    // --- courses downloaded for offline use ---

    pub async fn course(&self, id: &str) -> Result<Option<CourseOutline>> {
        self.get("courses", id).await
    }

    /// Outlines of every course downloaded to this device.
    pub async fn downloaded_courses(&self) -> Result<Vec<CourseOutline>> {
        let tx = self
            .db
            .transaction(&["courses"], TransactionMode::ReadOnly)?;
        let values = tx.object_store("courses")?.get_all(None, None)?.await?;
        // The store also holds situation sets and papers: keep what parses
        // as an outline.
        Ok(values
            .into_iter()
            .filter_map(|v| parse::<CourseOutline>(v).ok())
            .collect())
    }

    pub async fn lesson(&self, course: &str, lesson: &str) -> Result<Option<Lesson>> {
        self.get("lessons", &format!("{course}/{lesson}")).await
    }

    pub async fn situation(&self, course: &str, id: &str) -> Result<Option<SituationSet>> {
        self.get("courses", &format!("{course}/situation/{id}"))
            .await
    }

    pub async fn save_situation(&self, set: &SituationSet) -> Result<()> {
        self.put(
            "courses",
            &format!("{}/situation/{}", set.course_id, set.id),
            set,
        )
        .await
    }

    pub async fn assessment(&self, course: &str, id: &str) -> Result<Option<AssessmentPaper>> {
        self.get("courses", &format!("{course}/assessment/{id}"))
            .await
    }

    /// Keeps a paper for offline use. The paper is shared by the users of
    /// this browser; the attempt seeds it came with are the asker's and are
    /// kept apart, under their user.
    pub async fn save_assessment(&self, paper: &AssessmentPaper) -> Result<()> {
        let mut shared = paper.clone();
        if let Some(seeds) = shared.seeds.take() {
            self.save_seeds(&paper.course_id, &paper.id, &seeds).await?;
        }
        self.put(
            "courses",
            &format!("{}/assessment/{}", paper.course_id, paper.id),
            &shared,
        )
        .await
    }

    /// The attempt seeds the server issued `user_id` for an assessment.
    pub async fn seeds(&self, user_id: i64, course: &str, id: &str) -> Result<Option<IssuedSeeds>> {
        self.get("meta", &format!("seeds/{user_id}/{course}/{id}"))
            .await
    }

    pub async fn save_seeds(&self, course: &str, id: &str, seeds: &IssuedSeeds) -> Result<()> {
        self.put(
            "meta",
            &format!("seeds/{}/{course}/{id}", seeds.user_id),
            seeds,
        )
        .await
    }

    pub async fn download(&self, course: &str) -> Result<Option<Download>> {
        self.get("meta", &format!("download/{course}")).await
    }

    pub async fn save_lesson(&self, lesson: &Lesson) -> Result<()> {
        self.put(
            "lessons",
            &format!("{}/{}", lesson.course_id, lesson.id),
            lesson,
        )
        .await
    }

    pub async fn save_media(
        &self,
        course: &str,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<()> {
        let value = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&value, &key(k), v);
        set("mime", &key(mime)).map_err(|e| StoreError(format!("{e:?}")))?;
        set("bytes", &Uint8Array::from(bytes).into()).map_err(|e| StoreError(format!("{e:?}")))?;
        let tx = self
            .db
            .transaction(&["media"], TransactionMode::ReadWrite)?;
        tx.object_store("media")?
            .put(&value.into(), Some(&key(&format!("{course}/{name}"))))?
            .await?;
        tx.commit()?.await?;
        Ok(())
    }

    /// A stored media file as `(mime, bytes)`.
    pub async fn media(&self, course: &str, name: &str) -> Result<Option<(String, Uint8Array)>> {
        let tx = self.db.transaction(&["media"], TransactionMode::ReadOnly)?;
        let Some(value) = tx
            .object_store("media")?
            .get(key(&format!("{course}/{name}")))?
            .await?
        else {
            return Ok(None);
        };
        let mime = Reflect::get(&value, &key("mime"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        let bytes = Reflect::get(&value, &key("bytes"))
            .map_err(|e| StoreError(format!("{e:?}")))?
            .into();
        Ok(Some((mime, bytes)))
    }

    /// Marks a course as downloaded: stores its outline last, so a course
    /// counts as downloaded only once all its lessons and media are in.
    pub async fn finish_download(&self, outline: &CourseOutline, bytes: u64) -> Result<()> {
        let tx = self
            .db
            .transaction(&["meta", "courses"], TransactionMode::ReadWrite)?;
        tx.object_store("courses")?
            .put(&json(outline)?, Some(&key(&outline.id)))?
            .await?;
        let download = Download {
            version: outline.version,
            bytes,
        };
        tx.object_store("meta")?
            .put(
                &json(&download)?,
                Some(&key(&format!("download/{}", outline.id))),
            )?
            .await?;
        tx.commit()?.await?;
        Ok(())
    }
}

/// Queues again the device's own ops after `server_acked` (from the local
/// events and the refused list), moving everything to a fresh device log if
/// one is missing, and restarts the pull: see `DeviceLog::rewind`. Runs
/// inside the caller's transaction; the caller stores `log`.
async fn requeue(
    user_id: i64,
    log: &mut DeviceLog,
    server_acked: u64,
    meta: &idb::ObjectStore,
    outbox: &idb::ObjectStore,
    events: &idb::ObjectStore,
) -> Result<()> {
    let own: Vec<Op> = events
        .get_all(Some(prefix_range(&format!("{user_id}/"))?), None)?
        .await?
        .into_iter()
        .filter_map(|v| parse::<Op>(v).ok())
        .filter(|op| op.device_id == log.device_id)
        .collect();
    let missing = log.rewind(server_acked, own);
    if !missing.is_empty() {
        // A gap the server would wait at forever: every queued op moves to
        // a fresh device log, numbered from 1.
        let old = log.device_id.clone();
        let queued = outbox
            .get_all(Some(prefix_range(&format!("{old}/"))?), None)?
            .await?;
        for value in queued {
            let op: Op = parse(value)?;
            log.outbox.entry(op.seq).or_insert(op);
        }
        outbox.delete(prefix_range(&format!("{old}/"))?)?.await?;
        log.restart_as(new_id());
        for op in log.outbox.values() {
            events
                .put(&json(op)?, Some(&key(&format!("{user_id}/{}", op.op_id))))?
                .await?;
        }
    }
    for op in log.outbox.values() {
        outbox
            .put(&json(op)?, Some(&key(&outbox_key(&op.device_id, op.seq))))?
            .await?;
    }
    log.outbox.clear();
    meta.put(&json(&0_i64)?, Some(&key(&format!("cursor/{user_id}"))))?
        .await?;
    Ok(())
}

thread_local! {
    static STORE: std::cell::RefCell<Option<LocalStore>> = const { std::cell::RefCell::new(None) };
}

/// The app's local store, opened on first use.
pub async fn get() -> Result<LocalStore> {
    if let Some(store) = STORE.with(|s| s.borrow().clone()) {
        return Ok(store);
    }
    let store = LocalStore::open().await?;
    STORE.with(|s| *s.borrow_mut() = Some(store.clone()));
    Ok(store)
}
