//! The event log: what happened, as [`Op`]s carrying an [`Event`], and what
//! a device may record.
//!
//! Policy: every learner action is an [`Op`] with the next per-device
//! sequence number; progress, attempts, grades and completion are derived
//! from the log by the rules above this layer, never stored by hand. How ops
//! travel between a device and the server is [`crate::sync`]'s business.
//!
//! Trust: a device records only what its user may assert. Each event kind
//! has an [`Authority`] row ([`Event::authority`]): which roles may author
//! it, from which kind of device, and which of its fields the server takes
//! as sent, bounds, or decides itself. [`check_op`] applies everything that
//! needs no database (schema, shape, sizes, unknown fields, role and device
//! kind); the server adds what needs its records (attempt order and seeds,
//! deadlines, a grader's classes) with the pure rules of
//! [`crate::assessment`]. A permanently refused op is answered with its
//! reason and the device moves past it, so one bad op never blocks the ops
//! after it.

use serde::{Deserialize, Serialize};

use crate::{
    accounts::Role,
    ids::is_valid_id,
    limits::{self, TextField},
    question::Answer,
};

/// The op schema this build writes and understands. Bump it when [`Event`]
/// changes in a way an older server could misread.
pub const SCHEMA_VERSION: u32 = 1;

/// One learner action, as recorded on a device and synced to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// UUIDv7, unique across all devices: the idempotency key.
    pub op_id: String,
    pub device_id: String,
    /// 1, 2, 3… per device, assigned in the same transaction as the op.
    pub seq: u64,
    pub user_id: i64,
    /// When the device thinks it happened, in ms since the epoch. For display
    /// only: device clocks can be off by days.
    pub client_time_ms: i64,
    /// [`SCHEMA_VERSION`] of the build that wrote the op.
    pub schema: u32,
    pub event: Event,
}

/// What happened. Progress is derived from these (see [`crate::progress`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The trainee opened a lesson.
    LessonOpened {
        course_id: String,
        lesson_id: String,
    },
    /// The trainee marked a lesson as read.
    LessonCompleted {
        course_id: String,
        lesson_id: String,
    },
    /// The trainee answered a question of a situation set (practice or
    /// discussion). Every answer is kept; the latest is the one shown.
    SituationAnswered {
        course_id: String,
        situation_id: String,
        question_id: String,
        answer: crate::question::Answer,
    },
    /// One choice in a branching scenario, recorded as it is made, so the
    /// path taken is kept step by step (`step` counts from 0 within the run;
    /// a run is one play-through from the start).
    ScenarioChoice {
        course_id: String,
        situation_id: String,
        run_id: String,
        step: u32,
        step_id: String,
        choice_id: String,
    },
    /// A lecturer's grade of an essay answer, against its rubric. Pushed by
    /// the lecturer's device; applies to the trainee's latest answer to that
    /// question in that attempt.
    EssayGraded {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
        question_id: String,
        /// Hundredths of a point per rubric criterion id.
        scores: Vec<(String, u32)>,
        comment: String,
    },
    /// The trainee started an attempt at an assessment. The seed fixes the
    /// questions drawn and their order (see [`crate::assessment`]).
    AttemptStarted {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
        seed: u64,
        /// The version of the course the device drew the questions from
        /// (absent from devices older than this field): the attempt is marked
        /// against that version's questions.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        course_version: Option<i64>,
    },
    /// The trainee answered a question of an attempt; saved as given.
    AttemptAnswered {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
        question_id: String,
        answer: crate::question::Answer,
    },
    /// The trainee handed the attempt in.
    AttemptSubmitted {
        course_id: String,
        assessment_id: String,
        attempt_id: String,
    },
    /// The trainee joined a live session (written by the server, once per
    /// session, from the `live:<user id>` device).
    LiveAttended {
        /// Unique per session (a UUIDv7), unlike its reusable join code.
        session_id: String,
        course_id: String,
        title: String,
    },
    /// The trainee's answer counted in a live session (written by the
    /// server when it counts the answer), with its score.
    LiveAnswered {
        session_id: String,
        course_id: String,
        situation_id: String,
        question_id: String,
        answer: crate::question::Answer,
        /// Hundredths of a point earned, of `max`.
        earned: u32,
        max: u32,
    },
}

/// Why an op was refused. Stable codes the client matches on (and
/// translates, see [`RejectReason::message`]). Only [`UnknownSchema`] is
/// transient; every other reason is final.
///
/// [`UnknownSchema`]: RejectReason::UnknownSchema
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RejectReason {
    /// Written by a newer (or unknown) schema than this server knows.
    UnknownSchema { schema: u32 },
    /// The op belongs to another user than the one signed in.
    WrongUser,
    /// The op is not valid (missing fields, wrong device id…).
    Malformed { detail: String },
    /// The op carries a field its kind does not have.
    UnknownField { field: String },
    /// A text field is longer than its limit (in characters).
    TooLong { field: TextField, max: u32 },
    /// An id or a list is not well formed or too long.
    BadId { field: String },
    /// Only the server writes this kind (live session results).
    ServerOnly,
    /// The signed-in user's role may not author this kind.
    NotAllowed,
    /// A grade for a trainee the grader does not teach (or of an attempt
    /// that does not exist).
    NotYourTrainee,
    /// The op id is already used by another op.
    DuplicateOpId,
    /// The attempt id is already used.
    DuplicateAttempt,
    /// An answer or hand-in for an attempt this user never started.
    UnknownAttempt,
    /// An attempt at an assessment that is not published.
    UnknownAssessment,
    /// The questions' seed is not one the server issued for this attempt.
    SeedNotIssued,
    /// Every allowed attempt is used.
    NoAttemptsLeft,
    /// The assessment had closed when the attempt started.
    AssessmentClosed,
}

