//! Staff accounts in the browser, centres, and who owns each course.
//!
//! Policy — who may do what (`lophoc_core::accounts` holds the rules as
//! plain functions; `tests/it/authz.rs` checks every route against them):
//!
//! - the province admin lists and creates centres, creates their admins,
//!   and deactivates, reactivates or resets the password of centre admins;
//!   they also list course owners and hand a course to a centre or back to
//!   the province;
//! - a centre admin lists their centre's accounts, creates lecturers, and
//!   deactivates, reactivates or resets the password of its lecturers and
//!   trainees (reviewers are named at `/api/authoring/reviewers`);
//! - nobody acts on their own account here, nor on another centre's;
//! - a new or reset password is made by the server, shown once to the
//!   administrator to print and hand over (as roster imports do), and must
//!   be changed at the first login; a reset ends the account's sessions;
//! - deactivating ends every session of the account at once; its records
//!   stay, and reactivating brings the same account back.

pub mod store;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use lophoc_core::{
    accounts::Role,
    accounts::{
        clean_name, is_valid_username, may_create, may_manage, AccountList, CentreEntry,
        CourseOwner, NewCentre, NewStaff, SetActive, SetOwner, TRAINEE_PAGE,
    },
    classes::NewAccount,
    ids::is_valid_id,
    text::fold,
};
use serde::Deserialize;

use self::store::AccountRow;
use crate::{accounts::store::Profile, auth::AuthUser, classes::me, error::HttpError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/centres", get(centres).post(create_centre))
        .route("/accounts", get(accounts).post(create_account))
        .route("/accounts/{id}/active", post(set_active))
        .route("/accounts/{id}/password", post(reset_password))
        .route("/course-owners", get(course_owners))
        .route("/course-owners/{course}", post(set_owner))
}

async fn province_admin(state: &AppState, user_id: i64) -> Result<Profile, HttpError> {
    let me = me(state, user_id).await?;
    if me.user.role == Role::ProvinceAdmin {
        Ok(me)
    } else {
        Err(HttpError::Forbidden)
    }
}

/// The centre admin and their centre, or 403.
async fn centre_admin(state: &AppState, user_id: i64) -> Result<(Profile, i64), HttpError> {
    let me = me(state, user_id).await?;
    match (me.user.role, me.centre_id) {
        (Role::CentreAdmin, Some(centre)) => Ok((me, centre)),
        _ => Err(HttpError::Forbidden),
    }
}

async fn centres(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<CentreEntry>>, HttpError> {
    province_admin(&state, user.id).await?;
    Ok(Json(state.store.accounts.centres().await?))
}

async fn create_centre(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<NewCentre>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CentreEntry>), HttpError> {
    province_admin(&state, user.id).await?;
    let Json(new) = body?;
    let name = clean_name(&new.name)
        .ok_or_else(|| HttpError::BadRequest("a centre needs a name".into()))?;
    let id = state
        .store
        .accounts
        .create_centre_named(&name)
        .await?
        .ok_or(HttpError::AlreadyExists)?;
    tracing::info!(centre = id, by = user.id, "centre created");
    Ok((
        StatusCode::CREATED,
        Json(CentreEntry {
            id,
            name,
            admins: Vec::new(),
            lecturers: 0,
            trainees: 0,
        }),
    ))
}

#[derive(Debug, Default, Deserialize)]
struct AccountsQuery {
    #[serde(default)]
    q: String,
}

async fn accounts(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    query: Result<Query<AccountsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AccountList>, HttpError> {
    let (me, centre) = centre_admin(&state, user.id).await?;
    let Query(query) = query.map_err(|e| HttpError::BadRequest(e.body_text()))?;
    let needle = fold(query.q.trim());
    let staff = state
        .store
        .accounts
        .centre_accounts(centre, &[Role::CentreAdmin, Role::Lecturer])
        .await?;
    let found: Vec<_> = state
        .store
        .accounts
        .centre_accounts(centre, &[Role::Trainee])
        .await?
        .into_iter()
        .filter(|a| {
            needle.is_empty()
                || fold(&a.full_name).contains(&needle)
                || a.username.contains(&needle)
        })
        .collect();
    Ok(Json(AccountList {
        centre_name: me.centre_name.unwrap_or_default(),
        staff,
        trainees_found: u32::try_from(found.len()).unwrap_or(u32::MAX),
        trainees: found.into_iter().take(TRAINEE_PAGE).collect(),
    }))
}

/// A password handed out on paper (the same kind as a roster import's).
async fn new_password() -> Result<(String, String), HttpError> {
    let password = crate::classes::new_password();
    let hash = crate::auth::hash_password_limited(password.clone()).await?;
    Ok((password, hash))
}

async fn create_account(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    body: Result<Json<NewStaff>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<NewAccount>), HttpError> {
    let me = me(&state, user.id).await?;
    if !matches!(me.user.role, Role::ProvinceAdmin | Role::CentreAdmin) {
        return Err(HttpError::Forbidden);
    }
    let Json(new) = body?;
    if !may_create(me.user.role, new.role) {
        return Err(HttpError::Forbidden);
    }
    // A centre admin makes accounts of their own centre only.
    let centre = match me.user.role {
        Role::CentreAdmin => me.centre_id.ok_or(HttpError::Forbidden)?,
        _ => new
            .centre_id
            .ok_or_else(|| HttpError::BadRequest("choose the centre".into()))?,
    };
    if me.user.role == Role::CentreAdmin && new.centre_id.is_some_and(|c| c != centre) {
        return Err(HttpError::Forbidden);
    }
    if !state.store.accounts.centre_exists(centre).await? {
        return Err(HttpError::BadRequest("no such centre".into()));
    }
    let full_name =
        clean_name(&new.full_name).ok_or_else(|| HttpError::BadRequest("a full name".into()))?;
    let username = new.username.trim().to_string();
    if !is_valid_username(&username) {
        return Err(HttpError::BadRequest(
            "3 to 32 lower-case letters, digits, . _ -".into(),
        ));
    }
    let (password, hash) = new_password().await?;
    let id = state
        .store
        .accounts
        .create_staff(&username, &full_name, new.role, centre, &hash)
        .await?
        .ok_or(HttpError::AlreadyExists)?;
    tracing::info!(
        user = id,
        role = new.role.as_str(),
        centre,
        by = user.id,
        "account created"
    );
    let centre_name = state
        .store
        .accounts
        .profile(id)
        .await?
        .and_then(|p| p.centre_name)
        .unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(NewAccount {
            full_name,
            birth_date: None,
            unit: centre_name,
            username,
            password,
        }),
    ))
}

