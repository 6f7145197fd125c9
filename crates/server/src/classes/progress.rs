//! Progress, class matrices and certificates, computed from events with the
//! pure functions of `lophoc_core::completion` — the same the client runs.
//!
//! Policy: a certificate is issued the first time the server derives that a
//! trainee has met the course's completion rule — after a push, or when a
//! dashboard or a class matrix is computed — so it never depends on someone
//! pressing a button, and issuing twice is impossible (one per trainee and
//! course, enforced by the database).

use crate::store::StoreError;
use std::collections::HashMap;

use lophoc_core::{
    accounts::Role,
    assessment::{self, AssessmentPaper, Attempt, AttemptReport, Grades},
    classes::{AnswerLine, RecordAttempt, RecordSituation},
    completion::{course_progress, AssessmentResult, CourseProgress, Results},
    content::CourseOutline,
    events::{Event, Op},
    i18n::Lang,
    progress::{latest_situation_answers, Progress},
    question::{Question, ReviewPolicy},
};
use rand_core::{OsRng, RngCore};

use super::store::ClassRow;
use crate::accounts::store::Profile;
use crate::store::{now, Store};

/// One assessment with what scoring it needs.
pub struct AssessmentData {
    pub paper: AssessmentPaper,
    pub bank: Vec<Question>,
    /// Earlier published versions, for attempts started on them.
    pub older: Vec<(AssessmentPaper, Vec<Question>)>,
    pub grades: Grades,
    pub closed: bool,
}

impl AssessmentData {
    /// The paper and questions `attempt` is drawn and marked against.
    pub fn version_for(&self, attempt: &Attempt) -> (&AssessmentPaper, &[Question]) {
        assessment::version_for(&self.paper, &self.bank, &self.older, attempt)
    }
}

/// A published course with its assessments and their grades, loaded once
/// for computing many trainees' progress.
pub struct CourseData {
    pub outline: CourseOutline,
    pub assessments: Vec<AssessmentData>,
}

impl CourseData {
    pub async fn load(store: &Store, course_id: &str) -> Result<Option<CourseData>, StoreError> {
        let Some(outline) = store.courses.outline(course_id).await? else {
            return Ok(None);
        };
        let mut assessments = Vec::new();
        for module in &outline.modules {
            for a in &module.assessments {
                if let Some((paper, bank)) = store.courses.assessment(course_id, &a.id).await? {
                    let grades =
                        assessment::grades(&store.sync.grade_events(course_id, &a.id).await?);
                    let closed = paper.settings.is_closed(now() * 1000);
                    let older = store
                        .courses
                        .older_assessments(course_id, &a.id, paper.course_version)
                        .await?;
                    assessments.push(AssessmentData {
                        paper,
                        bank,
                        older,
                        grades,
                        closed,
                    });
                }
            }
        }
        Ok(Some(CourseData {
            outline,
            assessments,
        }))
    }

    /// The attempts that count (the first `max_attempts` started) of each
    /// assessment, with their reports; `full_review` gives every report its
    /// per-question review whatever the trainee may see (for lecturers).
    pub fn attempts(
        &self,
        events: &[Op],
        full_review: bool,
    ) -> Vec<(&AssessmentData, Vec<(Attempt, AttemptReport)>)> {
        self.assessments
            .iter()
            .map(|a| {
                let settings = &a.paper.settings;
                let allowed = settings.max_attempts.map_or(usize::MAX, |n| n as usize);
                let list = assessment::attempts(events, &self.outline.id, &a.paper.id, settings)
                    .into_iter()
                    .take(allowed)
                    .map(|attempt| {
                        let (paper, bank) = a.version_for(&attempt);
                        let report = if full_review {
                            let mut paper = paper.clone();
                            paper.settings.review = ReviewPolicy::AfterSubmit;
                            assessment::report_with_grades(
                                &attempt, &paper, bank, &a.grades, a.closed,
                            )
                        } else {
                            assessment::report_with_grades(
                                &attempt, paper, bank, &a.grades, a.closed,
                            )
                        };
                        (attempt, report)
                    })
                    .collect();
                (a, list)
            })
            .collect()
    }

