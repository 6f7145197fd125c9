//! Course content that works without a network: downloading a course to
//! the local store, and reading courses and lessons from it.
//!
//! Policy: a downloaded course is read from the device first (instant, and
//! no mobile data); a course that is not downloaded comes from the server,
//! and when the server cannot be reached the device copy is used if there is
//! one. Lesson images of a downloaded course are shown from the device.

use lophoc_core::{
    api::CourseSummary,
    assessment::{AssessmentPaper, IssuedSeeds},
    content::{CourseOutline, Lesson, SituationSet},
};

use crate::{
    api::{self, ClientError},
    store::{self, Download},
};

/// The course list: from the server, or offline the courses downloaded to
/// this device.
pub async fn courses() -> Result<Vec<CourseSummary>, ClientError> {
    match api::courses().await {
        Err(ClientError::Network) => {
            let local = store::get().await.map_err(|_| ClientError::Network)?;
            let outlines = local
                .downloaded_courses()
                .await
                .map_err(|_| ClientError::Network)?;
            if outlines.is_empty() {
                return Err(ClientError::NotOnDevice);
            }
            Ok(outlines
                .into_iter()
                .map(|o| CourseSummary {
                    module_count: o.modules.len() as u32,
                    lesson_count: o.lesson_count() as u32,
                    id: o.id,
                    title: o.title,
                    summary: o.summary,
                    version: o.version,
                })
                .collect())
        }
        other => other,
    }
}

/// The course outline: from the device if downloaded, else the server.
pub async fn course(id: String) -> Result<CourseOutline, ClientError> {
    let local = store::get().await.ok();
    if let Some(local) = &local {
        if let Ok(Some(outline)) = local.course(&id).await {
            return Ok(outline);
        }
    }
    api::course(id).await
}

/// A lesson: from the device if its course is downloaded, else the server.
pub async fn lesson(course: String, lesson: String) -> Result<Lesson, ClientError> {
    let local = store::get().await.ok();
    if let Some(local) = &local {
        if let Ok(Some(found)) = local.lesson(&course, &lesson).await {
            return Ok(found);
        }
    }
    match api::lesson(course, lesson).await {
        Err(ClientError::Network) => Err(ClientError::NotOnDevice),
        other => other,
    }
}

/// A situation set: from the device if its course is downloaded, else the
/// server.
pub async fn situation(course: String, id: String) -> Result<SituationSet, ClientError> {
    if let Ok(local) = store::get().await {
        if let Ok(Some(found)) = local.situation(&course, &id).await {
            return Ok(found);
        }
    }
    match api::situation(course, id).await {
        Err(ClientError::Network) => Err(ClientError::NotOnDevice),
        other => other,
    }
}

/// An assessment's paper: from the device if downloaded, else the server.
pub async fn assessment(course: String, id: String) -> Result<AssessmentPaper, ClientError> {
    if let Ok(local) = store::get().await {
        if let Ok(Some(found)) = local.assessment(&course, &id).await {
            return Ok(found);
        }
    }
    match api::assessment(course, id).await {
        Err(ClientError::Network) => Err(ClientError::NotOnDevice),
        other => other,
    }
}

/// The attempt seeds the server issued `user` for `paper`'s assessment,
/// with enough for the attempt after `used`: from the paper if it came from
/// the server for this user, else as kept on the device; when the device has
/// none left, asked of the server again (nothing offline: the page then says
/// to connect once).
pub async fn seeds(user: i64, paper: &AssessmentPaper, used: usize) -> Option<IssuedSeeds> {
    let local = store::get().await.ok();
    let mut known = paper.seeds.clone().filter(|s| s.user_id == user);
    if let (Some(issued), Some(local)) = (&known, &local) {
        let _ = local.save_seeds(&paper.course_id, &paper.id, issued).await;
    }
    if known.is_none() {
        if let Some(local) = &local {
            known = local
                .seeds(user, &paper.course_id, &paper.id)
                .await
                .ok()
                .flatten();
        }
    }
    if known.as_ref().is_none_or(|s| s.next(used).is_none()) {
        if let Ok(fresh) = api::assessment(paper.course_id.clone(), paper.id.clone()).await {
            if let Some(issued) = fresh.seeds.clone().filter(|s| s.user_id == user) {
                if let Some(local) = &local {
                    let _ = local.save_seeds(&paper.course_id, &paper.id, &issued).await;
                }
                known = Some(issued);
            }
        }
    }
    known
}

