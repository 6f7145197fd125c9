//! A module's or course's status shown in words and colour (never colour
//! alone), and a percentage bar.

use leptos::prelude::*;
use lophoc_core::completion::Status;

use crate::state::i18n::use_i18n;

/// The status word in a coloured badge.
#[component]
pub fn StatusBadge(status: Status, #[prop(optional)] detail: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=status.badge_class()>
            {move || i18n.t(status.msg())}
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
