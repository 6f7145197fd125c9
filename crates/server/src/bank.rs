//! A lecturer's question bank: import from Aiken or GIFT, list, export GIFT.
//!
//! Policy: lecturers and centre admins only; each sees and changes only
//! their own bank. An import answers with the report (what was read, and for
//! each thing left out why and on which line); a file with problems imports
//! nothing unless the lecturer asks to import the valid part. Files are
//! limited to `MAX_IMPORT_BYTES`.

use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    api::{BankEntry, ImportFormat, ImportRequest, ImportResult, Role, User, MAX_IMPORT_BYTES},
    question::{
        import::{export_gift, parse_aiken, parse_gift},
        Question,
    },
};

use crate::{auth::AuthUser, error::HttpError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bank", get(list))
        .route("/bank/import", post(import))
        .route("/bank/export.gift", get(export))
}

fn lecturer(user: &User) -> Result<(), HttpError> {
    if user.role == Role::Trainee {
        Err(HttpError::Forbidden)
    } else {
        Ok(())
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
    let mut imported = 0;
    if !request.dry_run && (report.is_clean() || request.partial) {
        let entries: Vec<(String, Option<String>, Question)> = report
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.category.clone(), q.question.clone()))
            .collect();
        imported = state.store.save_bank(user.id, &entries).await?;
    }
    Ok(Json(ImportResult { report, imported }))
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