/// The account `id` if the asker may manage it: 403 for anyone who manages
/// no account at all, 404 for an administrator asking about no account,
/// 403 for one that is not theirs to manage.
async fn managed(state: &AppState, me: &Profile, id: i64) -> Result<AccountRow, HttpError> {
    if !matches!(me.user.role, Role::ProvinceAdmin | Role::CentreAdmin) {
        return Err(HttpError::Forbidden);
    }
    let target = state
        .store
        .accounts
        .account(id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let same_centre = me.centre_id.is_some() && me.centre_id == target.centre_id;
    if may_manage(
        me.user.role,
        same_centre,
        target.account.role,
        target.account.id == me.user.id,
    ) {
        Ok(target)
    } else {
        Err(HttpError::Forbidden)
    }
}

async fn set_active(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
    body: Result<Json<SetActive>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<lophoc_core::accounts::Account>, HttpError> {
    let me = me(&state, user.id).await?;
    let target = managed(&state, &me, id).await?;
    let Json(SetActive { active }) = body?;
    state.store.accounts.set_active(id, active, user.id).await?;
    tracing::info!(user = id, active, by = user.id, "account (re)activated");
    let mut account = target.account;
    account.active = active;
    Ok(Json(account))
}

async fn reset_password(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<NewAccount>, HttpError> {
    let me = me(&state, user.id).await?;
    let target = managed(&state, &me, id).await?;
    let (password, hash) = new_password().await?;
    // Sets must_change_password and ends every session of the account.
    state.store.accounts.set_password(id, &hash, true).await?;
    tracing::info!(user = id, by = user.id, "password reset");
    let profile = state
        .store
        .accounts
        .profile(id)
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok(Json(NewAccount {
        full_name: target.account.full_name,
        birth_date: profile.birth_date,
        unit: profile.centre_name.unwrap_or_default(),
        username: target.account.username,
        password,
    }))
}

async fn course_owners(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<CourseOwner>>, HttpError> {
    province_admin(&state, user.id).await?;
    Ok(Json(state.store.courses.course_owners().await?))
}

async fn set_owner(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(course): Path<String>,
    body: Result<Json<SetOwner>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<CourseOwner>, HttpError> {
    province_admin(&state, user.id).await?;
    if !is_valid_id(&course) || state.store.courses.course_title(&course).await?.is_none() {
        return Err(HttpError::NotFound);
    }
    let Json(SetOwner { centre_id }) = body?;
    if let Some(centre) = centre_id {
        if !state.store.accounts.centre_exists(centre).await? {
            return Err(HttpError::BadRequest("no such centre".into()));
        }
    }
    state
        .store
        .courses
        .set_course_owner(&course, centre_id, Some(user.id))
        .await?;
    tracing::info!(course, ?centre_id, by = user.id, "course handed over");
    state
        .store
        .courses
        .course_owners()
        .await?
        .into_iter()
        .find(|c| c.course_id == course)
        .map(Json)
        .ok_or(HttpError::NotFound)
}
