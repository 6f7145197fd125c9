//! `/certificates/:code`: a certificate of completion to print on A4 (the
//! print stylesheet hides everything else), and for its class's lecturer or
//! the centre admin a form to revoke it. `/verify` and `/verify/:code`:
//! anyone, without logging in, checks a certificate's number.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_params_map};
use lophoc_core::{accounts::Role, calendar::date_vi, classes::Certificate, i18n::Msg};

use crate::{
    api::{self, ClientError},
    components::{use_title, ErrorNotice, Loading},
    state::{i18n::use_i18n, session::use_session},
};

fn code_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("code").unwrap_or_default())
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

#[component]
pub fn CertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let code = code_param();
    let refresh = RwSignal::new(0_u32);
    let certificate = LocalResource::new(move || {
        let _ = refresh.get();
        api::certificate(code.get())
    });
    use_title(move || i18n.t(Msg::CertificateTitle).to_string());
    let may_revoke = move || {
        session.user.with(|u| {
            u.as_ref()
                .is_some_and(|u| matches!(u.role, Role::Lecturer | Role::CentreAdmin))
        })
    };
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(c) => {
                        let revocable = c.revoked.is_none() && may_revoke();
                        let code = c.code.clone();
                        view! {
                            <p class="no-print">
                                <button type="button" class="button button-primary" on:click=move |_| {
                                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                                }>{i18n.t(Msg::CertPrint)}</button>
                            </p>
                            <CertificateSheet certificate=c/>
                            {revocable.then(|| view! { <RevokeForm code refresh/> })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The certificate itself, laid out for A4.
#[component]
fn CertificateSheet(certificate: Certificate) -> impl IntoView {
    let i18n = use_i18n();
    let c = certificate;
    let verify_url = format!("{}/verify/{}", origin(), c.code);
    let class_line = match (&c.class_name, &c.starts_on, &c.ends_on) {
        (Some(class), Some(start), Some(end)) => Some(i18n.f(
            Msg::CertClass,
            &[
                ("class", class),
                ("start", &date_vi(start)),
                ("end", &date_vi(end)),
            ],
        )),
        _ => None,
    };
    let revoked = c.revoked.as_ref().map(|r| {
        i18n.f(
            Msg::CertRevoked,
            &[("date", &date_vi(&r.on)), ("reason", &r.reason)],
        )
    });
    view! {
        {revoked.map(|text| view! { <p class="notice notice-error" role="alert" data-testid="certificate-revoked">{text}</p> })}
        <article class="certificate" data-testid="certificate">
            <header class="certificate-head">
                <div class="certificate-issuer">
                    <p>{c.centre_name.to_uppercase()}</p>
                </div>
                <div class="certificate-nation">
                    <p class="nation">{i18n.t(Msg::CertNation)}</p>
                    <p class="motto">{i18n.t(Msg::CertMotto)}</p>
                </div>
            </header>
            <h1 class="certificate-title">{i18n.t(Msg::CertHeading)}</h1>
            <p class="certificate-line">{i18n.t(Msg::CertCertifies)}</p>
            <p class="certificate-name">{c.trainee_name.clone()}</p>
            {c.birth_date.as_deref().map(|d| {
                let text = i18n.f(Msg::CertBorn, &[("date", &date_vi(d))]);
                view! { <p class="certificate-line">{text}</p> }
            })}
            <p class="certificate-line">{i18n.t(Msg::CertCompleted)}</p>
            <p class="certificate-course">{c.course_title.clone()}</p>
            {class_line.map(|l| view! { <p class="certificate-line">{l}</p> })}
            <footer class="certificate-foot">
                <p>{i18n.f(Msg::CertIssued, &[("date", &date_vi(&c.issued_on))])}</p>
                <p class="mono">{i18n.f(Msg::CertCode, &[("code", &c.code)])}</p>
                <p class="meta">{i18n.f(Msg::CertVerifyAt, &[("url", &verify_url)])}</p>
            </footer>
        </article>
    }
}

#[component]
fn RevokeForm(code: String, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get().trim().to_string();
        if text.is_empty() {
            problem.set(Some(i18n.t(Msg::RevokeReasonMissing).to_string()));
            return;
        }
        let code = code.clone();
        busy.set(true);
        spawn_local(async move {
            match api::revoke(&code, &text).await {
                Ok(_) => {
                    problem.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel no-print" aria-labelledby="revoke-heading">
            <h2 id="revoke-heading">{i18n.t(Msg::RevokeTitle)}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="revoke-reason">{i18n.t(Msg::RevokeReason)}</label>
                    <textarea id="revoke-reason" rows="3" maxlength="500" bind:value=reason></textarea>
                </div>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="button" disabled=move || busy.get()>{i18n.t(Msg::RevokeButton)}</button>
            </form>
        </section>
    }
}

/// `/verify` and `/verify/:code`: public.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let code = code_param();
    let typed = RwSignal::new(code.get_untracked());
    use_title(move || i18n.t(Msg::VerifyTitle).to_string());
    let result = LocalResource::new(move || {
        let code = code.get();
        async move {
            if code.is_empty() {
                None
            } else {
                Some(api::verify(code).await)
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = typed.get().trim().to_uppercase();
        if !code.is_empty() {
            navigate(&format!("/verify/{code}"), Default::default());
        }
    };
    view! {
        <h1>{move || i18n.t(Msg::VerifyTitle)}</h1>
        <form class="form form-inline" on:submit=submit>
            <div class="field">
                <label for="verify-code">{move || i18n.t(Msg::VerifyCode)}</label>
                <input id="verify-code" type="text" autocapitalize="characters" autocomplete="off" bind:value=typed/>
            </div>
            <button type="submit" class="button button-primary">{move || i18n.t(Msg::VerifyButton)}</button>
        </form>
        <p class="meta">{move || i18n.t(Msg::VerifyIntro)}</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match result.await {
                    None => ().into_any(),
                    Some(Ok(c)) => {
                        let details = i18n.f(Msg::VerifyDetails, &[
                            ("name", &c.trainee_name),
                            ("course", &c.course_title),
                            ("centre", &c.centre_name),
                            ("date", &date_vi(&c.issued_on)),
                        ]);
                        match c.revoked {
                            Some(r) => view! {
                                <div class="notice notice-error" role="alert" data-testid="verify-result">
                                    <p><strong>{i18n.f(Msg::CertRevoked, &[("date", &date_vi(&r.on)), ("reason", &r.reason)])}</strong></p>
                                    <p>{details}</p>
                                </div>
                            }.into_any(),
                            None => view! {
                                <div class="notice notice-info" role="status" data-testid="verify-result">
                                    <p><strong>{i18n.t(Msg::VerifyValid)}</strong></p>
                                    <p>{details}</p>
                                </div>
                            }.into_any(),
                        }
                    }
                    Some(Err(ClientError::Api(lophoc_core::api::ApiError::NotFound))) => view! {
                        <p class="notice notice-error" role="alert" data-testid="verify-result">{i18n.t(Msg::VerifyNotFound)}</p>
                    }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
