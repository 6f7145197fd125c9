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

/// Mounts the app on `<body>`, replacing the static loading placeholder.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    #[cfg(feature = "staff")]
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        // This is the staff build: a staff page that asked to be reloaded has it.
        let _ = storage.remove_item(pages::STAFF_RELOAD_KEY);
    }
    leptos::mount::mount_to_body(app::App);
}
