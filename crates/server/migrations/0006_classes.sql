-- Centres, classes and their rosters, trainee profiles, certificates, and
-- each course's completion rule. (The province admin role is added to the
-- users.role CHECK by `Store::open`, which must rebuild the table with
-- foreign keys off: a migration runs inside a transaction, where that
-- pragma has no effect.)
CREATE TABLE centres (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

ALTER TABLE users ADD COLUMN centre_id INTEGER REFERENCES centres(id);
-- YYYY-MM-DD, from the roster.
ALTER TABLE users ADD COLUMN birth_date TEXT;
ALTER TABLE users ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
-- Set for an initial or reset password until the user picks their own.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_by_centre ON users(centre_id);

CREATE TABLE classes (
    id         INTEGER PRIMARY KEY,
    centre_id  INTEGER NOT NULL REFERENCES centres(id),
    course_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    -- YYYY-MM-DD
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX classes_by_centre ON classes(centre_id);

CREATE TABLE class_lecturers (
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_lecturers_by_user ON class_lecturers(user_id);

CREATE TABLE class_members (
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_members_by_user ON class_members(user_id);

-- One certificate per trainee and course. The names are copied in when it
-- is issued: a certificate states what was true that day.
CREATE TABLE certificates (
    code           TEXT PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id      TEXT NOT NULL,
    class_id       INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    trainee_name   TEXT NOT NULL,
    birth_date     TEXT,
    course_title   TEXT NOT NULL,
    centre_name    TEXT NOT NULL,
    -- YYYY-MM-DD, the class's dates when there is one.
    starts_on      TEXT,
    ends_on        TEXT,
    issued_at      INTEGER NOT NULL,
    revoked_at     INTEGER,
    revoked_reason TEXT,
    revoked_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (user_id, course_id)
);

-- The course's CompletionRule as JSON.
ALTER TABLE courses ADD COLUMN completion TEXT NOT NULL DEFAULT '';