impl RejectReason {
    /// Whether the device should hold the op and try again later (after an
    /// update), rather than move past it.
    pub fn is_transient(&self) -> bool {
        matches!(self, RejectReason::UnknownSchema { .. })
    }

    /// The catalogue message telling the user why.
    pub fn message(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            RejectReason::UnknownSchema { .. } => Msg::RefusedUnknownSchema,
            RejectReason::WrongUser => Msg::RefusedWrongUser,
            RejectReason::Malformed { .. }
            | RejectReason::UnknownField { .. }
            | RejectReason::BadId { .. } => Msg::RefusedMalformed,
            RejectReason::TooLong { .. } => Msg::RefusedTooLong,
            RejectReason::ServerOnly | RejectReason::NotAllowed => Msg::RefusedNotAllowed,
            RejectReason::NotYourTrainee => Msg::RefusedNotYourTrainee,
            RejectReason::DuplicateOpId | RejectReason::DuplicateAttempt => Msg::RefusedDuplicate,
            RejectReason::UnknownAttempt => Msg::RefusedUnknownAttempt,
            RejectReason::UnknownAssessment => Msg::RefusedUnknownAssessment,
            RejectReason::SeedNotIssued => Msg::RefusedSeedNotIssued,
            RejectReason::NoAttemptsLeft => Msg::RefusedNoAttemptsLeft,
            RejectReason::AssessmentClosed => Msg::RefusedAssessmentClosed,
        }
    }

    /// The stable code, as on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::UnknownSchema { .. } => "unknown_schema",
            RejectReason::WrongUser => "wrong_user",
            RejectReason::Malformed { .. } => "malformed",
            RejectReason::UnknownField { .. } => "unknown_field",
            RejectReason::TooLong { .. } => "too_long",
            RejectReason::BadId { .. } => "bad_id",
            RejectReason::ServerOnly => "server_only",
            RejectReason::NotAllowed => "not_allowed",
            RejectReason::NotYourTrainee => "not_your_trainee",
            RejectReason::DuplicateOpId => "duplicate_op_id",
            RejectReason::DuplicateAttempt => "duplicate_attempt",
            RejectReason::UnknownAttempt => "unknown_attempt",
            RejectReason::UnknownAssessment => "unknown_assessment",
            RejectReason::SeedNotIssued => "seed_not_issued",
            RejectReason::NoAttemptsLeft => "no_attempts_left",
            RejectReason::AssessmentClosed => "assessment_closed",
        }
    }
}

/// The words for an event kind given by its serde tag (as refused ops are
/// listed), if it is one.
pub fn kind_label(kind: &str) -> Option<crate::i18n::Msg> {
    use crate::i18n::Msg;
    Some(match kind {
        "lesson_opened" => Msg::EventLessonOpened,
        "lesson_completed" => Msg::EventLessonCompleted,
        "situation_answered" => Msg::EventSituationAnswered,
        "scenario_choice" => Msg::EventScenarioChoice,
        "attempt_started" => Msg::EventAttemptStarted,
        "attempt_answered" => Msg::EventAttemptAnswered,
        "attempt_submitted" => Msg::EventAttemptSubmitted,
        "essay_graded" => Msg::EventEssayGraded,
        "live_attended" => Msg::EventLiveAttended,
        "live_answered" => Msg::EventLiveAnswered,
        _ => return None,
    })
}

/// Device ids the server writes from: `live:<user id>` for live session
/// results, and the `server:` prefix kept for any later ones. No client may
/// push to one or claim it.
pub fn is_server_device(device_id: &str) -> bool {
    device_id.starts_with("live:") || device_id.starts_with("server:")
}

/// The server device of live session results for `user_id`.
pub fn live_device(user_id: i64) -> String {
    format!("live:{user_id}")
}

/// Where an event kind may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A browser, pushing through `POST /api/sync/push`.
    Client,
    /// The server itself ([`is_server_device`]); never accepted in a push.
    Server,
}

/// Whose record an event may be about, beyond its author's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The author's own record: `user_id` is the signed-in user.
    Own,
    /// The record of the trainee who owns the attempt it names: the author
    /// must be a lecturer of a class that has that trainee on its roster
    /// for the event's course, or an admin of the trainee's centre.
    GraderOfOwner,
}

/// What the server does with one field (or fact) of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRule {
    /// Stored as sent (still well formed).
    Taken,
    /// Stored as sent if within the bound described; refused otherwise.
    Bounded(&'static str),
    /// Decided or recomputed by the server, whatever the device says.
    Decided(&'static str),
}

/// One row of the authority table: who may author an event kind, from
/// where, and what the server makes of each field. `docs/sync-protocol.md`
/// has the same table in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    /// The serde tag of the kind, e.g. `"essay_graded"`.
    pub kind: &'static str,
    /// Roles whose devices may push it (empty: none, server only).
    pub authors: &'static [Role],
    pub device: DeviceKind,
    pub relation: Relation,
    /// The event's own fields.
    pub fields: &'static [(&'static str, FieldRule)],
}

