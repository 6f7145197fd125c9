-- Sessions end after a time without use (auth.rs, SESSION_IDLE_SECONDS), not
-- only at a fixed date: when each was last used, to the hour. Sessions open
-- at the upgrade count as used then, so nobody is signed out by it.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = CAST(strftime('%s', 'now') AS INTEGER);
