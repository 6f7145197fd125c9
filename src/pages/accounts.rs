//! `/accounts`: staff accounts in the browser (issue 14).
//!
//! A centre admin sees their centre's lecturers and administrators, creates
//! lecturers, names reviewers, finds trainees, deactivates and reactivates
//! accounts and resets passwords. The province admin sees every centre with
//! its administrators, adds centres and administrators, and hands courses
//! to their owner. Who may do what is decided by the server
//! (`lophoc_core::accounts`); the page only offers what the role may do.
//!
//! A new or reset password appears once, on a slip meant to be printed or
//! copied and handed over (as a roster import's sheet), never stored here.

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{
    accounts::Role,
    accounts::{clean_name, is_valid_username, Account, CentreEntry, CourseOwner, NewStaff},
    authoring::ReviewerGrant,
    classes::{username_base, NewAccount},
    i18n::Msg,
};

use crate::{
    api,
    components::{use_title, ErrorNotice, Loading},
    pages::authoring::api as authoring_api,
    state::{
        i18n::{use_i18n, I18n},
        session::use_session,
    },
};

/// What the page says after an action: done, or why not.
type Note = Option<Result<String, String>>;

fn role_msg(role: Role) -> Msg {
    match role {
        Role::Trainee => Msg::RoleTrainee,
        Role::Lecturer => Msg::RoleLecturer,
        Role::CentreAdmin => Msg::RoleCentreAdmin,
        Role::ProvinceAdmin => Msg::RoleProvinceAdmin,
    }
}

fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t(Msg::AccountsTitle).to_string());
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let slip = RwSignal::new(None::<NewAccount>);
    let note = RwSignal::new(None::<Result<String, String>>);
    view! {
        <div class="accounts-page">
            <h1 class="no-print">{move || i18n.t(Msg::AccountsTitle)}</h1>
            <div role="status" class="no-print">
                {move || note.get().map(|n| match n {
                    Ok(text) => view! { <p class="notice notice-info" data-testid="accounts-note">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="notice notice-error" data-testid="accounts-note">{text}</p> }.into_any(),
                })}
            </div>
            <PasswordSlip slip/>
            {move || match role() {
                Some(Role::CentreAdmin) => view! { <CentreAccounts slip note/> }.into_any(),
                Some(Role::ProvinceAdmin) => view! { <ProvinceAccounts slip note/> }.into_any(),
                _ => view! { <p class="notice notice-error" role="alert">{i18n.t(Msg::ErrForbidden)}</p> }.into_any(),
            }}
        </div>
    }
}

/// The one-time password of an account just created or reset, to print.
#[component]
fn PasswordSlip(slip: RwSignal<Option<NewAccount>>) -> impl IntoView {
    let i18n = use_i18n();
    // The button that made it may be far down the page: the slip comes
    // into view, and screen readers start reading at its heading.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if slip.with(Option::is_some) {
            request_animation_frame(move || {
                if let Some(h) = heading.get_untracked() {
                    let _ = h.focus();
                }
            });
        }
    });
    move || {
        slip.get().map(|account| {
            let title = i18n.f(Msg::PasswordSlipTitle, &[("name", &account.full_name)]);
            view! {
                <section class="panel password-sheet password-slip" aria-labelledby="slip-heading" data-testid="password-slip">
                    <h2 id="slip-heading" tabindex="-1" node_ref=heading>{title}</h2>
                    <p class="no-print">{i18n.t(Msg::PasswordSlipNote)}</p>
                    <dl class="slip">
                        <dt>{i18n.t(Msg::FullNameLabel)}</dt><dd>{account.full_name.clone()}</dd>
                        <dt>{i18n.t(Msg::SlipCentre)}</dt><dd>{account.unit.clone()}</dd>
                        <dt>{i18n.t(Msg::SheetUsername)}</dt><dd class="mono" data-testid="slip-username">{account.username.clone()}</dd>
                        <dt>{i18n.t(Msg::SheetPassword)}</dt><dd class="mono" data-testid="slip-password">{account.password.clone()}</dd>
                    </dl>
                    <p class="no-print">
                        <button type="button" class="button button-primary" on:click=move |_| {
                            if let Some(w) = web_sys::window() { let _ = w.print(); }
                        }>{i18n.t(Msg::PrintSlip)}</button>
                    </p>
                </section>
            }
        })
    }
}