impl Authority {
    /// Whether a user of `role` may push this kind from a client device.
    pub fn allows(&self, role: Role) -> bool {
        self.device == DeviceKind::Client && self.authors.contains(&role)
    }
}

/// Every role: learner events are about their author only, so anyone
/// signed in may record their own reading and answers (only trainees earn
/// certificates).
const EVERYONE: &[Role] = &[
    Role::Trainee,
    Role::Lecturer,
    Role::CentreAdmin,
    Role::ProvinceAdmin,
];

/// The fields every op carries, and what the server makes of them.
pub const OP_FIELDS: &[(&str, FieldRule)] = &[
    (
        "op_id",
        FieldRule::Bounded(
            "a token of at most 64 ASCII characters; one already used by another op is refused",
        ),
    ),
    (
        "device_id",
        FieldRule::Bounded("the pushing device's id; a server device is refused"),
    ),
    (
        "seq",
        FieldRule::Decided("applied in order from the device's acknowledged sequence; a gap waits"),
    ),
    ("user_id", FieldRule::Bounded("must be the signed-in user")),
    (
        "client_time_ms",
        FieldRule::Bounded("clamped to the server's receipt time when later"),
    ),
    (
        "schema",
        FieldRule::Bounded("1 to SCHEMA_VERSION; newer holds the device"),
    ),
];

const CONTENT_ID: FieldRule = FieldRule::Bounded("a content id (a-z, 0-9, -; at most 64)");
const TOKEN: FieldRule = FieldRule::Bounded("a token of at most 64 ASCII characters");
const ANSWER: FieldRule = FieldRule::Bounded(
    "its kind's shape; text within its limit (essay 20,000, opinion 5,000, short answer 500 characters); at most 100 items",
);

/// The columns an event is found by in the server's log, written beside its
/// JSON body when it is stored (`events.kind`, `course_id`, `item_id`,
/// `attempt_id`), so that no query reads the body and renaming a field or a
/// kind cannot silently break one (`index_matches_the_serde_shape` pins the
/// two together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventIndex<'a> {
    /// The serde tag (`situation_answered`…).
    pub kind: &'static str,
    pub course_id: &'a str,
    /// The lesson, situation or assessment the event is about, if any.
    pub item_id: Option<&'a str>,
    /// The assessment attempt, if any.
    pub attempt_id: Option<&'a str>,
}

impl Event {
    /// Whether the event can complete a course under some completion rule
    /// (`crate::completion`): after storing one the server checks whether
    /// a certificate is now earned. Exhaustive, so a new kind says.
    pub fn may_complete(&self) -> bool {
        match self {
            Event::LessonCompleted { .. }
            | Event::SituationAnswered { .. }
            | Event::ScenarioChoice { .. }
            | Event::AttemptSubmitted { .. }
            | Event::EssayGraded { .. } => true,
            // Live sessions count for no completion rule (yet).
            Event::LessonOpened { .. }
            | Event::AttemptStarted { .. }
            | Event::AttemptAnswered { .. }
            | Event::LiveAttended { .. }
            | Event::LiveAnswered { .. } => false,
        }
    }

