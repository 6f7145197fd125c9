//! `/classes/:id`: one class — the progress matrix (trainees × modules, each
//! cell a status in words and colour), exports, question statistics, the
//! roster with password resets, and for the centre admin the roster import
//! with a printable sheet of initial passwords.
//!
//! Policy: a roster file is always checked first (nothing is created), and
//! accounts are made only from a file without problems; each problem is
//! shown with its row number in the user's language. The initial passwords
//! appear once, on a sheet meant to be printed and handed out in class.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    calendar::date_vi,
    classes::{
        AssessmentStats, ClassDetail, ClassMatrix, Member, NewAccount, RosterImport, RosterProblem,
        RosterProblemKind, RosterResult, MAX_ROSTER_ROWS,
    },
    i18n::Msg,
    stats::StatFlag,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::{
    api,
    components::{use_title, ErrorNotice, Loading, StatusBadge},
    state::i18n::{use_i18n, I18n},
};

/// Largest roster file accepted (the server's limit).
const MAX_ROSTER_BYTES: f64 = 1024.0 * 1024.0;

fn class_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("class")
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    })
}

#[component]
pub fn ClassPage() -> impl IntoView {
    let id = class_id();
    // Bumped after an import or reset: the matrix and the roster reload,
    // the rest of the page (and the printed sheet) stays.
    let refresh = RwSignal::new(0_u32);
    let detail = LocalResource::new(move || api::class(id.get()));
    use_title(move || {
        detail
            .get()
            .and_then(Result::ok)
            .map(|d| d.class.name)
            .unwrap_or_default()
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <ClassView detail refresh/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClassView(detail: ClassDetail, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let class = detail.class.clone();
    let id = class.id;
    let (dates, lecturers) = crate::pages::classes::class_lines(i18n, &class);
    let import = detail
        .may_import
        .then(|| view! { <RosterImportPanel class_id=id class_name=class.name.clone() refresh/> });
    view! {
        <div class="class-page">
            <p class="eyebrow">{class.centre_name.clone()}</p>
            <h1>{class.name.clone()}</h1>
            <p class="lead">{class.course_title.clone()}</p>
            <p class="meta">{dates}" · "{lecturers}</p>
            <MatrixPanel class_id=id refresh/>
            <StatsPanel class_id=id/>
            <RosterPanel class_id=id refresh/>
            {import}
        </div>
    }
}

#[component]
fn MatrixPanel(class_id: i64, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let matrix = LocalResource::new(move || {
        let _ = refresh.get();
        api::class_matrix(class_id)
    });
    view! {
        <section class="panel" aria-labelledby="matrix-heading">
            <h2 id="matrix-heading">{move || i18n.t(Msg::MatrixTitle)}</h2>
            <p class="export-links">
                <a class="button" href=format!("/api/classes/{class_id}/export.csv") download>{move || i18n.t(Msg::ExportCsv)}</a>
                <a class="button" href=format!("/api/classes/{class_id}/export.xlsx") download>{move || i18n.t(Msg::ExportXlsx)}</a>
                <a class="button" href=format!("/api/classes/{class_id}/xapi") download=format!("lop-{class_id}-xapi.json")>{move || i18n.t(Msg::ExportXapi)}</a>
            </p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match matrix.await {
                        Ok(m) if m.rows.is_empty() => view! { <p>{i18n.t(Msg::MatrixEmpty)}</p> }.into_any(),
                        Ok(m) => view! { <MatrixTable matrix=m/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The matrix as a table: a row per trainee, a column per module (numbered,
/// with a legend of titles), then progress, test results and certificate.
#[component]
pub fn MatrixTable(matrix: ClassMatrix) -> impl IntoView {
    let i18n = use_i18n();
    let class_id = matrix.class_id;
    let module_heads = matrix
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let short = i18n.f(Msg::MatrixModuleShort, &[("n", &(i + 1).to_string())]);
            view! { <th scope="col" title=m.title.clone()>{short}</th> }
        })
        .collect_view();
    let assessment_heads = matrix
        .assessments
        .iter()
        .map(|a| view! { <th scope="col" class="wide">{a.title.clone()}</th> })
        .collect_view();
    // On a phone the table is a long scroll sideways: each trainee becomes a
    // card instead, with their status per module (titles in full).
    let (card_modules, card_assessments) = (matrix.modules.clone(), matrix.assessments.clone());
    let cards = matrix
        .rows
        .clone()
        .into_iter()
        .map(|row| {
            let href = format!("/classes/{class_id}/trainees/{}", row.user.id);
            let modules = row
                .cells
                .iter()
                .zip(card_modules.iter())
                .map(|(c, m)| {
                    let detail = i18n.f(
                        Msg::StatusDoneOf,
                        &[("done", &c.done.to_string()), ("required", &c.required.to_string())],
                    );
                    view! {
                        <li class="module-status">
                            <span class="module-status-name">{m.title.clone()}</span>
                            <StatusBadge status=c.status detail/>
                        </li>
                    }
                })
                .collect_view();
            let results = row
                .results
                .iter()
                .zip(card_assessments.iter())
                .filter_map(|(r, a)| {
                    let r = r.as_ref()?;
                    let verdict = match r.passed {
                        Some(true) => i18n.t(Msg::Passed),
                        Some(false) => i18n.t(Msg::NotPassed),
                        None => i18n.t(Msg::AwaitingGrading),
                    };
                    let best = r.best_percent.map(|p| format!("{p}% · ")).unwrap_or_default();
                    Some(view! { <li>{format!("{}: {best}{verdict}", a.title)}</li> })
                })
                .collect_view();
            let summary = i18n.f(
                Msg::MatrixCardLine,
                &[
                    ("percent", &row.percent.to_string()),
                    ("live", &row.live_sessions.to_string()),
                ],
            );
            let certificate = row.certificate.clone().map(|code| {
                let href = format!("/certificates/{code}");
                view! { <p><A href=href>{i18n.f(Msg::MatrixCardCertificate, &[("code", &code)])}</A></p> }
            });
            view! {
                <li class="card matrix-card">
                    <h3 class="card-title"><A href=href>{row.user.full_name.clone()}</A></h3>
                    <p class="meta">{summary}</p>
                    <ul class="module-status-list">{modules}</ul>
                    <ul class="matrix-results">{results}</ul>
                    {certificate}
                </li>
            }
        })
        .collect_view();
    let rows = matrix
        .rows
        .into_iter()
        .map(|row| {
            let href = format!("/classes/{class_id}/trainees/{}", row.user.id);
            let cells = row
                .cells
                .iter()
                .map(|c| {
                    let detail = format!("{}/{}", c.done, c.required);
                    view! { <td><StatusBadge status=c.status detail/></td> }
                })
                .collect_view();
            let results = row
                .results
                .iter()
                .map(|r| {
                    let text = match r {
                        Some(r) => {
                            let verdict = match r.passed {
                                Some(true) => i18n.t(Msg::Passed),
                                Some(false) => i18n.t(Msg::NotPassed),
                                None => i18n.t(Msg::AwaitingGrading),
                            };
                            let best = r
                                .best_percent
                                .map(|p| format!("{p}% · "))
                                .unwrap_or_default();
                            format!("{best}{verdict}")
                        }
                        None => "—".to_string(),
                    };
                    view! { <td>{text}</td> }
                })
                .collect_view();
            let certificate = match row.certificate {
                Some(code) => {
                    let href = format!("/certificates/{code}");
                    view! { <A href=href>{code}</A> }.into_any()
                }
                None => "—".into_any(),
            };
            view! {
                <tr>
                    <th scope="row"><A href=href>{row.user.full_name}</A></th>
                    {cells}
                    <td class="num">{format!("{}%", row.percent)}</td>
                    <td class="num">{row.live_sessions}</td>
                    {results}
                    <td>{certificate}</td>
                </tr>
            }
        })
        .collect_view();
    let legend = matrix
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let short = i18n.f(Msg::MatrixModuleShort, &[("n", &(i + 1).to_string())]);
            view! { <li><strong>{short}</strong>": "{m.title.clone()}</li> }
        })
        .collect_view();
    view! {
        <ul class="card-list matrix-list" data-testid="class-matrix-list">{cards}</ul>
        <div class="table-scroll matrix-table-box" tabindex="0" role="region" aria-labelledby="matrix-heading">
            <table class="matrix" data-testid="class-matrix">
                <caption class="visually-hidden">{i18n.t(Msg::MatrixCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Msg::MatrixTrainee)}</th>
                        {module_heads}
                        <th scope="col">{i18n.t(Msg::MatrixPercent)}</th>
                        <th scope="col">{i18n.t(Msg::ColLive)}</th>
                        {assessment_heads}
                        <th scope="col">{i18n.t(Msg::CertificateTitle)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <details class="legend">
            <summary>{i18n.t(Msg::MatrixLegend)}</summary>
            <ul>{legend}</ul>
        </details>
    }
}

fn flag_msg(flag: StatFlag) -> Msg {
    match flag {
        StatFlag::TooHard => Msg::FlagTooHard,
        StatFlag::TooEasy => Msg::FlagTooEasy,
        StatFlag::PoorDiscrimination => Msg::FlagPoor,
        StatFlag::Negative => Msg::FlagNegative,
    }
}

#[component]
fn StatsPanel(class_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    // Read every event of the class like the matrix does: loaded only when
    // the lecturer opens the panel, so it never slows the matrix down.
    let open = RwSignal::new(false);
    let stats = LocalResource::new(move || async move {
        if open.get() {
            Some(api::class_stats(class_id).await)
        } else {
            None
        }
    });
    view! {
        <section class="panel" aria-labelledby="stats-heading">
            <details class="stats-panel" on:toggle=move |ev| {
                let shown = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                if shown && !open.get_untracked() {
                    open.set(true);
                }
            }>
                <summary><h2 id="stats-heading">{move || i18n.t(Msg::StatsTitle)}</h2></summary>
                <p class="meta">{move || i18n.t(Msg::StatsIntro)}</p>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match stats.await {
                            None => ().into_any(),
                            Some(Ok(list)) => list.into_iter().map(|s| view! { <StatsTable stats=s/> }).collect_view().into_any(),
                            Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })}
                </Transition>
            </details>
        </section>
    }
}

#[component]
fn StatsTable(stats: AssessmentStats) -> impl IntoView {
    let i18n = use_i18n();
    if stats.attempts == 0 {
        return view! { <p>{i18n.f(Msg::StatsNone, &[("title", &stats.title)])}</p> }.into_any();
    }
    let heading = i18n.f(
        Msg::StatsAttempts,
        &[("title", &stats.title), ("n", &stats.attempts.to_string())],
    );
    let rows = stats
        .questions
        .into_iter()
        .map(|q| {
            let d = q
                .stat
                .discrimination
                .map(|d| format!("{:.2}", f64::from(d) / 100.0))
                .unwrap_or_else(|| "—".into());
            let flag = q.stat.flag.map(|f| i18n.t(flag_msg(f))).unwrap_or("");
            let flagged = if q.stat.flag.is_some() { "flagged" } else { "" };
            view! {
                <tr class=flagged>
                    <td class="stats-prompt" inner_html=q.prompt></td>
                    <td class="num">{q.stat.responses}</td>
                    <td class="num">{format!("{}%", q.stat.facility_percent)}</td>
                    <td class="num">{d}</td>
                    <td>{flag}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{heading}</h3>
        <div class="table-scroll" tabindex="0" role="region" aria-label=stats.title.clone()>
            <table class="stats">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Msg::StatsQuestion)}</th>
                        <th scope="col">{i18n.t(Msg::StatsResponses)}</th>
                        <th scope="col">{i18n.t(Msg::StatsFacility)}</th>
                        <th scope="col">{i18n.t(Msg::StatsDiscrimination)}</th>
                        <th scope="col">{i18n.t(Msg::StatsFlag)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RosterPanel(class_id: i64, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let reset_note = RwSignal::new(None::<Result<NewAccount, String>>);
    let detail = LocalResource::new(move || {
        let _ = refresh.get();
        api::class(class_id)
    });
    view! {
        <section class="panel" aria-labelledby="roster-heading">
            <h2 id="roster-heading">{move || i18n.t(Msg::RosterTitle)}</h2>
            <div role="status">
                {move || reset_note.get().map(|note| match note {
                    Ok(account) => view! {
                        <p class="notice notice-info" data-testid="reset-note">
                            {i18n.f(Msg::ResetDone, &[
                                ("name", &account.full_name),
                                ("username", &account.username),
                                ("password", &account.password),
                            ])}
                        </p>
                    }.into_any(),
                    Err(text) => view! { <p class="notice notice-error">{text}</p> }.into_any(),
                })}
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <RosterTable members=d.members class_id reset_note/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RosterTable(
    members: Vec<Member>,
    class_id: i64,
    reset_note: RwSignal<Option<Result<NewAccount, String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = members
        .into_iter()
        .map(|m| {
            let name = m.full_name.clone();
            let user = m.id;
            let reset = move |_| {
                let question = i18n.f(Msg::ResetConfirm, &[("name", &name)]);
                let confirmed = web_sys::window()
                    .and_then(|w| w.confirm_with_message(&question).ok())
                    .unwrap_or(false);
                if !confirmed {
                    return;
                }
                spawn_local(async move {
                    reset_note.set(Some(
                        api::reset_password(class_id, user)
                            .await
                            .map_err(|e| e.describe(i18n.lang())),
                    ));
                });
            };
            view! {
                <tr>
                    <th scope="row">{m.full_name.clone()}</th>
                    <td>{m.username}</td>
                    <td>{m.birth_date.as_deref().map(date_vi).unwrap_or_default()}</td>
                    <td>{m.unit}</td>
                    <td>{m.position}</td>
                    <td>
                        <button type="button" class="button button-small" on:click=reset>
                            {i18n.t(Msg::ResetPassword)}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="roster-heading">
                <table class="roster">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t(Msg::ColFullName)}</th>
                            <th scope="col">{i18n.t(Msg::ColUsername)}</th>
                            <th scope="col">{i18n.t(Msg::RosterBirth)}</th>
                            <th scope="col">{i18n.t(Msg::RosterUnit)}</th>
                            <th scope="col">{i18n.t(Msg::RosterPosition)}</th>
                            <th scope="col"><span class="visually-hidden">{i18n.t(Msg::ResetPassword)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
    }
}

/// A problem of a roster file in the user's language.
pub fn problem_text(i18n: I18n, problem: &RosterProblem) -> String {
    let row = problem.row.to_string();
    match &problem.kind {
        RosterProblemKind::NoHeader => i18n.t(Msg::RosterNoHeader).to_string(),
        RosterProblemKind::MissingColumn { column } => {
            i18n.f(Msg::RosterMissingColumn, &[("column", column)])
        }
        RosterProblemKind::MissingName => i18n.f(Msg::RosterMissingName, &[("row", &row)]),
        RosterProblemKind::BadDate { value } => {
            i18n.f(Msg::RosterBadDate, &[("row", &row), ("value", value)])
        }
        RosterProblemKind::BadPhone { value } => {
            i18n.f(Msg::RosterBadPhone, &[("row", &row), ("value", value)])
        }
        RosterProblemKind::Duplicate { first_row } => i18n.f(
            Msg::RosterDuplicate,
            &[("row", &row), ("first", &first_row.to_string())],
        ),
        RosterProblemKind::TooLong => i18n.f(Msg::RosterTooLong, &[("row", &row)]),
        RosterProblemKind::TooManyRows { max } => {
            i18n.f(Msg::RosterTooMany, &[("max", &max.to_string())])
        }
        RosterProblemKind::Empty => i18n.t(Msg::RosterEmpty).to_string(),
        RosterProblemKind::Unreadable => i18n.t(Msg::RosterUnreadable).to_string(),
    }
}

/// A roster file as read in the browser: CSV text or XLSX bytes.
#[derive(Debug, Clone)]
enum RosterFile {
    Csv(String),
    Xlsx(Vec<u8>),
}

async fn read_roster_file() -> Result<RosterFile, Msg> {
    let file = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("roster-file"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
        .ok_or(Msg::ImportChooseFirst)?;
    if file.size() > MAX_ROSTER_BYTES {
        return Err(Msg::ErrTooLarge);
    }
    if file.name().to_lowercase().ends_with(".xlsx") {
        let buffer = JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| Msg::RosterUnreadable)?;
        Ok(RosterFile::Xlsx(js_sys::Uint8Array::new(&buffer).to_vec()))
    } else {
        let text = JsFuture::from(file.text())
            .await
            .map_err(|_| Msg::RosterUnreadable)?;
        Ok(RosterFile::Csv(
            text.as_string().ok_or(Msg::RosterUnreadable)?,
        ))
    }
}

#[component]
fn RosterImportPanel(class_id: i64, class_name: String, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let file = RwSignal::new(None::<RosterFile>);
    let result = RwSignal::new(None::<RosterResult>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move |dry_run: bool| {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let reply = match chosen {
                RosterFile::Csv(csv) => {
                    api::import_roster(class_id, &RosterImport { csv, dry_run }).await
                }
                RosterFile::Xlsx(bytes) => api::import_roster_xlsx(class_id, bytes, dry_run).await,
            };
            match reply {
                Ok(reply) => {
                    if !reply.accounts.is_empty() {
                        refresh.update(|n| *n += 1);
                        file.set(None);
                    }
                    result.set(Some(reply));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        result.set(None);
        spawn_local(async move {
            match read_roster_file().await {
                Ok(f) => {
                    file.set(Some(f));
                    send(true);
                }
                Err(Msg::ErrTooLarge) => problem.set(Some(Msg::ErrTooLarge.format(
                    i18n.lang(),
                    &[(
                        "size",
                        &lophoc_core::i18n::format_bytes(i18n.lang(), MAX_ROSTER_BYTES as u64),
                    )],
                ))),
                Err(msg) => problem.set(Some(i18n.t(msg).to_string())),
            }
        });
    };
    let sheet_title = i18n.f(Msg::SheetTitle, &[("class", &class_name)]);
    let outcome = move || {
        let reply = result.get()?;
        Some(if !reply.problems.is_empty() {
            let n = reply.problems.len().to_string();
            view! {
                <div class="notice notice-error" role="alert" data-testid="roster-problems">
                    <p>{i18n.f(Msg::ImportProblems, &[("n", &n)])}</p>
                    <ul>{reply.problems.iter().map(|p| view! { <li>{problem_text(i18n, p)}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any()
        } else if reply.accounts.is_empty() {
            let n = reply.rows.to_string();
            view! {
                <div class="notice notice-info" role="status">
                    <p>{i18n.f(Msg::ImportOk, &[("n", &n)])}</p>
                    <button type="button" class="button button-primary" disabled=move || busy.get() on:click=move |_| send(false)>
                        {i18n.f(Msg::ImportConfirm, &[("n", &n)])}
                    </button>
                </div>
            }
            .into_any()
        } else {
            let n = reply.accounts.len().to_string();
            let title = sheet_title.clone();
            view! {
                <p class="notice notice-info no-print" role="status">{i18n.f(Msg::ImportDone, &[("n", &n)])}</p>
                <p class="no-print">
                    <button type="button" class="button button-primary" on:click=move |_| {
                        if let Some(w) = web_sys::window() { let _ = w.print(); }
                    }>{i18n.t(Msg::PrintSheet)}</button>
                </p>
                <section class="password-sheet print-only-section" data-testid="password-sheet">
                    <h3 id="password-sheet-heading">{title}</h3>
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="password-sheet-heading">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{i18n.t(Msg::ColFullName)}</th>
                                <th scope="col">{i18n.t(Msg::RosterBirth)}</th>
                                <th scope="col">{i18n.t(Msg::RosterUnit)}</th>
                                <th scope="col">{i18n.t(Msg::SheetUsername)}</th>
                                <th scope="col">{i18n.t(Msg::SheetPassword)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {reply.accounts.into_iter().map(|a| view! {
                                <tr>
                                    <td>{a.full_name}</td>
                                    <td>{a.birth_date.as_deref().map(date_vi).unwrap_or_default()}</td>
                                    <td>{a.unit}</td>
                                    <td class="mono">{a.username}</td>
                                    <td class="mono">{a.password}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                </section>
            }
            .into_any()
        })
    };
    view! {
        <section class="panel roster-import" aria-labelledby="import-heading">
            <h2 id="import-heading">{move || i18n.t(Msg::ImportTitle)}</h2>
            <p class="meta">{move || i18n.t(Msg::ImportHelp)}</p>
            <p class="meta">{move || i18n.f(Msg::ImportLimit, &[("max", &MAX_ROSTER_ROWS.to_string())])}</p>
            <form class="form" on:submit=check>
                <div class="field">
                    <label for="roster-file">{move || i18n.t(Msg::ImportFile)}</label>
                    <input id="roster-file" type="file" accept=".csv,.xlsx,text/csv"/>
                </div>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="button" disabled=move || busy.get()>{move || i18n.t(Msg::ImportCheck)}</button>
            </form>
            {outcome}
        </section>
    }
}
