//! The service worker's registration, and the "a new version is ready" banner.
//!
//! What it is for: `/sw.js` (generated at build time from `public/sw.js` by
//! `scripts/sw-precache.sh`) keeps the app shell on the device, so Lophoc
//! starts with no network. This component registers it and tells the user
//! when a newer version of the app has been downloaded.
//!
//! Policy:
//! - Registration only where `navigator.serviceWorker` exists (it does not on
//!   plain http other than localhost, nor in some private modes); any failure
//!   is logged and the app runs as before, online only. Nothing here panics.
//! - A new version never replaces the running one by itself: its worker
//!   installs in the background and waits. When one is waiting, and this page
//!   is controlled by the previous one, a polite banner (`role="status"`)
//!   offers to reload. Clicking posts `{type: "SKIP_WAITING"}` to the waiting
//!   worker, which activates; the page reloads once the new worker controls
//!   it (`controllerchange`) and only then, never on the first install.
//! - A long-open page (a projector in class) asks for an update every hour
//!   and when the device comes back online; browsers also check on every
//!   navigation.
//! - A visitor's device keeps only what a visitor can open; once someone
//!   signs in the page posts `{type: "CACHE_APP"}` to the active worker,
//!   which caches the other groups of pages (`split.rs`) once.
//! - Lecturers' and administrators' devices keep the staff build too: while
//!   one is signed in (and always in the staff build itself) the page posts
//!   `{type: "CACHE_STAFF"}` to the active worker, which caches it once.
//! - The listeners last as long as the page (their closures are leaked on
//!   purpose): the banner is mounted once, in the app frame.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use lophoc_core::{accounts::Role, i18n::Msg};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::{js_sys, JsFuture};
use web_sys::{
    EventTarget, ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration,
    ServiceWorkerState,
};

use crate::state::{i18n::use_i18n, session::use_session};

