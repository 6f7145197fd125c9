//! xAPI (Experience API 1.0.3) export: a trainee's learning record as
//! statements a learning record store (LRS) accepts.
//!
//! Policy (see `docs/xapi.md`): a statement is a pure function of one [`Op`]
//! plus what the caller knows about the learner, titles and settled attempt
//! scores, so an export of the same events is the same array every time.
//!
//! - **Ids.** A statement's `id` is its op's `op_id` (a UUIDv7 from
//!   [`lophoc_core::events::uuid_v7`], lowercased), so re-exporting never creates a
//!   second copy in the LRS. An op id that is not a UUID (ops written by
//!   tools or tests) is replaced by a name-based UUID (version 5, RFC 4122)
//!   of `{base}/ops/{op_id}`; [`registration`] does the same for attempt and
//!   scenario-run ids. The same input always gives the same UUID.
//! - **Actor.** Always the learner, named by an account on the centre's
//!   site, even for [`Event::EssayGraded`], which the lecturer's device
//!   pushes: the statement says what the *learner's* answer scored. Only
//!   grades of this learner's own attempts are exported; every other event
//!   must carry the learner's user id, anything else is skipped.
//! - **Time.** `timestamp` is the device's clock ([`rfc3339_utc`]): it can
//!   be off by days. The LRS sets `stored` on arrival; the statement never
//!   carries `stored`, `authority` or `version`, which belong to the LRS.
//! - **What is left out.** Discussion opinions say that the trainee
//!   answered, never what: discussions show answers without names, and an
//!   export names the learner. Lecturers' comments on essays stay in Lophoc.
//! - Every [`Event`] is mapped by an exhaustive `match`, so adding an event
//!   forces a decision here. Live sessions: attendance maps to
//!   [`XapiVerb::Attended`] with the session (a meeting) as the object, an
//!   answer to `answered` with its points; both carry the session id as the
//!   registration.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use lophoc_core::{
    assessment::AttemptReport,
    events::{Event, Op},
    question::{Answer, CENTI_PER_POINT},
};

/// A language map: language tag → text, e.g. `{"vi-VN": "đã hoàn thành"}`.
pub type LanguageMap = BTreeMap<String, String>;

/// The learner whose record is exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    pub user_id: i64,
    /// The login name: the account name in the statements.
    pub username: String,
    pub full_name: String,
}

/// What an activity is, for looking up its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    Course,
    Lesson,
    /// A situation set (bộ câu hỏi tình huống).
    Situation,
    Assessment,
}

/// The settled outcome of an attempt, from its [`AttemptReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptScore {
    /// Hundredths of a point.
    pub earned: u64,
    /// Hundredths of a point.
    pub max: u64,
    /// `None` while essays await grading.
    pub passed: Option<bool>,
}

impl From<&AttemptReport> for AttemptScore {
    fn from(report: &AttemptReport) -> AttemptScore {
        AttemptScore {
            earned: report.earned,
            max: report.max,
            passed: report.passed,
        }
    }
}

/// What the export needs beyond the events.
pub struct XapiContext<'a> {
    /// The site, e.g. `https://lophoc.example`: activity IRIs start with it
    /// and it is the home page of the learner's account. A trailing `/` is
    /// ignored.
    pub base_url: &'a str,
    /// The title of an activity: `(kind, course id, id)`; for a course the
    /// id is the course id. `None` leaves the statement without a name.
    pub titles: &'a dyn Fn(ActivityKind, &str, &str) -> Option<String>,
    /// Attempt outcomes by attempt id; an attempt missing here is exported
    /// as `completed`, without a score.
    pub scores: &'a HashMap<String, AttemptScore>,
}

/// One xAPI statement. Field names follow the specification (camelCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// A UUID: the op's id.
    pub id: String,
    pub actor: Agent,
    pub verb: Verb,
    pub object: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<StatementResult>,
    pub context: Context,
    /// RFC 3339, UTC, from the device's clock; `None` when out of range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// The learner, identified by an account on the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    /// Always `"Agent"`.
    pub object_type: String,
    pub name: String,
    pub account: Account,
}

/// An account on a system: `homePage` is the site, `name` the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub home_page: String,
    pub name: String,
}

/// A verb: an IRI and its display names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verb {
    pub id: String,
    pub display: LanguageMap,
}

/// An activity: a course, lesson, question, scenario step or assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Always `"Activity"`.
    pub object_type: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<ActivityDefinition>,
}

/// What an activity is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDefinition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<LanguageMap>,
    /// An ADL activity type IRI.
    #[serde(rename = "type")]
    pub activity_type: String,
    /// For questions and steps: `choice`, `true-false`, `sequencing`,
    /// `matching`, `fill-in` or `long-fill-in`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_type: Option<String>,
}

