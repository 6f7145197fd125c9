//! The live-session socket: one WebSocket to `/api/live/{code}/ws`, kept
//! open, with its messages turned into signals.
//!
//! Policy: the socket reconnects by itself after a drop, with back-off
//! (0.5 s doubling to 8 s, with jitter), and at once when the browser comes
//! back online or the page becomes visible again (a phone waking up). A
//! participant's token and its unacknowledged answer are kept in
//! `localStorage` under `lophoc.live.<code>`, so a reload or a reconnect
//! resumes the same participant and resends the answer with the same id;
//! the server counts it once, and only if it arrives while the question is
//! open (the client's clock decides nothing). Errors that reconnecting
//! cannot fix (no such session, not allowed, a name is needed) stop the
//! reconnecting.
//!
//! ```ignore
//! let live = use_live_socket(code, Hello::Join { name: None });
//! view! { <p>{move || live.view.with(|v| v.as_ref().map(|v| v.title.clone()))}</p> }
//! live.answer(0, answer);
//! ```

use std::{cell::RefCell, rc::Rc};

use leptos::prelude::*;
use lophoc_core::{
    live::{Ack, ClientMsg, Command, LiveError, Personal, ServerMsg, View},
    question::Answer,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{MessageEvent, WebSocket};

/// Who the connection is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hello {
    /// A participant (signed in, or a guest with this name).
    Join { name: Option<String> },
    /// The presenter or a remote.
    Present,
}

/// An answer to the current question and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyAnswer {
    pub q: u32,
    pub answer: Answer,
    /// `None` while waiting for the server (sending, or queued offline).
    pub ack: Option<Ack>,
}

/// What is kept on the device for one session.
#[derive(Default, Serialize, Deserialize)]
struct Saved {
    token: Option<String>,
    /// `(q, answer id, answer)` not yet acknowledged.
    pending: Option<(u32, String, Answer)>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load(key: &str) -> Saved {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save(key: &str, saved: &Saved) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(saved)) {
        let _ = storage.set_item(key, &text);
    }
}

/// The socket's state as signals, and what a page may send. Copy it.
#[derive(Clone, Copy)]
pub struct LiveSocket {
    pub view: RwSignal<Option<View>>,
    /// When the view arrived (`performance.now()`), for the countdown.
    pub view_at: RwSignal<f64>,
    pub connected: RwSignal<bool>,
    /// The last refusal; a terminal one stops reconnecting.
    pub error: RwSignal<Option<LiveError>>,
    /// The participant's name as the server has it.
    pub name: RwSignal<Option<String>>,
    pub my_answer: RwSignal<Option<MyAnswer>>,
    pub mine: RwSignal<Option<Personal>>,
    conn: StoredValue<Rc<RefCell<Conn>>, LocalStorage>,
}

struct Conn {
    url: String,
    key: String,
    hello: Hello,
    socket: Option<WebSocket>,
    failures: u32,
    stopped: bool,
    retry: Option<i32>,
    /// Kept alive with the socket they serve.
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

/// Closes a socket we no longer listen to (its handlers are dropped next).
fn detach(socket: &WebSocket) {
    socket.set_onopen(None);
    socket.set_onmessage(None);
    socket.set_onclose(None);
    let _ = socket.close();
}

/// Milliseconds from `performance.now()`.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn socket_url(code: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let host = location
        .as_ref()
        .and_then(|l| l.host().ok())
        .unwrap_or_default();
    let scheme = match location.and_then(|l| l.protocol().ok()).as_deref() {
        Some("https:") => "wss",
        _ => "ws",
    };
    format!("{scheme}://{host}/api/live/{code}/ws")
}

