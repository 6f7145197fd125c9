//! Assessments (kiểm tra, đánh giá): the paper a trainee sees, attempts
//! recorded as events, and the results the server computes.
//!
//! Policy: the correct answers never leave the server. The device receives
//! an answer-free [`AssessmentPaper`] (the whole bank, without correct flags,
//! feedback, accepted answers or explanations), so an attempt can be taken
//! offline: the questions are drawn from the pools and their options
//! shuffled with a seed stored in the attempt's first event, so a resumed
//! attempt looks exactly the same. Every answer is an event as soon as it is
//! given. Scoring happens on the server, from the events.
//!
//! The time limit runs on the device's clock, relative to the attempt's own
//! start: an answer counts if the device recorded it before the start plus
//! the limit (and a minute's grace for slow taps), so a device clock that is
//! off by days changes nothing, and an attempt taken offline is judged the
//! same as one taken online. The server bounds every device time by its own
//! receipt time (a clock ahead cannot stretch the limit).
//!
//! What decides a mark is decided by the server ([`judge_start`]): attempts
//! are counted and ordered by server receipt (the first `max_attempts`
//! received count; one more is refused); the questions drawn come from a
//! seed the server issued to this trainee for this attempt number (sent with
//! the paper, so an offline start still works; any other seed is refused, so
//! a device cannot re-roll its paper); and the closing date is judged by
//! receipt time. An attempt started offline before the close (by the
//! device's clock) and received after it, within [`LATE_SYNC_GRACE_MS`], is
//! kept and flagged late for the lecturer; later than that, refused. Kinds whose presentation would reveal the
//! answer (ordering and matching show authored indexes) are not allowed in
//! assessment banks yet; the loader refuses them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{
    events::{Event, Op},
    question::{
        attempt_result, draw, question_seed, score, Answer, AssessmentSettings, Correctness,
        Criterion, Difficulty, DrawError, Gap, PoolRule, PresentedGap, PresentedOption, Question,
        QuestionBody, ReviewPolicy, CENTI_PER_POINT, FULL_CREDIT,
    },
};

/// Grace after the time limit for answers recorded at the last second.
pub const GRACE_MS: i64 = 60_000;

/// How long after an assessment closes an attempt started offline before
/// the close may still arrive: it is kept, flagged late for the lecturer.
pub const LATE_SYNC_GRACE_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Seeds issued ahead of the attempts received, for an assessment without
/// an attempt limit (with one, a seed per allowed attempt).
pub const SEEDS_AHEAD: u32 = 20;

/// How many attempt seeds to issue with the paper to a trainee who has
/// `received` attempts on the server: one per attempt they may still start.
pub fn seeds_to_issue(settings: &AssessmentSettings, received: u32) -> u32 {
    settings
        .max_attempts
        .unwrap_or_else(|| received.saturating_add(SEEDS_AHEAD))
}

/// How the server took an attempt's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartVerdict {
    /// In time.
    OnTime,
    /// Received after the assessment closed, started (device time) before:
    /// kept and shown to the lecturer as late.
    Late,
}

/// Judges an `attempt_started` as the server receives it. `prior` is the
/// number of this user's attempts at the assessment the server already
/// holds (so this one is attempt `prior + 1` by receipt); `issued` are the
/// seeds the server issues this user for attempts `1..=prior + 1`, in order;
/// `used` the seeds of the attempts it holds; `started_ms` is the device's
/// start time, already bounded by `received_ms`, the server's clock at
/// receipt.
///
/// The seed must be one issued for this attempt or an earlier one that no
/// attempt has used: an honest device takes the next one, and a paper
/// already drawn can never be drawn again (its review may have shown the
/// answers).
pub fn judge_start(
    settings: &AssessmentSettings,
    prior: u32,
    seed: u64,
    issued: &[u64],
    used: &[u64],
    started_ms: i64,
    received_ms: i64,
) -> Result<StartVerdict, crate::events::RejectReason> {
    use crate::events::RejectReason;
    if !settings.may_start(prior) {
        return Err(RejectReason::NoAttemptsLeft);
    }
    let rank = usize::try_from(prior)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    if !issued.iter().take(rank).any(|&s| s == seed) || used.contains(&seed) {
        return Err(RejectReason::SeedNotIssued);
    }
    let close = settings
        .closes_on
        .as_deref()
        .and_then(crate::calendar::end_of_day_vn_ms);
    match close {
        Some(end) if received_ms >= end => {
            if started_ms < end && received_ms <= end.saturating_add(LATE_SYNC_GRACE_MS) {
                Ok(StartVerdict::Late)
            } else {
                Err(RejectReason::AssessmentClosed)
            }
        }
        _ => Ok(StartVerdict::OnTime),
    }
}
/// A question of the paper: what the trainee may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperQuestion {
    pub id: String,
    /// Sanitized HTML.
    pub prompt: String,
    pub points: u32,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub body: PaperBody,
}