/// The outcome of the statement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatementResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<ResultScore>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<bool>,
    /// The answer, in the xAPI interaction format (`a[,]b`, `0[.]2[,]1[.]0`,
    /// `true`, or the text typed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// A score in points (`raw`, `min`, `max`) and as a fraction (`scaled`,
/// rounded down to 4 decimals).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultScore {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaled: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Where the statement happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    /// The attempt (or scenario run) the statement belongs to, as a UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    pub context_activities: ContextActivities,
    pub platform: String,
    pub language: String,
}

/// The course (`parent`), and the situation set or assessment a question
/// or step belongs to (`grouping`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextActivities {
    pub parent: Vec<Activity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grouping: Vec<Activity>,
}

/// The ADL verbs Lophoc uses (`http://adlnet.gov/expapi/verbs/<verb>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XapiVerb {
    /// A lesson opened.
    Experienced,
    /// A lesson read, or an attempt handed in whose outcome is not settled.
    Completed,
    /// A situation question, a scenario step or an assessment question.
    Answered,
    /// An attempt started.
    Attempted,
    /// An attempt at or above the pass mark.
    Passed,
    /// An attempt that cannot reach the pass mark.
    Failed,
    /// An essay graded by a lecturer.
    Scored,
    /// A live session attended. No event records attendance yet; this is
    /// its mapping for when one does.
    Attended,
}

impl XapiVerb {
    /// The verb's last IRI segment, which is also its English display.
    pub fn word(self) -> &'static str {
        match self {
            XapiVerb::Experienced => "experienced",
            XapiVerb::Completed => "completed",
            XapiVerb::Answered => "answered",
            XapiVerb::Attempted => "attempted",
            XapiVerb::Passed => "passed",
            XapiVerb::Failed => "failed",
            XapiVerb::Scored => "scored",
            XapiVerb::Attended => "attended",
        }
    }

    fn vietnamese(self) -> &'static str {
        match self {
            XapiVerb::Experienced => "đã xem",
            XapiVerb::Completed => "đã hoàn thành",
            XapiVerb::Answered => "đã trả lời",
            XapiVerb::Attempted => "đã bắt đầu làm bài",
            XapiVerb::Passed => "đạt",
            XapiVerb::Failed => "không đạt",
            XapiVerb::Scored => "được chấm điểm",
            XapiVerb::Attended => "đã tham dự",
        }
    }

    /// The verb as it appears in a statement.
    pub fn verb(self) -> Verb {
        Verb {
            id: format!("http://adlnet.gov/expapi/verbs/{}", self.word()),
            display: LanguageMap::from([
                ("en-US".to_string(), self.word().to_string()),
                ("vi-VN".to_string(), self.vietnamese().to_string()),
            ]),
        }
    }
}

const ACTIVITY_TYPES: &str = "http://adlnet.gov/expapi/activities/";

/// The learner's events as statements, in the order of `ops`. Ops of
/// another user are skipped, except grades of the learner's own attempts
/// (an attempt is the learner's when `ops` holds its start by the
/// learner); a repeated op id is exported once.
pub fn statements(learner: &Learner, ops: &[Op], ctx: &XapiContext) -> Vec<Statement> {
    let own_attempts: HashSet<&str> = ops
        .iter()
        .filter(|op| op.user_id == learner.user_id)
        .filter_map(|op| match &op.event {
            Event::AttemptStarted { attempt_id, .. } => Some(attempt_id.as_str()),
            _ => None,
        })
        .collect();
    let exporter = Exporter {
        ctx,
        base: ctx.base_url.trim_end_matches('/'),
        actor: Agent {
            object_type: "Agent".into(),
            name: learner.full_name.clone(),
            account: Account {
                home_page: ctx.base_url.trim_end_matches('/').into(),
                name: learner.username.clone(),
            },
        },
    };
    let mut seen = HashSet::new();
    ops.iter()
        .filter(|op| match &op.event {
            Event::EssayGraded { attempt_id, .. } => own_attempts.contains(attempt_id.as_str()),
            _ => op.user_id == learner.user_id,
        })
        .filter(|op| seen.insert(op.op_id.as_str()))
        .map(|op| exporter.statement(op))
        .collect()
}

struct Exporter<'a> {
    ctx: &'a XapiContext<'a>,
    base: &'a str,
    actor: Agent,
}

/// What a statement is about, before it is assembled.
struct Parts {
    verb: XapiVerb,
    course: String,
    object: Activity,
    grouping: Option<Activity>,
    registration: Option<String>,
    result: Option<StatementResult>,
}

