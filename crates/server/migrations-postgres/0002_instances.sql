-- Several server instances on one database (issue 17); see SQLite's
-- migrations/0022_instances.sql, the same schema.
CREATE TABLE live_rooms (
    code      TEXT PRIMARY KEY,
    instance  TEXT NOT NULL,
    owner_id  BIGINT NOT NULL,
    opened_at BIGINT NOT NULL
);
CREATE INDEX live_rooms_by_owner ON live_rooms(owner_id);

INSERT INTO server_secrets (name, value) VALUES ('live_relay',
    decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

CREATE TABLE login_throttle (
    key      TEXT PRIMARY KEY,
    due_ms   BIGINT NOT NULL
);