    /// The serde tag of this kind.
    pub fn kind(&self) -> &'static str {
        self.authority().kind
    }

    /// The columns the server's log finds this event by.
    pub fn index(&self) -> EventIndex<'_> {
        let (course_id, item_id, attempt_id) = match self {
            Event::LessonOpened {
                course_id,
                lesson_id,
            }
            | Event::LessonCompleted {
                course_id,
                lesson_id,
            } => (course_id, Some(lesson_id), None),
            Event::SituationAnswered {
                course_id,
                situation_id,
                ..
            }
            | Event::ScenarioChoice {
                course_id,
                situation_id,
                ..
            }
            | Event::LiveAnswered {
                course_id,
                situation_id,
                ..
            } => (course_id, Some(situation_id), None),
            Event::EssayGraded {
                course_id,
                assessment_id,
                attempt_id,
                ..
            }
            | Event::AttemptStarted {
                course_id,
                assessment_id,
                attempt_id,
                ..
            }
            | Event::AttemptAnswered {
                course_id,
                assessment_id,
                attempt_id,
                ..
            }
            | Event::AttemptSubmitted {
                course_id,
                assessment_id,
                attempt_id,
            } => (course_id, Some(assessment_id), Some(attempt_id)),
            Event::LiveAttended { course_id, .. } => (course_id, None, None),
        };
        EventIndex {
            kind: self.kind(),
            course_id,
            item_id: item_id.map(String::as_str),
            attempt_id: attempt_id.map(String::as_str),
        }
    }

    /// What the event is, in words (the catalogue).
    pub fn label(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            Event::LessonOpened { .. } => Msg::EventLessonOpened,
            Event::LessonCompleted { .. } => Msg::EventLessonCompleted,
            Event::SituationAnswered { .. } => Msg::EventSituationAnswered,
            Event::ScenarioChoice { .. } => Msg::EventScenarioChoice,
            Event::AttemptStarted { .. } => Msg::EventAttemptStarted,
            Event::AttemptAnswered { .. } => Msg::EventAttemptAnswered,
            Event::AttemptSubmitted { .. } => Msg::EventAttemptSubmitted,
            Event::EssayGraded { .. } => Msg::EventEssayGraded,
            Event::LiveAttended { .. } => Msg::EventLiveAttended,
            Event::LiveAnswered { .. } => Msg::EventLiveAnswered,
        }
    }

    /// This kind's row of the authority table. Exhaustive: a new kind does
    /// not compile without one.
    pub fn authority(&self) -> Authority {
        let learner = |kind, fields| Authority {
            kind,
            authors: EVERYONE,
            device: DeviceKind::Client,
            relation: Relation::Own,
            fields,
        };
        match self {
            Event::LessonOpened { .. } => learner(
                "lesson_opened",
                &[("course_id", CONTENT_ID), ("lesson_id", CONTENT_ID)],
            ),
            Event::LessonCompleted { .. } => learner(
                "lesson_completed",
                &[("course_id", CONTENT_ID), ("lesson_id", CONTENT_ID)],
            ),
            Event::SituationAnswered { .. } => learner(
                "situation_answered",
                &[
                    ("course_id", CONTENT_ID),
                    ("situation_id", CONTENT_ID),
                    ("question_id", CONTENT_ID),
                    ("answer", ANSWER),
                    (
                        "score",
                        FieldRule::Decided("marked on read against the answer key, which never leaves the server"),
                    ),
                ],
            ),
            Event::ScenarioChoice { .. } => learner(
                "scenario_choice",
                &[
                    ("course_id", CONTENT_ID),
                    ("situation_id", CONTENT_ID),
                    ("run_id", TOKEN),
                    ("step", FieldRule::Bounded("at most 10,000")),
                    ("step_id", CONTENT_ID),
                    ("choice_id", CONTENT_ID),
                ],
            ),
            Event::AttemptStarted { .. } => learner(
                "attempt_started",
                &[
                    ("course_id", CONTENT_ID),
                    ("assessment_id", CONTENT_ID),
                    (
                        "attempt_id",
                        FieldRule::Bounded("a token no other attempt uses"),
                    ),
                    (
                        "seed",
                        FieldRule::Decided("must be a seed the server issued this user for attempt 1..=n, n its rank by receipt, that no earlier attempt used; any other is refused"),
                    ),
                    (
                        "course_version",
                        FieldRule::Taken,
                    ),
                    (
                        "order and count",
                        FieldRule::Decided("by server receipt: an attempt beyond max_attempts is refused"),
                    ),
                    (
                        "closing date",
                        FieldRule::Decided("by receipt time: after closes_on refused, unless started (device time) before it and received within the late grace: stored and flagged late for the lecturer"),
                    ),
                ],
            ),
            Event::AttemptAnswered { .. } => learner(
                "attempt_answered",
                &[
                    ("course_id", CONTENT_ID),
                    ("assessment_id", CONTENT_ID),
                    (
                        "attempt_id",
                        FieldRule::Bounded("an attempt this user started"),
                    ),
                    ("question_id", CONTENT_ID),
                    ("answer", ANSWER),
                    (
                        "in time",
                        FieldRule::Decided("device times clamped to receipt; counts if within the time limit plus grace of the start"),
                    ),
                ],
            ),
            Event::AttemptSubmitted { .. } => learner(
                "attempt_submitted",
                &[
                    ("course_id", CONTENT_ID),
                    ("assessment_id", CONTENT_ID),
                    (
                        "attempt_id",
                        FieldRule::Bounded("an attempt this user started"),
                    ),
                ],
            ),
            Event::EssayGraded { .. } => Authority {
                kind: "essay_graded",
                authors: &[Role::Lecturer, Role::CentreAdmin],
                device: DeviceKind::Client,
                relation: Relation::GraderOfOwner,
                fields: &[
                    ("course_id", CONTENT_ID),
                    ("assessment_id", CONTENT_ID),
                    (
                        "attempt_id",
                        FieldRule::Bounded("an attempt of a trainee the grader teaches (or whose centre they run)"),
                    ),
                    ("question_id", CONTENT_ID),
                    (
                        "scores",
                        FieldRule::Bounded("at most 100 criteria, each at most 1,000 points; capped at each criterion's maximum on read"),
                    ),
                    ("comment", FieldRule::Bounded("at most 5,000 characters")),
                ],
            },
            Event::LiveAttended { .. } => Authority {
                kind: "live_attended",
                authors: &[],
                device: DeviceKind::Server,
                relation: Relation::Own,
                fields: &[
                    ("session_id", FieldRule::Decided("the session's id")),
                    ("course_id", FieldRule::Decided("the session's course")),
                    ("title", FieldRule::Decided("the session's title, at most 200 characters")),
                ],
            },
            Event::LiveAnswered { .. } => Authority {
                kind: "live_answered",
                authors: &[],
                device: DeviceKind::Server,
                relation: Relation::Own,
                fields: &[
                    ("session_id", FieldRule::Decided("the session's id")),
                    ("course_id", FieldRule::Decided("the question's course")),
                    ("situation_id", FieldRule::Decided("the question's set")),
                    ("question_id", FieldRule::Decided("the open question")),
                    (
                        "answer",
                        FieldRule::Decided("the answer the server counted before the deadline"),
                    ),
                    ("earned", FieldRule::Decided("scored by the server")),
                    ("max", FieldRule::Decided("the question's points")),
                ],
            },
        }
    }

    /// Checks the sizes and shapes of the event's fields (ids, text, lists).
    pub fn check_shape(&self) -> Result<(), RejectReason> {
        let content = |field: &str, id: &str| {
            if is_valid_id(id) {
                Ok(())
            } else {
                Err(RejectReason::BadId {
                    field: field.to_string(),
                })
            }
        };
        let token = |field: &str, id: &str| {
            if limits::is_token(id) {
                Ok(())
            } else {
                Err(RejectReason::BadId {
                    field: field.to_string(),
                })
            }
        };
        match self {
            Event::LessonOpened {
                course_id,
                lesson_id,
            }
            | Event::LessonCompleted {
                course_id,
                lesson_id,
            } => {
                content("course_id", course_id)?;
                content("lesson_id", lesson_id)
            }
            Event::SituationAnswered {
                course_id,
                situation_id,
                question_id,
                answer,
            } => {
                content("course_id", course_id)?;
                content("situation_id", situation_id)?;
                content("question_id", question_id)?;
                check_answer(answer)
            }
            Event::ScenarioChoice {
                course_id,
                situation_id,
                run_id,
                step,
                step_id,
                choice_id,
            } => {
                content("course_id", course_id)?;
                content("situation_id", situation_id)?;
                token("run_id", run_id)?;
                content("step_id", step_id)?;
                content("choice_id", choice_id)?;
                if *step > limits::MAX_SCENARIO_STEP {
                    return Err(RejectReason::BadId {
                        field: "step".into(),
                    });
                }
                Ok(())
            }
            Event::AttemptStarted {
                course_id,
                assessment_id,
                attempt_id,
                ..
            }
            | Event::AttemptSubmitted {
                course_id,
                assessment_id,
                attempt_id,
            } => {
                content("course_id", course_id)?;
                content("assessment_id", assessment_id)?;
                token("attempt_id", attempt_id)
            }
            Event::AttemptAnswered {
                course_id,
                assessment_id,
                attempt_id,
                question_id,
                answer,
            } => {
                content("course_id", course_id)?;
                content("assessment_id", assessment_id)?;
                token("attempt_id", attempt_id)?;
                content("question_id", question_id)?;
                check_answer(answer)
            }
            Event::EssayGraded {
                course_id,
                assessment_id,
                attempt_id,
                question_id,
                scores,
                comment,
            } => {
                content("course_id", course_id)?;
                content("assessment_id", assessment_id)?;
                token("attempt_id", attempt_id)?;
                content("question_id", question_id)?;
                if scores.len() > limits::MAX_LIST_ITEMS
                    || scores
                        .iter()
                        .any(|(id, centi)| !is_valid_id(id) || *centi > limits::MAX_SCORE_CENTI)
                {
                    return Err(RejectReason::BadId {
                        field: "scores".into(),
                    });
                }
                check_text(TextField::Comment, comment)
            }
            Event::LiveAttended {
                session_id,
                course_id,
                title,
            } => {
                token("session_id", session_id)?;
                content("course_id", course_id)?;
                check_text(TextField::Title, title)
            }
            Event::LiveAnswered {
                session_id,
                course_id,
                situation_id,
                question_id,
                answer,
                ..
            } => {
                token("session_id", session_id)?;
                content("course_id", course_id)?;
                content("situation_id", situation_id)?;
                content("question_id", question_id)?;
                check_answer(answer)
            }
        }
    }
}

