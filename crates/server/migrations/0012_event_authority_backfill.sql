-- Brings the records stored before issue 13 under the same rules as new
-- pushes. JSON bodies are read here once; every later query uses the typed
-- columns of 0011.

-- Attempts already stored, ranked by server order (`version`), never by the
-- device's clock. An attempt id used twice keeps its first use.
INSERT INTO attempts (attempt_id, user_id, course_id, assessment_id, rank, seed, received_ms, late, seed_checked)
SELECT attempt_id, user_id, course_id, assessment_id,
       ROW_NUMBER() OVER (PARTITION BY user_id, course_id, assessment_id ORDER BY version),
       seed, server_time * 1000, 0, 0
FROM (
    SELECT json_extract(body, '$.event.attempt_id') AS attempt_id,
           COALESCE(json_extract(body, '$.event.seed'), 0) AS seed,
           json_extract(body, '$.event.course_id') AS course_id,
           json_extract(body, '$.event.assessment_id') AS assessment_id,
           user_id, version, server_time,
           ROW_NUMBER() OVER (PARTITION BY json_extract(body, '$.event.attempt_id') ORDER BY version) AS nth
    FROM events
    WHERE json_extract(body, '$.event.type') = 'attempt_started'
)
WHERE nth = 1 AND attempt_id IS NOT NULL AND course_id IS NOT NULL AND assessment_id IS NOT NULL;

-- Grades that pass the rule (see `Store::may_grade`, the same rule).
INSERT INTO accepted_grades (op_id, course_id, assessment_id, attempt_id)
SELECT e.op_id, a.course_id, a.assessment_id, a.attempt_id
FROM events e
JOIN users g ON g.id = e.user_id
JOIN attempts a ON a.attempt_id = json_extract(e.body, '$.event.attempt_id')
               AND a.course_id = json_extract(e.body, '$.event.course_id')
               AND a.assessment_id = json_extract(e.body, '$.event.assessment_id')
JOIN users o ON o.id = a.user_id
WHERE json_extract(e.body, '$.event.type') = 'essay_graded'
  AND ((g.role = 'lecturer' AND EXISTS (
          SELECT 1 FROM classes c
          JOIN class_lecturers l ON l.class_id = c.id AND l.user_id = g.id
          JOIN class_members m ON m.class_id = c.id AND m.user_id = o.id
          WHERE c.course_id = a.course_id))
    OR (g.role = 'centre_admin' AND g.centre_id IS NOT NULL AND g.centre_id = o.centre_id));

-- A live device a client claimed (`live:<another user's id>`) goes back to
-- the server: whatever the claimer pushed to it moves to a device of the
-- claimer's own, out of the server's name space, and the live results of
-- the user it names are written again from then on.
INSERT INTO devices (device_id, user_id, acked_seq, last_seen)
SELECT 'claimed-' || device_id, user_id, acked_seq, last_seen FROM devices
WHERE device_id LIKE 'live:%' AND user_id <> CAST(substr(device_id, 6) AS INTEGER);

UPDATE events SET device_id = 'claimed-' || device_id
WHERE device_id IN (SELECT device_id FROM devices
                    WHERE device_id LIKE 'live:%' AND user_id <> CAST(substr(device_id, 6) AS INTEGER));

DELETE FROM devices
WHERE device_id LIKE 'live:%' AND user_id <> CAST(substr(device_id, 6) AS INTEGER);

-- Events no client may author, moved out of the log into the refused ops:
-- grades that fail the rule, and live results pushed from a client device.
INSERT INTO refused_ops (op_id, device_id, seq, user_id, kind, code, detail, body, received_ms)
SELECT op_id, device_id, seq, user_id, json_extract(body, '$.event.type'),
       CASE WHEN json_extract(body, '$.event.type') = 'essay_graded' THEN 'not_your_trainee' ELSE 'server_only' END,
       'moved out of the log by migration 0012', substr(body, 1, 4096), server_time * 1000
FROM events
WHERE (json_extract(body, '$.event.type') = 'essay_graded'
       AND op_id NOT IN (SELECT op_id FROM accepted_grades))
   OR (json_extract(body, '$.event.type') IN ('live_attended', 'live_answered')
       AND device_id NOT LIKE 'live:%');

DELETE FROM events
WHERE (json_extract(body, '$.event.type') = 'essay_graded'
       AND op_id NOT IN (SELECT op_id FROM accepted_grades))
   OR (json_extract(body, '$.event.type') IN ('live_attended', 'live_answered')
       AND device_id NOT LIKE 'live:%');
