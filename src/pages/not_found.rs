//! Any path the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;
use lophoc_core::i18n::Msg;

use crate::{components::use_title, state::i18n::use_i18n};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::NotFoundTitle).to_string());
    view! {
        <h1>{move || i18n.t(Msg::NotFoundTitle)}</h1>
        <p>{move || i18n.t(Msg::NotFoundBody)}</p>
        <p><A href="/" attr:class="button">{move || i18n.t(Msg::BackHome)}</A></p>
    }
}
