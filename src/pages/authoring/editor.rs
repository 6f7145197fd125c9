//! `/authoring/:course/edit/*path`: one file of a draft — a lesson in a
//! Markdown editor with a toolbar and a live preview, a situation set in a
//! form (single-choice questions and a branching scenario with its graph),
//! anything else as text.
//!
//! Policy: every change is kept on the device at once and saved after a
//! pause in typing (1.2 s), naming the version it was edited from; offline,
//! it waits on the device and goes when the network returns or the file is
//! opened again (the rules: `lophoc_core::autosave`). A newer version on the server is shown beside the author's
//! to choose from, never overwritten. The toolbar inserts with
//! `execCommand("insertText")`, so the browser's own undo (Ctrl+Z) undoes
//! toolbar edits and typing alike. The preview is rendered by the server
//! through the same pipeline as the published lesson, and shown with the
//! trainee's lesson styles.

use std::time::Duration;

use leptos::{either::Either, ev, html, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use lophoc_core::{
    api::ApiError,
    authoring::{
        file_kind, join_lesson, line_diff, media_name, next_id, scenario_graph, split_lesson,
        vn_time, BranchingForm, ChoiceForm, DiffLine, EndingForm, FileContent, FileKind,
        FileVersion, FormMode, FormQuestion, GraphNode, HistoryEntry, LessonMeta, Preview,
        PreviewRequest, SaveRequest, SituationForm, StepForm, MAX_UPLOAD_BYTES,
    },
    autosave::{Autosave, Do, Happened, SaveState},
    i18n::{format_bytes, Lang, Msg},
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{api, problem_list, question_form::QuestionFields};
use crate::{
    api::ClientError,
    components::{use_title, ErrorNotice, Loading},
    state::i18n::use_i18n,
};

/// The editor's side of its autosave: feeds [`Autosave`] what happened,
/// shows where it stands, and does what it answers.
#[derive(Clone, Copy)]
struct Saver {
    autosave: StoredValue<Autosave>,
    state: RwSignal<SaveState>,
    base: RwSignal<Option<i64>>,
    course: StoredValue<String>,
    path: StoredValue<String>,
    lang: Signal<Lang>,
}

impl Saver {
    fn feed(self, happened: Happened) {
        let todo = self
            .autosave
            .try_update_value(|a| a.step(happened))
            .unwrap_or_default();
        self.show();
        self.run(todo);
    }

    fn show(self) {
        self.autosave.with_value(|a| {
            if self.state.get_untracked() != *a.state() {
                self.state.set(a.state().clone());
            }
            if self.base.get_untracked() != a.base() {
                self.base.set(a.base());
            }
        });
    }

    fn run(self, todo: Vec<Do>) {
        let (course, path) = (self.course.get_value(), self.path.get_value());
        for step in todo {
            match step {
                Do::Keep(request) => api::keep(&course, &path, &request),
                Do::Forget => api::forget(&course, &path),
                Do::Send(request) => {
                    let (course, path) = (course.clone(), path.clone());
                    spawn_local(async move {
                        let happened = match api::save(&course, &path, &request).await {
                            Ok(saved) => Happened::Stored {
                                version: saved.version,
                            },
                            Err(ClientError::Api(ApiError::Conflict { current })) => {
                                Happened::Conflicted(current)
                            }
                            Err(ClientError::Network) => Happened::Unreachable,
                            Err(ClientError::Api(ApiError::ContentProblems { .. })) => {
                                Happened::Refused(String::new())
                            }
                            Err(e) => Happened::Refused(e.describe(self.lang.get_untracked())),
                        };
                        self.feed(happened);
                    });
                }
            }
        }
    }
}

#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let course = move || params.read().get("course").unwrap_or_default();
    let path = move || params.read().get("path").unwrap_or_default();
    let reload = RwSignal::new(0_u32);
    let file = LocalResource::new(move || {
        reload.track();
        api::file(course(), path())
    });
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::AuthEditTitle).to_string());
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(file) => view! { <Editor course=course() file reload/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The editor of one file, with saving, conflicts and history.
#[component]
fn Editor(course: String, file: FileContent, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = file_kind(&file.path);
    let course = StoredValue::new(course);
    let path = StoredValue::new(file.path.clone());
    let kept = api::kept(&course.get_value(), &file.path);
    let restored = Autosave::is_restored(&file, kept.as_ref());
    let (autosave, first) = Autosave::open(&file, kept.as_ref());
    let start_text = autosave.text().to_string();
    let text = RwSignal::new(start_text.clone());
    let saver = Saver {
        state: RwSignal::new(autosave.state().clone()),
        base: RwSignal::new(autosave.base()),
        autosave: StoredValue::new(autosave),
        course,
        path,
        lang: Signal::derive(move || i18n.lang()),
    };
    let (state, base) = (saver.state, saver.base);
    saver.run(first);
    let generation = StoredValue::new(0_u32);
    let preview = RwSignal::new(None::<Preview>);
    let preview_generation = StoredValue::new(0_u32);

    let request_preview = move || {
        if kind != Some(FileKind::Lesson) {
            return;
        }
        let g = preview_generation.get_value() + 1;
        preview_generation.set_value(g);
        set_timeout(
            move || {
                if preview_generation.get_value() != g {
                    return;
                }
                let request = PreviewRequest {
                    path: path.get_value(),
                    content: text.get_untracked(),
                };
                spawn_local(async move {
                    if let Ok(p) = api::preview(&course.get_value(), &request).await {
                        preview.set(Some(p));
                    }
                });
            },
            Duration::from_millis(500),
        );
    };
    request_preview();
    // Every change: kept on the device now, saved after a pause.
    let changed = move |new_text: String| {
        text.set(new_text.clone());
        saver.feed(Happened::Edited(new_text));
        let g = generation.get_value() + 1;
        generation.set_value(g);
        set_timeout(
            move || {
                if generation.get_value() == g {
                    saver.feed(Happened::SaveDue);
                }
            },
            Duration::from_millis(1200),
        );
        request_preview();
    };
    let online = window_event_listener(ev::online, move |_| saver.feed(Happened::Online));
    on_cleanup(move || online.remove());

    let status = move || {
        let (class, msg) = match state.get() {
            SaveState::Saved => ("save-state ok", i18n.t(Msg::AuthSaved).to_string()),
            SaveState::Typing => ("save-state", i18n.t(Msg::AuthUnsaved).to_string()),
            SaveState::Saving => ("save-state", i18n.t(Msg::AuthSaving).to_string()),
            SaveState::Offline => (
                "save-state warn",
                i18n.t(Msg::AuthSavedOnDevice).to_string(),
            ),
            SaveState::Conflict(_) => (
                "save-state warn",
                i18n.t(Msg::AuthConflictShort).to_string(),
            ),
            SaveState::Failed(why) => (
                "save-state warn",
                format!("{} {why}", i18n.t(Msg::AuthSaveFailed)),
            ),
        };
        view! { <p class=class role="status" data-testid="save-state">{msg}</p> }
    };

    let conflict = move || match state.get() {
        SaveState::Conflict(current) => Some(view! {
            <ConflictPanel current=*current text saver reload/>
        }),
        _ => None,
    };

    let title = file.path.clone();
    let back = format!("/authoring/{}", course.get_value());
    let body = match (kind, file.form.clone()) {
        (Some(FileKind::Lesson), _) => Either::Left(view! {
            <LessonEditor course start_text text changed preview/>
        }),
        (Some(FileKind::Situation), Some(form)) => Either::Right(Either::Left(view! {
            <SituationFormEditor form changed/>
        })),
        _ => Either::Right(Either::Right(view! {
            <div class="field">
                <label for="file-text">{move || i18n.t(Msg::AuthFileText)}</label>
                <textarea id="file-text" class="editor-text editor-code" rows="24" spellcheck="false"
                    prop:value=start_text.clone()
                    on:input=move |ev| changed(nfc_input(&ev))></textarea>
            </div>
        })),
    };
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::BreadcrumbLabel)>
            <A href=back>{move || i18n.t(Msg::AuthBackToDraft)}</A>
        </nav>
        <h1 class="editor-title">{title}</h1>
        {restored.then(|| view! { <p class="notice notice-info" role="status">{move || i18n.t(Msg::AuthRestoredFromDevice)}</p> })}
        {status}
        {conflict}
        {body}
        <HistoryPanel course path base reload/>
    }
}

