//! Authoring in the browser (issue 7): `/authoring` (drafts, starting one,
//! importing a zip, who reviews), `/authoring/:course` (a draft's files,
//! adding lessons and situation sets, checking, submitting, the reviews),
//! the editor of one file, and `/review` for reviewers.
//!
//! Policy: what the server refuses is shown in words with the file and
//! line the content loader gave, and nothing typed is cleared by a failure.

pub mod api;
pub mod editor;
pub mod question_form;
pub mod review;

use leptos::{either::Either, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    api::ApiError,
    authoring::{
        slug, vn_time, Decision, DraftDetail, DraftStatus, FileKind, NewDraft, NewItem,
        NewItemKind, Note, Problem, ReviewerGrant,
    },
    i18n::Msg,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::{
    api::ClientError,
    components::{use_title, ErrorNotice, Loading},
    state::{i18n::use_i18n, i18n::I18n, session::use_session},
};

/// The loader's problems under a heading, each with its file and line.
pub(crate) fn problem_list(i18n: I18n, heading: Msg, problems: Vec<Problem>) -> impl IntoView {
    view! {
        <div class="notice notice-error problems" role="alert" data-testid="problems">
            <p><strong>{move || i18n.t(heading)}</strong></p>
            <ul>
                {problems.into_iter().map(|p| {
                    let Problem { file, line, text_vi, text_en, detail_vi, detail_en, .. } = p;
                    let place = match line {
                        Some(line) => i18n.f(Msg::AuthProblemAt, &[("file", &file), ("line", &line.to_string())]),
                        None => file,
                    };
                    let text = i18n.pick(&text_vi, &text_en);
                    let detail = detail_vi.zip(detail_en)
                        .map(|(vi, en)| view! { <small class="problem-detail">{i18n.pick(&vi, &en)}</small> });
                    view! { <li><code>{place}</code> " " <span class="problem-text">{text}</span> {detail}</li> }
                }).collect_view()}
            </ul>
        </div>
    }
}

pub(crate) fn status_msg(status: DraftStatus) -> Msg {
    match status {
        DraftStatus::Editing => Msg::AuthStatusEditing,
        DraftStatus::Submitted => Msg::AuthStatusSubmitted,
        DraftStatus::Returned => Msg::AuthStatusReturned,
    }
}

#[component]
pub fn AuthoringPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t(Msg::AuthTitle).to_string());
    let refresh = RwSignal::new(0_u32);
    let home = LocalResource::new(move || {
        refresh.track();
        api::home()
    });
    let problem = RwSignal::new(None::<String>);
    let import_problems = RwSignal::new(None::<Vec<Problem>>);
    let imported = RwSignal::new(None::<String>);
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let start = move |course_id: String| {
        let navigate = navigate.get_value();
        spawn_local(async move {
            let new = NewDraft {
                course_id: course_id.clone(),
                title: String::new(),
                from_published: true,
            };
            match api::create(&new).await {
                Ok(_) => {
                    navigate(&format!("/authoring/{course_id}"), Default::default());
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    let new_title = RwSignal::new(String::new());
    let create_new = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let title = new_title.get_untracked();
        let id = slug(&title);
        if id.is_empty() {
            problem.set(Some(i18n.t(Msg::AuthNeedTitle).to_string()));
            return;
        }
        spawn_local(async move {
            let new = NewDraft {
                course_id: id.clone(),
                title,
                from_published: false,
            };
            match api::create(&new).await {
                Ok(_) => {
                    problem.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("import-zip"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else {
            problem.set(Some(i18n.t(Msg::AuthChooseZip).to_string()));
            return;
        };
        spawn_local(async move {
            let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
                problem.set(Some(i18n.t(Msg::AuthZipUnreadable).to_string()));
                return;
            };
            import_problems.set(None);
            imported.set(None);
            match api::import(js_sys::Uint8Array::new(&buffer).to_vec()).await {
                Ok(report) => {
                    problem.set(None);
                    imported.set(Some(i18n.f(
                        Msg::AuthImported,
                        &[
                            ("course", &report.course_id),
                            ("n", &report.changed.to_string()),
                        ],
                    )));
                    refresh.update(|n| *n += 1);
                }
                Err(ClientError::Api(ApiError::ContentProblems { problems })) => {
                    import_problems.set(Some(problems));
                }
                Err(ClientError::Api(ApiError::BadRequest { .. })) => {
                    problem.set(Some(i18n.t(Msg::AuthZipUnreadable).to_string()));
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    let is_admin = move || {
        session.user.with(|u| {
            u.as_ref()
                .is_some_and(|u| u.role == lophoc_core::accounts::Role::CentreAdmin)
        })
    };
    view! {
        <h1>{move || i18n.t(Msg::AuthTitle)}</h1>
        <p>{move || i18n.t(Msg::AuthIntro)}</p>
        {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! {
                        {home.reviewer.then(|| view! {
                            <p><A href="/review" attr:class="button">{i18n.t(Msg::AuthOpenReviews)}</A></p>
                        })}
                        <section class="panel" aria-labelledby="drafts-heading">
                            <h2 id="drafts-heading">{i18n.t(Msg::AuthDrafts)}</h2>
                            {if home.drafts.is_empty() {
                                Either::Left(view! { <p>{i18n.t(Msg::AuthNoDrafts)}</p> })
                            } else {
                                Either::Right(view! {
                                    <ul class="card-list">
                                        {home.drafts.into_iter().map(|d| view! {
                                            <li class="card">
                                                <A href=format!("/authoring/{}", d.course_id)>{d.title.clone()}</A>
                                                <p class="meta">{i18n.t(status_msg(d.status))} " · " {vn_time(d.updated_at)}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })
                            }}
                        </section>
                        {(!home.published.is_empty()).then(|| view! {
                            <section class="panel" aria-labelledby="published-heading">
                                <h2 id="published-heading">{i18n.t(Msg::AuthStartFromPublished)}</h2>
                                <ul class="card-list">
                                    {home.published.into_iter().map(|(id, title)| {
                                        let label = i18n.f(Msg::AuthEditCourse, &[("title", &title)]);
                                        view! {
                                            <li class="card">
                                                <p>{title}</p>
                                                <button type="button" class="button" on:click=move |_| start(id.clone())>{label}</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <form class="form panel" on:submit=create_new novalidate>
            <h2>{move || i18n.t(Msg::AuthNewCourse)}</h2>
            <div class="field">
                <label for="new-course-title">{move || i18n.t(Msg::AuthCourseTitle)}</label>
                <input id="new-course-title" type="text" prop:value=move || new_title.get()
                    on:input=move |ev| new_title.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button">{move || i18n.t(Msg::AuthCreateCourse)}</button>
        </form>
        <form class="form panel" on:submit=import novalidate>
            <h2>{move || i18n.t(Msg::AuthImport)}</h2>
            <div class="field">
                <label for="import-zip">{move || i18n.t(Msg::AuthZipFile)}</label>
                <input id="import-zip" type="file" accept=".zip,application/zip"/>
            </div>
            {move || import_problems.get().map(|p| problem_list(i18n, Msg::AuthZipProblems, p))}
            {move || imported.get().map(|m| view! { <p class="notice notice-info" role="status">{m}</p> })}
            <button type="submit" class="button">{move || i18n.t(Msg::AuthImportButton)}</button>
        </form>
        <Show when=is_admin>
            <ReviewersPanel/>
        </Show>
    }
}

/// The centre admin grants or takes back the reviewer role.
#[component]
fn ReviewersPanel() -> impl IntoView {
    let i18n = use_i18n();
    let list =
        RwSignal::new(None::<Result<Vec<lophoc_core::authoring::ReviewerEntry>, ClientError>>);
    spawn_local(async move { list.set(Some(api::reviewers().await)) });
    // Each tick saves at once and says so beside the list.
    let saved = RwSignal::new(None::<Result<String, String>>);
    let set = move |user_id: i64, name: String, reviewer: bool| {
        spawn_local(async move {
            let result = api::grant(&ReviewerGrant { user_id, reviewer }).await;
            saved.set(Some(match &result {
                Ok(_) => Ok(i18n.f(
                    if reviewer {
                        Msg::AuthReviewerAdded
                    } else {
                        Msg::AuthReviewerRemoved
                    },
                    &[("name", &name)],
                )),
                Err(e) => Err(e.describe(i18n.lang())),
            }));
            if result.is_ok() {
                list.set(Some(result));
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="reviewers-heading">
            <h2 id="reviewers-heading">{move || i18n.t(Msg::AuthReviewers)}</h2>
            <p class="meta">{move || i18n.t(Msg::AuthReviewersHint)}</p>
            {move || list.get().map(|r| match r {
                Ok(entries) => view! {
                    <ul class="plain-list">
                        {entries.into_iter().map(|e| {
                            let id = format!("reviewer-{}", e.user_id);
                            let user = e.user_id;
                            let name = e.full_name.clone();
                            view! {
                                <li class="choice">
                                    <input type="checkbox" id=id.clone() prop:checked=e.reviewer
                                        on:change=move |ev| set(user, name.clone(), event_target_checked(&ev))/>
                                    <label for=id>{e.full_name}</label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || saved.get().map(|r| match r {
                Ok(text) => view! { <p class="notice notice-info" role="status" data-testid="reviewer-saved">"✓ " {text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
}

/// The reviews of a draft, newest first, with their comments.
pub(crate) fn reviews_view(i18n: I18n, detail: &DraftDetail) -> impl IntoView {
    let reviews = detail.reviews.clone();
    (!reviews.is_empty()).then(|| view! {
        <section class="panel" aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">{move || i18n.t(Msg::AuthReviewHistory)}</h2>
            <ol class="review-list" data-testid="reviews">
                {reviews.into_iter().map(|r| {
                    let outcome = match r.decision {
                        Some(Decision::Approved) => i18n.f(Msg::AuthApprovedBy, &[
                            ("name", &r.decided_by.clone().unwrap_or_default()),
                            ("version", &r.published_version.unwrap_or_default().to_string()),
                        ]),
                        Some(Decision::Returned) => i18n.f(Msg::AuthReturnedBy, &[("name", &r.decided_by.clone().unwrap_or_default())]),
                        None => i18n.t(Msg::AuthStatusSubmitted).to_string(),
                    };
                    view! {
                        <li>
                            <p><strong>{i18n.f(Msg::AuthSubmittedBy, &[("name", &r.submitted_by), ("time", &vn_time(r.submitted_at))])}</strong></p>
                            <p>{outcome}</p>
                            {(!r.note.is_empty()).then(|| view! { <p class="meta">{r.note.clone()}</p> })}
                            <ul class="comment-list">
                                {r.comments.into_iter().map(|c| view! {
                                    <li>
                                        <span class="meta">{c.author} " · " {vn_time(c.at)} {c.path.map(|p| format!(" · {p}"))}</span>
                                        <p>{c.body}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    })
}

#[component]
pub fn DraftPage() -> impl IntoView {
    let params = use_params_map();
    let course = move || params.read().get("course").unwrap_or_default();
    let refresh = RwSignal::new(0_u32);
    let detail = LocalResource::new(move || {
        refresh.track();
        api::detail(course())
    });
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::AuthTitle).to_string());
    // What "submit for review" answered: kept here, as the page below is
    // built again once the draft has reloaded.
    let submitted = RwSignal::new(None::<String>);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <DraftView detail refresh submitted/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DraftView(
    detail: DraftDetail,
    refresh: RwSignal<u32>,
    submitted: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let course = StoredValue::new(detail.summary.course_id.clone());
    let problems = RwSignal::new(None::<Vec<Problem>>);
    let message = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Edits kept on this device that the server has not yet.
    let unsent = api::kept_paths(&course.get_value());
    let check = move |_| {
        spawn_local(async move {
            match api::check(&course.get_value()).await {
                Ok(report) if report.problems.is_empty() => {
                    problems.set(None);
                    message.set(Some(i18n.t(Msg::AuthCheckOk).to_string()));
                }
                Ok(report) => {
                    message.set(None);
                    problems.set(Some(report.problems));
                }
                Err(e) => message.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            let n = Note {
                text: note.get_untracked(),
                ..Default::default()
            };
            match api::submit(&course.get_value(), &n).await {
                Ok(report) => {
                    problems.set(None);
                    message.set(None);
                    note.set(String::new());
                    submitted.set(Some(if report.reviewers.is_empty() {
                        i18n.t(Msg::AuthSubmittedNoReviewer).to_string()
                    } else {
                        i18n.f(
                            Msg::AuthSubmittedTo,
                            &[("names", &report.reviewers.join(", "))],
                        )
                    }));
                    refresh.update(|n| *n += 1);
                }
                Err(ClientError::Api(ApiError::ContentProblems { problems: p })) => {
                    problems.set(Some(p));
                }
                Err(e) => message.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    // The course as its author thinks of it: modules by title, then their
    // lessons, situation sets and assessments by title, in course order.
    // Files outside that outline (and the course file) come last.
    let outline = detail.outline.clone();
    let in_outline: Vec<String> = outline
        .iter()
        .flat_map(|m| m.items.iter().map(|i| i.path.clone()))
        .collect();
    let status = detail.summary.status;
    let file_meta = {
        let files = detail.files.clone();
        move |path: &str| {
            files.iter().find(|f| f.path == path).map(|f| {
                i18n.f(
                    Msg::AuthFileMeta,
                    &[
                        ("version", &f.version.to_string()),
                        ("name", &f.updated_by),
                        ("time", &vn_time(f.updated_at)),
                    ],
                )
            })
        }
    };
    let kind_msg = |kind: FileKind| match kind {
        FileKind::Lesson => Msg::AuthKindLesson,
        FileKind::Situation => Msg::AuthKindSituation,
        FileKind::Assessment => Msg::AuthKindAssessment,
        _ => Msg::AuthKindOther,
    };
    let modules_view = outline
        .clone()
        .into_iter()
        .enumerate()
        .map(|(n, m)| {
            let items = m
                .items
                .into_iter()
                .map(|item| {
                    let meta = file_meta(&item.path);
                    let missing = meta.is_none();
                    let href = format!("/authoring/{}/edit/{}", course.get_value(), item.path);
                    view! {
                        <li>
                            <A href=href>{item.title.clone()}</A>
                            <span class="meta">" " {i18n.t(kind_msg(item.kind))}
                                {meta.map(|m| format!(" · {m}"))}
                                {missing.then(|| format!(" · {}", i18n.t(Msg::AuthFileMissing)))}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            let heading = i18n.f(
                Msg::AuthModuleHeading,
                &[("n", &(n + 1).to_string()), ("title", &m.title)],
            );
            view! {
                <h3 class="module-heading">{heading}</h3>
                <ul class="file-list" data-testid="outline-module">{items}</ul>
            }
        })
        .collect_view();
    let others: Vec<_> = detail
        .files
        .iter()
        .filter(|f| {
            f.kind != FileKind::Media && f.kind != FileKind::Course && !in_outline.contains(&f.path)
        })
        .cloned()
        .collect();
    let modules: Vec<(String, String)> = if outline.is_empty() {
        let mut folders: Vec<String> = detail
            .files
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    FileKind::Lesson | FileKind::Situation | FileKind::Assessment
                )
            })
            .filter_map(|f| f.path.split_once('/').map(|(m, _)| m.to_string()))
            .collect();
        folders.dedup();
        folders.into_iter().map(|f| (f.clone(), f)).collect()
    } else {
        outline
            .iter()
            .enumerate()
            .map(|(n, m)| {
                (
                    m.id.clone(),
                    i18n.f(
                        Msg::AuthModuleHeading,
                        &[("n", &(n + 1).to_string()), ("title", &m.title)],
                    ),
                )
            })
            .collect()
    };
    let media: Vec<_> = detail
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Media)
        .cloned()
        .collect();
    let reviews = reviews_view(i18n, &detail);
    let export = format!("/api/authoring/drafts/{}/export.zip", course.get_value());
    let export_name = format!("{}.zip", course.get_value());
    let title = detail.summary.title.clone();
    let can_decide = detail.can_decide;
    // The course was handed to another owner: read and export only.
    let can_edit = detail.can_edit;
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
            <A href="/authoring">{move || i18n.t(Msg::AuthTitle)}</A>
        </nav>
        <h1>{title}</h1>
        <p class="status-line" data-testid="draft-status">{move || i18n.t(status_msg(status))}</p>
        {(!can_edit).then(|| view! {
            <p class="notice notice-info" role="status" data-testid="not-owner">{move || i18n.t(Msg::AuthNotOwner)}</p>
        })}
        {(!unsent.is_empty()).then(|| view! {
            <p class="notice notice-info" role="status">{move || i18n.t(Msg::AuthUnsentOnDevice)}</p>
        })}
        {can_decide.then(|| view! {
            <p><A href=format!("/review/{}", course.get_value()) attr:class="button button-primary">{move || i18n.t(Msg::AuthOpenReview)}</A></p>
        })}
        <section class="panel" aria-labelledby="files-heading">
            <h2 id="files-heading">{move || i18n.t(Msg::AuthCourseContents)}</h2>
            {modules_view}
            <h3 class="module-heading">{move || i18n.t(Msg::AuthOtherFiles)}</h3>
            <ul class="file-list">
                <li>
                    <A href=format!("/authoring/{}/edit/course.toml", course.get_value())>{move || i18n.t(Msg::AuthCourseFile)}</A>
                    <span class="meta">" course.toml"</span>
                </li>
                {others.into_iter().map(|f| view! {
                    <li>
                        <A href=format!("/authoring/{}/edit/{}", course.get_value(), f.path)>{f.path.clone()}</A>
                        <span class="meta">" " {i18n.t(kind_msg(f.kind))}</span>
                    </li>
                }).collect_view()}
            </ul>
            {(!media.is_empty()).then(|| view! {
                <h3 class="module-heading">{move || i18n.t(Msg::AuthMedia)}</h3>
                <ul class="file-list">{media.into_iter().map(|f| view! { <li>{f.path}</li> }).collect_view()}</ul>
            })}
        </section>
        {can_edit.then(|| view! { <AddItemForm course modules/> })}
        <section class="panel" aria-labelledby="submit-heading">
            <h2 id="submit-heading">{move || i18n.t(Msg::AuthSubmitHeading)}</h2>
            <p><button type="button" class="button" on:click=check>{move || i18n.t(Msg::AuthCheck)}</button></p>
            {move || message.get().map(|m| view! { <p class="notice notice-info" role="status">{m}</p> })}
            {move || problems.get().map(|p| problem_list(i18n, Msg::AuthHasProblems, p))}
            {move || submitted.get().filter(|_| status == DraftStatus::Submitted).map(|m| view! {
                <p class="notice notice-info" role="status" data-testid="submitted">{m}</p>
            })}
            {(can_edit && status != DraftStatus::Submitted).then(|| view! {
                <form class="form" on:submit=submit novalidate>
                    <div class="field">
                        <label for="submit-note">{move || i18n.t(Msg::AuthSubmitNote)}</label>
                        <textarea id="submit-note" rows="2" prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button button-primary" disabled=move || busy.get()>{move || i18n.t(Msg::AuthSubmit)}</button>
                </form>
            })}
            <p><a href=export download=export_name>{move || i18n.t(Msg::AuthExport)}</a></p>
        </section>
        {reviews}
    }
}

/// Adds a lesson or a situation set to a module.
#[component]
fn AddItemForm(course: StoredValue<String>, modules: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(NewItemKind::Lesson);
    let module = RwSignal::new(
        modules
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default(),
    );
    let title = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.get_value();
        let t = title.get_untracked();
        let id = slug(&t);
        if id.is_empty() {
            problem.set(Some(i18n.t(Msg::AuthNeedTitle).to_string()));
            return;
        }
        let item = NewItem {
            kind: kind.get_untracked(),
            module: module.get_untracked(),
            id: id.clone(),
            title: t,
        };
        spawn_local(async move {
            match api::add_item(&course.get_value(), &item).await {
                Ok(_) => {
                    let suffix = if item.kind == NewItemKind::Lesson {
                        ".md"
                    } else {
                        ".situation.toml"
                    };
                    navigate(
                        &format!(
                            "/authoring/{}/edit/{}/{id}{suffix}",
                            course.get_value(),
                            item.module
                        ),
                        Default::default(),
                    );
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    view! {
        <form class="form panel" on:submit=add novalidate>
            <h2>{move || i18n.t(Msg::AuthAddItem)}</h2>
            <fieldset class="choice-group">
                <legend>{move || i18n.t(Msg::AuthItemKind)}</legend>
                {[(NewItemKind::Lesson, "item-lesson", Msg::AuthKindLesson), (NewItemKind::Situation, "item-situation", Msg::AuthKindSituation)]
                    .into_iter().map(|(k, id, label)| view! {
                        <div class="choice">
                            <input type="radio" name="item-kind" id=id prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                            <label for=id>{move || i18n.t(label)}</label>
                        </div>
                    }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="item-module">{move || i18n.t(Msg::AuthModule)}</label>
                <select id="item-module" on:change=move |ev| module.set(event_target_value(&ev))>
                    {modules.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="item-title">{move || i18n.t(Msg::AuthItemTitle)}</label>
                <input id="item-title" type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            <button type="submit" class="button">{move || i18n.t(Msg::AuthAdd)}</button>
        </form>
    }
}
