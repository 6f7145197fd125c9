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
    sync::{Event, Op},
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::DeviceLog;
    use proptest::prelude::*;

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