fn check_text(field: TextField, text: &str) -> Result<(), RejectReason> {
    if limits::fits(field, text) {
        Ok(())
    } else {
        Err(RejectReason::TooLong {
            field,
            max: u32::try_from(field.max_chars()).unwrap_or(u32::MAX),
        })
    }
}

/// Checks an answer's size and shape.
pub fn check_answer(answer: &Answer) -> Result<(), RejectReason> {
    let bad = |field: &str| RejectReason::BadId {
        field: field.to_string(),
    };
    match answer {
        Answer::SingleChoice { option } => {
            if is_valid_id(option) {
                Ok(())
            } else {
                Err(bad("option"))
            }
        }
        Answer::MultipleChoice { options } => {
            if options.len() <= limits::MAX_LIST_ITEMS && options.iter().all(|o| is_valid_id(o)) {
                Ok(())
            } else {
                Err(bad("options"))
            }
        }
        Answer::TrueFalse { .. } => Ok(()),
        Answer::Ordering { order: items } | Answer::Matching { matches: items } => {
            if items.len() <= limits::MAX_LIST_ITEMS
                && items.iter().all(|&i| i < limits::MAX_LIST_ITEMS)
            {
                Ok(())
            } else {
                Err(bad("answer"))
            }
        }
        // A number is typed text too, read by the server's scoring; each
        // blank of a fill-in-the-blanks answer is a short answer.
        Answer::ShortAnswer { text } | Answer::Numerical { text } => {
            check_text(TextField::ShortAnswer, text)
        }
        Answer::FillBlanks { gaps } => {
            if gaps.len() > limits::MAX_LIST_ITEMS {
                return Err(bad("gaps"));
            }
            gaps.iter()
                .try_for_each(|gap| check_text(TextField::ShortAnswer, gap))
        }
        Answer::Essay { text } => check_text(TextField::Essay, text),
        Answer::Opinion { text } => check_text(TextField::Opinion, text),
    }
}

