-- Several server instances on one database (issue 17). On SQLite, which one
-- process serves, these stay small; they are here so that both engines keep
-- one schema.
--
-- `live_rooms`: which instance holds each live session (rooms live in that
-- instance's memory); another instance relays a phone's socket there.
-- `instance` is the address the other instances reach it at.
CREATE TABLE live_rooms (
    code      TEXT PRIMARY KEY,
    instance  TEXT NOT NULL,
    owner_id  INTEGER NOT NULL,
    opened_at INTEGER NOT NULL
);
CREATE INDEX live_rooms_by_owner ON live_rooms(owner_id);

-- The key one instance proves a relayed request with to another.
INSERT INTO server_secrets (name, value) VALUES ('live_relay', randomblob(32));

-- Login throttling shared by every instance: for each key (an account, a
-- client address), when its next attempt is due by GCRA's reckoning.
CREATE TABLE login_throttle (
    key      TEXT PRIMARY KEY,
    due_ms   INTEGER NOT NULL
);