impl Exporter<'_> {
    fn statement(&self, op: &Op) -> Statement {
        let parts = self.parts(&op.event);
        Statement {
            id: uuid_or_derived(&op.op_id, &format!("{}/ops/{}", self.base, op.op_id)),
            actor: self.actor.clone(),
            verb: parts.verb.verb(),
            object: parts.object,
            result: parts.result,
            context: Context {
                registration: parts.registration,
                context_activities: ContextActivities {
                    parent: vec![self.activity(ActivityKind::Course, &parts.course, &parts.course)],
                    grouping: parts.grouping.into_iter().collect(),
                },
                platform: "Lophoc".into(),
                language: "vi-VN".into(),
            },
            timestamp: rfc3339_utc(op.client_time_ms),
        }
    }

    fn parts(&self, event: &Event) -> Parts {
        let parts = |verb, course: &str, object| Parts {
            verb,
            course: course.to_string(),
            object,
            grouping: None,
            registration: None,
            result: None,
        };
        match event {
            Event::LessonOpened {
                course_id,
                lesson_id,
            } => parts(
                XapiVerb::Experienced,
                course_id,
                self.activity(ActivityKind::Lesson, course_id, lesson_id),
            ),
            Event::LessonCompleted {
                course_id,
                lesson_id,
            } => Parts {
                result: Some(StatementResult {
                    completion: Some(true),
                    ..StatementResult::default()
                }),
                ..parts(
                    XapiVerb::Completed,
                    course_id,
                    self.activity(ActivityKind::Lesson, course_id, lesson_id),
                )
            },
            Event::SituationAnswered {
                course_id,
                situation_id,
                question_id,
                answer,
            } => {
                let set = self.activity(ActivityKind::Situation, course_id, situation_id);
                Parts {
                    result: response(answer).map(answered),
                    ..parts(
                        XapiVerb::Answered,
                        course_id,
                        child(&set, "questions", question_id, interaction_type(answer)),
                    )
                }
                .grouped(set)
            }
            Event::ScenarioChoice {
                course_id,
                situation_id,
                run_id,
                // The order of steps is the order of the timestamps; the
                // path is replayed from the choices in Lophoc itself.
                step: _,
                step_id,
                choice_id,
            } => {
                let set = self.activity(ActivityKind::Situation, course_id, situation_id);
                Parts {
                    registration: Some(registration(self.base, "scenario-runs", run_id)),
                    result: Some(answered(choice_id.clone())),
                    ..parts(
                        XapiVerb::Answered,
                        course_id,
                        child(&set, "steps", step_id, "choice"),
                    )
                }
                .grouped(set)
            }
            Event::EssayGraded {
                course_id,
                assessment_id,
                attempt_id,
                question_id,
                scores,
                comment: _,
            } => {
                let paper = self.activity(ActivityKind::Assessment, course_id, assessment_id);
                let earned: u64 = scores.iter().map(|(_, c)| u64::from(*c)).sum();
                Parts {
                    registration: Some(registration(self.base, "attempts", attempt_id)),
                    result: Some(StatementResult {
                        score: Some(ResultScore {
                            raw: Some(points(earned)),
                            ..ResultScore::default()
                        }),
                        ..StatementResult::default()
                    }),
                    ..parts(
                        XapiVerb::Scored,
                        course_id,
                        child(&paper, "questions", question_id, "long-fill-in"),
                    )
                }
                .grouped(paper)
            }
            Event::AttemptStarted {
                course_id,
                assessment_id,
                attempt_id,
                ..
            } => Parts {
                registration: Some(registration(self.base, "attempts", attempt_id)),
                ..parts(
                    XapiVerb::Attempted,
                    course_id,
                    self.activity(ActivityKind::Assessment, course_id, assessment_id),
                )
            },
            Event::AttemptAnswered {
                course_id,
                assessment_id,
                attempt_id,
                question_id,
                answer,
            } => {
                let paper = self.activity(ActivityKind::Assessment, course_id, assessment_id);
                Parts {
                    registration: Some(registration(self.base, "attempts", attempt_id)),
                    result: response(answer).map(answered),
                    ..parts(
                        XapiVerb::Answered,
                        course_id,
                        child(&paper, "questions", question_id, interaction_type(answer)),
                    )
                }
                .grouped(paper)
            }
            Event::AttemptSubmitted {
                course_id,
                assessment_id,
                attempt_id,
            } => {
                let score = self.ctx.scores.get(attempt_id);
                let verb = match score.and_then(|s| s.passed) {
                    Some(true) => XapiVerb::Passed,
                    Some(false) => XapiVerb::Failed,
                    None => XapiVerb::Completed,
                };
                Parts {
                    registration: Some(registration(self.base, "attempts", attempt_id)),
                    result: Some(StatementResult {
                        score: score
                            .filter(|s| s.passed.is_some())
                            .and_then(|s| result_score(s.earned, s.max)),
                        success: score.and_then(|s| s.passed),
                        completion: Some(true),
                        response: None,
                    }),
                    ..parts(
                        verb,
                        course_id,
                        self.activity(ActivityKind::Assessment, course_id, assessment_id),
                    )
                }
            }
            Event::LiveAttended {
                session_id,
                course_id,
                title,
            } => Parts {
                registration: Some(registration(self.base, "live-sessions", session_id)),
                ..parts(
                    XapiVerb::Attended,
                    course_id,
                    self.session(course_id, session_id, title),
                )
            },
            Event::LiveAnswered {
                session_id,
                course_id,
                situation_id,
                question_id,
                answer,
                earned,
                max,
            } => {
                let set = self.activity(ActivityKind::Situation, course_id, situation_id);
                let mut result = response(answer).map(answered).unwrap_or_default();
                result.score = result_score(u64::from(*earned), u64::from(*max));
                Parts {
                    registration: Some(registration(self.base, "live-sessions", session_id)),
                    result: Some(result),
                    ..parts(
                        XapiVerb::Answered,
                        course_id,
                        child(&set, "questions", question_id, interaction_type(answer)),
                    )
                }
                .grouped(set)
            }
        }
    }

    /// A live session: `{base}/courses/{course}/live-sessions/{id}`, a meeting.
    fn session(&self, course: &str, id: &str, title: &str) -> Activity {
        Activity {
            object_type: "Activity".into(),
            id: format!(
                "{}/courses/{}/live-sessions/{}",
                self.base,
                segment_encode(course),
                segment_encode(id)
            ),
            definition: Some(ActivityDefinition {
                name: Some(LanguageMap::from([(
                    "vi-VN".to_string(),
                    title.to_string(),
                )])),
                activity_type: format!("{ACTIVITY_TYPES}meeting"),
                interaction_type: None,
            }),
        }
    }

    /// `{base}/courses/{course}` for a course, else
    /// `{base}/courses/{course}/{lessons|situations|assessments}/{id}`.
    fn activity(&self, kind: ActivityKind, course: &str, id: &str) -> Activity {
        let (segment, activity_type) = match kind {
            ActivityKind::Course => (None, "course"),
            ActivityKind::Lesson => (Some("lessons"), "lesson"),
            ActivityKind::Situation => (Some("situations"), "simulation"),
            ActivityKind::Assessment => (Some("assessments"), "assessment"),
        };
        let mut iri = format!("{}/courses/{}", self.base, segment_encode(course));
        if let Some(segment) = segment {
            iri = format!("{iri}/{segment}/{}", segment_encode(id));
        }
        Activity {
            object_type: "Activity".into(),
            id: iri,
            definition: Some(ActivityDefinition {
                name: (self.ctx.titles)(kind, course, id)
                    .map(|title| LanguageMap::from([("vi-VN".to_string(), title)])),
                activity_type: format!("{ACTIVITY_TYPES}{activity_type}"),
                interaction_type: None,
            }),
        }
    }
}

