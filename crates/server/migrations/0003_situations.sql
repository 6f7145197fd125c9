-- Situation sets (bộ câu hỏi tình huống) of the published courses. `body` is
-- the published `SituationSet` as JSON: prompts and explanations rendered,
-- correct answers included (practice and discussion sets are self-checked on
-- the device).
CREATE TABLE situations (
    course_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    module_id      TEXT NOT NULL,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('discussion', 'practice')),
    question_count INTEGER NOT NULL,
    body           TEXT NOT NULL,
    PRIMARY KEY (course_id, id),
    FOREIGN KEY (course_id, module_id) REFERENCES modules(course_id, id) ON DELETE CASCADE
);

-- Answers to a situation set are found by the event's JSON fields.
CREATE INDEX events_by_situation ON events(
    json_extract(body, '$.event.course_id'),
    json_extract(body, '$.event.situation_id')
) WHERE json_extract(body, '$.event.type') = 'situation_answered';
