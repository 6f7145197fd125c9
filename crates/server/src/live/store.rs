//! The live-session area: which instance holds each session's room. Rooms
//! live in the memory of the instance that opened them; when several
//! instances share the database, another instance looks the join code up
//! here and relays a phone's requests to the holder (`live::relay`).

use sqlx::AnyPool;

use crate::store::{now, StoreError};

/// The live-session area.
#[derive(Clone, Debug)]
pub struct LiveStore {
    pool: AnyPool,
    /// The key instances prove a relayed request with (`server_secrets`).
    relay_key: std::sync::Arc<[u8]>,
}

impl LiveStore {
    pub(crate) async fn open(pool: AnyPool) -> Result<LiveStore, StoreError> {
        let relay_key: Vec<u8> =
            sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'live_relay'")
                .fetch_one(&pool)
                .await?;
        Ok(LiveStore {
            pool,
            relay_key: relay_key.into(),
        })
    }

    /// The key every instance on this database shares.
    pub fn relay_key(&self) -> &[u8] {
        &self.relay_key
    }

    /// Records that `instance` holds the room `code`, opened by `owner`;
    /// `false` when another instance holds a room with that code.
    pub async fn claim(&self, code: &str, instance: &str, owner: i64) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO live_rooms (code, instance, owner_id, opened_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(instance)
        .bind(owner)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The instance holding the room `code`, if any does.
    pub async fn holder(&self, code: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT instance FROM live_rooms WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The other instances holding rooms `owner` opened.
    pub async fn holders_for(&self, owner: i64, except: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT instance FROM live_rooms WHERE owner_id = $1 AND instance <> $2",
        )
        .bind(owner)
        .bind(except)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Forgets the rooms `instance` held with these codes (they expired).
    pub async fn release(&self, instance: &str, codes: &[String]) -> Result<(), StoreError> {
        for code in codes {
            sqlx::query("DELETE FROM live_rooms WHERE code = $1 AND instance = $2")
                .bind(code)
                .bind(instance)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Forgets every room `instance` held: it has just started, so they
    /// ended with its previous run.
    pub async fn release_all(&self, instance: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM live_rooms WHERE instance = $1")
            .bind(instance)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
