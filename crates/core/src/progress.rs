//! Progress derived from events.
//!
//! Policy: progress is never counted by hand. It is a pure function of the
//! set of events, so the client and the server compute the same figures, the
//! order events arrive in does not matter, and applying events one by one
//! equals recomputing from all of them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{
    content::CourseOutline,
    events::{Event, Op},
};

/// What a trainee has done, as far as the known events tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// `(course, lesson)` pairs opened at least once.
    pub opened: BTreeSet<(String, String)>,
    /// `(course, lesson)` pairs marked as read.
    pub completed: BTreeSet<(String, String)>,
    /// `(course, situation, question)` triples answered at least once.
    #[serde(default)]
    pub answered: BTreeSet<(String, String, String)>,
    /// `(course, assessment, attempt)` triples handed in.
    #[serde(default)]
    pub submitted_attempts: BTreeSet<(String, String, String)>,
    /// `(course, situation)` pairs of branching scenarios played (a choice
    /// made at least once).
    #[serde(default)]
    pub played: BTreeSet<(String, String)>,
    /// `(course, session)` pairs of live sessions attended.
    #[serde(default)]
    pub live_sessions: BTreeSet<(String, String)>,
}

impl Progress {
    /// Recomputes progress from all events.
    pub fn from_events<'a>(ops: impl IntoIterator<Item = &'a Op>) -> Progress {
        let mut progress = Progress::default();
        for op in ops {
            progress.apply(&op.event);
        }
        progress
    }

    /// Adds one event. Idempotent and commutative.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::LessonOpened {
                course_id,
                lesson_id,
            } => {
                self.opened.insert((course_id.clone(), lesson_id.clone()));
            }
            Event::LessonCompleted {
                course_id,
                lesson_id,
            } => {
                self.opened.insert((course_id.clone(), lesson_id.clone()));
                self.completed
                    .insert((course_id.clone(), lesson_id.clone()));
            }
            Event::SituationAnswered {
                course_id,
                situation_id,
                question_id,
                ..
            } => {
                self.answered.insert((
                    course_id.clone(),
                    situation_id.clone(),
                    question_id.clone(),
                ));
            }
            Event::AttemptSubmitted {
                course_id,
                assessment_id,
                attempt_id,
            } => {
                self.submitted_attempts.insert((
                    course_id.clone(),
                    assessment_id.clone(),
                    attempt_id.clone(),
                ));
            }
            Event::ScenarioChoice {
                course_id,
                situation_id,
                ..
            } => {
                self.played
                    .insert((course_id.clone(), situation_id.clone()));
            }
            Event::LiveAttended {
                session_id,
                course_id,
                ..
            }
            | Event::LiveAnswered {
                session_id,
                course_id,
                ..
            } => {
                self.live_sessions
                    .insert((course_id.clone(), session_id.clone()));
            }
            // Scores need the answer key: the server reports them.
            Event::AttemptStarted { .. }
            | Event::AttemptAnswered { .. }
            | Event::EssayGraded { .. } => {}
        }
    }

    /// How many questions of a situation set have been answered.
    pub fn answered_in(&self, course_id: &str, situation_id: &str) -> usize {
        self.answered
            .iter()
            .filter(|(c, s, _)| c == course_id && s == situation_id)
            .count()
    }

    pub fn is_completed(&self, course_id: &str, lesson_id: &str) -> bool {
        self.completed
            .contains(&(course_id.to_string(), lesson_id.to_string()))
    }

    /// Lessons of `course` completed, and the course's lesson count. Lessons
    /// no longer in the course do not count.
    pub fn course_completion(&self, course: &CourseOutline) -> (usize, usize) {
        let done = course
            .modules
            .iter()
            .flat_map(|m| &m.lessons)
            .filter(|l| self.is_completed(&course.id, &l.id))
            .count();
        (done, course.lesson_count())
    }
}