/// The answer-free body of a paper question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaperBody {
    SingleChoice {
        options: Vec<PresentedOption>,
    },
    MultipleChoice {
        options: Vec<PresentedOption>,
    },
    TrueFalse {},
    ShortAnswer {},
    /// Type a number; the accepted values stay on the server.
    Numerical {},
    /// The prompt holds the gap markers; each gap's kind, and a drop-down's
    /// options (shuffled per attempt), without the answers.
    FillBlanks {
        gaps: Vec<PresentedGap>,
    },
    Essay {
        rubric: Vec<Criterion>,
    },
}

/// `GET /api/courses/{course}/assessments/{id}`: everything needed to take
/// the assessment, offline too, and nothing that gives answers away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentPaper {
    pub course_id: String,
    /// The published version of the course this paper belongs to (0 before
    /// publishing). An attempt records it when it starts, and is drawn and
    /// marked against this version's questions even after a newer version
    /// changes them.
    #[serde(default)]
    pub course_version: i64,
    pub module_id: String,
    pub id: String,
    pub title: String,
    /// Sanitized HTML.
    pub intro_html: String,
    pub settings: AssessmentSettings,
    pub pools: Vec<PoolRule>,
    pub bank: Vec<PaperQuestion>,
    /// The attempt seeds the server issued the user who asked for the
    /// paper (none in the stored copy, nor once the assessment closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeds: Option<IssuedSeeds>,
}

impl AssessmentPaper {
    /// The paper as the course has it, without the seeds issued to the user
    /// who asked: what a course's download size counts, before and after a
    /// download (the seeds are a few bytes of that user's, not the course's).
    pub fn course_part(&self) -> Self {
        Self {
            seeds: None,
            ..self.clone()
        }
    }
}

/// The attempt seeds the server issued one user for an assessment, sent
/// with the paper so an attempt can start offline: the seed of attempt `n`
/// (by the user's count) is `seeds[n - 1]`. A device that has used them all
/// needs the network once to get more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedSeeds {
    pub user_id: i64,
    pub seeds: Vec<u64>,
}

impl IssuedSeeds {
    /// The seed for the attempt after `used` attempts, if one was issued.
    pub fn next(&self, used: usize) -> Option<u64> {
        self.seeds.get(used).copied()
    }
}

/// Pool rules whose tags both match one question of the bank: with such
/// overlaps a draw could succeed for one seed and fail for another, so the
/// loader refuses them. Tags compare folded (case and tone marks ignored).
pub fn overlapping_pools(pools: &[PoolRule], bank: &[PaperQuestion]) -> Vec<(String, String)> {
    let mut overlaps = Vec::new();
    for (i, a) in pools.iter().enumerate() {
        for b in &pools[i + 1..] {
            let both = bank.iter().any(|q| {
                let has = |tag: &str| {
                    q.tags
                        .iter()
                        .any(|t| crate::text::fold(t) == crate::text::fold(tag))
                };
                has(&a.tag) && has(&b.tag)
            });
            if both || crate::text::fold(&a.tag) == crate::text::fold(&b.tag) {
                overlaps.push((a.tag.clone(), b.tag.clone()));
            }
        }
    }
    overlaps
}

