-- Records the server can trust (issue 13): what the server decided about
-- the events devices push, in typed columns, so reads never trust a
-- device's word for it.

-- Every attempt as the server received it. `rank` is its number among the
-- user's attempts at that assessment, by server receipt (never by a device
-- clock); the first `max_attempts` count. `late` marks an attempt received
-- after the assessment closed that its device started before the close
-- (shown to the lecturer). `seed` is the seed its questions were drawn
-- with (each issued seed draws one attempt only); `seed_checked` is 0 for
-- attempts stored before the server issued seeds.
CREATE TABLE attempts (
    attempt_id    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id     TEXT NOT NULL,
    assessment_id TEXT NOT NULL,
    rank          INTEGER NOT NULL,
    seed          INTEGER NOT NULL,
    received_ms   INTEGER NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    seed_checked  INTEGER NOT NULL DEFAULT 1,
    UNIQUE (user_id, course_id, assessment_id, rank)
);

-- The essay grades the server accepted (from a lecturer of a class with the
-- attempt's owner on its roster for that course, or an admin of the owner's
-- centre). Reads take grades from here only: an `essay_graded` event that
-- is not listed counts for nothing.
CREATE TABLE accepted_grades (
    op_id         TEXT PRIMARY KEY REFERENCES events(op_id) ON DELETE CASCADE,
    course_id     TEXT NOT NULL,
    assessment_id TEXT NOT NULL,
    attempt_id    TEXT NOT NULL
);
CREATE INDEX accepted_grades_by_assessment ON accepted_grades(course_id, assessment_id);

-- Ops refused for good, for staff to see (the device moved past them and
-- keeps its own copy for its user). The body is cut to 4 KB: a refused op
-- must not be a way to fill the disk.
CREATE TABLE refused_ops (
    id          INTEGER PRIMARY KEY,
    op_id       TEXT,
    device_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    received_ms INTEGER NOT NULL
);
CREATE INDEX refused_ops_by_user ON refused_ops(user_id, id);
CREATE INDEX refused_ops_by_device ON refused_ops(device_id, seq);

-- Secrets the server keys its own decisions with, made once per database:
-- `attempt_seeds` keys the HMAC that issues each trainee's attempt seeds.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
INSERT INTO server_secrets (name, value) VALUES ('attempt_seeds', randomblob(32));
