-- The columns events are found by, written from `Event::index()` (core)
-- when an event is stored, so that no query parses the JSON body and
-- renaming a field cannot silently break one. Rows stored before are
-- filled here by the same rule (`index_matches_the_serde_shape` in core
-- pins the rule to the JSON): the item is the lesson, situation or
-- assessment, whichever the event has.
ALTER TABLE events ADD COLUMN kind TEXT;
ALTER TABLE events ADD COLUMN course_id TEXT;
ALTER TABLE events ADD COLUMN item_id TEXT;
ALTER TABLE events ADD COLUMN attempt_id TEXT;

UPDATE events SET
    kind = json_extract(body, '$.event.type'),
    course_id = json_extract(body, '$.event.course_id'),
    item_id = COALESCE(
        json_extract(body, '$.event.lesson_id'),
        json_extract(body, '$.event.situation_id'),
        json_extract(body, '$.event.assessment_id')
    ),
    attempt_id = json_extract(body, '$.event.attempt_id');

-- The expression indexes these columns replace.
DROP INDEX IF EXISTS events_by_situation;
DROP INDEX IF EXISTS events_essay_grades;
DROP INDEX IF EXISTS events_attempt_starts;

-- Answers to a situation set, hand-ins of an assessment (by course and
-- item), a user's courses (by user), an attempt's events.
CREATE INDEX events_by_item ON events(kind, course_id, item_id);
CREATE INDEX events_by_user_course ON events(user_id, course_id);
CREATE INDEX events_by_attempt ON events(attempt_id) WHERE attempt_id IS NOT NULL;
