-- Each lecturer's question bank, filled by importing Aiken or GIFT files.
-- `body` is the Question as JSON. Importing a question with an id that is
-- already in the owner's bank replaces it.
CREATE TABLE bank_questions (
    owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    category    TEXT,
    body        TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (owner_id, id)
);
