//! `/settings`: the interface language and the account.

use leptos::prelude::*;
use lophoc_core::{
    api::Role,
    i18n::{Lang, Msg},
};

use leptos::task::spawn_local;
use lophoc_core::i18n::format_bytes;
use wasm_bindgen_futures::JsFuture;

use crate::{
    components::{use_title, SyncDetails},
    state::{i18n::use_i18n, session::use_session},
};

/// The catalogue name of a role, in lower case for use inside a sentence.
pub fn role_msg(role: Role) -> Msg {
    match role {
        Role::Trainee => Msg::RoleTrainee,
        Role::Lecturer => Msg::RoleLecturer,
        Role::CentreAdmin => Msg::RoleCentreAdmin,
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t(Msg::SettingsTitle).to_string());
    view! {
        <h1>{move || i18n.t(Msg::SettingsTitle)}</h1>
        <LanguagePicker/>
        <SyncDetails/>
        <StoragePanel/>
        <section class="panel" aria-labelledby="account-heading">
            <h2 id="account-heading">{move || i18n.t(Msg::AccountTitle)}</h2>
            <p>
                {move || match session.user.get() {
                    Some(user) => i18n.f(
                        Msg::SignedInAs,
                        &[("name", &user.full_name), ("role", i18n.t(role_msg(user.role)))],
                    ),
                    None => i18n.t(Msg::NotSignedIn).to_string(),
                }}
            </p>
        </section>
    }
}

/// Radio buttons for the interface language; the change applies at once.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="panel choice-group">
            <legend>{move || i18n.t(Msg::LanguageLabel)}</legend>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    let id = format!("lang-{}", lang.code());
                    view! {
                        <div class="choice">
                            <input
                                type="radio"
                                name="lang"
                                id=id.clone()
                                value=lang.code()
                                prop:checked=move || i18n.lang() == lang
                                on:change=move |_| i18n.set(lang)
                            />
                            <label for=id lang=lang.code()>{lang.native_name()}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Whether the browser promised to keep the local store, and how much is used.
#[component]
fn StoragePanel() -> impl IntoView {
    let i18n = use_i18n();
    let persisted = RwSignal::new(None::<bool>);
    let usage = RwSignal::new(None::<(u64, u64)>);
    spawn_local(async move {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        if let Ok(promise) = storage.persisted() {
            if let Ok(value) = JsFuture::from(promise).await {
                persisted.set(value.as_bool());
            }
        }
        if let Ok(promise) = storage.estimate() {
            if let Ok(estimate) = JsFuture::from(promise).await {
                let number = |name: &str| {
                    js_sys::Reflect::get(&estimate, &wasm_bindgen::JsValue::from_str(name))
                        .ok()
                        .and_then(|v| v.as_f64())
                        .map(|v| v as u64)
                };
                if let (Some(used), Some(quota)) = (number("usage"), number("quota")) {
                    usage.set(Some((used, quota)));
                }
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{move || i18n.t(Msg::StorageTitle)}</h2>
            <p data-testid="storage-persisted">
                {move || persisted.get().map(|p| i18n.t(if p { Msg::StoragePersisted } else { Msg::StorageNotPersisted }))}
            </p>
            <p>
                {move || usage.get().map(|(used, quota)| i18n.f(
                    Msg::StorageUsage,
                    &[("used", &format_bytes(i18n.lang(), used)), ("quota", &format_bytes(i18n.lang(), quota))],
                ))}
            </p>
        </section>
    }
}