/// The author's text and the server's newer one, side by side, to choose.
#[component]
fn ConflictPanel(
    current: FileVersion,
    text: RwSignal<String>,
    saver: Saver,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let who = current.updated_by.clone();
    let when = vn_time(current.updated_at);
    let theirs = current.content.clone();
    let theirs_for_diff = theirs.clone();
    let version = current.version;
    let keep_mine = move |_| saver.feed(Happened::KeepMine { version });
    let take_theirs = move |_| {
        api::forget(&saver.course.get_value(), &saver.path.get_value());
        reload.update(|n| *n += 1);
    };
    view! {
        <section class="panel conflict" role="alert" aria-labelledby="conflict-heading">
            <h2 id="conflict-heading">{move || i18n.t(Msg::AuthConflictTitle)}</h2>
            <p>{move || i18n.f(Msg::AuthConflictWho, &[("name", &who), ("time", &when)])}</p>
            <div class="conflict-sides">
                <div>
                    <h3>{move || i18n.t(Msg::AuthMine)}</h3>
                    <pre class="conflict-text" data-testid="conflict-mine" tabindex="0">{move || side(&theirs_for_diff, &text.get(), true)}</pre>
                    <button type="button" class="button button-primary" on:click=keep_mine>{move || i18n.t(Msg::AuthKeepMine)}</button>
                </div>
                <div>
                    <h3>{move || i18n.t(Msg::AuthTheirs)}</h3>
                    <pre class="conflict-text" data-testid="conflict-theirs" tabindex="0">{move || side(&theirs, &text.get(), false)}</pre>
                    <button type="button" class="button" on:click=take_theirs>{move || i18n.t(Msg::AuthTakeTheirs)}</button>
                </div>
            </div>
        </section>
    }
}

