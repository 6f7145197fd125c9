//! Calls to the Lophoc server's JSON API.
//!
//! Policy: every call returns `Result<T, ClientError>`; a page shows
//! [`ClientError::message`] in the current language and never the server's
//! wording. Cookies carry the session (same origin), so no token is handled
//! here.

use gloo_net::http::{Request, Response};
use lophoc_core::{
    api::{
        ApiError, BankEntry, CourseSummary, FileProblem, ImportRequest, ImportResult, LoginRequest,
        User,
    },
    assessment::{AssessmentPaper, AttemptReport, GradingItem},
    classes::{
        AssessmentStats, CentreReport, Certificate, ClassDetail, ClassMatrix, ClassSummary,
        MyCourse, NewAccount, NewClass, PasswordChange, Revoke, RosterImport, RosterResult,
        TraineeRecord, UserRef,
    },
    content::{CourseOutline, DiscussionResponse, Lesson, SituationSet},
    i18n::Msg,
    ids::is_valid_id,
    sync::{PullResponse, PushRequest, PushResponse},
};
use serde::de::DeserializeOwned;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The server answered with an error code.
    Api(ApiError),
    /// No answer: offline, server down, or a proxy error.
    Network,
    /// Offline, and the content was not downloaded to this device.
    NotOnDevice,
}

impl ClientError {
    /// The catalogue message that explains this error to the user.
    pub fn message(&self) -> Msg {
        match self {
            ClientError::Network => Msg::ErrNetwork,
            ClientError::NotOnDevice => Msg::OfflineNotDownloaded,
            ClientError::Api(e) => match e {
                ApiError::Unauthenticated => Msg::ErrSessionExpired,
                ApiError::BadCredentials => Msg::ErrBadCredentials,
                ApiError::Forbidden => Msg::ErrForbidden,
                ApiError::NotFound => Msg::ErrNotFound,
                ApiError::BadRequest { .. } => Msg::ErrBadRequest,
                ApiError::TooLarge { .. } => Msg::ErrTooLarge,
                ApiError::WrongPassword => Msg::ErrWrongPassword,
                ApiError::WeakPassword { .. } => Msg::ErrWeakPassword,
                ApiError::UnreadableFile { problem } => match problem {
                    FileProblem::NotXml { .. } => Msg::BankNotXml,
                    FileProblem::NotMoodleXml => Msg::BankNotMoodleXml,
                    FileProblem::NotQti => Msg::BankNotQti,
                    FileProblem::TooLargeUnpacked { .. } => Msg::BankTooLargeUnpacked,
                },
                ApiError::AccountDisabled => Msg::ErrAccountDisabled,
                ApiError::AlreadyExists => Msg::ErrAlreadyExists,
                ApiError::TooManyRequests { .. } => Msg::ErrTooManyRequests,
                ApiError::TooManySessions { .. } => Msg::ErrTooManySessions,
                ApiError::ServerBusy => Msg::ErrServerBusy,
                ApiError::Internal => Msg::ErrServer,
                ApiError::PasswordChangeRequired => Msg::MustChangePassword,
                ApiError::TooManyAttempts { .. } => Msg::ErrTooManyAttempts,
                ApiError::CrossSite => Msg::ErrCrossSite,
                #[cfg(feature = "staff")]
                ApiError::Conflict { .. } => Msg::AuthConflictShort,
                #[cfg(feature = "staff")]
                ApiError::ContentProblems { .. } => Msg::AuthHasProblems,
            },
        }
    }

    /// The explanation in `lang`, with any figure filled in.
    pub fn describe(&self, lang: lophoc_core::i18n::Lang) -> String {
        match self {
            ClientError::Api(ApiError::TooLarge { limit }) => Msg::ErrTooLarge.format(
                lang,
                &[("size", &lophoc_core::i18n::format_bytes(lang, *limit))],
            ),
            ClientError::Api(ApiError::UnreadableFile {
                problem: FileProblem::NotXml { line },
            }) => Msg::BankNotXml.format(lang, &[("line", &line.to_string())]),
            ClientError::Api(ApiError::UnreadableFile {
                problem: FileProblem::TooLargeUnpacked { limit },
            }) => Msg::BankTooLargeUnpacked.format(
                lang,
                &[("size", &lophoc_core::i18n::format_bytes(lang, *limit))],
            ),
            ClientError::Api(ApiError::WeakPassword { min }) => {
                Msg::ErrWeakPassword.format(lang, &[("min", &min.to_string())])
            }
            ClientError::Api(ApiError::TooManyAttempts { retry_after }) => Msg::ErrTooManyAttempts
                .format(
                    lang,
                    &[("wait", &lophoc_core::i18n::format_wait(lang, *retry_after))],
                ),
            ClientError::Api(ApiError::TooManyRequests { retry_after }) => Msg::ErrTooManyRequests
                .format(
                    lang,
                    &[("wait", &lophoc_core::i18n::format_wait(lang, *retry_after))],
                ),
            ClientError::Api(ApiError::TooManySessions { max }) => {
                Msg::ErrTooManySessions.format(lang, &[("max", &max.to_string())])
            }
            other => other.message().text(lang).to_string(),
        }
    }

