-- The sync protocol: each device's acknowledged sequence, and the events.

-- A device belongs to the user who first pushed from it; the acknowledged
-- sequence only moves forward, in the same transaction as the events.
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    acked_seq INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER NOT NULL
);

-- Append-only. `version` is the server order, the cursor of pulls.
CREATE TABLE events (
    version        INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id          TEXT NOT NULL UNIQUE,
    device_id      TEXT NOT NULL REFERENCES devices(device_id),
    seq            INTEGER NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    schema         INTEGER NOT NULL,
    client_time_ms INTEGER NOT NULL,
    server_time    INTEGER NOT NULL,
    body           TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX events_by_user ON events(user_id, version);
