//! The database engines the store runs on, and everything that differs
//! between them. The stores' SQL is one text for both (numbered
//! parameters, `ON CONFLICT`, `RETURNING`, 0/1 integers for yes/no);
//! what cannot be is here, named by what it does.
//!
//! - **SQLite** (`sqlite://FILE`): the embedded default. One writer at a
//!   time (`BEGIN IMMEDIATE`), WAL, `synchronous=FULL`.
//! - **PostgreSQL** (`postgres://…`): for deployments that outgrow one
//!   machine, several instances on one database (`docs/scale-out.md`). Its
//!   schema is `migrations-postgres/`, one file per change as in
//!   `migrations/`; instances tell each other of new events with `NOTIFY`
//!   (`relay_pokes`) and fill a new database one at a time
//!   (`Engine::lock_start`).

use sqlx::{any::AnyPoolOptions, AnyPool, Executor, Transaction};

use crate::store::StoreError;

/// Which engine a database URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Set on every SQLite connection: write-ahead logging, so readers never
/// wait for the writer; `synchronous=FULL`, so a committed write survives a
/// power cut; foreign keys enforced; a writer waits up to 5 s for another.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
];

/// The channel PostgreSQL's `NOTIFY` carries sync pokes on (see
/// [`Engine::poke_on_commit`]).
const POKE_CHANNEL: &str = "lophoc_sync";

/// The key of PostgreSQL's advisory lock that writers of the event log
/// hold until they commit (any number: ours alone use it). Public for the
/// tests that stand for another writer holding it.
pub const EVENT_LOG_LOCK: i64 = 0x4c6f_7068_6f63; // "Lophoc"
/// The key of the lock an instance holds while it seeds and publishes at
/// start (`Engine::lock_start`).
const START_LOCK: i64 = EVENT_LOG_LOCK + 1;

/// Held by an instance while it fills the database at start; see
/// `Engine::lock_start`.
pub struct StartLock(Option<sqlx::AnyConnection>);

impl StartLock {
    /// Lets the next instance start (also when dropped: its connection
    /// closes, and PostgreSQL releases the lock with it).
    pub async fn release(self) {
        if let Some(conn) = self.0 {
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

impl Engine {
    /// The engine of `url`: `sqlite:` or `postgres:`/`postgresql:`.
    pub fn of(url: &str) -> Result<Engine, StoreError> {
        if url.starts_with("sqlite:") && url.contains(":memory:") {
            // Each pooled connection would get its own empty database.
            Err(StoreError::Data(format!(
                "{url:?}: an in-memory SQLite database cannot be shared by the server's \
                 connections; use sqlite://FILE"
            )))
        } else if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            Err(StoreError::Data(format!(
                "unknown database URL {url:?}: use sqlite://FILE or postgres://…"
            )))
        }
    }

    /// Connects to `url` and brings its schema up to date.
    pub(crate) async fn open(self, url: &str) -> Result<AnyPool, StoreError> {
        sqlx::any::install_default_drivers();
        let pool = match self {
            Engine::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            for pragma in SQLITE_PRAGMAS {
                                conn.execute(*pragma).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&sqlite_url(url))
                    .await?
            }
            Engine::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?
            }
        };
        match self {
            Engine::Sqlite => {
                sqlx::migrate!("./migrations").run(&pool).await?;
                crate::accounts::store::add_province_admin_role(&pool).await?;
            }
            Engine::Postgres => sqlx::migrate!("./migrations-postgres").run(&pool).await?,
        }
        Ok(pool)
    }

    /// Instances started at once on one database seed the demo accounts and
    /// publish the content folder one after another: each finds what the
    /// one before wrote, instead of both inserting it. On PostgreSQL a
    /// session's advisory lock, on a connection of its own; SQLite has one
    /// process.
    pub(crate) async fn lock_start(self, pool: &AnyPool) -> Result<StartLock, StoreError> {
        if self == Engine::Sqlite {
            return Ok(StartLock(None));
        }
        let mut conn = pool.acquire().await?.detach();
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(START_LOCK)
            .execute(&mut conn)
            .await?;
        Ok(StartLock(Some(conn)))
    }