    /// True when logging in again would help.
    pub fn needs_login(&self) -> bool {
        matches!(self, ClientError::Api(ApiError::Unauthenticated))
    }
}

/// The body of a successful answer; an error answer becomes its [`ClientError`].
/// Not generic, so the fetch and error handling exist once in the wasm.
pub(crate) async fn body(response: Response) -> Result<String, ClientError> {
    if response.ok() {
        return response.text().await.map_err(|_| ClientError::Network);
    }
    match response.json::<ApiError>().await {
        Ok(ApiError::PasswordChangeRequired) => {
            // Whatever asked, the user must choose a password first: the
            // app goes to the page for it (`PasswordChangeGuard`).
            crate::state::session::password_change_required();
            Err(ClientError::Api(ApiError::PasswordChangeRequired))
        }
        Ok(error) => Err(ClientError::Api(error)),
        // Not our JSON: a gateway or proxy answered, so the server is unreachable.
        Err(_) if response.status() >= 500 => Err(ClientError::Network),
        Err(_) => Err(ClientError::Api(ApiError::BadRequest {
            detail: format!("HTTP {}", response.status()),
        })),
    }
}

/// Sends `request` and returns the body of a successful answer.
pub(crate) async fn send(request: Result<Request, gloo_net::Error>) -> Result<String, ClientError> {
    let response = request
        .map_err(|_| ClientError::Network)?
        .send()
        .await
        .map_err(|_| ClientError::Network)?;
    body(response).await
}

/// A successful answer's JSON; a body that does not parse counts as no answer.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ClientError> {
    serde_json::from_str(text).map_err(|_| ClientError::Network)
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    parse(&send(Request::post(path).json(body)).await?)
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    parse(&send(Request::get(path).build()).await?)
}

/// `GET /api/me`: the signed-in user.
pub async fn me() -> Result<User, ClientError> {
    get("/api/me").await
}

/// `POST /api/auth/login`.
pub async fn login(request: &LoginRequest) -> Result<User, ClientError> {
    post("/api/auth/login", request).await
}

/// `POST /api/sync/push`.
pub async fn push(request: &PushRequest) -> Result<PushResponse, ClientError> {
    post("/api/sync/push", request).await
}

/// `GET /api/sync/pull?cursor=N&device=D`.
pub async fn pull(cursor: i64, device: &str) -> Result<PullResponse, ClientError> {
    get(&format!("/api/sync/pull?cursor={cursor}&device={device}")).await
}

