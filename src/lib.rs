//! The Lophoc web client: Leptos, client-side rendered, compiled to wasm32.
//!
//! `app.rs` holds the router and the app-wide contexts; each route is a module
//! under `pages/`, shared view pieces live under `components/`, app-wide state
//! under `state/`, and `api.rs` talks to the server. `store/` is the local
//! IndexedDB store and outbox, `sync/` the loop that pushes and pulls, and
//! `offline.rs` reads courses from the device when they were downloaded. Domain rules come from
//! `lophoc-core`; components only wire signals to them.

pub mod api;
pub mod app;
pub mod components;
pub mod offline;
pub mod pages;
pub mod split;
pub mod state;
pub mod store;
pub mod sync;

/// Mounts the app on `<body>`, replacing the static start-up screen
/// (`#boot` in `index.html`).
pub fn start() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "staff")]
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        // This is the staff build: a staff page that asked to be reloaded has it.
        let _ = storage.remove_item(pages::STAFF_RELOAD_KEY);
    }
    // The module's instantiation was one long task for the browser; the
    // app mounts in the next (see `yield_to_browser`).
    leptos::prelude::set_timeout(
        || {
            let document = web_sys::window().and_then(|w| w.document());
            let boot = document.as_ref().and_then(|d| d.get_element_by_id("boot"));
            match (boot, document.and_then(|d| d.body())) {
                (Some(boot), Some(body)) => take_over(boot, body),
                _ => leptos::mount::mount_to_body(app::App),
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Ends the current task: what follows runs in a new one, after the browser
/// has had the chance to paint and answer input. On a slow phone the app's
/// start-up is several pieces of work (instantiating the module, mounting
/// the frame, the routes, the first sync, building the page); run back to
/// back they held the main thread for hundreds of milliseconds, in which a
/// tap on the page the server drew waited (Lighthouse's total blocking
/// time). A zero timeout: one task later.
pub async fn yield_to_browser() {
    let (done, wait) = futures_channel::oneshot::channel();
    leptos::prelude::set_timeout(
        move || {
            let _ = done.send(());
        },
        std::time::Duration::ZERO,
    );
    let _ = wait.await;
}

/// How long the start-up screen may wait for the app's page (a page that
/// never settles is shown as the app has it then, "loading" and all).
const TAKE_OVER_WITHIN_MS: f64 = 10_000.0;

/// The start-up screen stays until the app has its page: the app draws
/// into a holder outside the document meanwhile, and takes the start-up
/// screen's place once its `<main>` has content and nothing in it says
/// "loading" (a part of the page still on its way), in one frame. So the
/// page appears whole instead of growing under the reader's eyes (no layout
/// shift), no element is in the document twice,
/// and where the server drew the page's first screen into the document
/// (`crates/server/src/document.rs`, the same markup as the page's) what
/// the trainee is reading neither flashes nor moves.
fn take_over(boot: web_sys::Element, body: web_sys::HtmlElement) {
    use wasm_bindgen::JsCast;
    let Some(holder) = body
        .owner_document()
        .and_then(|d| d.create_element("div").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        boot.remove();
        leptos::mount::mount_to_body(app::App);
        return;
    };
    leptos::mount::mount_to(holder.clone(), app::App).forget();
    let deadline = js_sys::Date::now() + TAKE_OVER_WITHIN_MS;
    wait_for_page(boot, body, holder, deadline);
}

fn wait_for_page(
    boot: web_sys::Element,
    body: web_sys::HtmlElement,
    holder: web_sys::HtmlElement,
    deadline: f64,
) {
    leptos::prelude::request_animation_frame(move || {
        let has = |selector: &str| holder.query_selector(selector).ok().flatten().is_some();
        let ready = has("#main > *") && !has("#main .loading");
        if !ready && js_sys::Date::now() < deadline {
            return wait_for_page(boot, body, holder, deadline);
        }
        let focused = keep_typed(&boot, &holder);
        while let Some(child) = holder.first_child() {
            let _ = body.append_child(&child);
        }
        boot.remove();
        if let Some(field) = focused {
            let _ = field.focus();
        }
    });
}

/// What was typed into a field of the drawn page before the app arrived
/// (the live session's code, say) goes into the app's field of the same id,
/// as if typed there; returns the app's field that takes the focus.
fn keep_typed(
    boot: &web_sys::Element,
    holder: &web_sys::HtmlElement,
) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    let active = boot
        .owner_document()
        .and_then(|d| d.active_element())
        .map(|e| e.id());
    let fields = boot.query_selector_all("input[id]").ok()?;
    let mut focused = None;
    for i in 0..fields.length() {
        let Some(field) = fields
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            continue;
        };
        let id = field.id();
        let Some(app) = holder
            .query_selector(&format!("#{id}"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            continue;
        };
        if !field.value().is_empty() {
            app.set_value(&field.value());
            if let Ok(input) = web_sys::Event::new("input") {
                let _ = app.dispatch_event(&input);
            }
        }
        if active.as_deref() == Some(id.as_str()) {
            focused = Some(app);
        }
    }
    focused
}
