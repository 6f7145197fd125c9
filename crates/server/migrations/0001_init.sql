-- Accounts, sessions and the published copy of each course.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('trainee', 'lecturer', 'centre_admin')),
    -- Argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Only a SHA-256 of the session token is stored: a leaked database does not
-- leak usable sessions.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE courses (
    id           TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    -- SHA-256 of the source files; publishing identical files is a no-op.
    content_hash TEXT NOT NULL,
    published_at INTEGER NOT NULL
);

CREATE TABLE modules (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    id        TEXT NOT NULL,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    summary   TEXT NOT NULL,
    PRIMARY KEY (course_id, id)
);

CREATE TABLE lessons (
    course_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    module_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    minutes   INTEGER NOT NULL,
    html      TEXT NOT NULL,
    PRIMARY KEY (course_id, id),
    FOREIGN KEY (course_id, module_id) REFERENCES modules(course_id, id) ON DELETE CASCADE
);

CREATE TABLE media (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    mime      TEXT NOT NULL,
    bytes     BLOB NOT NULL,
    PRIMARY KEY (course_id, name)
);
