//! Calls to the authoring API, and the device copy of unsent edits.
//!
//! Policy: a save that cannot reach the server stays in `localStorage`
//! (per course and file) until the server stores it, so closing the tab
//! offline loses nothing typed. Answers 409 (a newer version) and 422 (the
//! content loader's problems) come as `ApiError::Conflict` and
//! `ApiError::ContentProblems`, which the pages show.

use gloo_net::http::{Request, RequestBuilder};
use lophoc_core::authoring::{
    AuthoringHome, CheckReport, DraftDetail, DraftSummary, FileContent, HistoryEntry, ImportReport,
    NewDraft, NewItem, Note, Preview, PreviewRequest, ReviewDiff, ReviewItem, ReviewerEntry,
    ReviewerGrant, SaveRequest, Saved, Uploaded,
};
use serde::{de::DeserializeOwned, Serialize};

use crate::api::{parse, send, ClientError};

fn with_json<B: Serialize>(builder: RequestBuilder, value: &B) -> Result<Request, gloo_net::Error> {
    builder.json(value)
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    parse(&send(Request::get(path).build()).await?)
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, value: &B) -> Result<T, ClientError> {
    parse(&send(with_json(Request::post(path), value)).await?)
}

/// A POST answered 204.
async fn post_empty<B: Serialize>(path: &str, value: &B) -> Result<(), ClientError> {
    send(with_json(Request::post(path), value)).await.map(drop)
}

fn draft(course: &str, rest: &str) -> String {
    format!("/api/authoring/drafts/{course}{rest}")
}

pub async fn home() -> Result<AuthoringHome, ClientError> {
    get("/api/authoring").await
}

pub async fn create(new: &NewDraft) -> Result<DraftSummary, ClientError> {
    post("/api/authoring/drafts", new).await
}

pub async fn detail(course: String) -> Result<DraftDetail, ClientError> {
    get(&draft(&course, "")).await
}

pub async fn file(course: String, path: String) -> Result<FileContent, ClientError> {
    get(&draft(&course, &format!("/files/{path}"))).await
}

pub async fn save(course: &str, path: &str, request: &SaveRequest) -> Result<Saved, ClientError> {
    let text = send(with_json(
        Request::put(&draft(course, &format!("/files/{path}"))),
        request,
    ))
    .await?;
    parse(&text)
}

pub async fn history(course: &str, path: &str) -> Result<Vec<HistoryEntry>, ClientError> {
    get(&draft(course, &format!("/history/{path}"))).await
}

/// Sends an image or sound as it is.
pub async fn upload(course: &str, name: &str, bytes: Vec<u8>) -> Result<Uploaded, ClientError> {
    let request = Request::post(&draft(course, &format!("/media/{name}")))
        .header("content-type", "application/octet-stream")
        .body(js_sys::Uint8Array::from(&bytes[..]));
    parse(&send(request).await?)
}

pub async fn add_item(course: &str, item: &NewItem) -> Result<Saved, ClientError> {
    post(&draft(course, "/items"), item).await
}

pub async fn preview(course: &str, request: &PreviewRequest) -> Result<Preview, ClientError> {
    post(&draft(course, "/preview"), request).await
}

pub async fn check(course: &str) -> Result<CheckReport, ClientError> {
    get(&draft(course, "/check")).await
}

pub async fn submit(course: &str, note: &Note) -> Result<CheckReport, ClientError> {
    post(&draft(course, "/submit"), note).await
}

pub async fn diff(course: String) -> Result<ReviewDiff, ClientError> {
    get(&draft(&course, "/diff")).await
}

pub async fn comment(course: &str, note: &Note) -> Result<(), ClientError> {
    post_empty(&draft(course, "/comments"), note).await
}

pub async fn return_draft(course: &str, note: &Note) -> Result<(), ClientError> {
    post_empty(&draft(course, "/return"), note).await
}

pub async fn approve(course: &str, note: &Note) -> Result<Saved, ClientError> {
    post(&draft(course, "/approve"), note).await
}

/// A zipped course folder, sent as it is.
pub async fn import(bytes: Vec<u8>) -> Result<ImportReport, ClientError> {
    let request = Request::post("/api/authoring/import")
        .header("content-type", "application/zip")
        .body(js_sys::Uint8Array::from(&bytes[..]));
    parse(&send(request).await?)
}

pub async fn reviews() -> Result<Vec<ReviewItem>, ClientError> {
    get("/api/authoring/reviews").await
}

pub async fn reviewers() -> Result<Vec<ReviewerEntry>, ClientError> {
    get("/api/authoring/reviewers").await
}

pub async fn grant(grant: &ReviewerGrant) -> Result<Vec<ReviewerEntry>, ClientError> {
    post("/api/authoring/reviewers", grant).await
}

// --- Unsent edits on this device -------------------------------------------

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn key(course: &str, path: &str) -> String {
    format!("lophoc.draft:{course}:{path}")
}

/// The unsent edit of a file kept on this device, if any.
pub fn kept(course: &str, path: &str) -> Option<SaveRequest> {
    let text = storage()?.get_item(&key(course, path)).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps an edit on this device until the server has it.
pub fn keep(course: &str, path: &str, request: &SaveRequest) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(request)) {
        let _ = storage.set_item(&key(course, path), &text);
    }
}

pub fn forget(course: &str, path: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(course, path));
    }
}

/// Paths of a course with an unsent edit on this device.
pub fn kept_paths(course: &str) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let prefix = key(course, "");
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
        .collect()
}