    /// A transaction that may append to the event log. Versions are the
    /// devices' pull cursors, so they must become visible in the order they
    /// are given out: one writer of the log at a time, until it commits
    /// (SQLite's write lock, taken up front; PostgreSQL's advisory lock).
    pub(crate) async fn begin_event_write(
        self,
        pool: &AnyPool,
    ) -> Result<Transaction<'static, sqlx::Any>, StoreError> {
        match self {
            Engine::Sqlite => Ok(pool.begin_with("BEGIN IMMEDIATE").await?),
            Engine::Postgres => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(EVENT_LOG_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Asks PostgreSQL to tell every instance on the database, when `tx`
    /// commits, whose events changed (a rolled-back transaction tells
    /// nobody): each instance's [`relay_pokes`] passes it to its own
    /// listeners, this one's included. Answers whether it did so; on
    /// SQLite, one process, the caller tells its listeners after the commit.
    pub(crate) async fn poke_on_commit(
        self,
        tx: &mut Transaction<'_, sqlx::Any>,
        users: &[i64],
    ) -> Result<bool, StoreError> {
        if self == Engine::Sqlite {
            return Ok(false);
        }
        for user in users {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(POKE_CHANNEL)
                .bind(user.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(true)
    }

    /// The last event version given out (0 before any).
    pub(crate) fn newest_version_sql(self) -> &'static str {
        match self {
            Engine::Sqlite => {
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)"
            }
            Engine::Postgres => {
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_version_seq"
            }
        }
    }

    /// Moves the next event version to at least `floor` (see
    /// `SyncLog::open`), in one transaction.
    pub(crate) async fn raise_versions(self, pool: &AnyPool, floor: i64) -> Result<(), StoreError> {
        let mut tx = pool.begin().await?;
        match self {
            Engine::Sqlite => {
                sqlx::query(
                    "INSERT INTO sqlite_sequence (name, seq)
                     SELECT 'events', 0
                     WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events')",
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE sqlite_sequence SET seq = MAX(seq, $1) WHERE name = 'events'")
                    .bind(floor)
                    .execute(&mut *tx)
                    .await?;
            }
            Engine::Postgres => {
                sqlx::query(
                    "SELECT setval('events_version_seq', GREATEST($1,
                        (SELECT CASE WHEN is_called THEN last_value ELSE 0 END
                         FROM events_version_seq)))",
                )
                .bind(floor)
                .execute(&mut *tx)
                .await?;
            }
        }
        Ok(tx.commit().await?)
    }

    /// The bytes of a course's lessons' text.
    pub(crate) fn lesson_bytes_sql(self) -> &'static str {
        match self {
            Engine::Sqlite => {
                "SELECT COALESCE(SUM(length(CAST(html AS BLOB))), 0) FROM lessons WHERE course_id = $1"
            }
            Engine::Postgres => {
                "SELECT CAST(COALESCE(SUM(octet_length(html)), 0) AS BIGINT) FROM lessons
                 WHERE course_id = $1"
            }
        }
    }

    /// A lecturer's bank, in import order.
    pub(crate) fn bank_sql(self) -> &'static str {
        match self {
            Engine::Sqlite => {
                "SELECT category, body FROM bank_questions WHERE owner_id = $1
                 ORDER BY imported_at, rowid"
            }
            Engine::Postgres => {
                "SELECT category, body FROM bank_questions WHERE owner_id = $1
                 ORDER BY imported_at, position"
            }
        }
    }
}