/// The worker script, at the site root so that its scope is the whole app.
const SCRIPT_URL: &str = "/sw.js";
/// How often a page left open asks the server whether `/sw.js` changed.
const UPDATE_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    // The new version's worker, installed and waiting to take over.
    let waiting = RwSignal::new_local(None::<ServiceWorker>);
    // Set by the button: reload on the next `controllerchange`.
    let reload_requested = StoredValue::new(false);

    if let Some(container) = service_worker_container() {
        reload_when_controlled(&container, reload_requested);
        spawn_local(register(container.clone(), waiting));
        let session = use_session();
        let asked_app = StoredValue::new(false);
        let asked_staff = StoredValue::new(false);
        Effect::new(move |_| {
            let signed_in = session.user.with(Option::is_some);
            let staff = cfg!(feature = "staff")
                || session
                    .user
                    .with(|user| user.as_ref().is_some_and(|u| u.role != Role::Trainee));
            if signed_in && !asked_app.get_value() {
                asked_app.set_value(true);
                spawn_local(ask_worker_to_cache(container.clone(), "CACHE_APP"));
            }
            if staff && !asked_staff.get_value() {
                asked_staff.set_value(true);
                spawn_local(ask_worker_to_cache(container.clone(), "CACHE_STAFF"));
            }
        });
    }

    let reload = move |_| {
        let Some(worker) = waiting.try_get_untracked().flatten() else {
            return;
        };
        if worker.state() == ServiceWorkerState::Installed {
            reload_requested.try_set_value(true);
            if let Err(err) = worker.post_message(&skip_waiting_message()) {
                reload_requested.try_set_value(false);
                leptos::logging::warn!("could not ask the new version to start: {err:?}");
            }
        } else {
            // Already activated (another tab took it), or replaced by a newer
            // one: this page still runs the old code, so reload now.
            reload_page();
        }
    };

    // The live region is always in the page, so that screen readers announce
    // the message when it appears in it.
    view! {
        <div class="update-region" role="status">
            {move || {
                waiting
                    .with(Option::is_some)
                    .then(|| {
                        view! {
                            <div class="update-banner">
                                <p>{move || i18n.t(Msg::UpdateReady)}</p>
                                <button type="button" on:click=reload>
                                    {move || i18n.t(Msg::UpdateReload)}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// Asks the active worker, once it is ready, to keep a part of the app
/// (`CACHE_APP`: every group of pages; `CACHE_STAFF`: the staff build).
async fn ask_worker_to_cache(container: ServiceWorkerContainer, part: &'static str) {
    let Ok(ready) = container.ready() else { return };
    let Ok(registration) = JsFuture::from(ready).await else {
        return;
    };
    let Some(worker) = registration
        .dyn_into::<ServiceWorkerRegistration>()
        .ok()
        .and_then(|r| r.active())
    else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &part.into());
    if let Err(err) = worker.post_message(&message) {
        leptos::logging::warn!("could not ask the worker for {part}: {err:?}");
    }
}

/// `navigator.serviceWorker`, if this browser and this context have one.
fn service_worker_container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let key = JsValue::from_str("serviceWorker");
    if !js_sys::Reflect::has(&navigator, &key).ok()? {
        return None;
    }
    js_sys::Reflect::get(&navigator, &key)
        .ok()?
        .dyn_into::<ServiceWorkerContainer>()
        .ok()
}

/// Registers the worker, then watches for a new version.
async fn register(
    container: ServiceWorkerContainer,
    waiting: RwSignal<Option<ServiceWorker>, LocalStorage>,
) {
    let registration = match JsFuture::from(container.register(SCRIPT_URL)).await {
        Ok(value) => match value.dyn_into::<ServiceWorkerRegistration>() {
            Ok(registration) => registration,
            Err(_) => return,
        },
        Err(err) => {
            leptos::logging::warn!("service worker not registered: {err:?}");
            return;
        }
    };
    // A version that finished installing before this page started (in
    // another tab, or in an earlier visit) is waiting already.
    if container.controller().is_some() {
        if let Some(worker) = registration.waiting() {
            waiting.try_set(Some(worker));
        }
    }
    // One may be installing already: its `updatefound` has been missed.
    if let Some(worker) = registration.installing() {
        offer_when_installed(&container, worker, waiting);
    }
    watch_installs(&container, &registration, waiting);
    check_for_updates(&registration);
}

/// Shows the banner when a worker found later finishes installing. On the
/// very first install the page has no controller: that worker activates by
/// itself and there is nothing to offer.
fn watch_installs(
    container: &ServiceWorkerContainer,
    registration: &ServiceWorkerRegistration,
    waiting: RwSignal<Option<ServiceWorker>, LocalStorage>,
) {
    let container = container.clone();
    let watched = registration.clone();
    let on_update_found = Closure::<dyn Fn()>::new(move || {
        if let Some(worker) = watched.installing() {
            offer_when_installed(&container, worker, waiting);
        }
    });
    listen(registration, "updatefound", on_update_found);
}

/// Offers `worker` once it has installed, if a previous version controls the page.
fn offer_when_installed(
    container: &ServiceWorkerContainer,
    worker: ServiceWorker,
    waiting: RwSignal<Option<ServiceWorker>, LocalStorage>,
) {
    let container = container.clone();
    let candidate = worker.clone();
    let on_state_change = Closure::<dyn Fn()>::new(move || {
        if candidate.state() == ServiceWorkerState::Installed && container.controller().is_some() {
            waiting.try_set(Some(candidate.clone()));
        }
    });
    listen(&worker, "statechange", on_state_change);
}

/// Asks the server for a new `/sw.js` every hour and on coming back online.
fn check_for_updates(registration: &ServiceWorkerRegistration) {
    let hourly = registration.clone();
    set_interval(move || update(&hourly), UPDATE_CHECK_EVERY);
    let online = registration.clone();
    // The handle is dropped, the listener stays for the life of the page.
    let _ = window_event_listener_untyped("online", move |_| update(&online));
}

fn update(registration: &ServiceWorkerRegistration) {
    // Offline, or the server is down: the promise rejects, try next time.
    if let Ok(promise) = registration.update() {
        spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Reloads once the new worker controls the page, if the user asked for it.
fn reload_when_controlled(container: &ServiceWorkerContainer, requested: StoredValue<bool>) {
    let on_controller_change = Closure::<dyn Fn()>::new(move || {
        if requested.try_get_value() == Some(true) {
            requested.try_set_value(false);
            reload_page();
        }
    });
    listen(container, "controllerchange", on_controller_change);
}

fn reload_page() {
    if let Some(window) = web_sys::window() {
        if let Err(err) = window.location().reload() {
            leptos::logging::warn!("could not reload: {err:?}");
        }
    }
}

/// `{type: "SKIP_WAITING"}`, the message `sw.js` waits for.
fn skip_waiting_message() -> JsValue {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &message,
        &JsValue::from_str("type"),
        &JsValue::from_str("SKIP_WAITING"),
    );
    message.into()
}

/// Adds `callback` as a listener for the life of the page.
fn listen(target: &EventTarget, event: &str, callback: Closure<dyn Fn()>) {
    if let Err(err) =
        target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref())
    {
        leptos::logging::warn!("could not listen to {event}: {err:?}");
    }
    callback.forget();
}
