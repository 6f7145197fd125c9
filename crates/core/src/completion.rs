//! Module and course completion under a course's completion rule.
//!
//! Policy: completion is derived, never stored by hand. [`course_progress`]
//! is a pure function of the course outline, the trainee's [`Progress`]
//! (itself a pure, order-independent function of events) and the results of
//! their assessment attempts (scored by the server, which holds the answer
//! key; the client shows the figures the server reported). The client and
//! the server call the same function, so the trainee's dashboard, the
//! lecturer's class matrix and the certificate agree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{assessment::AttemptReport, content::CourseOutline, progress::Progress};

/// A trainee's results in one assessment, from the reports of the attempts
/// that count (the first `max_attempts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentResult {
    /// Attempts handed in.
    pub submitted: u32,
    /// Best score of a handed-in attempt, in percent.
    pub best_percent: Option<u32>,
    /// Score of the latest handed-in attempt, in percent.
    pub last_percent: Option<u32>,
    /// `Some(true)` once any attempt passed; `None` while the deciding
    /// attempts await an essay grade; `Some(false)` when every handed-in
    /// attempt failed; `None` with no attempt.
    pub passed: Option<bool>,
}

impl AssessmentResult {
    /// Summarises attempt reports, in the order they were started.
    pub fn from_reports(reports: &[AttemptReport]) -> AssessmentResult {
        let submitted: Vec<&AttemptReport> = reports.iter().filter(|r| r.submitted).collect();
        let passed = if submitted.iter().any(|r| r.passed == Some(true)) {
            Some(true)
        } else if submitted.is_empty() || submitted.iter().any(|r| r.passed.is_none()) {
            None
        } else {
            Some(false)
        };
        AssessmentResult {
            submitted: u32::try_from(submitted.len()).unwrap_or(u32::MAX),
            best_percent: submitted.iter().map(|r| r.percent).max(),
            last_percent: submitted.last().map(|r| r.percent),
            passed,
        }
    }

    fn is_passed(&self) -> bool {
        self.passed == Some(true)
    }
}

/// Results by assessment id.
pub type Results = BTreeMap<String, AssessmentResult>;

/// Where a trainee stands in a module or a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    InProgress,
    Completed,
}

impl Status {
    /// The word for it.
    pub fn msg(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            Status::NotStarted => Msg::StatusNotStarted,
            Status::InProgress => Msg::StatusInProgress,
            Status::Completed => Msg::StatusCompleted,
        }
    }

    /// The classes of its badge (`public/style.css`), in the app and in the
    /// document the server draws.
    pub fn badge_class(self) -> &'static str {
        match self {
            Status::NotStarted => "status status-not-started",
            Status::InProgress => "status status-in-progress",
            Status::Completed => "status status-completed",
        }
    }
}

/// One module's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleProgress {
    pub module_id: String,
    pub title: String,
    /// Required items done, and required items (lessons, situation sets and
    /// assessments, as the rule asks).
    pub done: u32,
    pub required: u32,
    pub lessons_read: u32,
    pub lesson_count: u32,
    pub status: Status,
}

/// The next required thing to do, in course order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NextStep {
    Lesson {
        module_id: String,
        id: String,
        title: String,
    },
    Situation {
        module_id: String,
        id: String,
        title: String,
    },
    Assessment {
        module_id: String,
        id: String,
        title: String,
    },
}

impl NextStep {
    /// Where the step is, in course `course_id`, and what a link to it
    /// says, in `lang` (the progress and home pages, in the app and in the
    /// document the server draws).
    pub fn link(&self, lang: crate::i18n::Lang, course_id: &str) -> (String, String) {
        use crate::i18n::Msg;
        let (kind, msg, id, title) = match self {
            NextStep::Lesson { id, title, .. } => ("lessons", Msg::NextStepLesson, id, title),
            NextStep::Situation { id, title, .. } => {
                ("situations", Msg::NextStepSituation, id, title)
            }
            NextStep::Assessment { id, title, .. } => {
                ("assessments", Msg::NextStepAssessment, id, title)
            }
        };
        (
            format!("/courses/{course_id}/{kind}/{id}"),
            msg.format(lang, &[("title", title)]),
        )
    }
}

