//! The interface language.
//!
//! Policy: Vietnamese unless the user chose English in settings; the choice
//! is a device preference kept in `localStorage` (it is not learner data) and
//! mirrored to `<html lang>` so screen readers pronounce the page correctly,
//! and to the `lophoc_lang` cookie so a page's first screen drawn by the
//! server is in the same language.

use leptos::prelude::*;
use lophoc_core::i18n::{Lang, Msg, LANG_COOKIE};

const STORAGE_KEY: &str = "lophoc.lang";

/// Reads and changes the interface language. Copy it freely.
///
/// ```ignore
/// let i18n = use_i18n();
/// view! { <h1>{move || i18n.t(Msg::SettingsTitle)}</h1> }
/// ```
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The current language (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// `msg` in the current language (tracked).
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    /// `msg` with its placeholders filled (tracked).
    pub fn f(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        msg.format(self.lang.get(), args)
    }

    /// A sentence the server sent in both languages (an author's problem,
    /// a draft's or an imported file's) in the current language (tracked).
    /// Staff pages only.
    #[cfg(feature = "staff")]
    pub fn pick(&self, vi: &str, en: &str) -> String {
        match self.lang.get() {
            Lang::Vi => vi,
            Lang::En => en,
        }
        .to_string()
    }

    /// Switches the language and remembers the choice on this device.
    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Creates the language state from the saved choice and provides it.
pub fn provide_i18n() -> I18n {
    let saved = local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_default();
    let i18n = I18n {
        lang: RwSignal::new(saved),
    };
    Effect::new(move || {
        let code = i18n.lang().code();
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", code);
        }
        // For the pages the server draws into the document (a year: it is
        // a device preference, not a secret). Only for a language other
        // than the default, which the server assumes without it: a device
        // in Vietnamese sends no extra cookie with every request.
        if let Some(document) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDocument>(d).ok())
        {
            let has = document
                .cookie()
                .is_ok_and(|c| c.split(';').any(|p| p.trim().starts_with(LANG_COOKIE)));
            if i18n.lang() != Lang::default() {
                let _ = document.set_cookie(&format!(
                    "{LANG_COOKIE}={code}; path=/; max-age=31536000; SameSite=Lax"
                ));
            } else if has {
                let _ = document
                    .set_cookie(&format!("{LANG_COOKIE}=; path=/; max-age=0; SameSite=Lax"));
            }
        }
    });
    provide_context(i18n);
    i18n
}

/// The language state provided by [`provide_i18n`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