impl Parts {
    fn grouped(self, group: Activity) -> Parts {
        Parts {
            grouping: Some(group),
            ..self
        }
    }
}

/// A question or step of `parent`: `{parent}/{segment}/{id}`, untitled.
fn child(parent: &Activity, segment: &str, id: &str, interaction: &str) -> Activity {
    Activity {
        object_type: "Activity".into(),
        id: format!("{}/{segment}/{}", parent.id, segment_encode(id)),
        definition: Some(ActivityDefinition {
            name: None,
            activity_type: format!("{ACTIVITY_TYPES}cmi.interaction"),
            interaction_type: Some(interaction.to_string()),
        }),
    }
}

fn answered(response: String) -> StatementResult {
    StatementResult {
        response: Some(response),
        ..StatementResult::default()
    }
}

/// Points from hundredths, exactly representable to two decimals.
fn points(centi: u64) -> f64 {
    centi as f64 / f64::from(CENTI_PER_POINT)
}

/// A settled attempt's score; `None` when there was nothing to score
/// (xAPI wants `max` above `min`).
fn result_score(earned: u64, max: u64) -> Option<ResultScore> {
    if max == 0 {
        return None;
    }
    let earned = earned.min(max);
    let scaled = u128::from(earned) * 10_000 / u128::from(max);
    Some(ResultScore {
        scaled: Some(scaled as f64 / 10_000.0),
        raw: Some(points(earned)),
        min: Some(0.0),
        max: Some(points(max)),
    })
}