/// One account with what the asker may do to it.
#[component]
fn AccountCard(
    account: Account,
    /// Whether the asker may deactivate it and reset its password.
    manageable: bool,
    /// Whether to offer the reviewer switch (lecturers, for their admin).
    reviewer_switch: bool,
    /// Whether this is the asker.
    itself: bool,
    slip: RwSignal<Option<NewAccount>>,
    note: RwSignal<Note>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let Account {
        id,
        username,
        full_name,
        role,
        active,
        reviewer,
        must_change_password,
    } = account;
    let name = StoredValue::new(full_name.clone());
    let mut facts = vec![
        username.clone(),
        i18n.t(role_msg(role)).to_string(),
        i18n.t(if active {
            Msg::AccountActive
        } else {
            Msg::AccountInactive
        })
        .to_string(),
    ];
    if must_change_password && active {
        facts.push(i18n.t(Msg::AccountMustChange).to_string());
    }
    if itself {
        facts.push(i18n.t(Msg::AccountYou).to_string());
    }
    let reset = move |_| {
        let question = i18n.f(Msg::ResetConfirm, &[("name", &name.get_value())]);
        if !confirmed(&question) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::reset_account_password(id).await {
                Ok(account) => {
                    note.set(None);
                    slip.set(Some(account));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => note.set(Some(Err(e.describe(i18n.lang())))),
            }
            busy.set(false);
        });
    };
    let toggle = move |_| {
        if active {
            let question = i18n.f(
                Msg::AccountDeactivateConfirm,
                &[("name", &name.get_value())],
            );
            if !confirmed(&question) {
                return;
            }
        }
        busy.set(true);
        spawn_local(async move {
            match api::set_active(id, !active).await {
                Ok(_) => {
                    let msg = if active {
                        Msg::AccountDeactivated
                    } else {
                        Msg::AccountReactivated
                    };
                    note.set(Some(Ok(i18n.f(msg, &[("name", &name.get_value())]))));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => note.set(Some(Err(e.describe(i18n.lang())))),
            }
            busy.set(false);
        });
    };
    let set_reviewer = move |on: bool| {
        spawn_local(async move {
            match authoring_api::grant(&ReviewerGrant {
                user_id: id,
                reviewer: on,
            })
            .await
            {
                Ok(_) => {
                    let msg = if on {
                        Msg::AccountReviewerOn
                    } else {
                        Msg::AccountReviewerOff
                    };
                    note.set(Some(Ok(i18n.f(msg, &[("name", &name.get_value())]))));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => note.set(Some(Err(e.describe(i18n.lang())))),
            }
        });
    };
    let switch_id = format!("reviewer-{id}");
    // Several cards have the switch: its name says whose it is.
    let whose = format!(" ({full_name})");
    view! {
        <li class=if active { "card account" } else { "card account account-inactive" } data-testid="account">
            <h3 class="card-title">{full_name.clone()}</h3>
            <p class="meta">{facts.join(" · ")}</p>
            {(reviewer_switch && role == Role::Lecturer).then(|| view! {
                <div class="choice">
                    <input type="checkbox" id=switch_id.clone() prop:checked=reviewer
                        on:change=move |ev| set_reviewer(event_target_checked(&ev))/>
                    <label for=switch_id>
                        {i18n.t(Msg::AccountReviewer)}
                        <span class="visually-hidden">{whose}</span>
                    </label>
                </div>
            })}
            {manageable.then(|| view! {
                <div class="button-row">
                    <button type="button" class="button button-small" disabled=move || busy.get() on:click=reset
                        aria-label=i18n.f(Msg::ResetConfirmLabel, &[("name", &full_name)])>
                        {i18n.t(Msg::ResetPassword)}
                    </button>
                    <button type="button" class="button button-small" disabled=move || busy.get() on:click=toggle
                        aria-label=i18n.f(if active { Msg::AccountDeactivateLabel } else { Msg::AccountReactivateLabel }, &[("name", &full_name)])>
                        {i18n.t(if active { Msg::AccountDeactivate } else { Msg::AccountReactivate })}
                    </button>
                </div>
            })}
        </li>
    }
}

/// A centre admin's view: the centre's staff, a new lecturer, trainees.
#[component]
fn CentreAccounts(slip: RwSignal<Option<NewAccount>>, note: RwSignal<Note>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let refresh = RwSignal::new(0_u32);
    let query = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        refresh.track();
        let q = search.get();
        async move { api::accounts(&q).await }
    });
    let card = move |a: Account, staff: bool| {
        let itself = Some(a.id) == me;
        let manageable = !itself && matches!(a.role, Role::Lecturer | Role::Trainee);
        view! { <AccountCard account=a manageable reviewer_switch=staff itself slip note refresh/> }
    };
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => {
                        let found = list.trainees_found;
                        let shown = list.trainees.len();
                        let count = if (found as usize) > shown {
                            i18n.f(Msg::AccountsFoundMore, &[("n", &found.to_string()), ("shown", &shown.to_string())])
                        } else {
                            i18n.f(Msg::AccountsFound, &[("n", &found.to_string())])
                        };
                        view! {
                            <p class="no-print">{i18n.f(Msg::AccountsCentreIntro, &[("centre", &list.centre_name)])}</p>
                            <section class="panel no-print" aria-labelledby="staff-heading">
                                <h2 id="staff-heading">{i18n.t(Msg::AccountsStaff)}</h2>
                                {(list.staff.iter().all(|a| a.role != Role::Lecturer)).then(|| view! {
                                    <p>{i18n.t(Msg::AccountsNoStaff)}</p>
                                })}
                                <ul class="card-list" data-testid="staff">
                                    {list.staff.into_iter().map(|a| card(a, true)).collect_view()}
                                </ul>
                            </section>
                            <NewStaffForm role=Role::Lecturer centres=Vec::new() slip note refresh/>
                            <section class="panel no-print" aria-labelledby="trainees-heading">
                                <h2 id="trainees-heading">{i18n.t(Msg::AccountsTrainees)}</h2>
                                <p class="meta">{i18n.t(Msg::AccountsTraineesHint)}</p>
                                <form class="form search-form" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    search.set(query.get_untracked());
                                }>
                                    <div class="field">
                                        <label for="trainee-search">{i18n.t(Msg::AccountsSearch)}</label>
                                        <input id="trainee-search" type="search" bind:value=query/>
                                    </div>
                                    <button type="submit" class="button">{i18n.t(Msg::AccountsSearchButton)}</button>
                                </form>
                                <p role="status">{if found == 0 { i18n.t(Msg::AccountsNoTrainees).to_string() } else { count }}</p>
                                <ul class="card-list" data-testid="trainees">
                                    {list.trainees.into_iter().map(|a| card(a, false)).collect_view()}
                                </ul>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Creating a lecturer (centre admin) or a centre admin (province admin,
/// who chooses the centre among `centres`).
#[component]
fn NewStaffForm(
    role: Role,
    centres: Vec<CentreEntry>,
    slip: RwSignal<Option<NewAccount>>,
    note: RwSignal<Note>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let full_name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    // Suggested from the name until the admin types one of their own.
    let typed = RwSignal::new(false);
    let centre = RwSignal::new(centres.first().map(|c| c.id));
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (heading, prefix) = match role {
        Role::CentreAdmin => (Msg::NewCentreAdminTitle, "admin"),
        _ => (Msg::NewLecturerTitle, "lecturer"),
    };
    let no_centre = role == Role::CentreAdmin && centres.is_empty();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(name) = clean_name(&full_name.get_untracked()) else {
            problem.set(Some(i18n.t(Msg::FullNameMissing).to_string()));
            return;
        };
        let login = username.get_untracked().trim().to_string();
        if !is_valid_username(&login) {
            problem.set(Some(i18n.t(Msg::UsernameInvalid).to_string()));
            return;
        }
        let centre_id = if role == Role::CentreAdmin {
            let Some(id) = centre.get_untracked() else {
                problem.set(Some(i18n.t(Msg::CentreChooseFirst).to_string()));
                return;
            };
            Some(id)
        } else {
            None
        };
        let request = NewStaff {
            full_name: name,
            username: login,
            role,
            centre_id,
        };
        busy.set(true);
        spawn_local(async move {
            match api::create_account(&request).await {
                Ok(account) => {
                    problem.set(None);
                    note.set(Some(Ok(
                        i18n.f(Msg::AccountCreated, &[("name", &account.full_name)])
                    )));
                    slip.set(Some(account));
                    full_name.set(String::new());
                    username.set(String::new());
                    typed.set(false);
                    refresh.update(|n| *n += 1);
                }
                // What was typed stays, to correct it.
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    let id = move |field: &str| format!("{prefix}-{field}");
    view! {
        <section class="panel no-print" aria-labelledby=id("heading")>
            <h2 id=id("heading")>{i18n.t(heading)}</h2>
            <form class="form" on:submit=submit novalidate>
                {(role == Role::CentreAdmin).then(|| view! {
                    <div class="field">
                        <label for=id("centre")>{i18n.t(Msg::CentreLabel)}</label>
                        <select id=id("centre") on:change=move |ev| centre.set(event_target_value(&ev).parse().ok())>
                            {centres.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for=id("name")>{i18n.t(Msg::FullNameLabel)}</label>
                    <input id=id("name") type="text" maxlength="120" autocomplete="off" bind:value=full_name
                        on:input=move |ev| if !typed.get_untracked() {
                            username.set(username_base(&event_target_value(&ev)));
                        }/>
                </div>
                <div class="field">
                    <label for=id("username")>{i18n.t(Msg::Username)}</label>
                    <input id=id("username") type="text" maxlength="32" autocomplete="off" autocapitalize="none"
                        spellcheck="false" bind:value=username aria-describedby=id("username-hint")
                        on:input=move |_| typed.set(true)/>
                    <p class="meta" id=id("username-hint")>{i18n.t(Msg::UsernameHint)}</p>
                </div>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="button button-primary" disabled=move || busy.get() || no_centre>
                    {i18n.t(Msg::CreateAccount)}
                </button>
            </form>
        </section>
    }
}

/// The province admin's view: centres and their admins, new centres and
/// admins, and who owns each course.
#[component]
fn ProvinceAccounts(slip: RwSignal<Option<NewAccount>>, note: RwSignal<Note>) -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0_u32);
    let centres = LocalResource::new(move || {
        refresh.track();
        api::centres()
    });
    view! {
        <p class="no-print">{move || i18n.t(Msg::AccountsProvinceIntro)}</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match centres.await {
                    Ok(list) => view! {
                        <section class="panel no-print" aria-labelledby="centres-heading">
                            <h2 id="centres-heading">{i18n.t(Msg::CentresTitle)}</h2>
                            {list.is_empty().then(|| view! { <p>{i18n.t(Msg::CentresEmpty)}</p> })}
                            <ul class="card-list centre-list" data-testid="centres">
                                {list.iter().cloned().map(|c| view! { <CentreCard centre=c slip note refresh/> }).collect_view()}
                            </ul>
                        </section>
                        <NewCentreForm note refresh/>
                        <NewStaffForm role=Role::CentreAdmin centres=list.clone() slip note refresh/>
                        <CourseOwners centres=list note/>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CentreCard(
    centre: CentreEntry,
    slip: RwSignal<Option<NewAccount>>,
    note: RwSignal<Note>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let counts = i18n.f(
        Msg::CentreCounts,
        &[
            ("lecturers", &centre.lecturers.to_string()),
            ("trainees", &centre.trainees.to_string()),
        ],
    );
    view! {
        <li class="card centre" data-testid="centre">
            <h3 class="card-title">{centre.name.clone()}</h3>
            <p class="meta">{counts}</p>
            {if centre.admins.is_empty() {
                view! { <p>{i18n.t(Msg::CentreNoAdmin)}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list nested" aria-label=i18n.t(Msg::CentreAdmins)>
                        {centre.admins.into_iter().map(|a| view! {
                            <AccountCard account=a manageable=true reviewer_switch=false itself=false slip note refresh/>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </li>
    }
}

#[component]
fn NewCentreForm(note: RwSignal<Note>, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(text) = clean_name(&name.get_untracked()) else {
            problem.set(Some(i18n.t(Msg::CentreNameMissing).to_string()));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match api::create_centre(&text).await {
                Ok(centre) => {
                    problem.set(None);
                    note.set(Some(Ok(
                        i18n.f(Msg::CentreCreated, &[("name", &centre.name)])
                    )));
                    name.set(String::new());
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel no-print" aria-labelledby="new-centre-heading">
            <h2 id="new-centre-heading">{i18n.t(Msg::NewCentreTitle)}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="centre-name">{i18n.t(Msg::CentreNameLabel)}</label>
                    <input id="centre-name" type="text" maxlength="120" bind:value=name/>
                </div>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {i18n.t(Msg::NewCentreTitle)}
                </button>
            </form>
        </section>
    }
}

/// The owner's name as the page says it.
fn owner_name(i18n: I18n, course: &CourseOwner) -> String {
    course.owner.as_ref().map_or_else(
        || i18n.t(Msg::OwnerProvince).to_string(),
        |c| c.name.clone(),
    )
}

/// Every course with its owner, and handing it over.
#[component]
fn CourseOwners(centres: Vec<CentreEntry>, note: RwSignal<Note>) -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0_u32);
    let courses = LocalResource::new(move || {
        refresh.track();
        api::course_owners()
    });
    let centres = StoredValue::new(centres);
    view! {
        <section class="panel no-print" aria-labelledby="owners-heading">
            <h2 id="owners-heading">{i18n.t(Msg::CourseOwnersTitle)}</h2>
            <p class="meta">{i18n.t(Msg::CourseOwnersIntro)}</p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match courses.await {
                        Ok(list) if list.is_empty() => view! { <p>{i18n.t(Msg::CourseOwnersEmpty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="card-list" data-testid="course-owners">
                                {list.into_iter().map(|course| view! {
                                    <OwnerCard course centres=centres.get_value() note refresh/>
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OwnerCard(
    course: CourseOwner,
    centres: Vec<CentreEntry>,
    note: RwSignal<Note>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = course.owner.as_ref().map(|c| c.id);
    let chosen = RwSignal::new(current);
    let busy = RwSignal::new(false);
    let select_id = format!("owner-{}", course.course_id);
    let course_id = StoredValue::new(course.course_id.clone());
    let title = StoredValue::new(course.title.clone());
    let now = i18n.f(Msg::OwnerNow, &[("owner", &owner_name(i18n, &course))]);
    let hand_over = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match api::set_course_owner(&course_id.get_value(), chosen.get_untracked()).await {
                Ok(owner) => {
                    note.set(Some(Ok(i18n.f(
                        Msg::HandedOver,
                        &[
                            ("course", &title.get_value()),
                            ("owner", &owner_name(i18n, &owner)),
                        ],
                    ))));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => note.set(Some(Err(e.describe(i18n.lang())))),
            }
            busy.set(false);
        });
    };
    view! {
        <li class="card" data-testid="course-owner">
            <h3 class="card-title">{course.title.clone()}</h3>
            <p class="meta">{now}</p>
            <form class="form owner-form" on:submit=hand_over>
                <div class="field">
                    <label for=select_id.clone()>{i18n.t(Msg::OwnerNew)}</label>
                    <select id=select_id on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=current.is_none()>{i18n.t(Msg::OwnerProvince)}</option>
                        {centres.into_iter().map(|c| view! {
                            <option value=c.id.to_string() selected=current == Some(c.id)>{c.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button" disabled=move || busy.get() || chosen.get() == current>
                    {i18n.t(Msg::HandOver)}
                </button>
            </form>
        </li>
    }
}
