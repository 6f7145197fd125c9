-- Essay grades of an assessment (read for every class matrix, trainee
-- record, statistics and certificate check) and the start of an attempt
-- (to find whose it is) without scanning every event.
CREATE INDEX events_essay_grades ON events(
    json_extract(body, '$.event.course_id'),
    json_extract(body, '$.event.assessment_id')
) WHERE json_extract(body, '$.event.type') = 'essay_graded';

CREATE INDEX events_attempt_starts ON events(
    json_extract(body, '$.event.attempt_id')
) WHERE json_extract(body, '$.event.type') = 'attempt_started';