/// The paper version of a question, or `None` for kinds assessments do not
/// take (ordering, matching, opinion).
pub fn paper_question(question: &Question) -> Option<PaperQuestion> {
    let options = |o: &[crate::question::Choice]| {
        o.iter()
            .map(|c| PresentedOption {
                id: c.id.clone(),
                text: c.text.clone(),
            })
            .collect()
    };
    let body = match &question.body {
        QuestionBody::SingleChoice { options: o } => PaperBody::SingleChoice {
            options: options(o),
        },
        QuestionBody::MultipleChoice { options: o } => PaperBody::MultipleChoice {
            options: options(o),
        },
        QuestionBody::TrueFalse { .. } => PaperBody::TrueFalse {},
        QuestionBody::ShortAnswer { .. } => PaperBody::ShortAnswer {},
        QuestionBody::Numerical { .. } => PaperBody::Numerical {},
        QuestionBody::FillBlanks { gaps } => PaperBody::FillBlanks {
            gaps: gaps
                .iter()
                .map(|g| PresentedGap::of(g, |n| (0..n).collect()))
                .collect(),
        },
        QuestionBody::Essay { rubric } => PaperBody::Essay {
            rubric: rubric.clone(),
        },
        QuestionBody::Ordering { .. }
        | QuestionBody::Matching { .. }
        | QuestionBody::Opinion {} => return None,
    };
    Some(PaperQuestion {
        id: question.id.clone(),
        prompt: question.prompt.clone(),
        points: question.points,
        difficulty: question.difficulty,
        tags: question.tags.clone(),
        body,
    })
}

/// The questions of an attempt with `seed`: drawn from the pools (or the
/// whole bank when there are no pools), options shuffled per question.
/// The server and the device compute the same paper from the same seed.
pub fn attempt_questions(
    paper: &AssessmentPaper,
    seed: u64,
) -> Result<Vec<PaperQuestion>, DrawError> {
    // `draw` reads only ids, tags and difficulty; give it stand-ins.
    let stand_ins: Vec<Question> = paper
        .bank
        .iter()
        .map(|q| Question {
            id: q.id.clone(),
            prompt: String::new(),
            points: q.points,
            difficulty: q.difficulty,
            tags: q.tags.clone(),
            explanation: None,
            grader_note: None,
            body: QuestionBody::Opinion {},
        })
        .collect();
    let ids = if paper.pools.is_empty() {
        paper.bank.iter().map(|q| q.id.clone()).collect()
    } else {
        draw(&stand_ins, &paper.pools, seed)?
    };
    let by_id: HashMap<&str, &PaperQuestion> =
        paper.bank.iter().map(|q| (q.id.as_str(), q)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.get(id.as_str()))
        .map(|q| {
            let mut q = (*q).clone();
            let order =
                crate::question::shuffle_seeded(question_seed(seed, &q.id), option_count(&q.body));
            if let PaperBody::SingleChoice { options } | PaperBody::MultipleChoice { options } =
                &mut q.body
            {
                let original = options.clone();
                *options = order
                    .iter()
                    .filter_map(|&i| original.get(i).cloned())
                    .collect();
            }
            if let PaperBody::FillBlanks { gaps } = &mut q.body {
                for (g, gap) in gaps.iter_mut().enumerate() {
                    if let PresentedGap::Choice { options } = gap {
                        let gap_seed = question_seed(seed, &format!("{}#{}", q.id, g + 1));
                        let order = crate::question::shuffle_seeded(gap_seed, options.len());
                        let original = options.clone();
                        *options = order
                            .iter()
                            .filter_map(|&i| original.get(i).cloned())
                            .collect();
                    }
                }
            }
            q
        })
        .collect())
}

fn option_count(body: &PaperBody) -> usize {
    match body {
        PaperBody::SingleChoice { options } | PaperBody::MultipleChoice { options } => {
            options.len()
        }
        _ => 0,
    }
}

/// The paper and questions of the course version `attempt` was started on
/// when that version is kept, else the current ones (attempts from devices
/// that did not say, or from before versions were kept). So answers given
/// before a newer version changed a question stay tied to the question they
/// answered, and the questions drawn from the seed are the ones the trainee
/// saw.
pub fn version_for<'a>(
    paper: &'a AssessmentPaper,
    bank: &'a [Question],
    older: &'a [(AssessmentPaper, Vec<Question>)],
    attempt: &Attempt,
) -> (&'a AssessmentPaper, &'a [Question]) {
    match attempt.course_version {
        Some(v) if v != paper.course_version => older
            .iter()
            .find(|(p, _)| p.course_version == v)
            .map_or((paper, bank), |(p, b)| (p, b.as_slice())),
        _ => (paper, bank),
    }
}

