//! A module's or course's status shown in words and colour (never colour
//! alone), and a percentage bar.

use leptos::prelude::*;
use lophoc_core::{completion::Status, i18n::Msg};

use crate::state::i18n::use_i18n;

pub fn status_msg(status: Status) -> Msg {
    match status {
        Status::NotStarted => Msg::StatusNotStarted,
        Status::InProgress => Msg::StatusInProgress,
        Status::Completed => Msg::StatusCompleted,
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::NotStarted => "status status-not-started",
        Status::InProgress => "status status-in-progress",
        Status::Completed => "status status-completed",
    }
}

/// The status word in a coloured badge.
#[component]
pub fn StatusBadge(status: Status, #[prop(optional)] detail: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=status_class(status)>
            {move || i18n.t(status_msg(status))}
            {detail.map(|d| view! { <span class="status-detail">{format!(" {d}")}</span> })}
        </span>
    }
}

/// A progress bar with its figure in words for screen readers.
#[component]
pub fn PercentBar(percent: u32, label: String) -> impl IntoView {
    let width = format!("width: {}%", percent.min(100));
    view! {
        <div class="percent-bar" role="img" aria-label=label.clone()>
            <span class="percent-fill" style=width></span>
        </div>
        <p class="percent-label">{label}</p>
    }
}
