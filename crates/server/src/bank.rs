//! A lecturer's question bank: import from Aiken, GIFT, a spreadsheet
//! (XLSX, see [`crate::xlsx`]), Moodle XML or QTI 3.0 (see
//! [`crate::formats`]), list, export GIFT, Moodle XML, a QTI 3.0 package or
//! one QTI item, serve the bank's images, download the XLSX template.
//!
//! Policy: lecturers and centre admins only; each sees and changes only
//! their own bank (and its images). An import answers with the report (what
//! was read, and for each thing left out why and on which line or question);
//! a file with problems imports nothing unless the lecturer asks to import
//! the valid part, and a file that cannot be read as its format at all is
//! refused with the reason (`unreadable_file`) and changes nothing. Text
//! files are limited to `MAX_IMPORT_BYTES`; Moodle XML files and QTI
//! packages, which carry their images, to `MAX_PACKAGE_BYTES` (and a
//! package to what it may unpack to). Questions and their images are
//! stored in one transaction.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    accounts::Role,
    api::{
        BankEntry, FileProblem, ImportFormat, ImportRequest, ImportResult, User, MAX_IMPORT_BYTES,
        MAX_PACKAGE_BYTES,
    },
    question::{import::ImportReport, Question},
};
use lophoc_formats::{
    aiken::parse_aiken, gift::parse_gift, gift_export::export_gift, media, moodle, moodle_export,
    qti, qti_export, xlsx,
};

use crate::{auth::AuthUser, error::HttpError, web::attachment, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bank", get(list))
        .route("/bank/import", post(import))
        .route("/bank/import-xlsx", post(import_xlsx))
        .route("/bank/template.xlsx", get(template))
        .route("/bank/export.gift", get(export))
        .route(
            "/bank/import-moodle",
            post(import_moodle).layer(DefaultBodyLimit::max(MAX_PACKAGE_BYTES)),
        )
        .route(
            "/bank/import-qti",
            post(import_qti).layer(DefaultBodyLimit::max(MAX_PACKAGE_BYTES)),
        )
        .route("/bank/export.moodle.xml", get(export_moodle))
        .route("/bank/export.qti.zip", get(export_qti))
        .route("/bank/questions/{id}/qti.xml", get(export_qti_item))
        .route("/bank/media/{name}", get(bank_media))
}

fn lecturer(user: &User) -> Result<(), HttpError> {
    match user.role {
        Role::Lecturer | Role::CentreAdmin => Ok(()),
        Role::Trainee | Role::ProvinceAdmin => Err(HttpError::Forbidden),
    }
}

async fn import(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<ImportRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ImportResult>, HttpError> {
    lecturer(&user)?;
    let Json(request) = body?;
    if request.text.len() > MAX_IMPORT_BYTES {
        return Err(HttpError::TooLarge(MAX_IMPORT_BYTES as u64));
    }
    let report = match request.format {
        ImportFormat::Aiken => parse_aiken(&request.text),
        ImportFormat::Gift => parse_gift(&request.text),
    };
    store_report(
        &state,
        &user,
        report,
        Vec::new(),
        request.partial,
        request.dry_run,
    )
    .await
}

/// Stores the questions of `report`, and the images they show, unless it
/// is a dry run, or problems stop an all-or-nothing import.
async fn store_report(
    state: &AppState,
    user: &User,
    report: ImportReport,
    media: Vec<media::Media>,
    partial: bool,
    dry_run: bool,
) -> Result<Json<ImportResult>, HttpError> {
    let mut imported = 0;
    let media_count = u32::try_from(media.len()).unwrap_or(u32::MAX);
    if !dry_run && (report.is_clean() || partial) {
        let entries: Vec<(String, Option<String>, Question)> = report
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.category.clone(), q.question.clone()))
            .collect();
        imported = state
            .store
            .authoring
            .save_bank_import(user.id, &entries, &media)
            .await?;
    }
    Ok(Json(ImportResult {
        report,
        imported,
        media: media_count,
    }))
}

/// The body of a file upload, within `limit`.
fn upload(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    limit: usize,
) -> Result<Bytes, HttpError> {
    let bytes = body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::TooLarge(limit as u64)
        } else {
            HttpError::BadRequest(e.body_text())
        }
    })?;
    if bytes.len() > limit {
        return Err(HttpError::TooLarge(limit as u64));
    }
    Ok(bytes)
}

