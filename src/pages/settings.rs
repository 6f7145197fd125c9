//! `/settings`: the interface language and the account.

use leptos::prelude::*;
use lophoc_core::{
    api::Role,
    i18n::{Lang, Msg},
};

use crate::{
    components::use_title,
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
