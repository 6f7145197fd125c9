//! The length limit of a free-text field, shown while typing.
//!
//! Policy: the limits are the server's (`lophoc_core::limits`): the input
//! stops at the limit (`maxlength`, which counts UTF-16 units, never fewer
//! than the characters the server counts, so what fits here fits there), and
//! this line says how much is left once close to it, or that the limit is
//! reached, so a trainee never has an answer refused for its length.

use leptos::prelude::*;
use lophoc_core::{
    i18n::{format_count, Msg},
    limits::{char_count, TextField},
};

use crate::state::i18n::use_i18n;

/// The `maxlength` attribute for `field`.
pub fn max_length(field: TextField) -> String {
    field.max_chars().to_string()
}

/// "N characters left" from 90 % of the limit, "limit reached" at it;
/// nothing before. `text` is the field's value.
#[component]
pub fn LimitHint(field: TextField, #[prop(into)] text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let max = field.max_chars();
    let line = move || {
        let used = text.with(|t| char_count(t));
        if used >= max {
            Some((
                true,
                i18n.f(
                    Msg::TextLimitReached,
                    &[("max", &format_count(i18n.lang(), max as u64))],
                ),
            ))
        } else if used * 10 >= max * 9 {
            Some((
                false,
                i18n.f(
                    Msg::TextLimitNear,
                    &[("n", &format_count(i18n.lang(), (max - used) as u64))],
                ),
            ))
        } else {
            None
        }
    };
    view! {
        <p class="limit-hint" aria-live="polite" data-testid="limit-hint">
            {move || line().map(|(reached, text)| view! {
                <span class=if reached { "limit-reached" } else { "" }>{text}</span>
            })}
        </p>
    }
}
