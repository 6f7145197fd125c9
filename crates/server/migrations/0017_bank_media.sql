-- Images of a lecturer's question bank (issue 18): what an imported Moodle
-- XML file (base64 <file>s) or QTI package carried, named by content
-- (`<20 hex digits of SHA-256>.<ext>`), so the same image is stored once
-- per owner and re-importing changes nothing. Read back by the owner at
-- /api/bank/media/<name> and written into the bank's exports.
CREATE TABLE bank_media (
    owner_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (owner_id, name)
);