/// The trainee's latest answer to each question of situation set `set` of
/// `course`, from their events in any order: what the trainee's screen
/// shows beside each question and what the lecturer's drill-down shows, by
/// this one rule.
///
/// The rule: on each device the last answer by the device's sequence (a
/// device's own order, whatever its clock did); across devices the one
/// given last by the clock of the device that gave it, ties going to the
/// greater device id. Not the server's order of receipt: a phone that was
/// offline delivers an older answer after a newer one given on another
/// device, and the trainee's own screen would then flip back to the older
/// one. Device clocks can be off, so the server clamps the times it
/// receives (never after receipt); the order is the same on every device
/// and on the server once they have the same events.
pub fn latest_situation_answers<'a>(
    ops: impl IntoIterator<Item = &'a Op>,
    course: &str,
    set: &str,
) -> std::collections::HashMap<String, crate::question::Answer> {
    use std::collections::HashMap;
    // (question, device) -> the device's last answer, by sequence.
    let mut per_device: HashMap<(&str, &str), &Op> = HashMap::new();
    for op in ops {
        if let Event::SituationAnswered {
            course_id,
            situation_id,
            question_id,
            ..
        } = &op.event
        {
            if course_id == course && situation_id == set {
                let slot = per_device
                    .entry((question_id.as_str(), op.device_id.as_str()))
                    .or_insert(op);
                if op.seq > slot.seq {
                    *slot = op;
                }
            }
        }
    }
    let mut latest: HashMap<&str, &Op> = HashMap::new();
    for ((question, _), op) in per_device {
        let slot = latest.entry(question).or_insert(op);
        if (op.client_time_ms, &op.device_id) > (slot.client_time_ms, &slot.device_id) {
            *slot = op;
        }
    }
    latest
        .into_iter()
        .filter_map(|(question, op)| match &op.event {
            Event::SituationAnswered { answer, .. } => Some((question.to_string(), answer.clone())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::Answer;
    use crate::sync::DeviceLog;
    use proptest::prelude::*;

    fn answered(device: &str, seq: u64, time: i64, question: &str, text: &str) -> Op {
        Op {
            op_id: format!("{device}-{seq}"),
            device_id: device.into(),
            seq,
            user_id: 1,
            client_time_ms: time,
            schema: crate::events::SCHEMA_VERSION,
            event: Event::SituationAnswered {
                course_id: "c".into(),
                situation_id: "s".into(),
                question_id: question.into(),
                answer: Answer::Opinion { text: text.into() },
            },
        }
    }

    /// Pins the one ordering of situation answers (see the function).
    #[test]
    fn the_latest_situation_answer_is_the_last_given() {
        let ops = vec![
            // Phone B, online at 10:05, then phone A, offline at 10:00,
            // delivered after it: B's answer is the latest.
            answered("b", 1, 1005, "q1", "B mới hơn"),
            answered("a", 1, 1000, "q1", "A cũ hơn"),
            // On one device its sequence decides, whatever its clock did.
            answered("a", 2, 900, "q2", "A sau"),
            answered("a", 1, 930, "q2", "A trước"),
            // Same time on two devices: the greater device id.
            answered("a", 3, 1100, "q3", "A"),
            answered("b", 2, 1100, "q3", "B"),
            // Another set's answer is not this set's.
            Op {
                event: Event::SituationAnswered {
                    course_id: "c".into(),
                    situation_id: "khac".into(),
                    question_id: "q1".into(),
                    answer: Answer::Opinion {
                        text: "khác".into(),
                    },
                },
                ..answered("c", 1, 9999, "q1", "")
            },
        ];
        let expected: std::collections::HashMap<String, Answer> =
            [("q1", "B mới hơn"), ("q2", "A sau"), ("q3", "B")]
                .into_iter()
                .map(|(q, a)| (q.to_string(), Answer::Opinion { text: a.into() }))
                .collect();
        assert_eq!(latest_situation_answers(&ops, "c", "s"), expected);
        // Any order of the same events gives the same answers.
        let mut reversed = ops.clone();
        reversed.reverse();
        assert_eq!(latest_situation_answers(&reversed, "c", "s"), expected);
    }

    fn event(kind: u8, lesson: u8) -> Event {
        let course_id = "c".to_string();
        let lesson_id = format!("l{lesson}");
        if kind.is_multiple_of(2) {
            Event::LessonOpened {
                course_id,
                lesson_id,
            }
        } else {
            Event::LessonCompleted {
                course_id,
                lesson_id,
            }
        }
    }

    proptest! {
        /// Any order, any duplication: the same progress as a full recompute.
        #[test]
        fn progress_is_order_independent(events in proptest::collection::vec((0u8..2, 0u8..6), 0..40), seed in any::<u64>()) {
            let mut log = DeviceLog::new("d");
            let ops: Vec<Op> = events
                .iter()
                .enumerate()
                .map(|(i, (k, l))| log.record(format!("op{i}"), 1, 0, event(*k, *l)))
                .collect();
            let full = Progress::from_events(&ops);
            let mut shuffled = ops.clone();
            // A cheap deterministic shuffle with duplicates.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            shuffled.extend(ops.iter().take(3).cloned());
            let mut incremental = Progress::default();
            for op in &shuffled {
                incremental.apply(&op.event);
            }
            prop_assert_eq!(incremental, full);
        }
    }

    #[test]
    fn completing_counts_within_the_course_only() {
        let mut p = Progress::default();
        p.apply(&event(1, 0));
        p.apply(&event(0, 1));
        assert!(p.is_completed("c", "l0"));
        assert!(!p.is_completed("c", "l1"));
        assert!(p.opened.contains(&("c".into(), "l0".into())));
    }
}