    pub fn results(&self, events: &[Op]) -> Results {
        self.attempts(events, false)
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(a, list)| {
                let reports: Vec<AttemptReport> = list.into_iter().map(|(_, r)| r).collect();
                (a.paper.id.clone(), AssessmentResult::from_reports(&reports))
            })
            .collect()
    }

    pub fn progress(&self, events: &[Op]) -> CourseProgress {
        course_progress(
            &self.outline,
            &Progress::from_events(events),
            &self.results(events),
        )
    }

    /// A lecturer's view of a trainee's attempts, with the answers given;
    /// `late` are the ids of the trainee's attempts received after their
    /// assessment closed.
    pub fn record_attempts(
        &self,
        events: &[Op],
        late: &std::collections::HashSet<String>,
    ) -> Vec<RecordAttempt> {
        let mut out = Vec::new();
        for (a, list) in self.attempts(events, true) {
            for (attempt, report) in list {
                let (paper, bank) = a.version_for(&attempt);
                let by_id: HashMap<&str, &Question> =
                    bank.iter().map(|q| (q.id.as_str(), q)).collect();
                let prompts: HashMap<&str, &str> = paper
                    .bank
                    .iter()
                    .map(|q| (q.id.as_str(), q.prompt.as_str()))
                    .collect();
                let answers = report
                    .review
                    .iter()
                    .flatten()
                    .filter_map(|item| {
                        let question = by_id.get(item.question_id.as_str())?;
                        let answer = attempt
                            .answers
                            .get(&item.question_id)
                            .map(|ans| {
                                lophoc_core::answers::answer_text(&question.body, ans, Lang::Vi)
                            })
                            .unwrap_or_default();
                        Some(AnswerLine {
                            question_id: item.question_id.clone(),
                            prompt: prompts
                                .get(item.question_id.as_str())
                                .map_or_else(String::new, |p| (*p).to_string()),
                            answer,
                        })
                    })
                    .collect();
                out.push(RecordAttempt {
                    late: late.contains(&attempt.attempt_id),
                    assessment_id: a.paper.id.clone(),
                    assessment_title: a.paper.title.clone(),
                    report,
                    answers,
                });
            }
        }
        out
    }
}

/// A trainee's latest answer to each question of each situation set of the
/// course, for the lecturer's drill-down.
pub async fn record_situations(
    store: &Store,
    outline: &CourseOutline,
    events: &[Op],
) -> Result<Vec<RecordSituation>, StoreError> {
    let mut out = Vec::new();
    for set_ref in outline.modules.iter().flat_map(|m| &m.situations) {
        let latest = latest_situation_answers(events, &outline.id, &set_ref.id);
        if latest.is_empty() {
            continue;
        }
        let Some(set) = store.courses.situation(&outline.id, &set_ref.id).await? else {
            continue;
        };
        let answers = set
            .questions
            .iter()
            .filter_map(|q| {
                let answer = latest.get(q.id.as_str())?;
                Some(AnswerLine {
                    question_id: q.id.clone(),
                    prompt: q.prompt.clone(),
                    answer: lophoc_core::answers::answer_text(&q.body, answer, Lang::Vi),
                })
            })
            .collect();
        out.push(RecordSituation {
            situation_id: set.id.clone(),
            title: set.title.clone(),
            answers,
        });
    }
    Ok(out)
}

