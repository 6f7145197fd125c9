//! The database, by area. Each area's store owns its tables — it alone
//! writes them, and the test below checks which file's SQL writes which
//! table — and answers in its own terms; handlers reach an area through
//! [`Store`]'s field of that name and never see the engine's error type:
//!
//! | area | store | tables |
//! |---|---|---|
//! | accounts | [`AccountStore`](crate::accounts::store::AccountStore) | users, sessions, centres, deactivated_users, login_throttle |
//! | courses | [`CourseStore`](crate::courses::store::CourseStore) | courses, modules, lessons, situations, assessments, assessment_versions, media, course_owners |
//! | sync log | [`SyncLog`](crate::sync::store::SyncLog) | devices, events, refused_ops, attempts, accepted_grades, server_secrets |
//! | classes | [`ClassStore`](crate::classes::store::ClassStore) | classes, class_lecturers, class_members, certificates |
//! | authoring | [`AuthoringStore`](crate::authoring::store::AuthoringStore) | drafts, draft_files, draft_history, reviews, review_files, review_comments, reviewers, published_sources, published_origin, bank_questions, bank_media |
//! | live sessions | [`LiveStore`](crate::live::store::LiveStore) | live_rooms |
//!
//! A live session's room lives in the memory of the instance that opened
//! it; `live_rooms` says which instance that is, and what the room records
//! (answers, scores) is written to the sync log as server events.
//! A write that spans two areas in one transaction (a roster creates
//! accounts and memberships; a hand-over moves a course and its draft) calls
//! the other area's function on the same transaction, so the SQL that
//! writes a table still lives in one file.
//!
//! Policy: the database file is created if missing and migrated on open
//! (migration files in `migrations/`, embedded at build time); it runs in WAL
//! mode with `synchronous=FULL`, so a committed write survives a power cut.
//! Queries are plain SQL with numbered parameters (`$1`), run through sqlx's
//! engine-neutral `Any` driver, so that the same text can serve a second
//! engine: SQLite-only forms (`INSERT OR IGNORE`, `?` placeholders) are not
//! used; what differs between engines stays in the few places named so.

use sqlx::AnyPool;

pub use crate::engine::Engine;
use crate::{
    accounts::store::AccountStore, authoring::store::AuthoringStore, classes::store::ClassStore,
    courses::store::CourseStore, live::store::LiveStore, sync::store::SyncLog,
};

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

/// A handle on the database: one store per area, sharing one pool. Cheap
/// to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub accounts: AccountStore,
    pub courses: CourseStore,
    pub sync: SyncLog,
    pub classes: ClassStore,
    pub authoring: AuthoringStore,
    pub live: LiveStore,
    pool: AnyPool,
    engine: Engine,
}

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

impl Store {
    /// Opens (creating if missing) and migrates the database at `url`,
    /// e.g. `sqlite://data/lophoc.db` or `postgres://host/lophoc`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let engine = Engine::of(url)?;
        let pool = engine.open(url).await?;
        Ok(Store {
            accounts: AccountStore::new(pool.clone()),
            courses: CourseStore::new(pool.clone(), engine),
            sync: SyncLog::open(pool.clone(), engine, url).await?,
            classes: ClassStore::new(pool.clone()),
            authoring: AuthoringStore::new(pool.clone(), engine),
            live: LiveStore::open(pool.clone()).await?,
            pool,
            engine,
        })
    }

    /// Waits until no other instance is filling the database at start, and
    /// keeps the others waiting until released (see `Engine::lock_start`).
    pub async fn lock_start(&self) -> Result<crate::engine::StartLock, StoreError> {
        self.engine.lock_start(&self.pool).await
    }

    /// The engine the database runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The connection pool, for tests that inspect or plant rows directly.
    #[doc(hidden)]
    pub fn pool_for_tests(&self) -> AnyPool {
        self.pool.clone()
    }

    /// Closes the pool (checkpointing SQLite's WAL) and stops listening for
    /// other instances' pokes.
    pub async fn close(&self) {
        self.sync.stop_listening();
        self.pool.close().await;
    }
}

/// A yes/no column or expression. SQLite has no boolean type (it keeps 0
/// and 1, and the engine-neutral reader sees integers there); an engine that
/// has one answers a boolean.
pub(crate) fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool, StoreError> {
    use sqlx::Row;
    match row.try_get::<i64, _>(column) {
        Ok(n) => Ok(n != 0),
        Err(_) => Ok(row.try_get::<bool, _>(column)?),
    }
}

/// A count or a size kept as an integer, read as the `u32` the API
/// answers with (the engine-neutral reader has no unsigned types).
pub(crate) fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u32, StoreError> {
    use sqlx::Row;
    let n: i64 = row.try_get(column)?;
    u32::try_from(n).map_err(|_| StoreError::Data(format!("{column} = {n}")))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::data)
}

