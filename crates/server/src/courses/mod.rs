//! Published courses: the list, one course's outline, a lesson, a media file.
//!
//! Policy: any signed-in user may read published courses (every trainee of a
//! centre studies its courses; class rosters narrow this later). Ids are
//! checked against the id rule before reaching the store, so a malformed id
//! is simply not found.

pub mod store;

use std::collections::HashSet;

use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use lophoc_core::{
    accounts::Role,
    api::CourseSummary,
    assessment::{self, AssessmentPaper, AttemptReport, GradingItem, IssuedSeeds},
    content::{CourseOutline, DiscussionResponse, Lesson, SituationMode, SituationSet},
    ids::is_valid_id,
    question::QuestionBody,
};

use crate::{auth::AuthUser, error::HttpError, AppState};

/// `GET /api/grading`, mounted at the API root.
pub fn grading_router() -> Router<AppState> {
    Router::new().route("/grading", get(grading))
}

/// Essay answers waiting for marks. A lecturer sees the trainees of the
/// classes they teach (in the class's course), a centre admin the trainees
/// of their centre; trainees and province admins (who grade nothing) get 403.
async fn grading(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<GradingItem>>, HttpError> {
    Ok(Json(grading_items(&state, user.id).await?))
}

/// The grading queue of `user_id` (see [`grading`]): also counted on the
/// staff home page.
pub(crate) async fn grading_items(
    state: &AppState,
    user_id: i64,
) -> Result<Vec<GradingItem>, HttpError> {
    let me = crate::classes::me(state, user_id).await?;
    // (course, trainee) pairs a lecturer teaches.
    let mut taught = HashSet::new();
    match me.user.role {
        Role::Trainee | Role::ProvinceAdmin => return Err(HttpError::Forbidden),
        Role::CentreAdmin => {}
        Role::Lecturer => {
            for class in state.store.classes.classes_for(&me).await? {
                for member in state.store.classes.class_members(class.id).await? {
                    taught.insert((class.course_id.clone(), member.id));
                }
            }
        }
    }
    let mut items = Vec::new();
    for (course, id) in state.store.courses.assessment_ids().await? {
        let Some((paper, bank)) = state.store.courses.assessment(&course, &id).await? else {
            continue;
        };
        let grades = assessment::grades(&state.store.sync.grade_events(&course, &id).await?);
        let older = state
            .store
            .courses
            .older_assessments(&course, &id, paper.course_version)
            .await?;
        for (trainee_id, trainee) in state.store.sync.assessment_takers(&course, &id).await? {
            let allowed = match me.user.role {
                Role::Lecturer => taught.contains(&(course.clone(), trainee_id)),
                Role::CentreAdmin => {
                    me.centre_id.is_some()
                        && state
                            .store
                            .accounts
                            .profile(trainee_id)
                            .await?
                            .is_some_and(|p| p.centre_id == me.centre_id)
                }
                Role::Trainee | Role::ProvinceAdmin => false,
            };
            if !allowed {
                continue;
            }
            let events = state.store.sync.user_events(trainee_id).await?;
            for attempt in assessment::attempts(&events, &course, &id, &paper.settings) {
                let (_, bank) = assessment::version_for(&paper, &bank, &older, &attempt);
                for (question, answer) in assessment::ungraded_essays(&attempt, bank, &grades) {
                    let QuestionBody::Essay { rubric } = &question.body else {
                        continue;
                    };
                    items.push(GradingItem {
                        course_id: course.clone(),
                        assessment_id: id.clone(),
                        assessment_title: paper.title.clone(),
                        attempt_id: attempt.attempt_id.clone(),
                        question_id: question.id.clone(),
                        prompt: question.prompt.clone(),
                        rubric: rubric.clone(),
                        answer,
                        trainee: trainee.clone(),
                        model_answer: question.explanation.clone(),
                        grader_note: question.grader_note.clone(),
                    });
                }
            }
        }
    }
    Ok(items)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/{course}", get(outline))
        .route("/{course}/lessons/{lesson}", get(lesson))
        .route("/{course}/media/{name}", get(media))
        .route("/{course}/situations/{situation}", get(situation))
        .route("/{course}/assessments/{assessment}", get(assessment))
        .route("/{course}/assessments/{assessment}/attempts", get(attempts))
        .route("/{course}/situations/{situation}/responses", get(responses))
}

async fn list(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
) -> Result<Json<Vec<CourseSummary>>, HttpError> {
    Ok(Json(state.store.courses.list().await?))
}

async fn outline(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    Path(course): Path<String>,
) -> Result<Json<CourseOutline>, HttpError> {
    if !is_valid_id(&course) {
        return Err(HttpError::NotFound);
    }
    state
        .store
        .courses
        .outline(&course)
        .await?
        .map(Json)
        .ok_or(HttpError::NotFound)
}

async fn lesson(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    Path((course, lesson)): Path<(String, String)>,
) -> Result<Json<Lesson>, HttpError> {
    if !is_valid_id(&course) || !is_valid_id(&lesson) {
        return Err(HttpError::NotFound);
    }
    state
        .store
        .courses
        .lesson(&course, &lesson)
        .await?
        .map(Json)
        .ok_or(HttpError::NotFound)
}

async fn media(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    Path((course, name)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    if !is_valid_id(&course) {
        return Err(HttpError::NotFound);
    }
    let (mime, bytes) = state
        .store
        .courses
        .media(&course, &name)
        .await?
        .ok_or(HttpError::NotFound)?;
    let content_type = HeaderValue::from_str(&mime)
        .map_err(|_| HttpError::BadRequest(format!("bad stored MIME type {mime}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=300"),
            ),
            // An SVG opened on its own must not run script in our origin.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A situation set. Trainees get it without the grader-only notes; staff
/// (who see them beside the questions) with them.
async fn situation(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, situation)): Path<(String, String)>,
) -> Result<Json<SituationSet>, HttpError> {
    if !is_valid_id(&course) || !is_valid_id(&situation) {
        return Err(HttpError::NotFound);
    }
    let set = state
        .store
        .courses
        .situation(&course, &situation)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok(Json(if user.role == Role::Trainee {
        set.for_trainee()
    } else {
        set
    }))
}

/// Classmates' answers to a discussion set, without names: those of the
/// trainees who share a class of this course with the asker, nobody
/// else's. Only for discussion sets, and only once the asker has answered
/// it themselves, so nobody reads others' views before forming their own;
/// the asker's own answers are left out.
async fn responses(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, situation)): Path<(String, String)>,
) -> Result<Json<Vec<DiscussionResponse>>, HttpError> {
    if !is_valid_id(&course) || !is_valid_id(&situation) {
        return Err(HttpError::NotFound);
    }
    let set = state
        .store
        .courses
        .situation(&course, &situation)
        .await?
        .ok_or(HttpError::NotFound)?;
    if set.mode != SituationMode::Discussion
        || !state
            .store
            .sync
            .has_answered(user.id, &course, &situation)
            .await?
    {
        return Err(HttpError::Forbidden);
    }
    Ok(Json(
        state
            .store
            .sync
            .discussion_responses(user.id, &course, &situation)
            .await?,
    ))
}

