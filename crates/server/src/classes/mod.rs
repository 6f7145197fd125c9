//! Classes, rosters, progress views, reports and certificates.
//!
//! Policy — who sees what (the authorization table test in
//! `tests/it/authz.rs` checks every route against it):
//!
//! - a trainee sees only their own progress, certificates and learning
//!   record, never a class, a roster or another trainee;
//! - a lecturer sees the classes they teach: roster, matrix, a trainee's
//!   record, statistics, exports; resets the password of a trainee on one of
//!   their classes; revokes certificates of their classes;
//! - a centre admin sees and manages every class of their centre (creates
//!   classes, imports rosters) and the centre's report;
//! - a province admin sees every centre's classes and report, and manages
//!   none;
//! - anyone, signed in or not, may check a certificate code at `/verify`.

mod export;
pub mod progress;
pub mod store;

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    accounts::Role,
    calendar::parse_date,
    classes::{
        AssessmentStats, CentreReport, Certificate, ClassDetail, ClassMatrix, ClassSummary,
        MatrixCell, MatrixModule, MatrixRow, MyCourse, NewAccount, NewClass, PasswordChange,
        QuestionReport, RecordRefused, ReportRow, Revoke, RosterImport, RosterResult,
        TraineeRecord, UserRef, MIN_PASSWORD_CHARS,
    },
    events::{Event, Op},
    ids::is_valid_id,
    stats::ScoredAttempt,
};
use lophoc_formats::{
    roster::{csv_rows, read_roster},
    xapi::{ActivityKind, AttemptScore, Learner, Statement, XapiContext},
};
use serde::Deserialize;

use self::{
    progress::{ensure_certificate, record_situations, CourseData},
    store::{ClassRow, NewTrainee},
};
use crate::{
    accounts::store::Profile,
    auth::{AuthSession, AuthUser},
    error::HttpError,
    throttle::ClientAddress,
    AppState,
};

/// Largest roster upload, in bytes.
pub const MAX_ROSTER_BYTES: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/progress", get(my_progress))
        .route("/me/password", post(change_password))
        .route("/classes", get(list).post(create))
        .route("/centre/lecturers", get(lecturers))
        .route("/classes/{id}", get(detail))
        .route("/classes/{id}/matrix", get(matrix))
        .route("/classes/{id}/export.csv", get(export_csv))
        .route("/classes/{id}/export.xlsx", get(export_xlsx))
        .route("/classes/{id}/roster", post(import_csv))
        .route("/classes/{id}/roster.xlsx", post(import_xlsx))
        .route("/classes/{id}/stats", get(stats))
        .route("/classes/{id}/xapi", get(class_xapi))
        .route("/me/xapi", get(my_xapi))
        .route("/classes/{id}/trainees/{user}", get(trainee_record))
        .route(
            "/classes/{id}/trainees/{user}/password",
            post(reset_password),
        )
        .route("/report", get(report))
        .route("/certificates/{code}", get(certificate))
        .route("/certificates/{code}/revoke", post(revoke))
        .route("/verify/{code}", get(verify))
}

/// The asker's profile (their centre), or 401 if the account is gone.
pub(crate) async fn me(state: &AppState, user_id: i64) -> Result<Profile, HttpError> {
    state
        .store
        .accounts
        .profile(user_id)
        .await?
        .ok_or(HttpError::Unauthenticated)
}

