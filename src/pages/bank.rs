//! `/bank`: a lecturer's question bank — import Aiken, GIFT, Excel (XLSX),
//! Moodle XML or QTI 3.0 files with a report by line (or by question for a
//! QTI package), list the questions, download them as GIFT, Moodle XML or a
//! QTI package (or one question as a QTI item), download the Excel template.
//!
//! Policy: a file is checked first (a dry run) and nothing is imported until
//! the lecturer says so; with problems, "import all" is not offered, only
//! "import the valid ones". Files over the size limit are refused before
//! upload with a clear message; a file the server cannot read as its format
//! gets the reason in the lecturer's language. What the lecturer chose is
//! kept on screen when something fails.

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{
    api::{
        ApiError, ImportFormat, ImportRequest, ImportResult, MAX_IMPORT_BYTES, MAX_PACKAGE_BYTES,
    },
    i18n::{format_bytes, Msg},
    question::import::Numbering,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::{
    api::{self, ClientError},
    components::{use_title, ErrorNotice, Loading},
    state::i18n::use_i18n,
};

/// The format chosen: a text format, or a file sent as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text(ImportFormat),
    Xlsx,
    Moodle,
    Qti,
}

impl Format {
    /// The import route's last word for a file sent as it is.
    fn route(self) -> &'static str {
        match self {
            Format::Text(_) | Format::Xlsx => "xlsx",
            Format::Moodle => "moodle",
            Format::Qti => "qti",
        }
    }

    fn limit(self) -> usize {
        match self {
            Format::Moodle | Format::Qti => MAX_PACKAGE_BYTES,
            Format::Text(_) | Format::Xlsx => MAX_IMPORT_BYTES,
        }
    }
}

/// A file read for import, with the format it was read as, so that
/// importing sends what was checked even if the choice changed since.
#[derive(Debug, Clone)]
enum Loaded {
    Text(ImportFormat, String),
    File(Format, Vec<u8>),
}