/// One attempt as the events tell it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub attempt_id: String,
    pub seed: u64,
    /// The course version the attempt was started on, when its device said.
    pub course_version: Option<i64>,
    /// Device time of the start, ms: the time limit counts from here.
    pub started_ms: i64,
    /// The latest answer per question, given in time.
    pub answers: HashMap<String, Answer>,
    pub submitted: bool,
}

/// Rebuilds the attempts of one assessment from a user's events, in the
/// order the events are given — server order (receipt) on the server, so
/// which attempts count never depends on a device's clock. Answers after
/// the time limit are ignored; a later answer to a question replaces an
/// earlier one (by the device's sequence, which orders one device's events;
/// an attempt is taken on one device).
pub fn attempts(
    ops: &[Op],
    course: &str,
    assessment: &str,
    settings: &AssessmentSettings,
) -> Vec<Attempt> {
    let mut list: Vec<Attempt> = Vec::new();
    for op in ops {
        if let Event::AttemptStarted {
            course_id,
            assessment_id,
            attempt_id,
            seed,
            course_version,
        } = &op.event
        {
            if course_id == course
                && assessment_id == assessment
                && !list.iter().any(|a| &a.attempt_id == attempt_id)
            {
                list.push(Attempt {
                    attempt_id: attempt_id.clone(),
                    seed: *seed,
                    course_version: *course_version,
                    started_ms: op.client_time_ms,
                    answers: HashMap::new(),
                    submitted: false,
                });
            }
        }
    }
    let mut ops: Vec<&Op> = ops.iter().collect();
    ops.sort_by(|a, b| (a.device_id.as_str(), a.seq).cmp(&(b.device_id.as_str(), b.seq)));
    for op in &ops {
        match &op.event {
            Event::AttemptAnswered {
                attempt_id,
                question_id,
                answer,
                ..
            } => {
                if let Some(a) = list.iter_mut().find(|a| &a.attempt_id == attempt_id) {
                    let in_time = settings
                        .deadline_ms(a.started_ms)
                        .is_none_or(|deadline| op.client_time_ms <= deadline + GRACE_MS);
                    if in_time && !a.submitted {
                        a.answers.insert(question_id.clone(), answer.clone());
                    }
                }
            }
            Event::AttemptSubmitted { attempt_id, .. } => {
                if let Some(a) = list.iter_mut().find(|a| &a.attempt_id == attempt_id) {
                    a.submitted = true;
                }
            }
            _ => {}
        }
    }
    list
}

/// One question of a reviewed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub question_id: String,
    /// The question as the trainee saw it, sanitized HTML.
    #[serde(default)]
    pub prompt: String,
    /// The trainee's own answer in words: the chosen options' texts, or
    /// `"true"` / `"false"` for a true/false statement (the client words
    /// it), or the text typed; empty when unanswered.
    #[serde(default)]
    pub answer: Vec<String>,
    pub correctness: Correctness,
    pub earned: u32,
    pub max: u32,
    /// Option feedback unlocked by the answer.
    pub feedback: Vec<String>,
    /// Sanitized HTML.
    pub explanation: Option<String>,
    /// The correct options' texts, the accepted answers, or `"true"` /
    /// `"false"` for a true/false statement (the client words it).
    pub correct: Vec<String>,
    /// The lecturer's comment on a graded essay.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A lecturer's grade of one essay answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// Hundredths per rubric criterion id.
    pub scores: Vec<(String, u32)>,
    pub comment: String,
}

/// Grades by `(attempt id, question id)`.
pub type Grades = HashMap<(String, String), Grade>;

/// The grades in a list of events, in the order given (server order): a
/// later grade of the same answer replaces an earlier one.
pub fn grades<'a>(ops: impl IntoIterator<Item = &'a Op>) -> Grades {
    let mut grades = Grades::new();
    for op in ops {
        if let Event::EssayGraded {
            attempt_id,
            question_id,
            scores,
            comment,
            ..
        } = &op.event
        {
            grades.insert(
                (attempt_id.clone(), question_id.clone()),
                Grade {
                    scores: scores.clone(),
                    comment: comment.clone(),
                },
            );
        }
    }
    grades
}