impl CourseProgress {
    /// Lessons read and the course's lesson count, from the module figures
    /// (what `Progress::course_completion` counts from the events).
    pub fn lessons_read(&self) -> (u32, u32) {
        self.modules.iter().fold((0, 0), |(read, all), m| {
            (read + m.lessons_read, all + m.lesson_count)
        })
    }
}

impl NextStep {
    /// The home page's button for it: "Học tiếp: …" for a lesson, else as
    /// [`NextStep::link`].
    pub fn continue_link(&self, lang: crate::i18n::Lang, course_id: &str) -> (String, String) {
        let (href, text) = self.link(lang, course_id);
        match self {
            NextStep::Lesson { title, .. } => (
                href,
                crate::i18n::Msg::ContinueWith.format(lang, &[("title", title)]),
            ),
            _ => (href, text),
        }
    }
}

/// A trainee's progress through one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseProgress {
    pub course_id: String,
    pub modules: Vec<ModuleProgress>,
    pub done: u32,
    pub required: u32,
    /// `done / required`, rounded down, so 100 means complete.
    pub percent: u32,
    pub completed: bool,
    pub next: Option<NextStep>,
    /// Results of the course's assessments that have attempts.
    pub results: Results,
    /// Titles of the course's assessments, by id.
    pub assessment_titles: BTreeMap<String, String>,
    /// Live sessions of this course the trainee attended.
    #[serde(default)]
    pub live_sessions: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Derives a trainee's progress through `course` under its completion rule.