/// Opens the socket of session `code` and keeps it open while the calling
/// component lives.
pub fn use_live_socket(code: &str, hello: Hello) -> LiveSocket {
    let live = LiveSocket {
        view: RwSignal::new(None),
        view_at: RwSignal::new(0.0),
        connected: RwSignal::new(false),
        error: RwSignal::new(None),
        name: RwSignal::new(None),
        my_answer: RwSignal::new(None),
        mine: RwSignal::new(None),
        conn: StoredValue::new_local(Rc::new(RefCell::new(Conn {
            url: socket_url(code),
            key: format!("lophoc.live.{code}"),
            hello,
            socket: None,
            failures: 0,
            stopped: false,
            retry: None,
            handlers: Vec::new(),
        }))),
    };
    // A queued answer from before a reload shows as queued.
    let saved = load(&format!("lophoc.live.{code}"));
    if let Some((q, _, answer)) = saved.pending {
        live.my_answer.set(Some(MyAnswer {
            q,
            answer,
            ack: None,
        }));
    }
    live.connect();
    let wake = move || {
        if !live.connected.get_untracked() {
            live.reconnect_now();
        }
    };
    let online = window_event_listener(leptos::ev::online, move |_| wake());
    // A phone waking up: the page becomes visible again.
    let on_visible = Closure::<dyn Fn()>::new(wake);
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(document) = &document {
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visible.as_ref().unchecked_ref(),
        );
    }
    let on_visible = StoredValue::new_local(Some((on_visible, document)));
    on_cleanup(move || {
        online.remove();
        if let Some((callback, Some(document))) =
            on_visible.try_update_value(Option::take).flatten()
        {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                callback.as_ref().unchecked_ref(),
            );
        }
        live.stop();
    });
    live
}

impl LiveSocket {
    fn with_conn<R>(self, f: impl FnOnce(&mut Conn) -> R) -> Option<R> {
        self.conn.try_with_value(|conn| f(&mut conn.borrow_mut()))
    }

    /// Sends a message if the socket is open; returns whether it was sent.
    fn send(self, msg: &ClientMsg) -> bool {
        let Ok(text) = serde_json::to_string(msg) else {
            return false;
        };
        self.with_conn(|conn| {
            conn.socket
                .as_ref()
                .filter(|s| s.ready_state() == WebSocket::OPEN)
                .is_some_and(|s| s.send_with_str(&text).is_ok())
        })
        .unwrap_or(false)
    }

    /// Sends a presenter command (dropped while disconnected: the buttons
    /// are disabled then).
    pub fn command(self, cmd: Command) {
        self.send(&ClientMsg::Cmd { cmd });
    }

    /// Answers question `q`: kept on the device until the server
    /// acknowledges it, sent now if connected, else on reconnect.
    pub fn answer(self, q: u32, answer: Answer) {
        let id = crate::store::new_id();
        if let Some(key) = self.with_conn(|c| c.key.clone()) {
            let mut saved = load(&key);
            saved.pending = Some((q, id.clone(), answer.clone()));
            save(&key, &saved);
        }
        self.my_answer.set(Some(MyAnswer {
            q,
            answer: answer.clone(),
            ack: None,
        }));
        self.send(&ClientMsg::Answer { q, id, answer });
    }

    /// Joins again as a guest with `name` (after a `bad_name` refusal, or
    /// when the page first asks for a name).
    pub fn join_as(self, name: String) {
        self.error.set(None);
        self.with_conn(|c| {
            c.hello = Hello::Join { name: Some(name) };
            c.stopped = false;
        });
        self.reconnect_now();
    }