/// The xAPI interaction type of the question an answer was given to.
fn interaction_type(answer: &Answer) -> &'static str {
    match answer {
        Answer::SingleChoice { .. } | Answer::MultipleChoice { .. } => "choice",
        Answer::TrueFalse { .. } => "true-false",
        Answer::Ordering { .. } => "sequencing",
        Answer::Matching { .. } => "matching",
        Answer::ShortAnswer { .. } | Answer::FillBlanks { .. } => "fill-in",
        Answer::Numerical { .. } => "numeric",
        Answer::Essay { .. } | Answer::Opinion { .. } => "long-fill-in",
    }
}

/// The answer in the xAPI response format: option ids (or authored item
/// indexes) joined by `[,]`, pairs as `left[.]right`. `None` for an
/// opinion (see the module policy).
fn response(answer: &Answer) -> Option<String> {
    let join = |items: Vec<String>| items.join("[,]");
    match answer {
        Answer::SingleChoice { option } => Some(option.clone()),
        Answer::MultipleChoice { options } => Some(join(options.clone())),
        Answer::TrueFalse { value } => Some(value.to_string()),
        Answer::Ordering { order } => Some(join(order.iter().map(usize::to_string).collect())),
        Answer::Matching { matches } => Some(join(
            matches
                .iter()
                .enumerate()
                .map(|(left, right)| format!("{left}[.]{right}"))
                .collect(),
        )),
        Answer::ShortAnswer { text } | Answer::Essay { text } => Some(text.clone()),
        // xAPI's numeric response is the number itself, as read.
        Answer::Numerical { text } => Some(
            lophoc_core::number::read_number(text).map_or_else(|_| text.clone(), |n| n.to_string()),
        ),
        // One entry per blank, as xAPI's fill-in joins them.
        Answer::FillBlanks { gaps } => Some(join(gaps.clone())),
        Answer::Opinion { .. } => None,
    }
}

/// Percent-encodes an id for an IRI path segment. Content ids are already
/// slugs; ids from devices are not checked, so encode anyway.
fn segment_encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The registration UUID of an attempt (`kind` = `"attempts"`) or a
/// scenario run (`"scenario-runs"`): the id itself, lowercased, when it is a
/// UUID (Lophoc's are UUIDv7), else the name-based UUID (version 5, URL
/// namespace) of `{base}/{kind}/{id}`, which anyone can recompute, e.g.
/// `uuid.uuid5(uuid.NAMESPACE_URL, "https://lophoc.example/attempts/a-1")`
/// in Python.
pub fn registration(base_url: &str, kind: &str, id: &str) -> String {
    let base = base_url.trim_end_matches('/');
    uuid_or_derived(id, &format!("{base}/{kind}/{id}"))
}

fn uuid_or_derived(id: &str, name: &str) -> String {
    if is_uuid(id) {
        id.to_ascii_lowercase()
    } else {
        uuid_v5_url(name)
    }
}

/// Whether `s` is a UUID in the RFC 4122 string form (`8-4-4-4-12` hex
/// digits) with the RFC variant and a version from 1 to 8.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && uuid::Uuid::try_parse(s).is_ok_and(|u| {
            u.get_variant() == uuid::Variant::RFC4122 && (1..=8).contains(&u.get_version_num())
        })
}