pub fn course_progress(
    course: &CourseOutline,
    progress: &Progress,
    results: &Results,
) -> CourseProgress {
    let rule = &course.completion;
    let c = course.id.as_str();
    let mut modules = Vec::new();
    let mut next = None;
    for module in &course.modules {
        let mut done = 0_usize;
        let mut required = 0_usize;
        let mut touched = false;
        let mut lessons_read = 0_usize;
        for lesson in &module.lessons {
            let read = progress.is_completed(c, &lesson.id);
            lessons_read += usize::from(read);
            touched |= read
                || progress
                    .opened
                    .contains(&(c.to_string(), lesson.id.clone()));
            if rule.all_lessons {
                required += 1;
                done += usize::from(read);
                if !read && next.is_none() {
                    next = Some(NextStep::Lesson {
                        module_id: module.id.clone(),
                        id: lesson.id.clone(),
                        title: lesson.title.clone(),
                    });
                }
            }
        }
        for set in &module.situations {
            let answered = progress.answered_in(c, &set.id);
            let played = progress.played.contains(&(c.to_string(), set.id.clone()));
            touched |= answered > 0 || played;
            if rule.all_situations {
                let complete = if set.question_count == 0 {
                    played
                } else {
                    answered >= set.question_count as usize
                };
                required += 1;
                done += usize::from(complete);
                if !complete && next.is_none() {
                    next = Some(NextStep::Situation {
                        module_id: module.id.clone(),
                        id: set.id.clone(),
                        title: set.title.clone(),
                    });
                }
            }
        }
        for assessment in &module.assessments {
            let result = results.get(&assessment.id);
            touched |= result.is_some_and(|r| r.submitted > 0);
            if rule.pass.contains(&assessment.id) {
                let passed = result.is_some_and(AssessmentResult::is_passed);
                required += 1;
                done += usize::from(passed);
                if !passed && next.is_none() {
                    next = Some(NextStep::Assessment {
                        module_id: module.id.clone(),
                        id: assessment.id.clone(),
                        title: assessment.title.clone(),
                    });
                }
            }
        }
        let status = if required > 0 && done == required {
            Status::Completed
        } else if touched || done > 0 {
            Status::InProgress
        } else {
            Status::NotStarted
        };
        modules.push(ModuleProgress {
            module_id: module.id.clone(),
            title: module.title.clone(),
            done: count(done),
            required: count(required),
            lessons_read: count(lessons_read),
            lesson_count: count(module.lessons.len()),
            status,
        });
    }
    let done: u32 = modules.iter().map(|m| m.done).sum();
    let required: u32 = modules.iter().map(|m| m.required).sum();
    let percent = if required == 0 {
        0
    } else {
        u32::try_from(u64::from(done) * 100 / u64::from(required)).unwrap_or(100)
    };
    let assessment_titles: BTreeMap<String, String> = course
        .modules
        .iter()
        .flat_map(|m| &m.assessments)
        .map(|a| (a.id.clone(), a.title.clone()))
        .collect();
    CourseProgress {
        course_id: course.id.clone(),
        completed: required > 0 && done == required,
        modules,
        done,
        required,
        percent,
        next,
        results: results
            .iter()
            .filter(|(id, _)| assessment_titles.contains_key(id.as_str()))
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect(),
        assessment_titles,
        live_sessions: count(
            progress
                .live_sessions
                .iter()
                .filter(|(c, _)| c == &course.id)
                .count(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        content::{AssessmentRef, CompletionRule},
        content::{LessonRef, ModuleOutline, SituationMode, SituationRef},
        events::{Event, Op},
        question::AssessmentSettings,
        sync::DeviceLog,
    };
    use proptest::prelude::*;

    fn outline(rule: CompletionRule) -> CourseOutline {
        let lesson = |id: &str| LessonRef {
            id: id.into(),
            title: format!("Bài {id}"),
            minutes: 5,
        };
        CourseOutline {
            id: "c".into(),
            title: "C".into(),
            summary: String::new(),
            version: 1,
            modules: vec![
                ModuleOutline {
                    id: "m1".into(),
                    title: "M1".into(),
                    summary: String::new(),
                    lessons: vec![lesson("l1"), lesson("l2")],
                    situations: vec![SituationRef {
                        id: "s1".into(),
                        title: "S1".into(),
                        mode: SituationMode::Practice,
                        question_count: 2,
                    }],
                    assessments: vec![AssessmentRef {
                        id: "a1".into(),
                        title: "A1".into(),
                        question_count: 3,
                        settings: AssessmentSettings {
                            time_limit_secs: None,
                            max_attempts: None,
                            pass_percent: 70,
                            review: crate::question::ReviewPolicy::AfterSubmit,
                            closes_on: None,
                        },
                    }],
                },
                ModuleOutline {
                    id: "m2".into(),
                    title: "M2".into(),
                    summary: String::new(),
                    lessons: vec![lesson("l3")],
                    situations: Vec::new(),
                    assessments: Vec::new(),
                },
            ],
            media: Vec::new(),
            download_bytes: 0,
            completion: rule,
        }
    }

    fn rule() -> CompletionRule {
        CompletionRule {
            all_lessons: true,
            all_situations: false,
            pass: vec!["a1".into()],
        }
    }

    fn read(lesson: &str) -> Event {
        Event::LessonCompleted {
            course_id: "c".into(),
            lesson_id: lesson.into(),
        }
    }

    fn result(percent: u32, passed: Option<bool>) -> AssessmentResult {
        AssessmentResult {
            submitted: 1,
            best_percent: Some(percent),
            last_percent: Some(percent),
            passed,
        }
    }

    #[test]
    fn nothing_done_is_not_started_and_points_at_the_first_lesson() {
        let p = course_progress(&outline(rule()), &Progress::default(), &Results::new());
        assert_eq!(p.percent, 0);
        assert_eq!(p.required, 4);
        assert!(!p.completed);
        assert!(p.modules.iter().all(|m| m.status == Status::NotStarted));
        assert!(matches!(p.next, Some(NextStep::Lesson { ref id, .. }) if id == "l1"));
    }

    #[test]
    fn lessons_read_but_assessment_not_passed_is_not_complete() {
        let mut progress = Progress::default();
        for l in ["l1", "l2", "l3"] {
            progress.apply(&read(l));
        }
        let mut results = Results::new();
        results.insert("a1".into(), result(60, Some(false)));
        let p = course_progress(&outline(rule()), &progress, &results);
        assert_eq!((p.done, p.required, p.percent), (3, 4, 75));
        assert!(!p.completed);
        assert_eq!(p.modules[0].status, Status::InProgress);
        assert_eq!(p.modules[1].status, Status::Completed);
        assert!(matches!(p.next, Some(NextStep::Assessment { ref id, .. }) if id == "a1"));

        results.insert("a1".into(), result(80, Some(true)));
        let p = course_progress(&outline(rule()), &progress, &results);
        assert!(p.completed);
        assert_eq!(p.percent, 100);
        assert_eq!(p.next, None);
        assert_eq!(p.results["a1"].best_percent, Some(80));
    }

    /// The lessons read as the module figures sum them are the events'
    /// count (the home page's line, drawn by the server from the figures).
    #[test]
    fn lessons_read_from_the_figures_equal_the_events_count() {
        let course = outline(rule());
        let mut progress = Progress::default();
        for l in ["l1", "l3"] {
            progress.apply(&read(l));
        }
        let p = course_progress(&course, &progress, &Results::new());
        let (read, all) = progress.course_completion(&course);
        assert_eq!(p.lessons_read(), (read as u32, all as u32));
        assert_eq!(p.lessons_read(), (2, 3));
    }

    #[test]
    fn a_pending_essay_does_not_complete_the_course() {
        let mut progress = Progress::default();
        for l in ["l1", "l2", "l3"] {
            progress.apply(&read(l));
        }
        let mut results = Results::new();
        results.insert("a1".into(), result(90, None));
        assert!(!course_progress(&outline(rule()), &progress, &results).completed);
    }

    #[test]
    fn situations_count_only_when_the_rule_asks() {
        let mut strict = rule();
        strict.all_situations = true;
        strict.pass.clear();
        let mut progress = Progress::default();
        for l in ["l1", "l2", "l3"] {
            progress.apply(&read(l));
        }
        assert_eq!(
            course_progress(&outline(rule()), &progress, &Results::new()).required,
            4
        );
        let p = course_progress(&outline(strict.clone()), &progress, &Results::new());
        assert!(!p.completed);
        assert!(matches!(p.next, Some(NextStep::Situation { ref id, .. }) if id == "s1"));
        for q in ["q1", "q2"] {
            progress.apply(&Event::SituationAnswered {
                course_id: "c".into(),
                situation_id: "s1".into(),
                question_id: q.into(),
                answer: crate::question::Answer::Opinion {
                    text: "ý kiến".into(),
                },
            });
        }
        assert!(course_progress(&outline(strict), &progress, &Results::new()).completed);
    }

    #[test]
    fn results_sum_up_submitted_attempts_only() {
        let report = |percent, submitted, passed| AttemptReport {
            attempt_id: "x".into(),
            started_ms: 0,
            submitted,
            earned: 0,
            max: 0,
            percent,
            passed,
            awaiting: 0,
            answered: 0,
            question_count: 0,
            review: None,
        };
        let r = AssessmentResult::from_reports(&[
            report(50, true, Some(false)),
            report(90, true, Some(true)),
            report(40, true, Some(false)),
            report(100, false, None),
        ]);
        assert_eq!(r.submitted, 3);
        assert_eq!(r.best_percent, Some(90));
        assert_eq!(r.last_percent, Some(40));
        assert_eq!(r.passed, Some(true));
        let failed = AssessmentResult::from_reports(&[report(50, true, Some(false))]);
        assert_eq!(failed.passed, Some(false));
        assert_eq!(AssessmentResult::from_reports(&[]).passed, None);
    }

    fn event(kind: u8, item: u8) -> Event {
        let lesson_id = format!("l{}", item % 4);
        match kind {
            0 => Event::LessonOpened {
                course_id: "c".into(),
                lesson_id,
            },
            1 => read(&lesson_id),
            _ => Event::SituationAnswered {
                course_id: "c".into(),
                situation_id: "s1".into(),
                question_id: format!("q{}", item % 3),
                answer: crate::question::Answer::Opinion { text: "x".into() },
            },
        }
    }

    proptest! {
        /// Events in any order and repeated: the same course progress as a
        /// recompute from the events as recorded.
        #[test]
        fn course_progress_is_order_independent(
            events in proptest::collection::vec((0u8..3, 0u8..8), 0..40),
            seed in any::<u64>(),
            situations in any::<bool>(),
        ) {
            let mut r = rule();
            r.all_situations = situations;
            let course = outline(r);
            let mut log = DeviceLog::new("d");
            let ops: Vec<Op> = events
                .iter()
                .enumerate()
                .map(|(i, (k, item))| log.record(format!("op{i}"), 1, 0, event(*k, *item)))
                .collect();
            let full = course_progress(&course, &Progress::from_events(&ops), &Results::new());
            let mut shuffled = ops.clone();
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            shuffled.extend(ops.iter().rev().take(5).cloned());
            let mut incremental = Progress::default();
            for op in &shuffled {
                incremental.apply(&op.event);
            }
            let again = course_progress(&course, &incremental, &Results::new());
            prop_assert!(again.done <= again.required);
            prop_assert_eq!(again, full);
        }
    }
}
