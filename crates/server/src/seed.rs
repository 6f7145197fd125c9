//! First-start data: the demo accounts, and publishing the content folder.
//!
//! Policy: demo accounts are created only when the database has no user at
//! all, so a real deployment's accounts are never touched. Courses in the
//! content folder are loaded on every start; a course whose files changed is
//! published as a new version, one with any error is skipped whole (the
//! previously published version stays) and its errors are logged.

use std::path::Path;

use lophoc_core::api::Role;

use crate::{
    auth::hash_password,
    content::{course_dirs, load_course},
    store::{Published, Store},
};

/// A demo account: username, password, full name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 4] = [
    ("hocvien", "hocvien123", "Nguyễn Văn An", Role::Trainee),
    ("giangvien", "giangvien123", "Trần Thị Bình", Role::Lecturer),
    ("quantri", "quantri123", "Lê Văn Cường", Role::CentreAdmin),
    // Last, so the other demo users keep their ids.
    ("hocvien2", "hocvien123", "Phạm Thị Dung", Role::Trainee),
];

/// Creates the demo accounts if the database has no users. Returns whether it did.
pub async fn seed_demo_accounts(store: &Store) -> anyhow::Result<bool> {
    if store.user_count().await? > 0 {
        return Ok(false);
    }
    for (username, password, full_name, role) in DEMO_ACCOUNTS {
        let hash = hash_password(password).map_err(|e| anyhow::anyhow!("{e}"))?;
        store.create_user(username, full_name, role, &hash).await?;
    }
    tracing::info!("seeded the demo accounts");
    Ok(true)
}

/// What happened to each course folder on start.
#[derive(Debug, Default)]
pub struct PublishReport {
    pub published: Vec<(String, i64)>,
    pub unchanged: Vec<(String, i64)>,
    /// Folder and its errors, one per line.
    pub failed: Vec<(String, String)>,
}

/// Loads every course under `content_dir` and publishes those that changed.
pub async fn publish_content(store: &Store, content_dir: &Path) -> anyhow::Result<PublishReport> {
    let mut report = PublishReport::default();
    let dirs = match course_dirs(content_dir) {
        Ok(dirs) => dirs,
        Err(e) => {
            tracing::warn!(dir = %content_dir.display(), error = %e, "no content folder");
            return Ok(report);
        }
    };
    for dir in dirs {
        match load_course(&dir) {
            Ok(course) => {
                let id = course.outline.id.clone();
                match store.publish(&course).await? {
                    Published::New { version } => {
                        tracing::info!(course = %id, version, "published");
                        report.published.push((id, version));
                    }
                    Published::Unchanged { version } => report.unchanged.push((id, version)),
                }
            }
            Err(errors) => {
                tracing::error!(dir = %dir.display(), "course not published:\n{errors}");
                report
                    .failed
                    .push((dir.display().to_string(), errors.to_string()));
            }
        }
    }
    Ok(report)
}
