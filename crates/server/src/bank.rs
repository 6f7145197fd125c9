//! A lecturer's question bank: import from Aiken, GIFT or a spreadsheet
//! (XLSX, see [`crate::xlsx`]), list, export GIFT, download the XLSX
//! template.
//!
//! Policy: lecturers and centre admins only; each sees and changes only
//! their own bank. An import answers with the report (what was read, and for
//! each thing left out why and on which line); a file with problems imports
//! nothing unless the lecturer asks to import the valid part. Files are
//! limited to `MAX_IMPORT_BYTES`.

use axum::{
    body::Bytes,
    extract::{Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    api::{BankEntry, ImportFormat, ImportRequest, ImportResult, Role, User, MAX_IMPORT_BYTES},
    question::{
        import::{export_gift, parse_aiken, parse_gift, ImportReport},
        Question,
    },
};

use crate::{auth::AuthUser, error::HttpError, xlsx, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bank", get(list))
        .route("/bank/import", post(import))
        .route("/bank/import-xlsx", post(import_xlsx))
        .route("/bank/template.xlsx", get(template))
        .route("/bank/export.gift", get(export))
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
    store_report(&state, &user, report, request.partial, request.dry_run).await
}

/// Stores the questions of `report` unless it is a dry run, or problems
/// stop an all-or-nothing import.
async fn store_report(
    state: &AppState,
    user: &User,
    report: ImportReport,
    partial: bool,
    dry_run: bool,
) -> Result<Json<ImportResult>, HttpError> {
    let mut imported = 0;
    if !dry_run && (report.is_clean() || partial) {
        let entries: Vec<(String, Option<String>, Question)> = report
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.category.clone(), q.question.clone()))
            .collect();
        imported = state.store.save_bank(user.id, &entries).await?;
    }
    Ok(Json(ImportResult { report, imported }))
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
    store_report(&state, &user, report, options.partial, options.dry_run).await
}

async fn template(AuthUser(user): AuthUser) -> Result<Response, HttpError> {
    lecturer(&user)?;
    let bytes = xlsx::template();
    if bytes.is_empty() {
        return Err(HttpError::Internal("the XLSX template is empty".into()));
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(xlsx::XLSX_MIME),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"mau-cau-hoi.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn list(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<BankEntry>>, HttpError> {
    lecturer(&user)?;
    let entries = state
        .store
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
        .bank(user.id)
        .await?
        .into_iter()
        .map(|(_, q)| q)
        .collect();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"ngan-hang-cau-hoi.gift.txt\""),
            ),
        ],
        export_gift(&questions),
    )
        .into_response())
}

fn kind_name(question: &Question) -> String {
    serde_json::to_value(&question.body)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}