/// One side of a conflict, the lines the other side lacks marked (in
/// colour and in words).
fn side(theirs: &str, mine: &str, show_mine: bool) -> impl IntoView {
    let i18n = use_i18n();
    line_diff(theirs, mine)
        .into_iter()
        .filter_map(|line| match (line, show_mine) {
            (DiffLine::Same(t), _) => Some((false, t)),
            (DiffLine::Added(t), true) | (DiffLine::Removed(t), false) => Some((true, t)),
            _ => None,
        })
        .map(|(only_here, t)| {
            if only_here {
                view! {
                    <mark class="conflict-only">
                        <span class="visually-hidden">{i18n.t(Msg::AuthOnlyHere)} ": "</span>{t}
                    </mark>
                    "\n"
                }
                .into_any()
            } else {
                view! { {t} "\n" }.into_any()
            }
        })
        .collect_view()
}

/// Who saved which version, and the way back to one.
#[component]
fn HistoryPanel(
    course: StoredValue<String>,
    path: StoredValue<String>,
    base: RwSignal<Option<i64>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let entries = RwSignal::new(None::<Result<Vec<HistoryEntry>, ClientError>>);
    let problem = RwSignal::new(None::<String>);
    let open = move |_| {
        spawn_local(async move {
            entries.set(Some(
                api::history(&course.get_value(), &path.get_value()).await,
            ));
        });
    };
    let restore = move |content: String| {
        spawn_local(async move {
            let request = SaveRequest {
                base_version: base.get_untracked(),
                content,
            };
            match api::save(&course.get_value(), &path.get_value(), &request).await {
                Ok(_) => {
                    api::forget(&course.get_value(), &path.get_value());
                    reload.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
        });
    };
    view! {
        <section class="panel history" aria-labelledby="history-heading">
            <h2 id="history-heading">{move || i18n.t(Msg::AuthHistory)}</h2>
            <button type="button" class="button" on:click=open>{move || i18n.t(Msg::AuthShowHistory)}</button>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            {move || entries.get().map(|result| match result {
                Ok(list) => view! {
                    <ol class="history-list" data-testid="history">
                        {list.into_iter().enumerate().map(|(i, e)| {
                            let label = i18n.f(Msg::AuthHistoryEntry, &[
                                ("version", &e.version.to_string()), ("name", &e.saved_by), ("time", &vn_time(e.saved_at)),
                            ]);
                            let content = e.content.clone();
                            view! {
                                <li>
                                    <span>{label}</span>
                                    {(i > 0).then(|| view! {
                                        <button type="button" class="button button-small"
                                            on:click=move |_| restore(content.clone())>{i18n.t(Msg::AuthRestore)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </section>
    }
}

/// Inserts `make(selected text)` at the selection, through the browser's
/// editing command so that undo works (with a fallback that keeps the text
/// but not undo, for browsers without it).
/// With nothing selected, `placeholder` is inserted and then selected, so
/// typing replaces it.
fn insert(
    textarea: &web_sys::HtmlTextAreaElement,
    placeholder: &str,
    make: &dyn Fn(&str, bool) -> String,
) {
    let value: Vec<u16> = textarea.value().encode_utf16().collect();
    let start = textarea.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = textarea.selection_end().ok().flatten().unwrap_or(0) as usize;
    let (start, end) = (start.min(value.len()), end.min(value.len()).max(start));
    let selected = String::from_utf16_lossy(&value[start..end]);
    let at_line_start = start == 0 || value[start - 1] == u16::from(b'\n');
    let replacement = make(&selected, at_line_start);
    let _ = textarea.focus();
    let done = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, &replacement)
                .ok()
        })
        .unwrap_or(false);
    if !done {
        let _ = textarea.set_range_text_with_start_and_end(&replacement, start as u32, end as u32);
        if let Ok(event) = web_sys::Event::new("input") {
            let _ = textarea.dispatch_event(&event);
        }
    }
    let first_line = placeholder.lines().next().unwrap_or_default();
    if selected.is_empty() && !first_line.is_empty() {
        if let Some(at) = replacement.find(first_line) {
            let from = (start + replacement[..at].encode_utf16().count()) as u32;
            let to = from + first_line.encode_utf16().count() as u32;
            let _ = textarea.set_selection_range(from, to);
        }
    }
}

/// Each line of `selected` (or `placeholder`) with `prefix`, on lines of
/// their own.
fn prefixed(selected: &str, placeholder: &str, prefix: &str, at_line_start: bool) -> String {
    let body = if selected.is_empty() {
        placeholder
    } else {
        selected
    };
    let lines: Vec<String> = body.lines().map(|l| format!("{prefix}{l}")).collect();
    let lead = if at_line_start { "" } else { "\n" };
    format!("{lead}{}\n", lines.join("\n"))
}

/// The Markdown editor of a lesson: toolbar, text, preview.
#[component]
fn LessonEditor(
    course: StoredValue<String>,
    start_text: String,
    text: RwSignal<String>,
    changed: impl Fn(String) + Copy + 'static,
    preview: RwSignal<Option<Preview>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let textarea = NodeRef::<html::Textarea>::new();
    let upload_problem = RwSignal::new(None::<String>);
    let uploading = RwSignal::new(false);
    // The front matter as fields above the text (when it holds just a title
    // and a reading time); the file is written back whole on every change.
    let split = split_lesson(&start_text);
    let has_fields = split.is_some();
    let (start_meta, start_body) = match split {
        Some((meta, body)) => (meta, body),
        None => (
            LessonMeta {
                title: String::new(),
                minutes: 5,
            },
            start_text.clone(),
        ),
    };
    let meta = RwSignal::new(start_meta.clone());
    let body = RwSignal::new(start_body.clone());
    let write_back = move || {
        let full = if has_fields {
            meta.with_untracked(|m| body.with_untracked(|b| join_lesson(m, b)))
        } else {
            body.get_untracked()
        };
        changed(full);
    };
    let minutes_text = RwSignal::new(start_meta.minutes.to_string());
    let apply = move |placeholder: &str, make: &dyn Fn(&str, bool) -> String| {
        if let Some(t) = textarea.get() {
            insert(&t, placeholder, make);
        }
    };
    let lang = move || i18n.lang();
    let heading = move |_| {
        let p = Msg::AuthPlaceholderHeading.text(lang());
        apply(p, &|s, at| prefixed(s, p, "## ", at));
    };
    let bold = move |_| {
        let p = Msg::AuthPlaceholderBold.text(lang());
        apply(p, &|s, _| {
            format!("**{}**", if s.is_empty() { p } else { s })
        });
    };
    let list = move |_| {
        let p = Msg::AuthPlaceholderList.text(lang());
        apply(p, &|s, at| prefixed(s, p, "- ", at));
    };
    let quote = move |_| {
        let p = Msg::AuthPlaceholderQuote.text(lang());
        apply(p, &|s, at| prefixed(s, p, "> ", at));
    };
    let table = move |_| {
        let p = Msg::AuthPlaceholderTable.text(lang());
        apply("", &|_, at| {
            let lead = if at { "" } else { "\n" };
            format!("{lead}\n{p}\n")
        });
    };
    let image_input = NodeRef::<html::Input>::new();
    let choose_image = move |_| {
        if let Some(input) = image_input.get() {
            input.click();
        }
    };
    let image_chosen = move |_| {
        let Some(file) = image_input
            .get()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        let lang = i18n.lang();
        if file.size() > MAX_UPLOAD_BYTES as f64 {
            upload_problem.set(Some(Msg::AuthImageTooLarge.format(
                lang,
                &[
                    ("size", &format_bytes(lang, file.size() as u64)),
                    ("limit", &format_bytes(lang, MAX_UPLOAD_BYTES)),
                ],
            )));
            return;
        }
        let Some(name) = media_name(&file.name()) else {
            upload_problem.set(Some(i18n.t(Msg::AuthImageType).to_string()));
            return;
        };
        upload_problem.set(None);
        uploading.set(true);
        spawn_local(async move {
            let bytes = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    upload_problem.set(Some(i18n.t(Msg::AuthImageType).to_string()));
                    uploading.set(false);
                    return;
                }
            };
            match api::upload(&course.get_value(), &name, bytes).await {
                Ok(uploaded) => {
                    let alt = Msg::AuthImageAlt.text(lang);
                    let markdown = format!("![{alt}](../media/{})", uploaded.name);
                    apply("", &|_, at| {
                        let lead = if at { "" } else { "\n" };
                        format!("{lead}{markdown}\n")
                    });
                }
                Err(e) => upload_problem.set(Some(e.describe(lang))),
            }
            uploading.set(false);
            if let Some(input) = image_input.get() {
                input.set_value("");
            }
        });
    };
    let _ = text;
    view! {
        <div class="editor-grid">
            <div class="editor-pane">
                <div class="toolbar" role="toolbar" aria-label=move || i18n.t(Msg::AuthToolbar) aria-controls="lesson-text">
                    <button type="button" class="button button-small" on:click=heading>{move || i18n.t(Msg::AuthToolHeading)}</button>
                    <button type="button" class="button button-small" on:click=bold><strong>{move || i18n.t(Msg::AuthToolBold)}</strong></button>
                    <button type="button" class="button button-small" on:click=list>{move || i18n.t(Msg::AuthToolList)}</button>
                    <button type="button" class="button button-small" on:click=quote>{move || i18n.t(Msg::AuthToolQuote)}</button>
                    <button type="button" class="button button-small" on:click=table>{move || i18n.t(Msg::AuthToolTable)}</button>
                    <button type="button" class="button button-small" on:click=choose_image disabled=move || uploading.get()>
                        {move || i18n.t(Msg::AuthToolImage)}
                    </button>
                    <input type="file" class="visually-hidden" node_ref=image_input tabindex="-1" aria-hidden="true"
                        data-testid="image-file" accept="image/png,image/jpeg,image/webp,image/gif,image/svg+xml"
                        on:change=image_chosen/>
                </div>
                {move || upload_problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
                {has_fields.then(|| view! {
                    <div class="field-row lesson-meta">
                        <div class="field">
                            <label for="lesson-title">{move || i18n.t(Msg::AuthLessonTitle)}</label>
                            <input id="lesson-title" type="text" prop:value=start_meta.title.clone()
                                on:input=move |ev| {
                                    let title = nfc_input(&ev);
                                    meta.update(|m| m.title = title);
                                    write_back();
                                }/>
                        </div>
                        <div class="field">
                            <label for="lesson-minutes">{move || i18n.t(Msg::AuthLessonMinutes)}</label>
                            <input id="lesson-minutes" type="number" inputmode="numeric" min="1" max="600"
                                bind:value=minutes_text
                                on:input=move |ev| {
                                    if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                        if n > 0 {
                                            meta.update(|m| m.minutes = n);
                                            write_back();
                                        }
                                    }
                                }/>
                        </div>
                    </div>
                })}
                <label for="lesson-text" class="field-label">{move || i18n.t(Msg::AuthLessonText)}</label>
                <p class="meta" id="lesson-text-hint">
                    {move || i18n.t(Msg::AuthLessonHint)}
                    // Only where there is a keyboard to press it on.
                    <span class="hint-keyboard">" "{move || i18n.t(Msg::AuthUndoHint)}</span>
                </p>
                <textarea id="lesson-text" class="editor-text" rows="22" node_ref=textarea
                    aria-describedby="lesson-text-hint"
                    prop:value=start_body on:input=move |ev| {
                        body.set(nfc_input(&ev));
                        write_back();
                    }></textarea>
            </div>
            <section class="preview-pane" aria-labelledby="preview-heading">
                <h2 id="preview-heading" class="preview-label">{move || i18n.t(Msg::AuthPreview)}</h2>
                {move || preview.get().map(|p| if p.problems.is_empty() {
                    Either::Left(view! {
                        <article class="lesson preview" data-testid="preview">
                            <h1>{p.title.clone()}</h1>
                            <div class="lesson-body" inner_html=p.html.clone()></div>
                        </article>
                    })
                } else {
                    Either::Right(problem_list(i18n, Msg::AuthPreviewProblems, p.problems))
                })}
            </section>
        </div>
    }
}

/// A text input or area bound to a piece of the form.
fn form_field(
    id: String,
    label: Msg,
    multiline: bool,
    form: RwSignal<SituationForm>,
    get: impl Fn(&SituationForm) -> Option<String> + Send + Sync + Copy + 'static,
    set: impl Fn(&mut SituationForm, String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = move || form.with(|f| get(f).unwrap_or_default());
    let input = move |v: String| form.update(|f| set(f, v));
    bound_field(
        id,
        move || i18n.t(label).to_string(),
        multiline,
        value,
        input,
    )
}

/// The text of an input or text area, in Unicode NFC. Some Vietnamese
/// keyboards type a tone mark as a separate combining character ("ê" then
/// U+0301), which many fonts draw out of place ("Nêú"); the precomposed
/// letter ("ế") draws right everywhere and compares equal. The field is
/// rewritten only when the text changed, keeping the caret where it was
/// counted from the end.
pub(super) fn nfc_input(ev: &ev::Event) -> String {
    let value = event_target_value(ev);
    let nfc: String = js_sys::JsString::from(value.as_str())
        .normalize("NFC")
        .into();
    if nfc == value {
        return value;
    }
    let units = |s: &str| s.encode_utf16().count() as u32;
    let target = ev.target();
    if let Some(area) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        let end = area.selection_end().ok().flatten().unwrap_or(0);
        let from_end = units(&value).saturating_sub(end);
        area.set_value(&nfc);
        let at = units(&nfc).saturating_sub(from_end);
        let _ = area.set_selection_range(at, at);
    } else if let Some(input) = target.and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let end = input.selection_end().ok().flatten().unwrap_or(0);
        let from_end = units(&value).saturating_sub(end);
        input.set_value(&nfc);
        let at = units(&nfc).saturating_sub(from_end);
        let _ = input.set_selection_range(at, at);
    }
    nfc
}

/// A labelled text input (or area) showing `value` and reporting each change
/// to `input`: every field of the situation-set and question forms.
pub(super) fn bound_field(
    id: String,
    label: impl Fn() -> String + Send + Sync + 'static,
    multiline: bool,
    value: impl Fn() -> String + Send + Sync + Copy + 'static,
    input: impl Fn(String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let on_input = move |ev: ev::Event| input(nfc_input(&ev));
    let control = if multiline {
        Either::Left(
            view! { <textarea id=id.clone() rows="3" prop:value=value on:input=on_input></textarea> },
        )
    } else {
        Either::Right(
            view! { <input id=id.clone() type="text" prop:value=value on:input=on_input/> },
        )
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
        </div>
    }
}

/// The situation-set form: it writes the `*.situation.toml` text.
#[component]
fn SituationFormEditor(
    form: SituationForm,
    changed: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = RwSignal::new(form);
    // Every change but the first reading writes the file.
    Effect::new(move |previous: Option<()>| {
        let toml = form.with(SituationForm::to_toml);
        if previous.is_some() {
            changed(toml);
        }
    });
    let question_count = move || form.with(|f| f.questions.len());
    let add_question = move |_| {
        form.update(|f| {
            let id = next_id("cau", f.questions.iter().map(|q| q.id.as_str()));
            f.questions.push(FormQuestion::new(id));
        });
    };
    let has_branching = move || form.with(|f| f.branching.is_some());
    let toggle_branching = move |ev: ev::Event| {
        let on = event_target_checked(&ev);
        form.update(|f| {
            f.branching = on.then(|| BranchingForm {
                start: "buoc-1".into(),
                steps: vec![StepForm {
                    id: "buoc-1".into(),
                    ..Default::default()
                }],
                endings: vec![EndingForm {
                    id: "ket-1".into(),
                    score: 10,
                    ..Default::default()
                }],
            });
        });
    };
    view! {
        <div class="situation-form">
            {form_field("sf-title".into(), Msg::AuthSetTitle, false, form, |f| Some(f.title.clone()), |f, v| f.title = v)}
            <div class="field">
                <label for="sf-mode">{move || i18n.t(Msg::AuthSetMode)}</label>
                <select id="sf-mode" on:change=move |ev| {
                    let mode = if event_target_value(&ev) == "discussion" { FormMode::Discussion } else { FormMode::Practice };
                    form.update(|f| f.mode = mode);
                }>
                    <option value="practice" selected=move || form.with(|f| f.mode == FormMode::Practice)>{move || i18n.t(Msg::AuthModePractice)}</option>
                    <option value="discussion" selected=move || form.with(|f| f.mode == FormMode::Discussion)>{move || i18n.t(Msg::AuthModeDiscussion)}</option>
                </select>
            </div>
            {form_field("sf-scenario".into(), Msg::AuthSetScenario, true, form, |f| Some(f.scenario.clone()), |f, v| f.scenario = v)}
            {form_field("sf-guidance".into(), Msg::AuthSetGuidance, true, form, |f| Some(f.guidance.clone()), |f, v| f.guidance = v)}
            <h2>{move || i18n.t(Msg::AuthQuestions)}</h2>
            <For each=move || 0..question_count() key=|i| *i let:qi>
                <QuestionFields form qi/>
            </For>
            <button type="button" class="button" on:click=add_question>{move || i18n.t(Msg::AuthAddQuestion)}</button>
            <h2>{move || i18n.t(Msg::AuthBranching)}</h2>
            <div class="choice">
                <input type="checkbox" id="sf-branching" prop:checked=has_branching on:change=toggle_branching/>
                <label for="sf-branching">{move || i18n.t(Msg::AuthHasBranching)}</label>
            </div>
            <Show when=has_branching>
                <BranchingFields form/>
            </Show>
        </div>
    }
}

#[component]
fn BranchingFields(form: RwSignal<SituationForm>) -> impl IntoView {
    let i18n = use_i18n();
    let step_count = move || form.with(|f| f.branching.as_ref().map_or(0, |b| b.steps.len()));
    let ending_count = move || form.with(|f| f.branching.as_ref().map_or(0, |b| b.endings.len()));
    let add_step = move |_| {
        form.update(|f| {
            if let Some(b) = f.branching.as_mut() {
                let id = next_id("buoc", b.steps.iter().map(|s| s.id.as_str()));
                b.steps.push(StepForm {
                    id,
                    ..Default::default()
                });
            }
        });
    };
    let add_ending = move |_| {
        form.update(|f| {
            if let Some(b) = f.branching.as_mut() {
                let id = next_id("ket", b.endings.iter().map(|e| e.id.as_str()));
                b.endings.push(EndingForm {
                    id,
                    score: 0,
                    ..Default::default()
                });
            }
        });
    };
    let graph = move || {
        form.with(|f| f.branching.as_ref().map(scenario_graph)).map(|(lines, unreached)| {
            let lines = lines.into_iter().map(|l| {
                let (class, label) = match l.node {
                    GraphNode::Step { id } => ("graph-step", i18n.f(Msg::AuthGraphStep, &[("id", &id)])),
                    GraphNode::Choice { text, .. } => ("graph-choice", format!("→ {text}")),
                    GraphNode::Ending { id, score } => ("graph-ending", i18n.f(Msg::AuthGraphEnding, &[("id", &id), ("score", &score.to_string())])),
                    GraphNode::SeenStep { id } => ("graph-seen", i18n.f(Msg::AuthGraphSeen, &[("id", &id)])),
                    GraphNode::Missing { id } => ("graph-missing", i18n.f(Msg::AuthGraphMissing, &[("id", &id)])),
                };
                view! { <li class=class style=format!("margin-left: {}rem", l.depth)>{label}</li> }
            }).collect_view();
            view! {
                <ul class="scenario-graph" data-testid="scenario-graph">{lines}</ul>
                {(!unreached.is_empty()).then(|| view! {
                    <p class="form-error" role="alert">{i18n.f(Msg::AuthGraphUnreached, &[("ids", &unreached.join(", "))])}</p>
                })}
            }
        })
    };
    view! {
        <div class="branching-form">
            <div class="field">
                <label for="sf-start">{move || i18n.t(Msg::AuthStartStep)}</label>
                <select id="sf-start" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| if let Some(b) = f.branching.as_mut() { b.start = v });
                }>
                    {move || form.with(|f| f.branching.as_ref().map(|b| b.steps.iter().map(|s| {
                        let (value, label) = (s.id.clone(), s.id.clone());
                        let selected = b.start == s.id;
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()))}
                </select>
            </div>
            <For each=move || 0..step_count() key=|i| *i let:si>
                <StepFields form si/>
            </For>
            <button type="button" class="button" on:click=add_step>{move || i18n.t(Msg::AuthAddStep)}</button>
            <For each=move || 0..ending_count() key=|i| *i let:ei>
                <fieldset class="panel form-ending">
                    <legend>{move || form.with(|f| f.branching.as_ref().and_then(|b| b.endings.get(ei)).map(|e| i18n.f(Msg::AuthGraphEnding, &[("id", &e.id), ("score", &e.score.to_string())])).unwrap_or_default())}</legend>
                    {form_field(format!("e{ei}-debrief"), Msg::AuthDebrief, true, form,
                        move |f| f.branching.as_ref().and_then(|b| b.endings.get(ei)).map(|e| e.debrief.clone()),
                        move |f, v| if let Some(e) = f.branching.as_mut().and_then(|b| b.endings.get_mut(ei)) { e.debrief = v })}
                    {form_field(format!("e{ei}-score"), Msg::AuthScore, false, form,
                        move |f| f.branching.as_ref().and_then(|b| b.endings.get(ei)).map(|e| e.score.to_string()),
                        move |f, v| if let (Some(e), Ok(n)) = (f.branching.as_mut().and_then(|b| b.endings.get_mut(ei)), v.trim().parse()) { e.score = n })}
                </fieldset>
            </For>
            <button type="button" class="button" on:click=add_ending>{move || i18n.t(Msg::AuthAddEnding)}</button>
            <h3>{move || i18n.t(Msg::AuthGraph)}</h3>
            {graph}
        </div>
    }
}

#[component]
fn StepFields(form: RwSignal<SituationForm>, si: usize) -> impl IntoView {
    let i18n = use_i18n();
    let choice_count = move || {
        form.with(|f| {
            f.branching
                .as_ref()
                .and_then(|b| b.steps.get(si))
                .map_or(0, |s| s.choices.len())
        })
    };
    let add_choice = move |_| {
        form.update(|f| {
            if let Some(b) = f.branching.as_mut() {
                let taken: Vec<String> = b
                    .steps
                    .iter()
                    .flat_map(|s| s.choices.iter().map(|c| c.id.clone()))
                    .collect();
                let id = next_id("chon", taken.iter().map(String::as_str));
                let next = b.endings.first().map(|e| e.id.clone()).unwrap_or_default();
                if let Some(s) = b.steps.get_mut(si) {
                    s.choices.push(ChoiceForm {
                        id,
                        text: String::new(),
                        next,
                    });
                }
            }
        });
    };
    let step_id = move || {
        form.with(|f| {
            f.branching
                .as_ref()
                .and_then(|b| b.steps.get(si))
                .map(|s| s.id.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <fieldset class="panel form-step">
            <legend>{move || i18n.f(Msg::AuthGraphStep, &[("id", &step_id())])}</legend>
            {form_field(format!("s{si}-text"), Msg::AuthStepText, true, form,
                move |f| f.branching.as_ref().and_then(|b| b.steps.get(si)).map(|s| s.text.clone()),
                move |f, v| if let Some(s) = f.branching.as_mut().and_then(|b| b.steps.get_mut(si)) { s.text = v })}
            <For each=move || 0..choice_count() key=|j| *j let:cj>
                <div class="option-row">
                    {form_field(format!("s{si}-c{cj}"), Msg::AuthChoiceText, false, form,
                        move |f| f.branching.as_ref().and_then(|b| b.steps.get(si)).and_then(|s| s.choices.get(cj)).map(|c| c.text.clone()),
                        move |f, v| if let Some(c) = f.branching.as_mut().and_then(|b| b.steps.get_mut(si)).and_then(|s| s.choices.get_mut(cj)) { c.text = v })}
                    <div class="field">
                        <label for=format!("s{si}-n{cj}")>{move || i18n.t(Msg::AuthLeadsTo)}</label>
                        <select id=format!("s{si}-n{cj}") on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| if let Some(c) = f.branching.as_mut().and_then(|b| b.steps.get_mut(si)).and_then(|s| s.choices.get_mut(cj)) { c.next = v });
                        }>
                            {move || form.with(|f| f.branching.as_ref().map(|b| {
                                let current = b.steps.get(si).and_then(|s| s.choices.get(cj)).map(|c| c.next.clone()).unwrap_or_default();
                                b.steps.iter().map(|s| (s.id.clone(), i18n.f(Msg::AuthGraphStep, &[("id", &s.id)])))
                                    .chain(b.endings.iter().map(|e| (e.id.clone(), i18n.f(Msg::AuthGraphEnding, &[("id", &e.id), ("score", &e.score.to_string())]))))
                                    .map(|(id, label)| { let selected = id == current; view! { <option value=id selected=selected>{label}</option> } })
                                    .collect_view()
                            }))}
                        </select>
                    </div>
                </div>
            </For>
            <button type="button" class="button button-small" on:click=add_choice>{move || i18n.t(Msg::AuthAddChoice)}</button>
        </fieldset>
    }
}