/// `POST /api/bank/import-moodle?partial=&dry_run=`: a Moodle XML file,
/// sent as it is.
async fn import_moodle(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    query: Result<Query<XlsxImport>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ImportResult>, HttpError> {
    lecturer(&user)?;
    let Query(options) = query.map_err(|e| HttpError::BadRequest(e.body_text()))?;
    let bytes = upload(body, MAX_PACKAGE_BYTES)?;
    let imported = tokio::task::spawn_blocking(move || {
        let text = std::str::from_utf8(&bytes).map_err(|e| FileProblem::NotXml {
            line: u32::try_from(
                bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1,
            )
            .unwrap_or(u32::MAX),
        })?;
        moodle::parse_moodle_xml(text)
    })
    .await
    .map_err(|e| HttpError::Internal(format!("reading a Moodle XML file: {e}")))?
    .map_err(HttpError::UnreadableFile)?;
    store_report(
        &state,
        &user,
        imported.report,
        imported.media,
        options.partial,
        options.dry_run,
    )
    .await
}

/// `POST /api/bank/import-qti?partial=&dry_run=`: a QTI 3.0 package (ZIP)
/// or item (XML), sent as it is.
async fn import_qti(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    query: Result<Query<XlsxImport>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ImportResult>, HttpError> {
    lecturer(&user)?;
    let Query(options) = query.map_err(|e| HttpError::BadRequest(e.body_text()))?;
    let bytes = upload(body, MAX_PACKAGE_BYTES)?;
    // Unzipping and reading XML is CPU work: off the async workers.
    let imported = tokio::task::spawn_blocking(move || qti::parse_qti(&bytes))
        .await
        .map_err(|e| HttpError::Internal(format!("reading a QTI file: {e}")))?
        .map_err(HttpError::UnreadableFile)?;
    store_report(
        &state,
        &user,
        imported.report,
        imported.media,
        options.partial,
        options.dry_run,
    )
    .await
}

/// The owner's bank with categories, and the images its questions show.
async fn bank_with_media(
    state: &AppState,
    user: &User,
) -> Result<
    (
        Vec<(Option<String>, Question)>,
        HashMap<String, media::Media>,
    ),
    HttpError,
> {
    let bank = state.store.authoring.bank(user.id).await?;
    let mut names: Vec<String> = Vec::new();
    for (_, q) in &bank {
        for n in moodle::question_media(q) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let media = state
        .store
        .authoring
        .bank_media_named(user.id, &names)
        .await?
        .into_iter()
        .map(|m| (m.name.clone(), m))
        .collect();
    Ok((bank, media))
}

async fn export_moodle(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Response, HttpError> {
    lecturer(&user)?;
    let (bank, media) = bank_with_media(&state, &user).await?;
    let xml = moodle_export::export_moodle_xml(&bank, &media);
    Ok(attachment(
        "application/xml; charset=utf-8",
        "ngan-hang-cau-hoi.moodle.xml",
        xml,
    ))
}

async fn export_qti(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Response, HttpError> {
    lecturer(&user)?;
    let (bank, media) = bank_with_media(&state, &user).await?;
    let (zip, _notes) = tokio::task::spawn_blocking(move || {
        qti_export::export_package(&bank, &media, "Ngân hàng câu hỏi")
    })
    .await
    .map_err(|e| HttpError::Internal(format!("writing a QTI package: {e}")))?
    .map_err(HttpError::Internal)?;
    Ok(attachment(
        "application/zip",
        "ngan-hang-cau-hoi.qti.zip",
        zip,
    ))
}

/// `GET /api/bank/questions/{id}/qti.xml`: one question as a QTI 3.0 item
/// (its images are in the package export, linked as `media/<name>`).
async fn export_qti_item(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    lecturer(&user)?;
    let question = state
        .store
        .authoring
        .bank(user.id)
        .await?
        .into_iter()
        .map(|(_, q)| q)
        .find(|q| q.id == id)
        .ok_or(HttpError::NotFound)?;
    let item = qti_export::export_item(&question, "media/");
    Ok(attachment(
        "application/xml; charset=utf-8",
        &format!("{}.qti.xml", question.id),
        item.xml,
    ))
}

/// `GET /api/bank/media/{name}`: an image of the asker's own bank.
async fn bank_media(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(name): Path<String>,
) -> Result<Response, HttpError> {
    lecturer(&user)?;
    if !media::is_name(&name) {
        return Err(HttpError::NotFound);
    }
    let (mime, bytes) = state
        .store
        .authoring
        .bank_media(user.id, &name)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&mime).map_err(|e| HttpError::Internal(e.to_string()))?,
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=86400"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Query of `POST /api/bank/import-xlsx`; the body is the file itself.
#[derive(Debug, Default, serde::Deserialize)]
struct XlsxImport {
    #[serde(default)]
    partial: bool,
    #[serde(default)]
    dry_run: bool,
}

async fn import_xlsx(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    query: Result<Query<XlsxImport>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ImportResult>, HttpError> {
    lecturer(&user)?;
    let Query(options) = query.map_err(|e| HttpError::BadRequest(e.body_text()))?;
    let bytes = body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::TooLarge(MAX_IMPORT_BYTES as u64)
        } else {
            HttpError::BadRequest(e.body_text())
        }
    })?;
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(HttpError::TooLarge(MAX_IMPORT_BYTES as u64));
    }
    // Unzipping and reading a sheet is CPU work: off the async workers.
    let report = tokio::task::spawn_blocking(move || xlsx::parse_xlsx(&bytes))
        .await
        .map_err(|e| HttpError::Internal(format!("reading an XLSX file: {e}")))?
        .map_err(HttpError::BadRequest)?;
    store_report(
        &state,
        &user,
        report,
        Vec::new(),
        options.partial,
        options.dry_run,
    )
    .await
}

async fn template(AuthUser(user): AuthUser) -> Result<Response, HttpError> {
    lecturer(&user)?;
    let bytes = xlsx::template();
    if bytes.is_empty() {
        return Err(HttpError::Internal("the XLSX template is empty".into()));
    }
    Ok(attachment(xlsx::XLSX_MIME, "mau-cau-hoi.xlsx", bytes))
}

async fn list(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<BankEntry>>, HttpError> {
    lecturer(&user)?;
    let entries = state
        .store
        .authoring
        .bank(user.id)
        .await?
        .into_iter()
        .map(|(category, q)| BankEntry {
            id: q.id.clone(),
            category,
            kind: kind_name(&q),
            prompt: q.prompt,
        })
        .collect();
    Ok(Json(entries))
}

async fn export(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Response, HttpError> {
    lecturer(&user)?;
    let questions: Vec<Question> = state
        .store
        .authoring
        .bank(user.id)
        .await?
        .into_iter()
        .map(|(_, q)| q)
        .collect();
    Ok(attachment(
        "text/plain; charset=utf-8",
        "ngan-hang-cau-hoi.gift.txt",
        export_gift(&questions),
    ))
}

fn kind_name(question: &Question) -> String {
    serde_json::to_value(&question.body)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}
