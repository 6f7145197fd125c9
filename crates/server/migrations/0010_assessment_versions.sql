-- Every published version of every assessment, kept after newer versions
-- replace it in `assessments`: an attempt is drawn and marked against the
-- version of the course it was started on (its `attempt_started` event says
-- which), so answers given before a question changed stay tied to the
-- question they answered. No foreign key: publishing deletes and re-inserts
-- the course row, and these rows must outlive that.
CREATE TABLE assessment_versions (
    course_id TEXT NOT NULL,
    assessment_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    paper TEXT NOT NULL,
    bank TEXT NOT NULL,
    PRIMARY KEY (course_id, assessment_id, version)
) WITHOUT ROWID;

-- The versions published before this table existed.
INSERT INTO assessment_versions (course_id, assessment_id, version, paper, bank)
SELECT a.course_id, a.id, c.version,
       json_set(a.paper, '$.course_version', c.version), a.bank
FROM assessments a JOIN courses c ON c.id = a.course_id;