/// `GET /api/courses/{course}/situations/{id}`.
pub async fn situation(course: String, id: String) -> Result<SituationSet, ClientError> {
    if !is_valid_id(&course) || !is_valid_id(&id) {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    get(&format!("/api/courses/{course}/situations/{id}")).await
}

/// `GET /api/courses/{course}/situations/{id}/responses`: classmates'
/// discussion answers, without names (after answering).
pub async fn responses(course: &str, id: &str) -> Result<Vec<DiscussionResponse>, ClientError> {
    get(&format!("/api/courses/{course}/situations/{id}/responses")).await
}

/// `GET /api/courses/{course}/assessments/{id}`: the answer-free paper.
pub async fn assessment(course: String, id: String) -> Result<AssessmentPaper, ClientError> {
    if !is_valid_id(&course) || !is_valid_id(&id) {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    get(&format!("/api/courses/{course}/assessments/{id}")).await
}

/// `GET /api/courses/{course}/assessments/{id}/attempts`: my scored attempts.
pub async fn attempts(course: &str, id: &str) -> Result<Vec<AttemptReport>, ClientError> {
    get(&format!("/api/courses/{course}/assessments/{id}/attempts")).await
}

/// `POST /api/bank/import`.
pub async fn import_bank(request: &ImportRequest) -> Result<ImportResult, ClientError> {
    post("/api/bank/import", request).await
}

/// `POST /api/bank/import-<kind>` (`xlsx`, `moodle`, `qti`): a file sent
/// as it is.
pub async fn import_bank_file(
    kind: &str,
    bytes: Vec<u8>,
    partial: bool,
    dry_run: bool,
) -> Result<ImportResult, ClientError> {
    let request = Request::post(&format!(
        "/api/bank/import-{kind}?partial={partial}&dry_run={dry_run}"
    ))
    .header("content-type", "application/octet-stream")
    .body(js_sys::Uint8Array::from(&bytes[..]));
    parse(&send(request).await?)
}

/// `GET /api/bank`.
pub async fn bank() -> Result<Vec<BankEntry>, ClientError> {
    get("/api/bank").await
}

/// `GET /api/grading`: essays waiting for marks (lecturers).
pub async fn grading() -> Result<Vec<GradingItem>, ClientError> {
    get("/api/grading").await
}

/// `GET /api/courses/{course}/media/{name}`: the file's MIME type and bytes.
pub async fn media(course: &str, name: &str) -> Result<(String, Vec<u8>), ClientError> {
    let response = Request::get(&format!("/api/courses/{course}/media/{name}"))
        .send()
        .await
        .map_err(|_| ClientError::Network)?;
    if !response.ok() {
        return parse::<()>(&body(response).await?).map(|()| (String::new(), Vec::new()));
    }
    let mime = response.headers().get("content-type").unwrap_or_default();
    let bytes = response.binary().await.map_err(|_| ClientError::Network)?;
    Ok((mime, bytes))
}

/// `POST /api/auth/logout`.
pub async fn logout() -> Result<(), ClientError> {
    let response = Request::post("/api/auth/logout")
        .send()
        .await
        .map_err(|_| ClientError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        parse(&body(response).await?)
    }
}

/// `GET /api/courses`.
pub async fn courses() -> Result<Vec<CourseSummary>, ClientError> {
    get("/api/courses").await
}

/// `GET /api/courses/{id}`.
pub async fn course(id: String) -> Result<CourseOutline, ClientError> {
    if !is_valid_id(&id) {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    get(&format!("/api/courses/{id}")).await
}

/// `GET /api/courses/{course}/lessons/{lesson}`.
pub async fn lesson(course: String, lesson: String) -> Result<Lesson, ClientError> {
    if !is_valid_id(&course) || !is_valid_id(&lesson) {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    get(&format!("/api/courses/{course}/lessons/{lesson}")).await
}

/// A POST whose successful answer has no body (204).
async fn post_no_content<B: serde::Serialize>(path: &str, body: &B) -> Result<(), ClientError> {
    send(Request::post(path).json(body)).await.map(|_| ())
}

/// `GET /api/me/progress`: the asker's courses, progress and certificates.
pub async fn my_progress() -> Result<Vec<MyCourse>, ClientError> {
    get("/api/me/progress").await
}

/// `POST /api/me/password`.
pub async fn change_password(change: &PasswordChange) -> Result<(), ClientError> {
    post_no_content("/api/me/password", change).await
}

/// `GET /api/classes`: the classes the asker may see.
pub async fn classes() -> Result<Vec<ClassSummary>, ClientError> {
    get("/api/classes").await
}

/// `POST /api/classes` (centre admins).
pub async fn create_class(class: &NewClass) -> Result<ClassSummary, ClientError> {
    post("/api/classes", class).await
}

/// `GET /api/centre/lecturers` (centre admins).
pub async fn centre_lecturers() -> Result<Vec<UserRef>, ClientError> {
    get("/api/centre/lecturers").await
}

/// `GET /api/classes/{id}`.
pub async fn class(id: i64) -> Result<ClassDetail, ClientError> {
    get(&format!("/api/classes/{id}")).await
}

/// `GET /api/classes/{id}/matrix`.
pub async fn class_matrix(id: i64) -> Result<ClassMatrix, ClientError> {
    get(&format!("/api/classes/{id}/matrix")).await
}

/// `GET /api/classes/{id}/stats`.
pub async fn class_stats(id: i64) -> Result<Vec<AssessmentStats>, ClientError> {
    get(&format!("/api/classes/{id}/stats")).await
}

/// `GET /api/classes/{id}/trainees/{user}`.
pub async fn trainee_record(class: i64, user: i64) -> Result<TraineeRecord, ClientError> {
    get(&format!("/api/classes/{class}/trainees/{user}")).await
}

/// `POST /api/classes/{id}/trainees/{user}/password`: a new initial password.
pub async fn reset_password(class: i64, user: i64) -> Result<NewAccount, ClientError> {
    post(
        &format!("/api/classes/{class}/trainees/{user}/password"),
        &(),
    )
    .await
}

/// `POST /api/classes/{id}/roster`: a CSV roster.
pub async fn import_roster(class: i64, import: &RosterImport) -> Result<RosterResult, ClientError> {
    post(&format!("/api/classes/{class}/roster"), import).await
}

/// `POST /api/classes/{id}/roster.xlsx`: an Excel roster, sent as it is.
pub async fn import_roster_xlsx(
    class: i64,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<RosterResult, ClientError> {
    let request = Request::post(&format!(
        "/api/classes/{class}/roster.xlsx?dry_run={dry_run}"
    ))
    .header("content-type", "application/octet-stream")
    .body(js_sys::Uint8Array::from(&bytes[..]));
    parse(&send(request).await?)
}

/// `GET /api/report?year=YYYY`.
pub async fn report(year: i32) -> Result<CentreReport, ClientError> {
    get(&format!("/api/report?year={year}")).await
}

fn code_path(code: &str) -> Result<String, ClientError> {
    let code = code.trim().to_uppercase();
    if code.is_empty()
        || code.len() > 32
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    Ok(code)
}

/// `GET /api/certificates/{code}`: a certificate to print.
pub async fn certificate(code: String) -> Result<Certificate, ClientError> {
    get(&format!("/api/certificates/{}", code_path(&code)?)).await
}

/// `GET /api/verify/{code}`: public check of a certificate.
pub async fn verify(code: String) -> Result<Certificate, ClientError> {
    get(&format!("/api/verify/{}", code_path(&code)?)).await
}

/// `POST /api/certificates/{code}/revoke`.
pub async fn revoke(code: &str, reason: &str) -> Result<Certificate, ClientError> {
    post(
        &format!("/api/certificates/{}/revoke", code_path(code)?),
        &Revoke {
            reason: reason.to_string(),
        },
    )
    .await
}

/// `POST /api/live`: opens a live session (lecturers).
pub async fn create_live(
    request: &lophoc_core::live::CreateLive,
) -> Result<lophoc_core::live::LiveSummary, ClientError> {
    post("/api/live", request).await
}

/// `GET /api/live`: the lecturer's open live sessions.
pub async fn live_sessions() -> Result<Vec<lophoc_core::live::LiveSummary>, ClientError> {
    get("/api/live").await
}

/// `GET /api/staff/home`: the counts of a staff member's home page.
pub async fn staff_home() -> Result<lophoc_core::api::StaffHome, ClientError> {
    get("/api/staff/home").await
}

/// `GET /api/live/{code}`: whether a session exists and admits guests.
pub async fn live_info(code: &str) -> Result<lophoc_core::live::LiveInfo, ClientError> {
    if !lophoc_core::live::is_code(code) {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    get(&format!("/api/live/{code}")).await
}

/// `GET /api/centres` (province admin): every centre with its admins.
pub async fn centres() -> Result<Vec<lophoc_core::accounts::CentreEntry>, ClientError> {
    get("/api/centres").await
}

/// `POST /api/centres` (province admin).
pub async fn create_centre(name: &str) -> Result<lophoc_core::accounts::CentreEntry, ClientError> {
    post(
        "/api/centres",
        &lophoc_core::accounts::NewCentre {
            name: name.to_string(),
        },
    )
    .await
}

/// `GET /api/accounts?q=…` (centre admin): the centre's staff and the
/// trainees matching `q`.
pub async fn accounts(q: &str) -> Result<lophoc_core::accounts::AccountList, ClientError> {
    let q: String = js_sys::encode_uri_component(q).into();
    get(&format!("/api/accounts?q={q}")).await
}

/// `POST /api/accounts`: a lecturer (centre admin) or a centre admin
/// (province admin), with the initial password to hand over.
pub async fn create_account(
    new: &lophoc_core::accounts::NewStaff,
) -> Result<NewAccount, ClientError> {
    post("/api/accounts", new).await
}

/// `POST /api/accounts/{id}/active`: deactivates or reactivates an account.
pub async fn set_active(
    id: i64,
    active: bool,
) -> Result<lophoc_core::accounts::Account, ClientError> {
    post(
        &format!("/api/accounts/{id}/active"),
        &lophoc_core::accounts::SetActive { active },
    )
    .await
}

/// `POST /api/accounts/{id}/password`: a new initial password.
pub async fn reset_account_password(id: i64) -> Result<NewAccount, ClientError> {
    post(&format!("/api/accounts/{id}/password"), &()).await
}

/// `GET /api/course-owners` (province admin).
pub async fn course_owners() -> Result<Vec<lophoc_core::accounts::CourseOwner>, ClientError> {
    get("/api/course-owners").await
}

/// `POST /api/course-owners/{course}` (province admin): hands a course to a
/// centre, or to the province (`None`).
pub async fn set_course_owner(
    course: &str,
    centre_id: Option<i64>,
) -> Result<lophoc_core::accounts::CourseOwner, ClientError> {
    if !is_valid_id(course) {
        return Err(ClientError::Api(ApiError::NotFound));
    }
    post(
        &format!("/api/course-owners/{course}"),
        &lophoc_core::accounts::SetOwner { centre_id },
    )
    .await
}