/// A name-based UUID (version 5) of `name` in the URL namespace.
fn uuid_v5_url(name: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// Milliseconds since the Unix epoch as RFC 3339 in UTC with
/// milliseconds, e.g. `2024-02-29T12:34:56.789Z`; `None` outside the years
/// 0000 to 9999, which RFC 3339 cannot write.
pub fn rfc3339_utc(unix_ms: i64) -> Option<String> {
    const DAY_MS: i64 = 86_400_000;
    let days = unix_ms.div_euclid(DAY_MS);
    let in_day = unix_ms.rem_euclid(DAY_MS);
    let (year, month, day) = lophoc_core::calendar::civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (second, milli) = (in_day / 1_000 % 60, in_day % 1_000);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lophoc_core::{calendar::end_of_day_vn_ms, events::uuid_v7, sync::DeviceLog};
    use proptest::prelude::*;
    use serde_json::json;

    const BASE: &str = "https://lophoc.example/";

    fn learner() -> Learner {
        Learner {
            user_id: 7,
            username: "nguyenvana".into(),
            full_name: "Nguyễn Văn A".into(),
        }
    }

    fn title(kind: ActivityKind, _course: &str, id: &str) -> Option<String> {
        match kind {
            ActivityKind::Course => Some("Bồi dưỡng đảng viên mới".into()),
            ActivityKind::Assessment if id == "kt-1" => Some("Kiểm tra cuối khoá".into()),
            _ => None,
        }
    }

    const ATTEMPT: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    fn all_events() -> Vec<Event> {
        let c = || "ddv".to_string();
        vec![
            Event::LessonOpened {
                course_id: c(),
                lesson_id: "bai-1".into(),
            },
            Event::LessonCompleted {
                course_id: c(),
                lesson_id: "bai-1".into(),
            },
            Event::SituationAnswered {
                course_id: c(),
                situation_id: "th-1".into(),
                question_id: "q1".into(),
                answer: Answer::MultipleChoice {
                    options: vec!["a".into(), "c".into()],
                },
            },
            Event::ScenarioChoice {
                course_id: c(),
                situation_id: "th-2".into(),
                run_id: "run-1".into(),
                step: 0,
                step_id: "s1".into(),
                choice_id: "hoi-y-kien".into(),
            },
            Event::AttemptStarted {
                course_id: c(),
                assessment_id: "kt-1".into(),
                attempt_id: ATTEMPT.into(),
                seed: 42,
                course_version: Some(1),
            },
            Event::AttemptAnswered {
                course_id: c(),
                assessment_id: "kt-1".into(),
                attempt_id: ATTEMPT.into(),
                question_id: "q2".into(),
                answer: Answer::TrueFalse { value: false },
            },
            Event::AttemptSubmitted {
                course_id: c(),
                assessment_id: "kt-1".into(),
                attempt_id: ATTEMPT.into(),
            },
            Event::EssayGraded {
                course_id: c(),
                assessment_id: "kt-1".into(),
                attempt_id: ATTEMPT.into(),
                question_id: "q3".into(),
                scores: vec![("y".into(), 150), ("z".into(), 100)],
                comment: "Tốt".into(),
            },
        ]
    }

    /// The learner's ops for [`all_events`], the grade pushed by a lecturer.
    fn ops() -> Vec<Op> {
        let mut trainee = DeviceLog::new("phone");
        let mut lecturer = DeviceLog::new("laptop");
        all_events()
            .into_iter()
            .enumerate()
            .map(|(i, event)| {
                let ms = 1_709_210_096_789 + i as i64 * 1_000;
                let id = uuid_v7(ms as u64, [i as u8; 10]);
                if matches!(event, Event::EssayGraded { .. }) {
                    lecturer.record(id, 3, ms, event)
                } else {
                    trainee.record(id, 7, ms, event)
                }
            })
            .collect()
    }

    fn export(scores: &HashMap<String, AttemptScore>) -> Vec<Statement> {
        let ctx = XapiContext {
            base_url: BASE,
            titles: &title,
            scores,
        };
        statements(&learner(), &ops(), &ctx)
    }

    fn verbs(list: &[Statement]) -> Vec<&str> {
        list.iter()
            .map(|s| {
                s.verb
                    .id
                    .trim_start_matches("http://adlnet.gov/expapi/verbs/")
            })
            .collect()
    }

    #[test]
    fn each_event_maps_to_its_verb_and_keeps_its_op_id() {
        let list = export(&HashMap::new());
        assert_eq!(
            verbs(&list),
            [
                "experienced",
                "completed",
                "answered",
                "answered",
                "attempted",
                "answered",
                "completed",
                "scored"
            ]
        );
        let ids: Vec<String> = ops().into_iter().map(|op| op.op_id).collect();
        assert_eq!(
            list.iter().map(|s| &s.id).collect::<Vec<_>>(),
            ids.iter().collect::<Vec<_>>()
        );
        for s in &list {
            assert!(is_uuid(&s.id));
            assert_eq!(
                s.actor.account.name, "nguyenvana",
                "the grade too is the learner's"
            );
            assert_eq!(s.actor.account.home_page, "https://lophoc.example");
            assert_eq!(
                s.context.context_activities.parent[0].id,
                "https://lophoc.example/courses/ddv"
            );
            let display = &s.verb.display;
            assert!(display.contains_key("vi-VN") && display.contains_key("en-US"));
        }
        assert_eq!(
            list[2].object.id,
            "https://lophoc.example/courses/ddv/situations/th-1/questions/q1"
        );
        assert_eq!(
            list[2].result.as_ref().and_then(|r| r.response.as_deref()),
            Some("a[,]c")
        );
        assert_eq!(
            list[3].object.id,
            "https://lophoc.example/courses/ddv/situations/th-2/steps/s1"
        );
        assert_eq!(
            list[3].result.as_ref().and_then(|r| r.response.as_deref()),
            Some("hoi-y-kien")
        );
        let raw = list[7]
            .result
            .as_ref()
            .and_then(|r| r.score.as_ref())
            .and_then(|s| s.raw);
        assert_eq!(raw, Some(2.5));
    }

    #[test]
    fn a_settled_attempt_is_passed_or_failed() {
        let decided = |passed| {
            HashMap::from([(
                ATTEMPT.to_string(),
                AttemptScore {
                    earned: 700,
                    max: 1_000,
                    passed,
                },
            )])
        };
        assert_eq!(verbs(&export(&decided(Some(true))))[6], "passed");
        let failed = &export(&decided(Some(false)))[6];
        assert_eq!(verbs(std::slice::from_ref(failed)), ["failed"]);
        let result = failed.result.clone().unwrap();
        assert_eq!(
            (result.success, result.completion),
            (Some(false), Some(true))
        );
        let waiting = &export(&decided(None))[6];
        assert_eq!(waiting.verb.id, "http://adlnet.gov/expapi/verbs/completed");
        assert_eq!(waiting.result.as_ref().and_then(|r| r.score.clone()), None);
    }

    #[test]
    fn attempt_events_carry_a_uuid_registration() {
        let list = export(&HashMap::new());
        for s in &list[3..] {
            let registration = s.context.registration.as_deref().unwrap();
            assert!(is_uuid(registration), "{registration}");
        }
        assert_eq!(list[4].context.registration.as_deref(), Some(ATTEMPT));
        assert_eq!(list[0].context.registration, None);
        // Not a UUID: a version-5 UUID, the same every time (checked
        // against Python's uuid.uuid5(uuid.NAMESPACE_URL, ...)).
        assert_eq!(
            registration(BASE, "registrations", "att-1"),
            "74eda3c1-8596-5c78-82a2-a17f3dad38e1"
        );
        assert_eq!(
            registration(BASE, "attempts", "A"),
            registration("https://lophoc.example", "attempts", "A")
        );
        assert_ne!(
            registration(BASE, "attempts", "a-1"),
            registration(BASE, "attempts", "a-2")
        );
        let upper = ATTEMPT.to_ascii_uppercase();
        assert_eq!(registration(BASE, "attempts", &upper), ATTEMPT);
    }

    #[test]
    fn uuid_v5_matches_the_reference_vector() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "http://python.org/")
        assert_eq!(
            uuid_v5_url("http://python.org/"),
            "4c565f0d-3f5a-5890-b41b-20cf47701c5e"
        );
        assert!(is_uuid(&uuid_v7(1, [0xab; 10])));
        assert!(!is_uuid("op-1"));
        assert!(
            !is_uuid("01890a5d-ac96-074b-bcce-b302099a8057"),
            "version 0"
        );
        assert!(
            !is_uuid("01890a5d-ac96-774b-3cce-b302099a8057"),
            "NCS variant"
        );
    }

    #[test]
    fn op_ids_that_are_not_uuids_get_a_stable_one() {
        let mut log = DeviceLog::new("d");
        let op = log.record("op-1".into(), 7, 0, all_events().remove(0));
        let scores = HashMap::new();
        let ctx = XapiContext {
            base_url: BASE,
            titles: &title,
            scores: &scores,
        };
        let a = statements(&learner(), &[op.clone(), op.clone()], &ctx);
        assert_eq!(a.len(), 1, "a repeated op is exported once");
        assert!(is_uuid(&a[0].id));
        assert_eq!(a[0].id, statements(&learner(), &[op], &ctx)[0].id);
    }

    #[test]
    fn other_users_events_are_skipped_but_grades_of_own_attempts_kept() {
        let mut list = ops();
        let mut stranger = DeviceLog::new("other");
        let id = uuid_v7(5, [9; 10]);
        list.push(stranger.record(id.clone(), 8, 0, all_events().remove(0)));
        let mut lecturer = DeviceLog::new("laptop2");
        let mut grade = all_events().remove(7);
        if let Event::EssayGraded { attempt_id, .. } = &mut grade {
            *attempt_id = "someone-elses".into();
        }
        list.push(lecturer.record(uuid_v7(6, [9; 10]), 3, 0, grade));
        let scores = HashMap::new();
        let ctx = XapiContext {
            base_url: BASE,
            titles: &title,
            scores: &scores,
        };
        assert_eq!(statements(&learner(), &list, &ctx).len(), 8);
    }

    #[test]
    fn opinions_are_answered_without_their_text() {
        let mut log = DeviceLog::new("d");
        let op = log.record(
            uuid_v7(1, [1; 10]),
            7,
            0,
            Event::SituationAnswered {
                course_id: "c".into(),
                situation_id: "s".into(),
                question_id: "q".into(),
                answer: Answer::Opinion {
                    text: "Tôi nghĩ rằng…".into(),
                },
            },
        );
        let scores = HashMap::new();
        let ctx = XapiContext {
            base_url: BASE,
            titles: &|_, _, _| None,
            scores: &scores,
        };
        let s = &statements(&learner(), &[op], &ctx)[0];
        assert_eq!(s.verb.id, "http://adlnet.gov/expapi/verbs/answered");
        assert_eq!(s.result, None);
        assert_eq!(
            s.context.context_activities.grouping[0].id,
            "https://lophoc.example/courses/c/situations/s"
        );
        assert_eq!(
            s.context.context_activities.parent[0]
                .definition
                .as_ref()
                .unwrap()
                .name,
            None
        );
    }

    #[test]
    fn a_passed_attempt_serialises_exactly() {
        let scores = HashMap::from([(
            ATTEMPT.to_string(),
            AttemptScore {
                earned: 850,
                max: 1_200,
                passed: Some(true),
            },
        )]);
        let statement = export(&scores).remove(6);
        let expected = json!({
            "id": ops()[6].op_id,
            "actor": {
                "objectType": "Agent",
                "name": "Nguyễn Văn A",
                "account": { "homePage": "https://lophoc.example", "name": "nguyenvana" }
            },
            "verb": {
                "id": "http://adlnet.gov/expapi/verbs/passed",
                "display": { "en-US": "passed", "vi-VN": "đạt" }
            },
            "object": {
                "objectType": "Activity",
                "id": "https://lophoc.example/courses/ddv/assessments/kt-1",
                "definition": {
                    "name": { "vi-VN": "Kiểm tra cuối khoá" },
                    "type": "http://adlnet.gov/expapi/activities/assessment"
                }
            },
            "result": {
                "score": { "scaled": 0.7083, "raw": 8.5, "min": 0.0, "max": 12.0 },
                "success": true,
                "completion": true
            },
            "context": {
                "registration": ATTEMPT,
                "contextActivities": {
                    "parent": [{
                        "objectType": "Activity",
                        "id": "https://lophoc.example/courses/ddv",
                        "definition": {
                            "name": { "vi-VN": "Bồi dưỡng đảng viên mới" },
                            "type": "http://adlnet.gov/expapi/activities/course"
                        }
                    }]
                },
                "platform": "Lophoc",
                "language": "vi-VN"
            },
            "timestamp": "2024-02-29T12:35:02.789Z"
        });
        let value = serde_json::to_value(&statement).unwrap();
        assert_eq!(value, expected);
        let back: Statement = serde_json::from_value(value).unwrap();
        assert_eq!(back, statement);
    }

    #[test]
    fn ids_in_iris_are_percent_encoded() {
        assert_eq!(segment_encode("bai-1"), "bai-1");
        assert_eq!(segment_encode("a b/ư"), "a%20b%2F%C6%B0");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339_utc(0).as_deref(), Some("1970-01-01T00:00:00.000Z"));
        assert_eq!(rfc3339_utc(-1).as_deref(), Some("1969-12-31T23:59:59.999Z"));
        assert_eq!(
            rfc3339_utc(1_709_210_096_789).as_deref(),
            Some("2024-02-29T12:34:56.789Z")
        );
        assert_eq!(
            rfc3339_utc(951_868_799_999).as_deref(),
            Some("2000-02-29T23:59:59.999Z")
        );
        assert_eq!(
            rfc3339_utc(-2_203_891_200_000).as_deref(),
            Some("1900-03-01T00:00:00.000Z")
        );
        assert_eq!(
            rfc3339_utc(253_402_300_799_999).as_deref(),
            Some("9999-12-31T23:59:59.999Z")
        );
        assert_eq!(rfc3339_utc(253_402_300_800_000), None);
        assert_eq!(rfc3339_utc(i64::MIN), None);
        assert_eq!(rfc3339_utc(i64::MAX), None);
    }

    proptest! {
        /// The formatter agrees with the date parser in `question`: the last
        /// millisecond of a Vietnamese day is 16:59:59.999 UTC that day.
        #[test]
        fn timestamps_agree_with_the_date_parser(y in 1970i64..=9999, m in 1i64..=12, d in 1i64..=28) {
            let date = format!("{y:04}-{m:02}-{d:02}");
            let end = end_of_day_vn_ms(&date).unwrap();
            prop_assert_eq!(rfc3339_utc(end - 1), Some(format!("{date}T16:59:59.999Z")));
        }
    }
}
