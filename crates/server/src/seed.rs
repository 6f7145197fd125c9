//! First-start data: the demo accounts, and publishing the content folder.
//!
//! Policy: demo accounts are created only when the database has no user at
//! all, so a real deployment's accounts are never touched. Courses in the
//! content folder are loaded on every start; a course whose files changed is
//! published as a new version, one with any error is skipped whole (the
//! previously published version stays) and its errors are logged. A course
//! folder loaded the first time belongs to the province (see
//! `courses::store::Ownership`); the demo course to the demo centre.

use std::path::Path;

use lophoc_core::{accounts::Role, calendar::vn_date, classes::NewClass};

use crate::{
    auth::hash_password,
    content::{course_dirs, load_course},
    courses::store::Published,
    store::Store,
};

/// The demo centre (fictional, like the commune of the demo course).
pub const DEMO_CENTRE: &str = "Trung tâm Chính trị huyện Tân Sơn";
/// The demo class: the lecturer teaches it; both demo trainees are on it.
pub const DEMO_CLASS: &str = "Lớp bồi dưỡng cán bộ, đảng viên cơ sở — khoá 1";
const DEMO_COURSE: &str = "can-bo-co-so";

/// A demo account: username, password, full name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 5] = [
    ("hocvien", "hocvien123", "Nguyễn Văn An", Role::Trainee),
    ("giangvien", "giangvien123", "Trần Thị Bình", Role::Lecturer),
    ("quantri", "quantri123", "Lê Văn Cường", Role::CentreAdmin),
    // Last, so the other demo users keep their ids.
    ("hocvien2", "hocvien123", "Phạm Thị Dung", Role::Trainee),
    (
        "quantritinh",
        "quantri123",
        "Hoàng Văn Em",
        Role::ProvinceAdmin,
    ),
];

/// Creates the demo accounts if the database has no users. Returns whether it did.
pub async fn seed_demo_accounts(store: &Store) -> anyhow::Result<bool> {
    if store.accounts.user_count().await? > 0 {
        return Ok(false);
    }
    let centre = store.accounts.create_centre(DEMO_CENTRE).await?;
    let mut ids = Vec::new();
    for (username, password, full_name, role) in DEMO_ACCOUNTS {
        let hash = hash_password(password).map_err(|e| anyhow::anyhow!("{e}"))?;
        let id = store
            .accounts
            .create_user(username, full_name, role, &hash)
            .await?;
        if role != Role::ProvinceAdmin {
            store.accounts.set_user_centre(id, centre).await?;
        }
        ids.push((id, role));
    }
    // A class that started today and runs six weeks.
    let today_ms = crate::store::now() * 1000;
    let class = NewClass {
        name: DEMO_CLASS.into(),
        course_id: DEMO_COURSE.into(),
        starts_on: vn_date(today_ms),
        ends_on: vn_date(today_ms + 42 * 86_400_000),
        lecturer_ids: ids
            .iter()
            .filter(|(_, role)| *role == Role::Lecturer)
            .map(|(id, _)| *id)
            .collect(),
    };
    let class_id = store.classes.create_class(centre, &class).await?;
    // The demo course belongs to the demo centre, so its lecturer can
    // draft changes and its admin approve them (the README's authoring
    // walk-through). A course folder otherwise belongs to the province.
    store
        .courses
        .set_course_owner(DEMO_COURSE, Some(centre), None)
        .await?;
    for (id, role) in &ids {
        if *role == Role::Trainee {
            store.classes.add_member(class_id, *id).await?;
        }
    }
    tracing::info!("seeded the demo centre, class and accounts");
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
                // A course approved in the browser since this folder was
                // loaded stays as approved (authoring, issue 7).
                if store
                    .authoring
                    .approved_since_folder(&id, &course.content_hash)
                    .await?
                {
                    if let Some((_, version)) = store.courses.course_title(&id).await? {
                        report.unchanged.push((id, version));
                        continue;
                    }
                }
                // Its source files, to start drafts from and to diff against.
                let sources = crate::authoring::files::read_folder(&dir)?;
                store
                    .authoring
                    .set_published_sources(&id, &sources, Some(&course.content_hash))
                    .await?;
                // A course folder seen the first time belongs to the province.
                store.courses.ensure_course_owner(&id, None).await?;
                match store.courses.publish(&course).await? {
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