/// The answer-free paper of an assessment (works offline once downloaded),
/// with the attempt seeds the server issues the asker: one per attempt they
/// may still start (see `lophoc_core::assessment::seeds_to_issue`), none
/// once the assessment has closed. A device can only take the paper these
/// seeds draw; it cannot pick its own.
async fn assessment(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, id)): Path<(String, String)>,
) -> Result<Json<AssessmentPaper>, HttpError> {
    if !is_valid_id(&course) || !is_valid_id(&id) {
        return Err(HttpError::NotFound);
    }
    let (mut paper, _) = state
        .store
        .courses
        .assessment(&course, &id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let seeds = if paper.settings.is_closed(crate::store::now_ms()) {
        Vec::new()
    } else {
        let received = state
            .store
            .sync
            .attempts_received(user.id, &course, &id)
            .await?;
        (1..=assessment::seeds_to_issue(&paper.settings, received))
            .map(|rank| state.store.sync.attempt_seed(user.id, &course, &id, rank))
            .collect()
    };
    paper.seeds = Some(IssuedSeeds {
        user_id: user.id,
        seeds,
    });
    Ok(Json(paper))
}

/// The asker's own attempts at an assessment, scored from their synced
/// events; per-question review only as the assessment's policy allows.
async fn attempts(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((course, id)): Path<(String, String)>,
) -> Result<Json<Vec<AttemptReport>>, HttpError> {
    if !is_valid_id(&course) || !is_valid_id(&id) {
        return Err(HttpError::NotFound);
    }
    let (paper, bank) = state
        .store
        .courses
        .assessment(&course, &id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let events = state.store.sync.user_events(user.id).await?;
    let attempts = assessment::attempts(&events, &course, &id, &paper.settings);
    let grades = assessment::grades(&state.store.sync.grade_events(&course, &id).await?);
    let older = state
        .store
        .courses
        .older_assessments(&course, &id, paper.course_version)
        .await?;
    // Only the allowed number of attempts count (in the order they were
    // started), even if a second device started more while offline.
    let allowed = paper
        .settings
        .max_attempts
        .map_or(usize::MAX, |n| n as usize);
    let closed = paper.settings.is_closed(crate::store::now() * 1000);
    Ok(Json(
        attempts
            .iter()
            .take(allowed)
            .map(|a| {
                let (paper, bank) = assessment::version_for(&paper, &bank, &older, a);
                assessment::report_with_grades(a, paper, bank, &grades, closed)
            })
            .collect(),
    ))
}