/// Checks that an op, decoded from a push by `device_id` for the signed-in
/// `user_id` of `role`, is one the server may store, as far as the op alone
/// tells (the server then checks what needs its records). The op must be in
/// the canonical form this build writes: any field its kind does not have
/// is refused ([`RejectReason::UnknownField`]).
pub fn check_op(
    value: &serde_json::Value,
    device_id: &str,
    user_id: i64,
    role: Role,
) -> Result<Op, RejectReason> {
    let schema = value
        .get("schema")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| RejectReason::Malformed {
            detail: "no schema".into(),
        })?;
    if schema == 0 || schema > u64::from(SCHEMA_VERSION) {
        return Err(RejectReason::UnknownSchema {
            schema: u32::try_from(schema).unwrap_or(u32::MAX),
        });
    }
    let op: Op = Op::deserialize(value).map_err(|e| RejectReason::Malformed {
        detail: limits::truncate(TextField::Title, &e.to_string()),
    })?;
    if op.user_id != user_id {
        return Err(RejectReason::WrongUser);
    }
    if op.device_id != device_id || is_server_device(&op.device_id) || op.seq == 0 {
        return Err(RejectReason::Malformed {
            detail: "op does not belong to this device".into(),
        });
    }
    if !limits::is_token(&op.op_id) {
        return Err(RejectReason::BadId {
            field: "op_id".into(),
        });
    }
    let authority = op.event.authority();
    if authority.device == DeviceKind::Server {
        return Err(RejectReason::ServerOnly);
    }
    if !authority.allows(role) {
        return Err(RejectReason::NotAllowed);
    }
    op.event.check_shape()?;
    let canonical = serde_json::to_value(&op).map_err(|e| RejectReason::Malformed {
        detail: e.to_string(),
    })?;
    if canonical != *value {
        return Err(match extra_field(value, &canonical, "") {
            Some(field) => RejectReason::UnknownField { field },
            None => RejectReason::Malformed {
                detail: "not in canonical form".into(),
            },
        });
    }
    Ok(op)
}

/// The path of the first field of `sent` that `canonical` lacks.
fn extra_field(
    sent: &serde_json::Value,
    canonical: &serde_json::Value,
    path: &str,
) -> Option<String> {
    let (serde_json::Value::Object(sent), serde_json::Value::Object(canonical)) = (sent, canonical)
    else {
        return None;
    };
    sent.iter().find_map(|(key, value)| {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let here = limits::truncate(TextField::Title, &here);
        match canonical.get(key) {
            None => Some(here),
            Some(inner) => extra_field(value, inner, &here),
        }
    })
}

impl Op {
    /// Bounds the device's clock by the server's: a time later than the
    /// receipt (`received_ms`) becomes the receipt. Device clocks can be
    /// off by days; one ahead of the server would otherwise push an
    /// attempt's time limit into the future.
    pub fn clamp_time(&mut self, received_ms: i64) {
        self.client_time_ms = self.client_time_ms.min(received_ms);
    }
}