/// A class the asker may see, or 403 (also for a class that does not
/// exist, to a trainee: they learn nothing about classes).
pub(crate) async fn visible_class(
    state: &AppState,
    me: &Profile,
    class_id: i64,
) -> Result<ClassRow, HttpError> {
    if me.user.role == Role::Trainee {
        return Err(HttpError::Forbidden);
    }
    let class = state
        .store
        .classes
        .class(class_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let allowed = match me.user.role {
        Role::Trainee => false,
        Role::Lecturer => {
            state
                .store
                .classes
                .is_class_lecturer(class.id, me.user.id)
                .await?
        }
        Role::CentreAdmin => me.centre_id == Some(class.centre_id),
        Role::ProvinceAdmin => true,
    };
    if allowed {
        Ok(class)
    } else {
        Err(HttpError::Forbidden)
    }
}

fn is_centre_admin_of(me: &Profile, class: &ClassRow) -> bool {
    me.user.role == Role::CentreAdmin && me.centre_id == Some(class.centre_id)
}

async fn my_progress(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<MyCourse>>, HttpError> {
    Ok(Json(my_courses(&state, user.id).await?))
}

/// `user`'s results in every course (`GET /api/me/progress`, and the
/// progress page's document), issuing a certificate just earned.
pub(crate) async fn my_courses(state: &AppState, user: i64) -> Result<Vec<MyCourse>, HttpError> {
    let me = me(state, user).await?;
    let events = state.store.sync.user_events(user).await?;
    let classes = state.store.classes.member_classes(user).await?;
    let mut out = Vec::new();
    for course in state.store.courses.list().await? {
        let Some(data) = CourseData::load(&state.store, &course.id).await? else {
            continue;
        };
        let progress = data.progress(&events);
        let class = classes.iter().find(|c| c.course_id == course.id);
        let code = ensure_certificate(&state.store, &me, &data, &progress, class).await?;
        let certificate = match code {
            Some(code) => state
                .store
                .classes
                .certificate(&code)
                .await?
                .map(|(c, _, _)| c),
            None => None,
        };
        out.push(MyCourse {
            course_title: course.title,
            progress,
            certificate,
        });
    }
    Ok(out)
}

/// `POST /api/me/password`: the asker chooses a new password, giving the
/// current one. Every other session of theirs ends (whoever logged in with
/// the old password, e.g. the initial one printed on a roster sheet, is
/// signed out); this one stays.
async fn change_password(
    State(state): State<AppState>,
    session: AuthSession,
    ClientAddress(address): ClientAddress,
    body: Result<Json<PasswordChange>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, HttpError> {
    let Json(change) = body?;
    if change.current.len() > 256 || change.new.len() > 256 {
        return Err(HttpError::BadRequest("password too long".into()));
    }
    let user = &session.user;
    crate::auth::check_current_password(&state, user, address, change.current).await?;
    if change.new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(HttpError::WeakPassword);
    }
    let new_hash = crate::auth::hash_own_password(change.new).await?;
    state
        .store
        .accounts
        .set_password(user.id, &new_hash, false)
        .await?;
    let ended = state
        .store
        .accounts
        .end_other_sessions(user.id, &session.token_hash)
        .await?;
    tracing::info!(
        user = user.id,
        ended,
        "password changed; other sessions ended"
    );
    Ok(StatusCode::NO_CONTENT)
}

async fn list(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<ClassSummary>>, HttpError> {
    let me = me(&state, user.id).await?;
    if me.user.role == Role::Trainee {
        return Err(HttpError::Forbidden);
    }
    let mut out = Vec::new();
    for class in state.store.classes.classes_for(&me).await? {
        out.push(state.store.classes.class_summary(&class).await?);
    }
    Ok(Json(out))
}

async fn lecturers(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<UserRef>>, HttpError> {
    let me = me(&state, user.id).await?;
    match (me.user.role, me.centre_id) {
        (Role::CentreAdmin, Some(centre)) => {
            Ok(Json(state.store.accounts.centre_lecturers(centre).await?))
        }
        _ => Err(HttpError::Forbidden),
    }
}

async fn create(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<NewClass>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<ClassSummary>), HttpError> {
    let me = me(&state, user.id).await?;
    let (Role::CentreAdmin, Some(centre)) = (me.user.role, me.centre_id) else {
        return Err(HttpError::Forbidden);
    };
    let Json(mut class) = body?;
    class.name = class.name.trim().to_string();
    if class.name.is_empty() || class.name.chars().count() > 200 {
        return Err(HttpError::BadRequest("a class needs a name".into()));
    }
    let (Some(starts), Some(ends)) = (parse_date(&class.starts_on), parse_date(&class.ends_on))
    else {
        return Err(HttpError::BadRequest("dates must be YYYY-MM-DD".into()));
    };
    if ends < starts {
        return Err(HttpError::BadRequest(
            "the class ends before it starts".into(),
        ));
    }
    (class.starts_on, class.ends_on) = (starts, ends);
    if !is_valid_id(&class.course_id)
        || state
            .store
            .courses
            .outline(&class.course_id)
            .await?
            .is_none()
    {
        return Err(HttpError::BadRequest("no such course".into()));
    }
    let allowed: HashSet<i64> = state
        .store
        .accounts
        .centre_lecturers(centre)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if class.lecturer_ids.iter().any(|id| !allowed.contains(id)) {
        return Err(HttpError::BadRequest(
            "a lecturer is not one of the centre's".into(),
        ));
    }
    let id = state.store.classes.create_class(centre, &class).await?;
    let row = state
        .store
        .classes
        .class(id)
        .await?
        .ok_or(HttpError::NotFound)?;
    tracing::info!(class = id, by = user.id, "class created");
    Ok((
        StatusCode::CREATED,
        Json(state.store.classes.class_summary(&row).await?),
    ))
}

async fn detail(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<ClassDetail>, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    Ok(Json(ClassDetail {
        class: state.store.classes.class_summary(&class).await?,
        members: state.store.classes.class_members(id).await?,
        may_import: is_centre_admin_of(&me, &class),
    }))
}

/// The class matrix: every trainee's progress by module. Certificates
/// earned but not yet issued are issued on the way.
pub async fn compute_matrix(state: &AppState, class: &ClassRow) -> Result<ClassMatrix, HttpError> {
    let data = CourseData::load(&state.store, &class.course_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let members = state.store.classes.class_members(class.id).await?;
    let mut events = state.store.sync.member_events(class.id).await?;
    let mut codes = state
        .store
        .classes
        .certificate_codes(&data.outline.id)
        .await?;
    let required = &data.outline.completion.pass;
    let mut rows = Vec::with_capacity(members.len());
    for member in members {
        let events = events.remove(&member.id).unwrap_or_default();
        let progress = data.progress(&events);
        let mut certificate = codes.remove(&member.id);
        if progress.completed && certificate.is_none() {
            let profile = me(state, member.id).await?;
            certificate =
                ensure_certificate(&state.store, &profile, &data, &progress, Some(class)).await?;
        }
        rows.push(MatrixRow {
            user: UserRef {
                id: member.id,
                username: member.username,
                full_name: member.full_name,
            },
            cells: progress
                .modules
                .iter()
                .map(|m| MatrixCell {
                    status: m.status,
                    done: m.done,
                    required: m.required,
                })
                .collect(),
            percent: progress.percent,
            completed: progress.completed,
            results: required
                .iter()
                .map(|id| progress.results.get(id).cloned())
                .collect(),
            certificate,
            live_sessions: progress.live_sessions,
        });
    }
    let titles: HashMap<&str, &str> = data
        .outline
        .modules
        .iter()
        .flat_map(|m| &m.assessments)
        .map(|a| (a.id.as_str(), a.title.as_str()))
        .collect();
    Ok(ClassMatrix {
        class_id: class.id,
        class_name: class.name.clone(),
        course_id: class.course_id.clone(),
        modules: data
            .outline
            .modules
            .iter()
            .map(|m| MatrixModule {
                id: m.id.clone(),
                title: m.title.clone(),
            })
            .collect(),
        assessments: required
            .iter()
            .map(|id| MatrixModule {
                id: id.clone(),
                title: titles
                    .get(id.as_str())
                    .map_or(id.as_str(), |t| t)
                    .to_string(),
            })
            .collect(),
        rows,
    })
}

async fn matrix(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<ClassMatrix>, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    Ok(Json(compute_matrix(&state, &class).await?))
}

fn download(content_type: &'static str, class: &ClassRow, ext: &str, bytes: Vec<u8>) -> Response {
    // An ASCII file name plus the Vietnamese one (RFC 6266).
    let disposition = format!(
        "attachment; filename=\"lop-{}.{ext}\"; filename*=UTF-8''{}.{ext}",
        class.id,
        export::percent_encode(&class.name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

async fn export_csv(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    let matrix = compute_matrix(&state, &class).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        &class,
        "csv",
        export::csv(&matrix).into_bytes(),
    ))
}

async fn export_xlsx(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    let matrix = compute_matrix(&state, &class).await?;
    let bytes = export::xlsx(&matrix).map_err(|e| HttpError::Internal(e.to_string()))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &class,
        "xlsx",
        bytes,
    ))
}

async fn trainee_record(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, trainee)): Path<(i64, i64)>,
) -> Result<Json<TraineeRecord>, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    let member = state
        .store
        .classes
        .class_members(id)
        .await?
        .into_iter()
        .find(|m| m.id == trainee)
        .ok_or(HttpError::NotFound)?;
    let data = CourseData::load(&state.store, &class.course_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let events = state.store.sync.user_events(trainee).await?;
    let late = state
        .store
        .sync
        .late_attempts_in(trainee, &class.course_id)
        .await?;
    let refused = state
        .store
        .sync
        .refused_ops(trainee)
        .await?
        .into_iter()
        .map(|row| RecordRefused {
            reason: row.reason(),
            kind: row.kind,
            received_ms: row.received_ms,
        })
        .collect();
    Ok(Json(TraineeRecord {
        progress: data.progress(&events),
        attempts: data.record_attempts(&events, &late),
        situations: record_situations(&state.store, &data.outline, &events).await?,
        member,
        refused,
    }))
}

/// Per-question statistics of the class's assessments, over each
/// trainee's first handed-in attempt (the classical choice: later attempts
/// are coloured by the review of the first).
async fn stats(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AssessmentStats>>, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    let data = CourseData::load(&state.store, &class.course_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let mut firsts: HashMap<String, Vec<ScoredAttempt>> = HashMap::new();
    for events in state.store.sync.member_events(class.id).await?.values() {
        for (a, list) in data.attempts(events, true) {
            let first = list
                .iter()
                .find(|(attempt, _)| attempt.submitted)
                .and_then(|(_, report)| lophoc_core::stats::from_report(report));
            if let Some(scored) = first {
                firsts.entry(a.paper.id.clone()).or_default().push(scored);
            }
        }
    }
    Ok(Json(
        data.assessments
            .iter()
            .map(|a| {
                let attempts = firsts.remove(&a.paper.id).unwrap_or_default();
                let prompts: HashMap<&str, &str> = a
                    .paper
                    .bank
                    .iter()
                    .map(|q| (q.id.as_str(), q.prompt.as_str()))
                    .collect();
                AssessmentStats {
                    assessment_id: a.paper.id.clone(),
                    title: a.paper.title.clone(),
                    attempts: u32::try_from(attempts.len()).unwrap_or(u32::MAX),
                    questions: lophoc_core::stats::question_stats(&attempts)
                        .into_iter()
                        .map(|stat| QuestionReport {
                            question_id: stat.question_id.clone(),
                            prompt: prompts
                                .get(stat.question_id.as_str())
                                .map_or_else(String::new, |p| (*p).to_string()),
                            stat,
                        })
                        .collect(),
                }
            })
            .collect(),
    ))
}

/// The site's address as the asker reached it, for xAPI activity IRIs.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// xAPI statements of one learner in the given courses: their events and
/// the lecturers' grades of their attempts.
async fn learner_statements(
    state: &AppState,
    base: &str,
    learner: &Profile,
    events: &[Op],
    courses: &[&CourseData],
) -> Result<Vec<Statement>, HttpError> {
    let mut ops: Vec<Op> = events.to_vec();
    let mut scores = HashMap::new();
    for data in courses {
        for a in &data.assessments {
            ops.extend(
                state
                    .store
                    .sync
                    .grade_events(&data.outline.id, &a.paper.id)
                    .await?,
            );
        }
        for (_, list) in data.attempts(events, false) {
            for (attempt, report) in list {
                scores.insert(attempt.attempt_id, AttemptScore::from(&report));
            }
        }
    }
    let titles = |kind: ActivityKind, course: &str, id: &str| -> Option<String> {
        let outline = &courses.iter().find(|d| d.outline.id == course)?.outline;
        let items = outline.modules.iter();
        let mut found: Box<dyn Iterator<Item = (&String, &String)>> = match kind {
            ActivityKind::Course => return Some(outline.title.clone()),
            ActivityKind::Lesson => {
                Box::new(items.flat_map(|m| &m.lessons).map(|l| (&l.id, &l.title)))
            }
            ActivityKind::Situation => {
                Box::new(items.flat_map(|m| &m.situations).map(|s| (&s.id, &s.title)))
            }
            ActivityKind::Assessment => Box::new(
                items
                    .flat_map(|m| &m.assessments)
                    .map(|a| (&a.id, &a.title)),
            ),
        };
        found
            .find(|(item, _)| *item == id)
            .map(|(_, title)| title.clone())
    };
    let ctx = XapiContext {
        base_url: base,
        titles: &titles,
        scores: &scores,
    };
    let who = Learner {
        user_id: learner.user.id,
        username: learner.user.username.clone(),
        full_name: learner.user.full_name.clone(),
    };
    Ok(lophoc_formats::xapi::statements(&who, &ops, &ctx))
}

async fn my_xapi(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    headers: HeaderMap,
) -> Result<Json<Vec<Statement>>, HttpError> {
    let me = me(&state, user.id).await?;
    let events = state.store.sync.user_events(user.id).await?;
    let mut courses = Vec::new();
    for course in state.store.courses.list().await? {
        if let Some(data) = CourseData::load(&state.store, &course.id).await? {
            courses.push(data);
        }
    }
    let refs: Vec<&CourseData> = courses.iter().collect();
    Ok(Json(
        learner_statements(&state, &base_url(&headers), &me, &events, &refs).await?,
    ))
}

async fn class_xapi(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<Vec<Statement>>, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    let data = CourseData::load(&state.store, &class.course_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let base = base_url(&headers);
    let mut events = state.store.sync.member_events(class.id).await?;
    let mut out = Vec::new();
    for member in state.store.classes.class_members(class.id).await? {
        let Some(profile) = state.store.accounts.profile(member.id).await? else {
            continue;
        };
        let events = events.remove(&member.id).unwrap_or_default();
        // Only this class's course: a class record is about the class.
        let events: Vec<Op> = events
            .into_iter()
            .filter(|op| op_course(op) == Some(class.course_id.as_str()))
            .collect();
        out.extend(learner_statements(&state, &base, &profile, &events, &[&data]).await?);
    }
    Ok(Json(out))
}

fn op_course(op: &Op) -> Option<&str> {
    match &op.event {
        Event::LessonOpened { course_id, .. }
        | Event::LessonCompleted { course_id, .. }
        | Event::SituationAnswered { course_id, .. }
        | Event::ScenarioChoice { course_id, .. }
        | Event::EssayGraded { course_id, .. }
        | Event::AttemptStarted { course_id, .. }
        | Event::AttemptAnswered { course_id, .. }
        | Event::AttemptSubmitted { course_id, .. }
        | Event::LiveAttended { course_id, .. }
        | Event::LiveAnswered { course_id, .. } => Some(course_id),
    }
}

/// A password handed out on paper: 10 characters, lower case letters and
/// digits without look-alikes.
pub(crate) fn new_password() -> String {
    progress::random_text(b"abcdefghjkmnpqrstuvwxyz23456789")
}

async fn reset_password(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, trainee)): Path<(i64, i64)>,
) -> Result<Json<NewAccount>, HttpError> {
    let me = me(&state, user.id).await?;
    let class = visible_class(&state, &me, id).await?;
    if me.user.role == Role::ProvinceAdmin {
        return Err(HttpError::Forbidden);
    }
    let member = state
        .store
        .classes
        .class_members(class.id)
        .await?
        .into_iter()
        .find(|m| m.id == trainee)
        .ok_or(HttpError::NotFound)?;
    let password = new_password();
    let hash = crate::auth::hash_password_limited(password.clone()).await?;
    state
        .store
        .accounts
        .set_password(member.id, &hash, true)
        .await?;
    tracing::info!(trainee = member.id, by = user.id, "password reset");
    Ok(Json(NewAccount {
        full_name: member.full_name,
        birth_date: member.birth_date,
        unit: member.unit,
        username: member.username,
        password,
    }))
}

#[derive(Debug, Default, Deserialize)]
struct RosterQuery {
    #[serde(default)]
    dry_run: bool,
}

async fn import_csv(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
    body: Result<Json<RosterImport>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<RosterResult>, HttpError> {
    let class = roster_class(&state, user.id, id).await?;
    let Json(import) = body?;
    if import.csv.len() > MAX_ROSTER_BYTES {
        return Err(HttpError::TooLarge(MAX_ROSTER_BYTES as u64));
    }
    import_rows(&state, &class, csv_rows(&import.csv), import.dry_run).await
}

async fn import_xlsx(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
    query: Result<Query<RosterQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<RosterResult>, HttpError> {
    let class = roster_class(&state, user.id, id).await?;
    let Query(options) = query.map_err(|e| HttpError::BadRequest(e.body_text()))?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::TooLarge(MAX_ROSTER_BYTES as u64)
        } else {
            HttpError::BadRequest(e.body_text())
        }
    })?;
    if bytes.len() > MAX_ROSTER_BYTES {
        return Err(HttpError::TooLarge(MAX_ROSTER_BYTES as u64));
    }
    let rows = tokio::task::spawn_blocking(move || lophoc_formats::xlsx::sheet_rows(&bytes))
        .await
        .map_err(|e| HttpError::Internal(format!("reading an XLSX file: {e}")))?;
    match rows {
        Ok(rows) => import_rows(&state, &class, rows, options.dry_run).await,
        Err(_) => Ok(Json(RosterResult {
            problems: vec![lophoc_core::classes::RosterProblem {
                row: 0,
                kind: lophoc_core::classes::RosterProblemKind::Unreadable,
            }],
            rows: 0,
            accounts: Vec::new(),
        })),
    }
}

/// A class whose roster the asker may import: centre admins of its centre.
async fn roster_class(state: &AppState, user_id: i64, id: i64) -> Result<ClassRow, HttpError> {
    let me = me(state, user_id).await?;
    let class = visible_class(state, &me, id).await?;
    if is_centre_admin_of(&me, &class) {
        Ok(class)
    } else {
        Err(HttpError::Forbidden)
    }
}

async fn import_rows(
    state: &AppState,
    class: &ClassRow,
    rows: Vec<(u32, Vec<String>)>,
    dry_run: bool,
) -> Result<Json<RosterResult>, HttpError> {
    let roster = match read_roster(&rows) {
        Ok(roster) => roster,
        Err(problems) => {
            return Ok(Json(RosterResult {
                problems,
                rows: 0,
                accounts: Vec::new(),
            }))
        }
    };
    let count = u32::try_from(roster.len()).unwrap_or(u32::MAX);
    if dry_run {
        return Ok(Json(RosterResult {
            problems: Vec::new(),
            rows: count,
            accounts: Vec::new(),
        }));
    }
    let mut trainees = Vec::with_capacity(roster.len());
    for row in roster {
        let password = new_password();
        let password_hash = crate::auth::hash_password_limited(password.clone()).await?;
        trainees.push(NewTrainee {
            row,
            password,
            password_hash,
        });
    }
    let accounts = state.store.classes.create_trainees(class, trainees).await?;
    tracing::info!(class = class.id, count, "roster imported");
    Ok(Json(RosterResult {
        problems: Vec::new(),
        rows: count,
        accounts,
    }))
}

/// A report line being counted: classes, and the ids of trainees,
/// of those who completed and of those who passed.
#[derive(Default)]
struct Tally(u32, HashSet<i64>, HashSet<i64>, HashSet<i64>);

#[derive(Debug, Deserialize)]
struct ReportQuery {
    year: Option<i32>,
}

async fn report(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CentreReport>, HttpError> {
    let me = me(&state, user.id).await?;
    if !matches!(me.user.role, Role::CentreAdmin | Role::ProvinceAdmin) {
        return Err(HttpError::Forbidden);
    }
    let Query(query) = query.map_err(|e| HttpError::BadRequest(e.body_text()))?;
    let year = query.year.unwrap_or_else(|| {
        lophoc_core::calendar::vn_date(crate::store::now() * 1000)[..4]
            .parse()
            .unwrap_or(2026)
    });
    let prefix = format!("{year:04}-");
    let mut courses: HashMap<String, CourseData> = HashMap::new();
    let mut lines: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for class in state.store.classes.classes_for(&me).await? {
        if !class.starts_on.starts_with(&prefix) {
            continue;
        }
        if !courses.contains_key(&class.course_id) {
            let Some(data) = CourseData::load(&state.store, &class.course_id).await? else {
                continue;
            };
            courses.insert(class.course_id.clone(), data);
        }
        let Some(data) = courses.get(&class.course_id) else {
            continue;
        };
        let line = lines
            .entry((class.centre_name.clone(), class.course_id.clone()))
            .or_default();
        line.0 += 1;
        let mut events = state.store.sync.member_events(class.id).await?;
        for member in state.store.classes.class_members(class.id).await? {
            let events = events.remove(&member.id).unwrap_or_default();
            let progress = data.progress(&events);
            line.1.insert(member.id);
            if progress.completed {
                line.2.insert(member.id);
            }
            let passed = !data.outline.completion.pass.is_empty()
                && data.outline.completion.pass.iter().all(|id| {
                    progress
                        .results
                        .get(id)
                        .is_some_and(|r| r.passed == Some(true))
                });
            if passed {
                line.3.insert(member.id);
            }
        }
    }
    let count = |set: &HashSet<i64>| u32::try_from(set.len()).unwrap_or(u32::MAX);
    Ok(Json(CentreReport {
        year,
        rows: lines
            .into_iter()
            .map(
                |((centre_name, course_id), Tally(classes, trainees, completed, passed))| {
                    ReportRow {
                        course_title: courses
                            .get(&course_id)
                            .map_or_else(|| course_id.clone(), |d| d.outline.title.clone()),
                        centre_name,
                        course_id,
                        classes,
                        trainees: count(&trainees),
                        completed: count(&completed),
                        passed: count(&passed),
                    }
                },
            )
            .collect(),
    }))
}

/// Whether the asker may see (and print) a certificate: its trainee, a
/// lecturer of its class, an admin of its centre, a province admin.
async fn may_see_certificate(
    state: &AppState,
    me: &Profile,
    owner: i64,
    class_id: Option<i64>,
) -> Result<bool, HttpError> {
    Ok(match me.user.role {
        Role::Trainee => me.user.id == owner,
        Role::ProvinceAdmin => true,
        Role::Lecturer => match class_id {
            Some(class) => {
                state
                    .store
                    .classes
                    .is_class_lecturer(class, me.user.id)
                    .await?
            }
            None => false,
        },
        Role::CentreAdmin => {
            let owner = state.store.accounts.profile(owner).await?;
            owner.is_some_and(|o| o.centre_id.is_some() && o.centre_id == me.centre_id)
        }
    })
}

async fn certificate(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(code): Path<String>,
) -> Result<Json<Certificate>, HttpError> {
    let me = me(&state, user.id).await?;
    let (certificate, owner, class) = state
        .store
        .classes
        .certificate(&code.to_uppercase())
        .await?
        .ok_or(HttpError::NotFound)?;
    if !may_see_certificate(&state, &me, owner, class).await? {
        return Err(HttpError::Forbidden);
    }
    Ok(Json(certificate))
}

async fn revoke(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(code): Path<String>,
    body: Result<Json<Revoke>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Certificate>, HttpError> {
    let me = me(&state, user.id).await?;
    let code = code.to_uppercase();
    let (_, owner, class) = state
        .store
        .classes
        .certificate(&code)
        .await?
        .ok_or(HttpError::NotFound)?;
    let allowed = matches!(me.user.role, Role::Lecturer | Role::CentreAdmin)
        && may_see_certificate(&state, &me, owner, class).await?;
    if !allowed {
        return Err(HttpError::Forbidden);
    }
    let Json(revoke) = body?;
    let reason = revoke.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(HttpError::BadRequest(
            "a revocation needs a reason (at most 500 characters)".into(),
        ));
    }
    state
        .store
        .classes
        .revoke_certificate(&code, me.user.id, reason)
        .await?;
    tracing::info!(%code, by = me.user.id, "certificate revoked");
    let (certificate, _, _) = state
        .store
        .classes
        .certificate(&code)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok(Json(certificate))
}

/// Public: confirms a certificate by its code, without the birth date.
async fn verify(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Certificate>, HttpError> {
    let code = code.trim().to_uppercase();
    if code.len() > 32 {
        return Err(HttpError::NotFound);
    }
    let (mut certificate, _, _) = state
        .store
        .classes
        .certificate(&code)
        .await?
        .ok_or(HttpError::NotFound)?;
    certificate.birth_date = None;
    Ok(Json(certificate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lophoc_core::classes::rate;

    #[test]
    fn handed_out_passwords_are_unambiguous() {
        let p = new_password();
        assert_eq!(p.len(), 10);
        assert!(p.chars().all(|c| !"0o1li".contains(c)));
        assert_eq!(rate(1, 3), 33);
    }
}