/// A new verification code: 10 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), in two groups: `K7QX2-MB9TF`. About 50 bits.
pub fn new_code() -> String {
    let chars = random_text(b"23456789ABCDEFGHJKMNPQRSTUVWXYZ");
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// Ten random characters from `alphabet` (ASCII), from the OS's generator.
/// The tiny bias of `byte % len` is irrelevant at these lengths.
pub fn random_text(alphabet: &[u8]) -> String {
    let mut bytes = [0_u8; 10];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .filter_map(|b| alphabet.get(usize::from(*b) % alphabet.len().max(1)))
        .map(|c| char::from(*c))
        .collect()
}

/// Issues the certificate if the trainee has completed the course and has
/// none yet; returns the code of the one they hold, if any.
pub async fn ensure_certificate(
    store: &Store,
    trainee: &Profile,
    data: &CourseData,
    progress: &CourseProgress,
    class: Option<&ClassRow>,
) -> Result<Option<String>, StoreError> {
    if let Some(code) = store
        .classes
        .certificate_code(trainee.user.id, &data.outline.id)
        .await?
    {
        return Ok(Some(code));
    }
    if !progress.completed || trainee.user.role != Role::Trainee {
        return Ok(None);
    }
    let centre = class
        .map(|c| c.centre_name.clone())
        .or_else(|| trainee.centre_name.clone());
    let Some(centre) = centre else {
        // A trainee of no centre: no one could vouch for the certificate.
        return Ok(None);
    };
    let code = store
        .classes
        .issue_certificate(
            &new_code(),
            trainee,
            &data.outline.id,
            &data.outline.title,
            &centre,
            class,
        )
        .await?;
    tracing::info!(user = trainee.user.id, course = %data.outline.id, %code, "certificate issued");
    Ok(Some(code))
}

/// After events of `user_ids` arrived: issues the certificates they earned.
/// Errors are logged, never returned: the push has already succeeded.
///
/// One check per user at a time: a device draining its outbox pushes many
/// batches in a row, and each would otherwise start a check that reads all
/// the user's events. A push during a running check asks for one more run
/// after it, which sees everything pushed meanwhile.
pub async fn check_certificates(store: Store, user_ids: Vec<i64>) {
    for user_id in user_ids {
        if !claim_check(&store, user_id) {
            continue;
        }
        loop {
            if let Err(error) = check_user(&store, user_id).await {
                tracing::error!(user_id, %error, "checking certificates failed");
            }
            if !release_check(&store, user_id) {
                break;
            }
        }
    }
}

/// Starts a check for `user_id`, or asks the running one to run again.
fn claim_check(store: &Store, user_id: i64) -> bool {
    let Ok(mut running) = store.classes.certificate_checks.lock() else {
        return true;
    };
    match running.get_mut(&user_id) {
        Some(again) => {
            *again = true;
            false
        }
        None => {
            running.insert(user_id, false);
            true
        }
    }
}

/// Ends a check run; true when another run was asked for meanwhile.
fn release_check(store: &Store, user_id: i64) -> bool {
    let Ok(mut running) = store.classes.certificate_checks.lock() else {
        return false;
    };
    if running.get(&user_id) == Some(&true) {
        running.insert(user_id, false);
        true
    } else {
        running.remove(&user_id);
        false
    }
}

async fn check_user(store: &Store, user_id: i64) -> Result<(), StoreError> {
    let Some(profile) = store.accounts.profile(user_id).await? else {
        return Ok(());
    };
    if profile.user.role != Role::Trainee {
        return Ok(());
    }
    let events = store.sync.user_events(user_id).await?;
    let classes = store.classes.member_classes(user_id).await?;
    for course_id in store.sync.courses_with_events(user_id).await? {
        if store
            .classes
            .certificate_code(user_id, &course_id)
            .await?
            .is_some()
        {
            continue;
        }
        let Some(data) = CourseData::load(store, &course_id).await? else {
            continue;
        };
        let progress = data.progress(&events);
        let class = classes.iter().find(|c| c.course_id == course_id);
        ensure_certificate(store, &profile, &data, &progress, class).await?;
    }
    Ok(())
}

/// The users whose progress a batch of ops may change: the pusher, and the
/// owners of attempts a lecturer graded.
pub async fn affected_users(store: &Store, pusher: i64, ops: &[Op]) -> Vec<i64> {
    let mut users = vec![pusher];
    for op in ops {
        if let Event::EssayGraded { attempt_id, .. } = &op.event {
            if let Ok(Some(owner)) = store.sync.attempt_owner(attempt_id).await {
                if !users.contains(&owner) {
                    users.push(owner);
                }
            }
        }
    }
    users
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_check_per_user_at_a_time_and_one_more_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        assert!(claim_check(&store, 7));
        assert!(
            !claim_check(&store, 7),
            "a push during the check asks again"
        );
        assert!(!claim_check(&store, 7), "asking twice is one more run");
        assert!(
            claim_check(&store, 8),
            "another user's check runs alongside"
        );
        assert!(release_check(&store, 7), "the run asked for happens");
        assert!(!release_check(&store, 7), "then the check ends");
        assert!(claim_check(&store, 7), "and the next push starts a new one");
    }

    #[test]
    fn codes_are_two_groups_of_unambiguous_characters() {
        let a = new_code();
        assert_eq!(a.len(), 11);
        assert_eq!(&a[5..6], "-");
        assert!(a
            .chars()
            .filter(|c| *c != '-')
            .all(|c| "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c)));
        assert_ne!(a, new_code());
    }
}