/// An attempt's result: `GET /api/courses/{course}/assessments/{id}/attempts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptReport {
    pub attempt_id: String,
    pub started_ms: i64,
    pub submitted: bool,
    /// Hundredths of a point.
    pub earned: u64,
    pub max: u64,
    pub percent: u32,
    /// `None` while essays await grading.
    pub passed: Option<bool>,
    /// Hundredths of essays still waiting for a lecturer's marks (included
    /// in `max`, not yet in `earned`): shown as pending, never as 0.
    #[serde(default)]
    pub awaiting: u64,
    pub answered: u32,
    pub question_count: u32,
    /// Per question, when the review policy allows it.
    pub review: Option<Vec<ReviewItem>>,
}

/// Scores an attempt against the full bank. `closed` tells whether the
/// assessment has closed (for the `after_close` review policy).
pub fn report(
    attempt: &Attempt,
    paper: &AssessmentPaper,
    bank: &[Question],
    closed: bool,
) -> AttemptReport {
    report_with_grades(attempt, paper, bank, &Grades::new(), closed)
}

/// [`report`], with lecturers' grades of essay answers applied.
pub fn report_with_grades(
    attempt: &Attempt,
    paper: &AssessmentPaper,
    bank: &[Question],
    grades: &Grades,
    closed: bool,
) -> AttemptReport {
    let drawn = attempt_questions(paper, attempt.seed);
    let draw_failed = drawn.is_err();
    let ids: Vec<String> = drawn
        .map(|qs| qs.into_iter().map(|q| q.id).collect())
        .unwrap_or_default();
    let by_id: HashMap<&str, &Question> = bank.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut scores = Vec::new();
    let mut review = Vec::new();
    let mut awaiting = 0_u64;
    for id in &ids {
        let Some(question) = by_id.get(id.as_str()) else {
            continue;
        };
        let answer = attempt.answers.get(id);
        let grade = grades.get(&(attempt.attempt_id.clone(), id.clone()));
        let s = match (answer, &question.body, grade) {
            (Some(_), QuestionBody::Essay { rubric }, Some(grade)) => {
                let awarded = grade.scores.iter().cloned().collect();
                crate::question::grade_essay(rubric, &awarded)
            }
            (Some(a), _, _) => score(question, a),
            (None, _, _) => crate::question::unanswered(question),
        };
        scores.push(s);
        if s.correctness == Correctness::NeedsGrading {
            awaiting += u64::from(s.max);
        }
        review.push(ReviewItem {
            question_id: id.clone(),
            prompt: question.prompt.clone(),
            answer: answer
                .map(|a| answer_texts(question, a))
                .unwrap_or_default(),
            correctness: s.correctness,
            earned: s.earned,
            max: s.max,
            feedback: answer
                .map(|a| {
                    crate::question::feedback(question, a)
                        .into_iter()
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            explanation: question.explanation.clone(),
            correct: correct_texts(question),
            comment: grade.map(|g| g.comment.clone()).filter(|c| !c.is_empty()),
        });
    }
    let mut result = attempt_result(&scores, paper.settings.pass_percent);
    if draw_failed {
        // No questions could be drawn (the loader refuses such pools, so
        // only a bank changed under an attempt gets here): never a pass.
        result.percent = 0;
        result.passed = Some(false);
    }
    let may_review = attempt.submitted
        && crate::question::can_review(paper.settings.review, attempt.submitted, closed)
        && paper.settings.review != ReviewPolicy::Never;
    AttemptReport {
        attempt_id: attempt.attempt_id.clone(),
        started_ms: attempt.started_ms,
        submitted: attempt.submitted,
        earned: result.earned,
        max: result.max,
        percent: result.percent,
        passed: result.passed,
        awaiting,
        answered: u32::try_from(
            ids.iter()
                .filter(|id| attempt.answers.contains_key(*id))
                .count(),
        )
        .unwrap_or(u32::MAX),
        question_count: u32::try_from(ids.len()).unwrap_or(u32::MAX),
        review: may_review.then_some(review),
    }
}

/// An answer in words (see [`ReviewItem::answer`]); options in their
/// authored order.
pub fn answer_texts(question: &Question, answer: &Answer) -> Vec<String> {
    match (&question.body, answer) {
        (QuestionBody::SingleChoice { options }, Answer::SingleChoice { option }) => options
            .iter()
            .filter(|o| o.id == *option)
            .map(|o| o.text.clone())
            .collect(),
        (QuestionBody::MultipleChoice { options }, Answer::MultipleChoice { options: chosen }) => {
            options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .map(|o| o.text.clone())
                .collect()
        }
        (_, Answer::TrueFalse { value }) => vec![value.to_string()],
        (_, Answer::ShortAnswer { text } | Answer::Essay { text } | Answer::Opinion { text }) => {
            vec![text.clone()]
        }
        _ => Vec::new(),
    }
}

fn correct_texts(question: &Question) -> Vec<String> {
    match &question.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.text.clone())
                .collect()
        }
        QuestionBody::TrueFalse { answer, .. } => vec![answer.to_string()],
        QuestionBody::ShortAnswer { accepted, .. } => accepted
            .iter()
            .filter(|a| a.credit == FULL_CREDIT)
            .map(|a| a.text.clone())
            .collect(),
        QuestionBody::Numerical { answers } => answers
            .iter()
            .filter(|a| a.credit == FULL_CREDIT)
            .map(crate::question::numeric_text)
            .collect(),
        QuestionBody::FillBlanks { gaps } => gaps
            .iter()
            .enumerate()
            .map(|(i, g)| format!("({}) {}", i + 1, gap_answer_text(g)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The full-credit answers of a gap, for a review: `tham ô / tham nhũng`.
pub fn gap_answer_text(gap: &Gap) -> String {
    let texts: Vec<String> = match gap {
        Gap::ShortAnswer { accepted, .. } => accepted
            .iter()
            .filter(|a| a.credit == FULL_CREDIT)
            .map(|a| a.text.clone())
            .collect(),
        Gap::Numerical { answers, .. } => answers
            .iter()
            .filter(|a| a.credit == FULL_CREDIT)
            .map(crate::question::numeric_text)
            .collect(),
        Gap::Choice { options, .. } => options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.text.clone())
            .collect(),
    };
    texts.join(" / ")
}

/// An essay answer waiting for a lecturer's marks: `GET /api/grading`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradingItem {
    pub course_id: String,
    pub assessment_id: String,
    pub assessment_title: String,
    pub attempt_id: String,
    pub question_id: String,
    /// Sanitized HTML.
    pub prompt: String,
    pub rubric: Vec<Criterion>,
    pub answer: String,
    /// The trainee's full name: lecturers grade their trainees by name.
    pub trainee: String,
    /// The question's explanation (a model answer), sanitized HTML.
    #[serde(default)]
    pub model_answer: Option<String>,
    /// The grader-only note, sanitized HTML.
    #[serde(default)]
    pub grader_note: Option<String>,
}

/// Essay answers of submitted attempts that have no grade yet: each
/// question (with its rubric, explanation and grader note, for the grader)
/// and the text written.
pub fn ungraded_essays<'q>(
    attempt: &Attempt,
    bank: &'q [Question],
    grades: &Grades,
) -> Vec<(&'q Question, String)> {
    let mut items = Vec::new();
    for question in bank {
        if !matches!(question.body, QuestionBody::Essay { .. }) {
            continue;
        }
        let Some(Answer::Essay { text }) = attempt.answers.get(&question.id) else {
            continue;
        };
        if attempt.submitted
            && !grades.contains_key(&(attempt.attempt_id.clone(), question.id.clone()))
        {
            items.push((question, text.clone()));
        }
    }
    items
}

/// Whole points as text, e.g. 150 hundredths → "1.5".
pub fn centi_text(centi: u64) -> String {
    let c = u64::from(CENTI_PER_POINT);
    if centi.is_multiple_of(c) {
        (centi / c).to_string()
    } else {
        format!("{}.{:02}", centi / c, centi % c)
            .trim_end_matches('0')
            .to_string()
    }
}
