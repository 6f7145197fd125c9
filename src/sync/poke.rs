//! Server pokes: `GET /api/sync/stream` sends a `poke` event when another
//! device of the signed-in user pushed, and this device then syncs at once.
//! The browser's `EventSource` reconnects by itself after a network drop;
//! a missed poke costs only delay, as every other trigger still syncs.

use std::cell::RefCell;

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::EventSource;

thread_local! {
    static SOURCE: RefCell<Option<EventSource>> = const { RefCell::new(None) };
}

/// Opens the stream and calls `on_poke` for each poke.
pub fn listen(on_poke: impl Fn() + 'static) {
    let Ok(source) = EventSource::new("/api/sync/stream") else {
        return;
    };
    let callback = Closure::<dyn Fn()>::new(on_poke);
    let _ = source.add_event_listener_with_callback("poke", callback.as_ref().unchecked_ref());
    // The listener lives as long as the source, which `stop` closes.
    callback.forget();
    SOURCE.with(|s| {
        if let Some(old) = s.borrow_mut().replace(source) {
            old.close();
        }
    });
}

/// Closes the stream (on logout).
pub fn stop() {
    SOURCE.with(|s| {
        if let Some(source) = s.borrow_mut().take() {
            source.close();
        }
    });
}
