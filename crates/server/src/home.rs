//! `GET /api/staff/home`: what a lecturer or administrator has to do, as
//! counts for their home page (classes, the grading queue, drafts to review
//! and their centre's drafts in progress; open live sessions come from
//! `GET /api/live`).
//!
//! Policy: staff only (trainees get 403); each count is what the user's own
//! list page shows, computed by the same code, so the link and the page
//! agree.

use axum::{extract::State, routing::get, Json, Router};
use lophoc_core::{accounts::Role, api::StaffHome, authoring::DraftStatus};

use crate::{auth::AuthUser, error::HttpError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/home", get(home))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

async fn home(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<StaffHome>, HttpError> {
    let me = crate::classes::me(&state, user.id).await?;
    if me.user.role == Role::Trainee {
        return Err(HttpError::Forbidden);
    }
    let classes = count(state.store.classes.classes_for(&me).await?.len());
    let grading = match me.user.role {
        Role::Lecturer | Role::CentreAdmin => Some(count(
            crate::courses::grading_items(&state, user.id).await?.len(),
        )),
        _ => None,
    };
    let reviews = match crate::authoring::reviews_for(&state, user.id).await {
        Ok(list) => Some(count(list.iter().filter(|r| r.can_decide).count())),
        Err(HttpError::Forbidden) => None,
        Err(e) => return Err(e),
    };
    let drafts = match (me.user.role, me.centre_id) {
        (Role::Lecturer | Role::CentreAdmin, Some(centre)) => Some(count(
            state
                .store
                .authoring
                .centre_drafts(centre)
                .await?
                .iter()
                .filter(|d| d.status != DraftStatus::Submitted)
                .count(),
        )),
        _ => None,
    };
    Ok(Json(StaffHome {
        classes,
        grading,
        reviews,
        drafts,
    }))
}
