-- Authoring in the browser (issue 7): drafts of courses as their files, each
-- file versioned with a history; reviewers per centre; submissions with a
-- snapshot of the file versions they submitted, comments and decisions; and
-- the source files of each published course, to start drafts from and to
-- show reviewers what changes.

-- One draft per course, owned by the centre of whoever started it.
CREATE TABLE drafts (
    course_id  TEXT PRIMARY KEY,
    centre_id  INTEGER NOT NULL REFERENCES centres(id),
    -- editing | submitted | returned
    status     TEXT NOT NULL DEFAULT 'editing'
               CHECK (status IN ('editing', 'submitted', 'returned')),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The current version of each file of a draft. Text files hold UTF-8.
CREATE TABLE draft_files (
    course_id  TEXT NOT NULL REFERENCES drafts(course_id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    content    BLOB NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (course_id, path)
);

-- Every version a file had: one row per editing session of one person
-- (quick autosaves fold into the latest row), so history and restore are
-- reads of this table. A removed file is a row with removed = 1.
CREATE TABLE draft_history (
    id         INTEGER PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES drafts(course_id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    content    BLOB NOT NULL,
    removed    INTEGER NOT NULL DEFAULT 0,
    saved_by   INTEGER NOT NULL REFERENCES users(id),
    started_at INTEGER NOT NULL,
    saved_at   INTEGER NOT NULL
);
CREATE INDEX draft_history_by_file ON draft_history(course_id, path, version);

-- Lecturers a centre admin made reviewers of their centre.
CREATE TABLE reviewers (
    centre_id  INTEGER NOT NULL REFERENCES centres(id),
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    granted_by INTEGER NOT NULL REFERENCES users(id),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (centre_id, user_id)
);

-- A submission: the files as they were when submitted (JSON object
-- path -> content, base64 for media), and what the reviewer decided.
CREATE TABLE reviews (
    id                INTEGER PRIMARY KEY,
    course_id         TEXT NOT NULL REFERENCES drafts(course_id) ON DELETE CASCADE,
    submitted_by      INTEGER NOT NULL REFERENCES users(id),
    submitted_at      INTEGER NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    decision          TEXT CHECK (decision IN ('approved', 'returned')),
    decided_by        INTEGER REFERENCES users(id),
    decided_at        INTEGER,
    published_version INTEGER
);
CREATE INDEX reviews_by_course ON reviews(course_id, id);

-- The submitted files, by review.
CREATE TABLE review_files (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    content   BLOB NOT NULL,
    PRIMARY KEY (review_id, path)
);

CREATE TABLE review_comments (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES users(id),
    path       TEXT,
    line       INTEGER,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- The source files of the published version of each course: from the
-- content folder when it was loaded, or from the approved submission.
-- `origin` says which, with the folder's hash, so a restart does not undo
-- an approval by republishing an unchanged folder.
CREATE TABLE published_sources (
    course_id TEXT NOT NULL,
    path      TEXT NOT NULL,
    content   BLOB NOT NULL,
    PRIMARY KEY (course_id, path)
);
CREATE TABLE published_origin (
    course_id   TEXT PRIMARY KEY,
    -- folder | approval
    origin      TEXT NOT NULL CHECK (origin IN ('folder', 'approval')),
    -- The content hash of the folder when last loaded from it.
    folder_hash TEXT
);
