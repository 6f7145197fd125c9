//! `lophoc-server copy-to URL`: the whole database, copied into an empty
//! one — the way from SQLite to PostgreSQL when a deployment outgrows one
//! machine (issue 17), and a plain SQLite-to-SQLite copy too.
//!
//! Policy: stop the server first (what it writes during the copy would be
//! left behind). The target is migrated by the same code as a server start,
//! must hold no account and no event, and is written in one transaction:
//! a failed copy leaves it empty. Rows keep their ids, so sessions, devices'
//! pull cursors, certificate codes and attempt seeds (the seed key is
//! copied too) stay valid; each table's row count is compared afterwards.
//! Values are read by the target column's type (SQLite stores loosely).

use std::collections::HashMap;

use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use sqlx::{any::AnyRow, Column, Row};

use crate::{engine::Engine, store::Store};

/// Every table, each after those it refers to.
pub const TABLES: &[&str] = &[
    "centres",
    "users",
    "sessions",
    "deactivated_users",
    "courses",
    "modules",
    "lessons",
    "situations",
    "assessments",
    "assessment_versions",
    "media",
    "course_owners",
    "devices",
    "events",
    "attempts",
    "accepted_grades",
    "refused_ops",
    "server_secrets",
    "classes",
    "class_lecturers",
    "class_members",
    "certificates",
    "drafts",
    "draft_files",
    "draft_history",
    "reviewers",
    "reviews",
    "review_files",
    "review_comments",
    "published_sources",
    "published_origin",
    "bank_questions",
    "bank_media",
];

/// Tables of running instances, not copied: which instance holds each live
/// session (rooms end when the server stops) and login throttling.
pub const NOT_COPIED: &[&str] = &["live_rooms", "login_throttle"];

/// A column's type in the target, as the copy binds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Integer,
    Text,
    Bytes,
}

/// Copies every table of the database at `from` into the empty database
/// at `to`. Returns each table with its number of rows.
pub async fn copy_database(from: &str, to: &str) -> anyhow::Result<Vec<(&'static str, i64)>> {
    let source = Store::open(from)
        .await
        .with_context(|| format!("opening {}", redact(from)))?;
    let target = Store::open(to)
        .await
        .with_context(|| format!("opening {}", redact(to)))?;
    let (source_engine, target_engine) = (Engine::of(from)?, Engine::of(to)?);
    let (source_pool, target_pool) = (source.pool_for_tests(), target.pool_for_tests());
    for table in ["users", "events"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&target_pool)
            .await?;
        if n > 0 {
            bail!(
                "{} đã có dữ liệu ({table}); hãy dùng một cơ sở dữ liệu trống / \
                 already holds data ({table}); use an empty database",
                redact(to)
            );
        }
    }
    let mut tx = target_pool.begin().await?;
    // The target's migration drew a seed key of its own: the source's
    // replaces it, or the attempts already started would not check.
    sqlx::query("DELETE FROM server_secrets")
        .execute(&mut *tx)
        .await?;
    for table in TABLES {
        let types = target_engine.column_types(&mut tx, table).await?;
        // A bank keeps its import order: SQLite by rowid, PostgreSQL by a
        // counter of its own that the inserts fill in this order.
        let order = match (*table, source_engine) {
            ("bank_questions", Engine::Sqlite) => " ORDER BY imported_at, rowid",
            ("bank_questions", Engine::Postgres) => " ORDER BY imported_at, position",
            _ => "",
        };
        let select = format!("SELECT * FROM {table}{order}");
        let mut rows = sqlx::query(&select).fetch(&source_pool);
        while let Some(row) = rows.try_next().await? {
            insert_row(&mut tx, table, &types, &row)
                .await
                .with_context(|| format!("copying a row of {table}"))?;
        }
    }
    target_engine.continue_ids_after_copy(&mut tx).await?;
    tx.commit().await?;
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let count = format!("SELECT COUNT(*) FROM {table}");
        let had: i64 = sqlx::query_scalar(&count).fetch_one(&source_pool).await?;
        let has: i64 = sqlx::query_scalar(&count).fetch_one(&target_pool).await?;
        if had != has {
            bail!("{table}: {had} rows in the source, {has} in the copy");
        }
        counts.push((*table, has));
    }
    source.close().await;
    target.close().await;
    Ok(counts)
}

/// `url` without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) => {
                let user = user.split_once(':').map_or(user, |(name, _)| name);
                format!("{scheme}://{user}:***@{host}")
            }
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Writes one source row into `table`, each value as its target column's type.
async fn insert_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    types: &HashMap<String, ColumnType>,
    row: &AnyRow,
) -> anyhow::Result<()> {
    // PostgreSQL's bank counter is filled by the target itself.
    let names: Vec<&str> = row
        .columns()
        .iter()
        .map(|c| c.name())
        .filter(|name| !(table == "bank_questions" && *name == "position"))
        .collect();
    let marks: Vec<String> = (1..=names.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    let mut insert = sqlx::query(&sql);
    for name in &names {
        insert = match types.get(*name) {
            Some(ColumnType::Integer) => insert.bind(row.try_get::<Option<i64>, _>(*name)?),
            Some(ColumnType::Text) => insert.bind(row.try_get::<Option<String>, _>(*name)?),
            Some(ColumnType::Bytes) => insert.bind(row.try_get::<Option<Vec<u8>>, _>(*name)?),
            None => bail!("the target's {table} has no column {name}"),
        };
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// A table the migrations create and the copy leaves out would be lost
    /// in every copy: the list is checked against the migrations.
    #[test]
    fn a_password_in_a_url_is_never_shown() {
        assert_eq!(
            super::redact("postgres://lophoc:s3cret@db.local:5432/lophoc"),
            "postgres://lophoc:***@db.local:5432/lophoc"
        );
        assert_eq!(
            super::redact("sqlite://data/lophoc.db"),
            "sqlite://data/lophoc.db"
        );
    }

    #[test]
    fn the_copy_takes_every_table_the_migrations_create() {
        let created = crate::store::tables_the_migrations_create();
        assert!(created.len() > 30, "read the migrations: {created:?}");
        let mut copied: Vec<String> = super::TABLES
            .iter()
            .chain(super::NOT_COPIED)
            .map(|t| t.to_string())
            .collect();
        copied.sort();
        assert_eq!(created, copied);
    }
}
