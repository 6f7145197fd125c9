-- Assessments of the published courses. `listing` is the AssessmentRef shown
-- in outlines, `paper` the answer-free AssessmentPaper sent to trainees, and
-- `bank` the full questions with their answers, which never leave the server.
CREATE TABLE assessments (
    course_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    module_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    listing   TEXT NOT NULL,
    paper     TEXT NOT NULL,
    bank      TEXT NOT NULL,
    PRIMARY KEY (course_id, id),
    FOREIGN KEY (course_id, module_id) REFERENCES modules(course_id, id) ON DELETE CASCADE
);
