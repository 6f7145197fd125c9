-- Staff accounts in the browser (issue 14): deactivated accounts.
--
-- A separate table rather than a column of `users`: `Store::open` rebuilds
-- `users` once on older databases (to allow the province admin role) and
-- copies only the columns it knows, so a column (or an index) added here
-- would be lost. The account's sessions are deleted when it is deactivated.
-- Reactivating deletes the row; nothing else about the account changes, so
-- its events, grades, certificates and drafts stay as they were.
CREATE TABLE deactivated_users (
    user_id        INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    deactivated_at INTEGER NOT NULL,
    deactivated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