impl Engine {
    /// The columns of `table` and the type a copy binds each as.
    pub(crate) async fn column_types(
        self,
        tx: &mut Transaction<'_, sqlx::Any>,
        table: &str,
    ) -> Result<std::collections::HashMap<String, crate::copy::ColumnType>, StoreError> {
        use crate::copy::ColumnType;
        let rows: Vec<(String, String)> = match self {
            Engine::Sqlite => {
                sqlx::query_as("SELECT name, type FROM pragma_table_info($1)")
                    .bind(table)
                    .fetch_all(&mut **tx)
                    .await?
            }
            Engine::Postgres => {
                sqlx::query_as(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = $1",
                )
                .bind(table)
                .fetch_all(&mut **tx)
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(name, kind)| {
                let kind = kind.to_ascii_lowercase();
                let column = if kind.contains("int") {
                    ColumnType::Integer
                } else if kind.contains("blob") || kind.contains("bytea") {
                    ColumnType::Bytes
                } else {
                    ColumnType::Text
                };
                (name, column)
            })
            .collect())
    }

    /// After rows were copied with their ids, new rows get ids after them
    /// (SQLite does so by itself; PostgreSQL's identity counters are moved).
    pub(crate) async fn continue_ids_after_copy(
        self,
        tx: &mut Transaction<'_, sqlx::Any>,
    ) -> Result<(), StoreError> {
        if self == Engine::Sqlite {
            return Ok(());
        }
        let identities: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut **tx)
        .await?;
        for (table, column) in identities {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL)
                 FROM {table}"
            ))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }
}

/// Whose events changed, as the sync log tells its listeners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// This user's.
    User(i64),
    /// Perhaps anyone's: pokes may have been missed (the connection that
    /// carries them from PostgreSQL was lost for a while).
    Anyone,
}

/// Listens on PostgreSQL for the pokes every instance sends
/// ([`Engine::poke_on_commit`]) and passes them to `changes`, until the
/// returned [`Listening`] stops. `NOTIFY` suits these: one per push, not
/// per answer. When the listening connection drops, sqlx reconnects;
/// whatever was sent meanwhile is lost, so every listener is told
/// [`Change::Anyone`] (pulling is always safe).
pub(crate) async fn relay_pokes(
    url: &str,
    changes: tokio::sync::broadcast::Sender<Change>,
) -> Result<Listening, StoreError> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(POKE_CHANNEL).await?;
    let task = tokio::spawn(async move {
        loop {
            let change = match listener.try_recv().await {
                Ok(Some(poke)) => match poke.payload().parse() {
                    Ok(user) => Change::User(user),
                    Err(_) => continue,
                },
                Ok(None) => Change::Anyone,
                Err(error) => {
                    tracing::warn!(%error, "listening for sync pokes failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    Change::Anyone
                }
            };
            // Nobody listening is fine.
            let _ = changes.send(change);
        }
    });
    Ok(Listening(task.abort_handle()))
}

/// The task of [`relay_pokes`]: stopped, closing its connection, when the
/// store closes or its last handle is dropped (a database with a session
/// on it cannot be copied or dropped).
#[derive(Debug)]
pub(crate) struct Listening(tokio::task::AbortHandle);

impl Listening {
    pub(crate) fn stop(&self) {
        self.0.abort();
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A SQLite URL that creates the file when it is missing (`mode=rwc`),
/// as the server always did.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

#[cfg(test)]
mod tests {
    use super::Engine;

    #[test]
    fn the_url_names_the_engine() {
        assert_eq!(
            Engine::of("sqlite://data/lophoc.db").unwrap(),
            Engine::Sqlite
        );
        assert_eq!(
            Engine::of("postgres://db/lophoc").unwrap(),
            Engine::Postgres
        );
        assert_eq!(
            Engine::of("postgresql://u@db:5432/x").unwrap(),
            Engine::Postgres
        );
        assert!(Engine::of("mysql://db/lophoc").is_err());
        assert!(Engine::of("data/lophoc.db").is_err());
        assert!(Engine::of("sqlite::memory:").is_err());
        assert!(Engine::of("sqlite://:memory:").is_err());
    }
}
