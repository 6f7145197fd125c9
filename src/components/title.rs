//! Keeps `document.title` in step with the page, for screen readers, tabs
//! and history.

use leptos::prelude::*;
use lophoc_core::i18n::Msg;

use crate::state::i18n::use_i18n;

/// Sets the document title to "`page` · Lophoc" whenever `page` changes.
///
/// ```ignore
/// use_title(move || i18n.t(Msg::SettingsTitle).to_string());
/// ```
pub fn use_title(page: impl Fn() -> String + 'static) {
    let i18n = use_i18n();
    Effect::new(move || {
        let page = page();
        let app = i18n.t(Msg::AppName);
        let title = if page.is_empty() {
            app.to_string()
        } else {
            format!("{page} · {app}")
        };
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
}