/// What the device holds of a course, if it was downloaded.
pub async fn downloaded(course: &str) -> Option<Download> {
    store::get()
        .await
        .ok()?
        .download(course)
        .await
        .ok()
        .flatten()
}

/// Downloads every lesson and media file of `course` (the outline as the
/// server has it now), calling `progress(done, total)` after each file.
/// Returns the bytes stored. The course counts as downloaded only at the end.
pub async fn download(
    course: &CourseOutline,
    progress: impl Fn(usize, usize),
) -> Result<u64, ClientError> {
    let local = store::get().await.map_err(|_| ClientError::Network)?;
    let lessons: Vec<String> = course
        .modules
        .iter()
        .flat_map(|m| m.lessons.iter().map(|l| l.id.clone()))
        .collect();
    let situations: Vec<String> = course
        .modules
        .iter()
        .flat_map(|m| m.situations.iter().map(|s| s.id.clone()))
        .collect();
    let assessments: Vec<String> = course
        .modules
        .iter()
        .flat_map(|m| m.assessments.iter().map(|a| a.id.clone()))
        .collect();
    let total = lessons.len() + situations.len() + assessments.len() + course.media.len();
    let mut done = 0;
    let mut bytes = 0_u64;
    progress(done, total);
    for id in lessons {
        let lesson = api::lesson(course.id.clone(), id).await?;
        bytes += lesson.html.len() as u64;
        local
            .save_lesson(&lesson)
            .await
            .map_err(|_| ClientError::Network)?;
        done += 1;
        progress(done, total);
    }
    for id in situations {
        let set = api::situation(course.id.clone(), id).await?;
        bytes += lophoc_core::content::stored_bytes(&set);
        local
            .save_situation(&set)
            .await
            .map_err(|_| ClientError::Network)?;
        done += 1;
        progress(done, total);
    }
    for id in assessments {
        let paper = api::assessment(course.id.clone(), id).await?;
        bytes += lophoc_core::content::stored_bytes(&paper.course_part());
        local
            .save_assessment(&paper)
            .await
            .map_err(|_| ClientError::Network)?;
        done += 1;
        progress(done, total);
    }
    for name in &course.media {
        let (mime, data) = api::media(&course.id, name).await?;
        bytes += data.len() as u64;
        local
            .save_media(&course.id, name, &mime, &data)
            .await
            .map_err(|_| ClientError::Network)?;
        done += 1;
        progress(done, total);
    }
    local
        .finish_download(course, bytes)
        .await
        .map_err(|_| ClientError::Network)?;
    Ok(bytes)
}

/// Points the images of a rendered lesson at the device's copies, so a
/// downloaded lesson shows its images offline.
pub async fn use_local_images(course: &str, body: &web_sys::Element) {
    let Ok(local) = store::get().await else {
        return;
    };
    let prefix = format!("/api/courses/{course}/media/");
    let Ok(images) = body.query_selector_all("img") else {
        return;
    };
    for i in 0..images.length() {
        let Some(img) = images
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        else {
            continue;
        };
        let Some(name) = img
            .get_attribute("src")
            .and_then(|src| src.strip_prefix(&prefix).map(str::to_string))
        else {
            continue;
        };
        if let Ok(Some((mime, bytes))) = local.media(course, &name).await {
            let parts = js_sys::Array::of1(&bytes);
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(&mime);
            if let Ok(blob) =
                web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            {
                if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                    let _ = img.set_attribute("src", &url);
                }
            }
        }
    }
}

fn results_key(user_id: i64) -> String {
    format!("lophoc.results.{user_id}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Keeps the assessment results the server reported, per course, so the
/// home page can derive completion offline with the same rule. Results are
/// scores, not answers; they are the signed-in user's own.
pub fn remember_results(user_id: i64, courses: &[lophoc_core::classes::MyCourse]) {
    let by_course: std::collections::BTreeMap<&str, &lophoc_core::completion::Results> = courses
        .iter()
        .map(|c| (c.progress.course_id.as_str(), &c.progress.results))
        .collect();
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(&by_course)) {
        let _ = storage.set_item(&results_key(user_id), &json);
    }
}

/// The results last reported for `course_id`, or none.
pub fn remembered_results(user_id: i64, course_id: &str) -> lophoc_core::completion::Results {
    local_storage()
        .and_then(|s| s.get_item(&results_key(user_id)).ok().flatten())
        .and_then(|json| {
            serde_json::from_str::<
                std::collections::BTreeMap<String, lophoc_core::completion::Results>,
            >(&json)
            .ok()
        })
        .and_then(|mut all| all.remove(course_id))
        .unwrap_or_default()
}
