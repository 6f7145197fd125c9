//! "Tải về để học khi không có mạng": downloading a course to the device.
//!
//! Policy: the size is shown before, a progress bar during, and the space
//! used after. A download that stops half-way leaves the course marked as
//! not downloaded (the outline is stored last) and says so; trying again
//! fetches it whole.

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{
    content::CourseOutline,
    i18n::{format_bytes, Msg},
};

use crate::{offline, state::i18n::use_i18n, store::Download};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Running { done: usize, total: usize },
    Failed,
}

/// The download panel of a course page.
#[component]
pub fn DownloadPanel(course: CourseOutline) -> impl IntoView {
    let i18n = use_i18n();
    let course_id = course.id.clone();
    let stored = RwSignal::new(None::<Download>);
    let phase = RwSignal::new(Phase::Idle);
    // Read at first, and again when a sync updated a downloaded course.
    let sync = crate::sync::use_sync();
    Effect::new(move |_| {
        sync.courses_updated.track();
        let course_id = course_id.clone();
        spawn_local(async move {
            let copy = offline::downloaded(&course_id).await;
            stored.try_set(copy);
        });
    });
    // The outline may be the device's own copy: ask the server which
    // version it publishes now, so a downloaded course is offered its
    // update (a course approved in the browser, issue 7).
    let server_version = RwSignal::new(course.version);
    let version_of = course.id.clone();
    spawn_local(async move {
        if let Ok(list) = crate::api::courses().await {
            if let Some(c) = list.iter().find(|c| c.id == version_of) {
                server_version.set(c.version);
            }
        }
    });
    let size = course.download_bytes;
    let course = StoredValue::new(course);
    let start = move |_| {
        if matches!(phase.get_untracked(), Phase::Running { .. }) {
            return;
        }
        spawn_local(async move {
            let outline = course.get_value();
            // Fetch the current outline so the download matches the server.
            let outline = crate::api::course(outline.id.clone())
                .await
                .unwrap_or(outline);
            let result = offline::download(&outline, |done, total| {
                phase.set(Phase::Running { done, total });
            })
            .await;
            match result {
                Ok(bytes) => {
                    stored.set(Some(Download {
                        version: outline.version,
                        bytes,
                    }));
                    phase.set(Phase::Idle);
                }
                Err(_) => phase.set(Phase::Failed),
            }
        });
    };
    let status = move || {
        match (phase.get(), stored.get()) {
        (Phase::Running { done, total }, _) => view! {
            <p role="status">{i18n.f(Msg::DownloadProgress, &[("done", &done.to_string()), ("total", &total.to_string())])}</p>
            <progress max=total.to_string() value=done.to_string()
                aria-label=i18n.t(Msg::DownloadTitle)></progress>
        }
        .into_any(),
        (Phase::Failed, _) => view! {
            <p class="notice notice-error" role="alert">{i18n.t(Msg::DownloadFailed)}</p>
        }
        .into_any(),
        (Phase::Idle, Some(d)) => view! {
            <p class="download-done" role="status">
                "✓ " {i18n.f(Msg::Downloaded, &[("size", &format_bytes(i18n.lang(), d.bytes))])}
            </p>
        }
        .into_any(),
        (Phase::Idle, None) => view! {
            <p>{i18n.f(Msg::DownloadSize, &[("size", &format_bytes(i18n.lang(), size))])}</p>
        }
        .into_any(),
    }
    };
    let button_label = move || match stored.get() {
        Some(d) if d.version >= server_version.get() => None,
        Some(_) => Some(i18n.t(Msg::DownloadAgain)),
        None => Some(i18n.t(Msg::DownloadButton)),
    };
    view! {
        <section class="panel download" aria-labelledby="download-heading"
            data-testid="download" data-version=move || stored.get().map(|d| d.version.to_string())>
            <h2 id="download-heading">{move || i18n.t(Msg::DownloadTitle)}</h2>
            {status}
            {move || button_label().map(|label| view! {
                <button type="button" class="button button-primary button-block" on:click=start
                    disabled=move || matches!(phase.get(), Phase::Running { .. })>
                    {label}
                </button>
            })}
        </section>
    }
}
