-- Course ownership (issue 14): every published course belongs to a centre
-- or to the province (`centre_id` NULL). Only the owning centre drafts,
-- imports and approves changes to it; the province admin hands courses
-- over. A published course without a row here is the province's.
--
-- Not a column of `courses`: publishing deletes and re-inserts that row.
CREATE TABLE course_owners (
    course_id  TEXT PRIMARY KEY,
    centre_id  INTEGER REFERENCES centres(id),
    changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX course_owners_by_centre ON course_owners(centre_id);

-- Courses published before ownership existed. A course some centre already
-- has a draft of goes to that centre: it was the one changing it, and its
-- work in progress stays usable. Every other course goes to the province,
-- the demo course of an existing demo database included: a migration cannot
-- tell a demo database from a production one that was seeded with the demo
-- accounts, and handing the province's curriculum to whichever centre
-- happens to exist would let that centre change it for everyone. The
-- province admin hands a course to a centre with one click; a new demo
-- database gets its demo course owned by the demo centre (seed.rs).
INSERT INTO course_owners (course_id, centre_id, changed_by, changed_at)
SELECT c.id, d.centre_id, NULL, CAST(strftime('%s', 'now') AS INTEGER)
FROM courses c LEFT JOIN drafts d ON d.course_id = c.id;