/// The tables SQLite's migrations create, sorted (for the tests that
/// check a list of tables against them).
#[cfg(test)]
pub(crate) fn tables_the_migrations_create() -> Vec<String> {
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut created = Vec::new();
    for entry in std::fs::read_dir(migrations)
        .into_iter()
        .flatten()
        .flatten()
    {
        let sql = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let words: Vec<&str> = sql.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0] == "CREATE" && w[1] == "TABLE" {
                created.push(w[2].trim_end_matches('(').to_string());
            }
        }
    }
    created.sort();
    created.dedup();
    created
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
        "courses/store.rs",
        "sync/store.rs",
        "sync/authority.rs",
        "live/store.rs",
        "engine.rs",
        "copy.rs",
        "admin.rs",
    ];

    /// What writes the whole database by design, every table alike: the
    /// copy to another database (`lophoc-server copy-to`).
    const WHOLE_DATABASE: &[&str] = &["copy.rs"];

    /// Each area's files, and the tables the area owns: the only ones its
    /// SQL may write, and no other area's SQL may. (`users_new` is the
    /// accounts table's one-off rebuild on open.)
    const AREAS: &[(&str, &[&str], &[&str])] = &[
        // SQLite's own counter of the event versions (see Engine).
        ("engine", &["engine.rs"], &["sqlite_sequence"]),
        (
            "accounts",
            &["accounts/store.rs"],
            &[
                "users",
                "sessions",
                "centres",
                "deactivated_users",
                "users_new",
                "login_throttle",
            ],
        ),
        (
            "courses",
            &["courses/store.rs"],
            &[
                "courses",
                "modules",
                "lessons",
                "situations",
                "assessments",
                "assessment_versions",
                "media",
                "course_owners",
            ],
        ),
        (
            "sync log",
            &["sync/store.rs", "sync/authority.rs"],
            &[
                "devices",
                "events",
                "refused_ops",
                "attempts",
                "accepted_grades",
                "server_secrets",
            ],
        ),
        (
            "classes",
            &["classes/store.rs"],
            &[
                "classes",
                "class_lecturers",
                "class_members",
                "certificates",
            ],
        ),
        (
            "authoring",
            &["authoring/store.rs"],
            &[
                "drafts",
                "draft_files",
                "draft_history",
                "reviews",
                "review_files",
                "review_comments",
                "reviewers",
                "published_sources",
                "published_origin",
                "bank_questions",
                "bank_media",
            ],
        ),
        ("live", &["live/store.rs"], &["live_rooms"]),
    ];

    /// The tables a text's SQL writes: the word after `INSERT [OR …] INTO`,
    /// `UPDATE` (not `DO UPDATE SET`) and `DELETE FROM`.
    fn written_tables(text: &str) -> Vec<String> {
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        let mut tables = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let after = |n: usize| words.get(i + n).copied().unwrap_or_default();
            let table = match *word {
                "INSERT" if after(1) == "INTO" => after(2),
                "INSERT" if after(1) == "OR" && after(3) == "INTO" => after(4),
                "UPDATE" if after(1) != "SET" => after(1),
                "DELETE" if after(1) == "FROM" => after(2),
                _ => continue,
            };
            tables.push(table.to_string());
        }
        tables
    }

    /// A source file's code: no comments, no tests.
    fn code(file: &Path) -> String {
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        code.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn src() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

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

    /// Every pooled connection, not only the first, runs in WAL mode with
    /// full synchronous writes and foreign keys: the engine-neutral pool
    /// sets them per connection, not through SQLite's own options.
    #[tokio::test]
    async fn every_connection_is_durable_and_checks_foreign_keys() {
        use sqlx::Acquire;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = super::Store::open(&url).await.unwrap();
        assert!(dir.path().join("t.db").exists(), "the file is created");
        let pool = store.pool_for_tests();
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut conn = pool.acquire().await.unwrap();
            let c = conn.acquire().await.unwrap();
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            assert_eq!((mode.as_str(), sync, keys), ("wal", 2, 1));
            held.push(conn);
        }
    }

    #[test]
    fn each_table_is_written_by_its_own_area_only() {
        // Every table the migrations create has one owner.
        let created = super::tables_the_migrations_create();
        assert!(created.len() > 30, "read the migrations: {created:?}");
        for table in &created {
            let owners: Vec<&str> = AREAS
                .iter()
                .filter(|(_, _, tables)| tables.contains(&table.as_str()))
                .map(|(area, _, _)| *area)
                .collect();
            assert_eq!(owners.len(), 1, "{table} is owned by {owners:?}");
        }
        // Each area's SQL writes its own tables, and every source file
        // outside the stores writes none.
        let mut files = Vec::new();
        rust_files(&src(), &mut files);
        for file in &files {
            let name = file.strip_prefix(src()).unwrap().display().to_string();
            if WHOLE_DATABASE.contains(&name.as_str()) {
                continue;
            }
            let text = code(file);
            let owned: &[&str] = AREAS
                .iter()
                .find(|(_, files, _)| files.contains(&name.as_str()))
                .map_or(&[], |(_, _, tables)| *tables);
            let strays: Vec<String> = written_tables(&text)
                .into_iter()
                .filter(|t| !owned.contains(&t.as_str()))
                .collect();
            assert!(strays.is_empty(), "{name} writes {strays:?}, not its own");
        }
        // The reader finds the writes (a test that found none would pass).
        let all: Vec<String> = files
            .iter()
            .flat_map(|f| written_tables(&code(f)))
            .collect();
        for table in [
            "users",
            "events",
            "courses",
            "certificates",
            "drafts",
            "devices",
        ] {
            assert!(all.iter().any(|t| t == table), "no write to {table} found");
        }
        assert_eq!(
            written_tables("INSERT OR IGNORE INTO a ON CONFLICT DO UPDATE SET x = 1; UPDATE b SET y; DELETE FROM c"),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn only_the_stores_name_the_database_engine() {
        let src = src();
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