    fn connect(self) {
        let Some(url) = self.with_conn(|c| {
            c.retry = None;
            (!c.stopped).then(|| c.url.clone())
        }) else {
            return;
        };
        let Some(url) = url else { return };
        let Ok(socket) = WebSocket::new(&url) else {
            self.schedule_retry();
            return;
        };
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| self.on_open());
        let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            if let Some(text) = event
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            {
                self.on_message(&text);
            }
        });
        let me = socket.clone();
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| self.on_close(&me));
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.with_conn(|c| {
            if let Some(old) = c.socket.replace(socket) {
                detach(&old);
            }
            c.handlers = vec![on_open, on_message, on_close];
        });
    }

    fn on_open(self) {
        let Some((hello, key)) = self.with_conn(|c| {
            c.failures = 0;
            (c.hello.clone(), c.key.clone())
        }) else {
            return;
        };
        let msg = match hello {
            Hello::Present => ClientMsg::Present,
            Hello::Join { name } => ClientMsg::Join {
                token: load(&key).token,
                name,
            },
        };
        self.send(&msg);
    }

    fn on_message(self, text: &str) {
        let Ok(msg) = serde_json::from_str::<ServerMsg>(text) else {
            return;
        };
        let key = self.with_conn(|c| c.key.clone()).unwrap_or_default();
        match msg {
            ServerMsg::Welcome {
                token,
                name,
                answered,
            } => {
                self.connected.set(true);
                self.error.set(None);
                self.name.set(name);
                let mut saved = load(&key);
                if token.is_some() {
                    saved.token = token;
                    save(&key, &saved);
                }
                if let Some(a) = answered {
                    self.my_answer.set(Some(MyAnswer {
                        q: a.q,
                        answer: a.answer,
                        ack: Some(Ack::Received),
                    }));
                }
                // Resend what was answered while the connection was down.
                if let Some((q, id, answer)) = saved.pending {
                    self.send(&ClientMsg::Answer { q, id, answer });
                }
            }
            ServerMsg::State { view } => {
                let q = view.question.as_ref().map(|q| q.index);
                if self
                    .my_answer
                    .with_untracked(|a| a.as_ref().is_some_and(|a| Some(a.q) != q))
                {
                    self.my_answer.set(None);
                }
                if view.phase != lophoc_core::live::PhaseName::Revealed
                    && view.phase != lophoc_core::live::PhaseName::Ended
                {
                    self.mine.set(None);
                }
                self.view_at.set(now_ms());
                self.view.set(Some(*view));
            }
            ServerMsg::Ack { q, id, ack } => {
                let mut saved = load(&key);
                if saved.pending.as_ref().is_some_and(|(_, pid, _)| *pid == id) {
                    saved.pending = None;
                    save(&key, &saved);
                }
                self.my_answer.update(|a| {
                    if let Some(a) = a.as_mut().filter(|a| a.q == q) {
                        a.ack = Some(ack);
                    }
                });
            }
            ServerMsg::Mine { mine } => self.mine.set(Some(mine)),
            ServerMsg::Error { code } => {
                if matches!(
                    code,
                    LiveError::NoSession
                        | LiveError::Forbidden
                        | LiveError::LoginRequired
                        | LiveError::BadName
                        | LiveError::Full
                ) && !self.connected.get_untracked()
                {
                    // Reconnecting cannot fix these.
                    self.stop();
                }
                self.error.set(Some(code));
            }
        }
    }

    fn on_close(self, socket: &WebSocket) {
        let current = self
            .with_conn(|c| c.socket.as_ref() == Some(socket))
            .unwrap_or(false);
        if !current {
            return;
        }
        self.connected.set(false);
        self.with_conn(|c| c.socket = None);
        self.schedule_retry();
    }

    fn schedule_retry(self) {
        let Some(delay) = self.with_conn(|c| {
            if c.stopped || c.retry.is_some() {
                return None;
            }
            c.failures = c.failures.saturating_add(1);
            let base = 500.0 * f64::from(2_u32.pow(c.failures.min(5) - 1));
            Some(base.min(8_000.0) * (0.75 + 0.5 * js_sys::Math::random()))
        }) else {
            return;
        };
        let Some(delay) = delay else { return };
        let callback = Closure::once_into_js(move || self.connect());
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                delay as i32,
            )
            .ok()
        });
        self.with_conn(|c| c.retry = id);
    }

    fn reconnect_now(self) {
        let pending = self.with_conn(|c| {
            if let Some(id) = c.retry.take() {
                if let Some(w) = web_sys::window() {
                    w.clear_timeout_with_handle(id);
                }
            }
            c.failures = 0;
            c.socket
                .as_ref()
                .is_some_and(|s| s.ready_state() == WebSocket::CONNECTING)
        });
        if pending != Some(true) {
            self.connect();
        }
    }

    /// Stops for good (the page is left, or reconnecting cannot help).
    fn stop(self) {
        self.with_conn(|c| {
            c.stopped = true;
            if let Some(id) = c.retry.take() {
                if let Some(w) = web_sys::window() {
                    w.clear_timeout_with_handle(id);
                }
            }
            if let Some(socket) = c.socket.take() {
                detach(&socket);
            }
        });
        self.connected.set(false);
    }
}
