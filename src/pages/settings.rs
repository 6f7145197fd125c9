//! `/settings`: the interface language and the account.
//!
//! A user who must change a password someone else chose is sent here
//! (`PasswordChangeGuard`) and finds the password form first.

use leptos::prelude::*;
use lophoc_core::{
    accounts::Role,
    classes::PasswordChange,
    i18n::{Lang, Msg},
};

use leptos::task::spawn_local;
use lophoc_core::i18n::format_bytes;
use wasm_bindgen_futures::JsFuture;

use crate::{
    api,
    components::{use_title, SyncDetails},
    state::{i18n::use_i18n, session::use_session},
};

/// The catalogue name of a role, in lower case for use inside a sentence.
pub fn role_msg(role: Role) -> Msg {
    match role {
        Role::Trainee => Msg::RoleTrainee,
        Role::Lecturer => Msg::RoleLecturer,
        Role::CentreAdmin => Msg::RoleCentreAdmin,
        Role::ProvinceAdmin => Msg::RoleProvinceAdmin,
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t(Msg::SettingsTitle).to_string());
    let must_change = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.must_change_password))
    };
    // First while a change is required, and still there once it succeeded
    // (the form does not jump to the end of the page).
    let password_first = RwSignal::new(false);
    Effect::new(move |_| {
        if must_change() {
            password_first.set(true);
        }
    });
    view! {
        <h1>{move || i18n.t(Msg::SettingsTitle)}</h1>
        <Show when=move || password_first.get()>
            <PasswordForm/>
        </Show>
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
        <Show when=move || !password_first.get() && session.user.with(Option::is_some)>
            <PasswordForm/>
        </Show>
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

/// Changing one's password: the current one, the new one twice.
#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        if new.get() != repeat.get() {
            problem.set(Some(i18n.t(Msg::PasswordMismatch).to_string()));
            return;
        }
        let change = PasswordChange {
            current: current.get(),
            new: new.get(),
        };
        busy.set(true);
        spawn_local(async move {
            match api::change_password(&change).await {
                Ok(()) => {
                    problem.set(None);
                    done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    session.user.update(|u| {
                        if let Some(u) = u {
                            u.must_change_password = false;
                        }
                    });
                }
                // Nothing typed is cleared on an error.
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel" id="password" aria-labelledby="password-heading">
            <h2 id="password-heading">{move || i18n.t(Msg::PasswordTitle)}</h2>
            <Show when=move || session.user.with(|u| u.as_ref().is_some_and(|u| u.must_change_password))>
                <p class="notice notice-info" data-testid="must-change-password">{move || i18n.t(Msg::MustChangePassword)}</p>
            </Show>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="password-current">{move || i18n.t(Msg::PasswordCurrent)}</label>
                    <input id="password-current" type="password" autocomplete="current-password" bind:value=current/>
                </div>
                <div class="field">
                    <label for="password-new">{move || i18n.t(Msg::PasswordNew)}</label>
                    <input id="password-new" type="password" autocomplete="new-password" minlength="8" bind:value=new/>
                </div>
                <div class="field">
                    <label for="password-repeat">{move || i18n.t(Msg::PasswordRepeat)}</label>
                    <input id="password-repeat" type="password" autocomplete="new-password" bind:value=repeat/>
                </div>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <p class="form-done" role="status">{move || done.get().then(|| format!(
                    "{} {}",
                    i18n.t(Msg::PasswordChanged),
                    i18n.t(Msg::PasswordChangedElsewhere)
                ))}</p>
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || i18n.t(Msg::PasswordTitle)}
                </button>
            </form>
        </section>
    }
}
