//! One tab syncs at a time: the Web Locks API (`navigator.locks`).
//!
//! web-sys only exposes it behind an unstable flag, so it is called through
//! `Reflect`. Where the API is missing the sync simply runs: the server
//! applies ops idempotently, so a second tab can waste work but not break
//! anything.

use std::future::Future;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const LOCK_NAME: &str = "lophoc-sync";

/// Runs `work` holding the sync lock; skips it if another tab holds it.
pub async fn with_sync_lock(work: impl Future<Output = ()> + 'static) {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| Reflect::get(&n, &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else {
        work.await;
        return;
    };
    let Ok(request) =
        Reflect::get(&locks, &JsValue::from_str("request")).and_then(|f| f.dyn_into::<Function>())
    else {
        work.await;
        return;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let mut work = Some(work);
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        match work.take() {
            Some(work) if !lock.is_null() => future_to_promise(async move {
                work.await;
                Ok(JsValue::UNDEFINED)
            }),
            _ => Promise::resolve(&JsValue::NULL),
        }
    });
    if let Ok(promise) = request.call3(&locks, &JsValue::from_str(LOCK_NAME), &options, &callback) {
        let _ = JsFuture::from(Promise::from(promise)).await;
    }
}