/// Formats a UUIDv7 (RFC 9562) from a Unix time in milliseconds and 10
/// random bytes. The caller supplies the randomness (the browser's crypto),
/// so this stays pure. Ids made later sort later, which keeps the server's
/// unique index on `op_id` compact.
pub fn uuid_v7(unix_ms: u64, random: [u8; 10]) -> String {
    uuid::Builder::from_unix_timestamp_millis(unix_ms, &random)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sync::DeviceLog;

    const ROLES: [Role; 4] = [
        Role::Trainee,
        Role::Lecturer,
        Role::CentreAdmin,
        Role::ProvinceAdmin,
    ];

    #[test]
    fn uuid_v7_has_version_variant_and_time_order() {
        let a = uuid_v7(1_700_000_000_000, [0xff; 10]);
        let b = uuid_v7(1_700_000_000_001, [0x00; 10]);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "7");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert!(a < b, "later ids sort later");
        assert_eq!(&uuid_v7(0x0123_4567_89ab, [0; 10])[..13], "01234567-89ab");
    }

    pub(crate) fn opened(n: u32) -> Event {
        Event::LessonOpened {
            course_id: "c".into(),
            lesson_id: format!("l{n}"),
        }
    }

    #[test]
    fn ops_of_an_unknown_schema_or_another_user_are_refused() {
        let mut log = DeviceLog::new("d1");
        let op = log.record("op-1".into(), 7, 0, opened(1));
        let mut value = serde_json::to_value(&op).unwrap();
        let t = Role::Trainee;
        assert_eq!(check_op(&value, "d1", 7, t), Ok(op.clone()));
        assert_eq!(check_op(&value, "d1", 8, t), Err(RejectReason::WrongUser));
        assert!(matches!(
            check_op(&value, "d2", 7, t),
            Err(RejectReason::Malformed { .. })
        ));
        value["schema"] = serde_json::json!(SCHEMA_VERSION + 1);
        assert_eq!(
            check_op(&value, "d1", 7, t),
            Err(RejectReason::UnknownSchema {
                schema: SCHEMA_VERSION + 1
            })
        );
        value["schema"] = serde_json::json!(1);
        value["event"] = serde_json::json!({"type": "something_new"});
        assert!(matches!(
            check_op(&value, "d1", 7, t),
            Err(RejectReason::Malformed { .. })
        ));
    }

    /// An event that changes what completion rules read (lessons read,
    /// questions answered, scenarios played, attempts handed in, grades)
    /// is one after which the server checks certificates.
    #[test]
    fn every_event_that_moves_completion_may_complete() {
        for event in one_of_each() {
            let mut progress = crate::progress::Progress::default();
            progress.apply(&event);
            let moves = !progress.completed.is_empty()
                || !progress.answered.is_empty()
                || !progress.played.is_empty()
                || !progress.submitted_attempts.is_empty()
                || matches!(event, Event::EssayGraded { .. });
            assert_eq!(event.may_complete(), moves, "{event:?}");
        }
    }

    /// One event of every kind (the `match` in the test below fails to
    /// compile when a kind is added and not listed here).
    pub(crate) fn one_of_each() -> Vec<Event> {
        let answer = Answer::SingleChoice { option: "a".into() };
        vec![
            opened(1),
            Event::LessonCompleted {
                course_id: "c".into(),
                lesson_id: "l".into(),
            },
            Event::SituationAnswered {
                course_id: "c".into(),
                situation_id: "s".into(),
                question_id: "q".into(),
                answer: answer.clone(),
            },
            Event::ScenarioChoice {
                course_id: "c".into(),
                situation_id: "s".into(),
                run_id: "r".into(),
                step: 0,
                step_id: "start".into(),
                choice_id: "a".into(),
            },
            Event::AttemptStarted {
                course_id: "c".into(),
                assessment_id: "a".into(),
                attempt_id: "t".into(),
                seed: 1,
                course_version: None,
            },
            Event::AttemptAnswered {
                course_id: "c".into(),
                assessment_id: "a".into(),
                attempt_id: "t".into(),
                question_id: "q".into(),
                answer: answer.clone(),
            },
            Event::AttemptSubmitted {
                course_id: "c".into(),
                assessment_id: "a".into(),
                attempt_id: "t".into(),
            },
            Event::EssayGraded {
                course_id: "c".into(),
                assessment_id: "a".into(),
                attempt_id: "t".into(),
                question_id: "q".into(),
                scores: vec![("r".into(), 100)],
                comment: "Tốt".into(),
            },
            Event::LiveAttended {
                session_id: "s".into(),
                course_id: "c".into(),
                title: "Phiên".into(),
            },
            Event::LiveAnswered {
                session_id: "s".into(),
                course_id: "c".into(),
                situation_id: "s".into(),
                question_id: "q".into(),
                answer,
                earned: 100,
                max: 100,
            },
        ]
    }

    /// Every kind × every role, against the table as it is meant to be: a
    /// kind added without a row here fails to compile (the `match`), one
    /// missing from `one_of_each` fails the count.
    /// The log's columns are what the JSON says: the kind is the serde tag,
    /// the course and attempt the fields of those names, the item the
    /// lesson, situation or assessment (migration 0021 fills old rows by
    /// the same rule from the JSON).
    #[test]
    fn index_matches_the_serde_shape() {
        for event in one_of_each() {
            let json = serde_json::to_value(&event).unwrap();
            let field = |name: &str| json.get(name).and_then(|v| v.as_str());
            let index = event.index();
            assert_eq!(Some(index.kind), field("type"));
            assert_eq!(Some(index.course_id), field("course_id"));
            let item = field("lesson_id")
                .or(field("situation_id"))
                .or(field("assessment_id"));
            assert_eq!(index.item_id, item, "{event:?}");
            assert_eq!(index.attempt_id, field("attempt_id"), "{event:?}");
        }
    }

    #[test]
    fn the_authority_table_covers_every_kind_and_role() {
        let samples = one_of_each();
        let mut seen = std::collections::BTreeSet::new();
        for event in &samples {
            let authority = event.authority();
            seen.insert(authority.kind);
            assert_eq!(event.kind(), authority.kind);
            assert_eq!(kind_label(authority.kind), Some(event.label()));
            let tag = serde_json::to_value(event).unwrap()["type"].clone();
            assert_eq!(tag, authority.kind, "the row names the serde tag");
            for role in ROLES {
                let expected = match event {
                    Event::LessonOpened { .. }
                    | Event::LessonCompleted { .. }
                    | Event::SituationAnswered { .. }
                    | Event::ScenarioChoice { .. }
                    | Event::AttemptStarted { .. }
                    | Event::AttemptAnswered { .. }
                    | Event::AttemptSubmitted { .. } => Ok(()),
                    Event::EssayGraded { .. } => match role {
                        Role::Lecturer | Role::CentreAdmin => Ok(()),
                        Role::Trainee | Role::ProvinceAdmin => Err(RejectReason::NotAllowed),
                    },
                    Event::LiveAttended { .. } | Event::LiveAnswered { .. } => {
                        Err(RejectReason::ServerOnly)
                    }
                };
                let mut log = DeviceLog::new("d1");
                let op = log.record("op-1".into(), 7, 0, event.clone());
                let value = serde_json::to_value(&op).unwrap();
                assert_eq!(
                    check_op(&value, "d1", 7, role).map(|_| ()),
                    expected,
                    "{} by {role:?}",
                    authority.kind
                );
                assert_eq!(authority.allows(role), expected.is_ok());
            }
            assert!(!authority.fields.is_empty());
            let names: Vec<&str> = authority.fields.iter().map(|(n, _)| *n).collect();
            let body = serde_json::to_value(event).unwrap();
            for key in body.as_object().unwrap().keys().filter(|k| *k != "type") {
                assert!(
                    names.contains(&key.as_str()),
                    "{}: field {key} has no rule",
                    authority.kind
                );
            }
        }
        assert_eq!(seen.len(), samples.len(), "one sample per kind");
    }

    #[test]
    fn the_sync_protocol_doc_has_a_row_per_kind() {
        let doc = include_str!("../../../docs/sync-protocol.md");
        for event in one_of_each() {
            let row = format!("| `{}` |", event.kind());
            assert!(doc.contains(&row), "docs/sync-protocol.md lacks {row}");
        }
    }

    #[test]
    fn unknown_fields_and_server_devices_are_refused() {
        let mut log = DeviceLog::new("d1");
        let op = log.record("op-1".into(), 7, 0, opened(1));
        let mut value = serde_json::to_value(&op).unwrap();
        value["event"]["junk"] = serde_json::json!("x".repeat(100_000));
        assert_eq!(
            check_op(&value, "d1", 7, Role::Trainee),
            Err(RejectReason::UnknownField {
                field: "event.junk".into()
            })
        );
        let mut value = serde_json::to_value(&op).unwrap();
        value["extra"] = serde_json::json!(1);
        assert_eq!(
            check_op(&value, "d1", 7, Role::Trainee),
            Err(RejectReason::UnknownField {
                field: "extra".into()
            })
        );
        let mut log = DeviceLog::new("live:8");
        let op = log.record("op-1".into(), 7, 0, opened(1));
        let value = serde_json::to_value(&op).unwrap();
        assert!(check_op(&value, "live:8", 7, Role::Trainee).is_err());
        assert!(is_server_device(&live_device(8)));
        assert!(!limits::is_token(&live_device(8)));
    }

    #[test]
    fn text_over_its_limit_and_bad_ids_are_refused() {
        let too_long = |answer: Answer| Event::SituationAnswered {
            course_id: "c".into(),
            situation_id: "s".into(),
            question_id: "q".into(),
            answer,
        };
        let opinion = "ý".repeat(TextField::Opinion.max_chars());
        assert_eq!(
            too_long(Answer::Opinion {
                text: opinion.clone()
            })
            .check_shape(),
            Ok(())
        );
        assert_eq!(
            too_long(Answer::Opinion {
                text: format!("{opinion}!")
            })
            .check_shape(),
            Err(RejectReason::TooLong {
                field: TextField::Opinion,
                max: 5_000
            })
        );
        assert!(matches!(
            too_long(Answer::MultipleChoice {
                options: vec!["a".into(); 101]
            })
            .check_shape(),
            Err(RejectReason::BadId { .. })
        ));
        // The kinds of issue 18: a number is held to a short answer's
        // length, and so is each blank; the number of blanks is bounded.
        let long = "9".repeat(TextField::ShortAnswer.max_chars() + 1);
        assert_eq!(
            too_long(Answer::Numerical { text: long.clone() }).check_shape(),
            Err(RejectReason::TooLong {
                field: TextField::ShortAnswer,
                max: 500
            })
        );
        assert_eq!(
            too_long(Answer::FillBlanks {
                gaps: vec!["1930".into(), long]
            })
            .check_shape(),
            Err(RejectReason::TooLong {
                field: TextField::ShortAnswer,
                max: 500
            })
        );
        assert!(matches!(
            too_long(Answer::FillBlanks {
                gaps: vec![String::new(); 101]
            })
            .check_shape(),
            Err(RejectReason::BadId { .. })
        ));
        assert_eq!(
            too_long(Answer::FillBlanks {
                gaps: vec!["1930".into(), "Hà Nội".into()]
            })
            .check_shape(),
            Ok(())
        );
        assert!(matches!(
            Event::LessonOpened {
                course_id: "C D".into(),
                lesson_id: "l".into()
            }
            .check_shape(),
            Err(RejectReason::BadId { .. })
        ));
        let mut log = DeviceLog::new("d1");
        let op = log.record("x".repeat(65), 7, 0, opened(1));
        let value = serde_json::to_value(&op).unwrap();
        assert!(matches!(
            check_op(&value, "d1", 7, Role::Trainee),
            Err(RejectReason::BadId { .. })
        ));
    }

    #[test]
    fn device_time_is_bounded_by_receipt() {
        let mut log = DeviceLog::new("d");
        let mut op = log.record("op".into(), 1, 10_000, opened(1));
        op.clamp_time(5_000);
        assert_eq!(op.client_time_ms, 5_000);
        op.clamp_time(9_000);
        assert_eq!(op.client_time_ms, 5_000, "an earlier time is kept");
    }
}