/// The file chosen in `<input id=...>`, if within `limit`.
fn chosen_file(input_id: &str, limit: usize) -> Result<web_sys::File, Msg> {
    let file = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(input_id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
        .ok_or(Msg::BankChooseFirst)?;
    if file.size() > limit as f64 {
        return Err(Msg::ErrTooLarge);
    }
    Ok(file)
}

/// The chosen file, read as `format`, or why not.
async fn read_file(input_id: &str, format: Format) -> Result<Loaded, Msg> {
    let file = chosen_file(input_id, format.limit())?;
    match format {
        Format::Text(format) => {
            let text = JsFuture::from(file.text())
                .await
                .map_err(|_| Msg::BankFileUnreadable)?;
            let text = text.as_string().ok_or(Msg::BankFileUnreadable)?;
            Ok(Loaded::Text(format, text))
        }
        Format::Xlsx | Format::Moodle | Format::Qti => {
            let buffer = JsFuture::from(file.array_buffer())
                .await
                .map_err(|_| Msg::BankFileUnreadable)?;
            Ok(Loaded::File(
                format,
                js_sys::Uint8Array::new(&buffer).to_vec(),
            ))
        }
    }
}

#[component]
pub fn BankPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::BankTitle).to_string());
    let format = RwSignal::new(Format::Text(ImportFormat::Gift));
    let loaded = RwSignal::new(None::<Loaded>);
    let report = RwSignal::new(None::<ImportResult>);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<u32>);
    let busy = RwSignal::new(false);
    let refresh = RwSignal::new(0_u32);
    let entries = LocalResource::new(move || {
        let _ = refresh.get();
        api::bank()
    });

    let send = move |partial: bool, dry_run: bool| {
        let Some(file) = loaded.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let xlsx = matches!(file, Loaded::File(Format::Xlsx, _));
            let result = match file {
                Loaded::Text(format, text) => {
                    let request = ImportRequest {
                        format,
                        text,
                        partial,
                        dry_run,
                    };
                    api::import_bank(&request).await
                }
                Loaded::File(format, bytes) => {
                    api::import_bank_file(format.route(), bytes, partial, dry_run).await
                }
            };
            match result {
                Ok(result) => {
                    if !dry_run {
                        done.set(Some(result.imported));
                        refresh.update(|n| *n += 1);
                    }
                    report.set(Some(result));
                    problem.set(None);
                }
                // The server could not open the workbook: say what to do.
                Err(ClientError::Api(ApiError::BadRequest { .. })) if xlsx => {
                    problem.set(Some(i18n.t(Msg::BankXlsxUnreadable).to_string()));
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        report.set(None);
        spawn_local(async move {
            match read_file("bank-file", format.get_untracked()).await {
                Ok(file) => {
                    loaded.set(Some(file));
                    send(false, true);
                }
                Err(Msg::ErrTooLarge) => problem.set(Some(Msg::ErrTooLarge.format(
                    i18n.lang(),
                    &[(
                        "size",
                        &format_bytes(i18n.lang(), format.get_untracked().limit() as u64),
                    )],
                ))),
                Err(msg) => problem.set(Some(i18n.t(msg).to_string())),
            }
        });
    };

    let report_view = move || {
        report.get().map(|result| {
            let n = result.report.questions.len().to_string();
            let p = result.report.problems.len();
            let clean = p == 0;
            let summary = if clean {
                i18n.f(Msg::BankReportOk, &[("n", &n)])
            } else {
                i18n.f(Msg::BankReportProblems, &[("n", &n), ("p", &p.to_string())])
            };
            // A QTI package numbers its questions, other files their lines.
            let numbered = if result.report.numbered == Numbering::Questions {
                Msg::BankProblemQuestion
            } else {
                Msg::BankProblemLine
            };
            let media = result.media;
            // What was read, per question: its line, an excerpt and any
            // notes, in the reader's language (the server sends both).
            let read: Vec<(usize, String, Vec<String>)> = result
                .report
                .questions
                .iter()
                .map(|q| {
                    let text: String = q.question.prompt.chars().take(80).collect();
                    let notes = q.notes.iter().map(|n| i18n.pick(&n.text_vi, &n.text_en)).collect();
                    (q.line, format!("{} — {text}", q.id), notes)
                })
                .collect();
            let problems = result
                .report
                .problems
                .iter()
                .map(|pr| {
                    let line = i18n.f(numbered, &[("line", &pr.line.to_string()), ("message", &i18n.pick(&pr.text_vi, &pr.text_en))]);
                    let detail = pr.detail_vi.as_ref().zip(pr.detail_en.as_ref())
                        .map(|(vi, en)| view! { <small class="problem-detail">{i18n.pick(vi, en)}</small> });
                    view! { <li><strong>{line}</strong><span class="meta">{format!(" — {}", pr.question_title_or_excerpt)}</span>{detail}</li> }
                })
                .collect_view();
            let valid = result.report.questions.len();
            view! {
                <section class="panel" aria-live="polite">
                    <p data-testid="import-summary">{summary}</p>
                    {(media > 0).then(|| view! { <p>{i18n.f(Msg::BankMedia, &[("n", &media.to_string())])}</p> })}
                    <ul class="problem-list">{problems}</ul>
                    {(!read.is_empty()).then(|| view! {
                        <details class="import-read">
                            <summary>{i18n.f(Msg::BankQuestionsRead, &[("n", &read.len().to_string())])}</summary>
                            <ul>{read.into_iter().map(|(line, text, notes)| view! {
                                <li>
                                    {i18n.f(numbered, &[("line", &line.to_string()), ("message", &text)])}
                                    {(!notes.is_empty()).then(|| view! { <ul class="meta">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
                                </li>
                            }).collect_view()}</ul>
                        </details>
                    })}
                    {(clean && valid > 0).then(|| view! {
                        <button type="button" class="button button-primary button-block" on:click=move |_| send(false, false)
                            disabled=move || busy.get()>{i18n.t(Msg::BankImportAll)}</button>
                    })}
                    {(!clean && valid > 0).then(|| view! {
                        <button type="button" class="button button-block" on:click=move |_| send(true, false)
                            disabled=move || busy.get()>{i18n.f(Msg::BankImportValid, &[("n", &valid.to_string())])}</button>
                    })}
                </section>
            }
        })
    };

    view! {
        <h1>{move || i18n.t(Msg::BankTitle)}</h1>
        <p>{move || i18n.t(Msg::BankIntro)}</p>
        <form class="form panel" on:submit=check novalidate>
            <fieldset class="choice-group">
                <legend>{move || i18n.t(Msg::BankFormat)}</legend>
                {[
                    (Format::Text(ImportFormat::Gift), "gift"),
                    (Format::Text(ImportFormat::Aiken), "aiken"),
                    (Format::Xlsx, "xlsx"),
                    (Format::Moodle, "moodle"),
                    (Format::Qti, "qti"),
                ].into_iter().map(|(f, key)| {
                    let id = format!("fmt-{key}");
                    let label = move || match f {
                        Format::Text(ImportFormat::Gift) => "GIFT",
                        Format::Text(ImportFormat::Aiken) => "Aiken",
                        Format::Xlsx => i18n.t(Msg::BankFormatXlsx),
                        Format::Moodle => i18n.t(Msg::BankFormatMoodleXml),
                        Format::Qti => i18n.t(Msg::BankFormatQti),
                    };
                    view! {
                        <div class="choice">
                            <input type="radio" name="format" id=id.clone() prop:checked=move || format.get() == f
                                on:change=move |_| format.set(f)/>
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {move || match format.get() {
                Format::Xlsx => Some(view! { <p>{i18n.t(Msg::BankXlsxHint)}</p> }),
                Format::Moodle => Some(view! { <p>{i18n.t(Msg::BankMoodleHint)}</p> }),
                Format::Qti => Some(view! { <p>{i18n.t(Msg::BankQtiHint)}</p> }),
                Format::Text(_) => None,
            }}
            <p><a href="/api/bank/template.xlsx" download="mau-cau-hoi.xlsx">{move || i18n.t(Msg::BankTemplate)}</a></p>
            <div class="field">
                <label for="bank-file">{move || i18n.t(match format.get() {
                    Format::Xlsx => Msg::BankFileXlsx,
                    Format::Moodle => Msg::BankFileMoodle,
                    Format::Qti => Msg::BankFileQti,
                    Format::Text(_) => Msg::BankFile,
                })}</label>
                <input type="file" id="bank-file"
                    accept=move || match format.get() {
                        Format::Xlsx => ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        Format::Moodle => ".xml,application/xml,text/xml",
                        Format::Qti => ".zip,.xml,application/zip,application/xml",
                        Format::Text(_) => ".txt,.gift,text/plain",
                    }/>
            </div>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            <button type="submit" class="button button-primary button-block" disabled=move || busy.get()>
                {move || i18n.t(Msg::BankCheck)}
            </button>
        </form>
        {report_view}
        {move || done.get().map(|n| view! {
            <p class="notice notice-info" role="status">{i18n.f(Msg::BankImported, &[("n", &n.to_string())])}</p>
        })}
        <section class="panel" aria-labelledby="bank-list-heading">
            <h2 id="bank-list-heading">{move || i18n.t(Msg::NavBank)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() => view! { <p>{i18n.t(Msg::BankEmpty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="bank-exports">
                                <a class="button" href="/api/bank/export.gift" download="ngan-hang-cau-hoi.gift.txt">{i18n.t(Msg::BankExport)}</a>
                                <a class="button" href="/api/bank/export.moodle.xml" download="ngan-hang-cau-hoi.moodle.xml">{i18n.t(Msg::BankExportMoodle)}</a>
                                <a class="button" href="/api/bank/export.qti.zip" download="ngan-hang-cau-hoi.qti.zip">{i18n.t(Msg::BankExportQti)}</a>
                            </div>
                            <p class="meta">{i18n.t(Msg::BankExportNote)}</p>
                            <ol class="bank-list">
                                {list.into_iter().map(|e| {
                                    let kind = e.kind.clone();
                                    let href = format!("/api/bank/questions/{}/qti.xml", e.id);
                                    let file = format!("{}.qti.xml", e.id);
                                    view! {
                                        <li>
                                            <span class="meta">{e.category.unwrap_or_default()} " · " {move || i18n.t(kind_msg(&kind))}</span>
                                            <div class="bank-prompt">{e.prompt}</div>
                                            <a class="bank-item-qti" href=href download=file>{i18n.t(Msg::BankItemQti)}</a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The catalogue name of a question kind as the API spells it.
fn kind_msg(kind: &str) -> Msg {
    match kind {
        "single_choice" => Msg::KindSingleChoice,
        "multiple_choice" => Msg::KindMultipleChoice,
        "true_false" => Msg::KindTrueFalse,
        "ordering" => Msg::KindOrdering,
        "matching" => Msg::KindMatching,
        "short_answer" => Msg::KindShortAnswer,
        "numerical" => Msg::KindNumerical,
        "fill_blanks" => Msg::KindFillBlanks,
        "essay" => Msg::KindEssay,
        _ => Msg::KindOpinion,
    }
}
