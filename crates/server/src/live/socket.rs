//! One WebSocket connection to a live session: who it is (a participant or
//! a presenter), then its messages both ways until it closes.
//!
//! Policy: the first message must be `join` or `present`, within
//! [`HELLO_TIMEOUT`]. A participant gets its token (to resume as the same
//! participant after a drop), the current state, its own answer to the
//! current question if it gave one, and after each reveal its own result.
//! A presenter gets the presenter's view and may send commands. Any message
//! that cannot be read gets a `bad_message` error and changes nothing; the
//! connection stays open.

use std::{sync::Arc, time::Duration};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use lophoc_core::{
    api::User,
    live::{clean_name, Answered, ClientMsg, LiveError, Phase, ServerMsg},
};

use super::room::{message, new_token, Room, MAX_PARTICIPANTS};

/// How long a new connection may take to say who it is.
const HELLO_TIMEOUT: Duration = Duration::from_secs(15);
/// Pings keep idle connections (and the proxies between) open, and find
/// dead ones.
const PING_EVERY: Duration = Duration::from_secs(25);

/// What the connection is.
enum Peer {
    Participant { id: u32, user: Option<i64> },
    Presenter,
}

async fn send(socket: &mut WebSocket, text: Utf8Bytes) -> bool {
    socket.send(Message::Text(text)).await.is_ok()
}

async fn error(socket: &mut WebSocket, code: LiveError) -> bool {
    send(socket, message(&ServerMsg::Error { code })).await
}

/// Serves one connection to `room` (`None`: no such session). `presenter`:
/// whether `user` may drive it (its owner, or an admin of the owner's
/// centre).
pub async fn run(
    mut socket: WebSocket,
    room: Option<Arc<Room>>,
    user: Option<User>,
    presenter: bool,
) {
    let Some(room) = room else {
        let _ = error(&mut socket, LiveError::NoSession).await;
        let _ = socket.send(Message::Close(None)).await;
        return;
    };
    let Some(role) = hello(&mut socket, &room, user.as_ref(), presenter).await else {
        let _ = socket.send(Message::Close(None)).await;
        return;
    };
    serve(socket, room, role).await;
}

/// Reads messages until a `join` or `present` one is accepted.
async fn hello(
    socket: &mut WebSocket,
    room: &Room,
    user: Option<&User>,
    presenter: bool,
) -> Option<Peer> {
    let deadline = tokio::time::Instant::now() + HELLO_TIMEOUT;
    loop {
        let msg = tokio::time::timeout_at(deadline, socket.recv())
            .await
            .ok()??
            .ok()?;
        let text = match msg {
            Message::Text(text) => text,
            Message::Close(_) => return None,
            Message::Ping(_) | Message::Pong(_) => continue,
            Message::Binary(_) => {
                error(socket, LiveError::BadMessage).await.then_some(())?;
                continue;
            }
        };
        match serde_json::from_str::<ClientMsg>(&text) {
            Ok(ClientMsg::Present) => {
                if !presenter {
                    error(socket, LiveError::Forbidden).await.then_some(())?;
                    continue;
                }
                let welcome = message(&ServerMsg::Welcome {
                    token: None,
                    name: user.map(|u| u.full_name.clone()),
                    answered: None,
                });
                if !send(socket, welcome).await || !send(socket, room.state_now(true)).await {
                    return None;
                }
                return Some(Peer::Presenter);
            }
            Ok(ClientMsg::Join { token, name }) => match join(room, user, token, name) {
                Ok((id, welcome)) => {
                    if !send(socket, welcome).await || !send(socket, room.state_now(false)).await {
                        return None;
                    }
                    if !send_mine(socket, room, id).await {
                        return None;
                    }
                    return Some(Peer::Participant {
                        id,
                        user: user.map(|u| u.id),
                    });
                }
                Err(code) => error(socket, code).await.then_some(())?,
            },
            Ok(ClientMsg::Answer { .. } | ClientMsg::Cmd { .. }) => {
                error(socket, LiveError::NotJoined).await.then_some(())?;
            }
            Err(_) => error(socket, LiveError::BadMessage).await.then_some(())?,
        }
    }
}

/// Joins (or resumes) a participant; returns its id and welcome message.
fn join(
    room: &Room,
    user: Option<&User>,
    token: Option<String>,
    name: Option<String>,
) -> Result<(u32, Utf8Bytes), LiveError> {
    let mut inner = room.lock();
    let resumed = token
        .as_ref()
        .and_then(|t| inner.tokens.get(t).copied())
        // A token of a signed-in participant resumes only for that user.
        .filter(|&id| {
            let owner = inner.session.participants()[id as usize].user_id;
            owner.is_none() || owner == user.map(|u| u.id)
        });
    let (id, token) = match (resumed, user) {
        (Some(id), _) => (id, token.unwrap_or_default()),
        (None, Some(user)) => match inner
            .user_tokens
            .get(&user.id)
            .and_then(|token| Some((*inner.tokens.get(token)?, token.clone())))
        {
            // Joined before: the same participant, with its token.
            Some(known) => known,
            None => {
                if inner.session.participants().len() >= MAX_PARTICIPANTS {
                    return Err(LiveError::Full);
                }
                let id = inner.session.join(user.full_name.clone(), Some(user.id));
                room.record_attendance(&mut inner, user.id);
                let token = new_token();
                inner.tokens.insert(token.clone(), id);
                inner.user_tokens.insert(user.id, token.clone());
                (id, token)
            }
        },
        (None, None) => {
            if !inner.session.settings.allow_guests {
                return Err(LiveError::LoginRequired);
            }
            let name = name
                .as_deref()
                .and_then(clean_name)
                .ok_or(LiveError::BadName)?;
            if inner.session.participants().len() >= MAX_PARTICIPANTS {
                return Err(LiveError::Full);
            }
            let id = inner.session.join(name, None);
            let token = new_token();
            inner.tokens.insert(token.clone(), id);
            (id, token)
        }
    };
    room.touch();
    let answered = inner.session.phase().index().and_then(|q| {
        inner.session.answer_of(id, q).map(|r| Answered {
            q: u32::try_from(q).unwrap_or(u32::MAX),
            id: r.answer_id.clone(),
            answer: r.answer.clone(),
        })
    });
    let name = inner.session.participants()[id as usize].name.clone();
    Ok((
        id,
        message(&ServerMsg::Welcome {
            token: Some(token),
            name: Some(name),
            answered,
        }),
    ))
}

/// After a reveal or at the end: the participant's own result.
async fn send_mine(socket: &mut WebSocket, room: &Room, id: u32) -> bool {
    let mine = {
        let inner = room.lock();
        match inner.session.phase() {
            Phase::Revealed { .. } | Phase::Ended => inner.session.personal(id),
            _ => None,
        }
    };
    match mine {
        Some(mine) => send(socket, message(&ServerMsg::Mine { mine })).await,
        None => true,
    }
}

async fn serve(mut socket: WebSocket, room: Arc<Room>, role: Peer) {
    let mut public = room.subscribe_public();
    let mut presenter = room.subscribe_presenter();
    public.mark_unchanged();
    presenter.mark_unchanged();
    let is_presenter = matches!(role, Peer::Presenter);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    loop {
        tokio::select! {
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { break };
                let ok = match msg {
                    Message::Text(text) => handle(&mut socket, &room, &role, &text).await,
                    Message::Binary(_) => error(&mut socket, LiveError::BadMessage).await,
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => true,
                };
                if !ok {
                    break;
                }
            }
            changed = public.changed(), if !is_presenter => {
                if changed.is_err() {
                    break;
                }
                let frame = public.borrow_and_update().clone();
                if !send(&mut socket, frame.json).await {
                    break;
                }
                if let Peer::Participant { id, .. } = role {
                    if matches!(frame.phase, Phase::Revealed { .. } | Phase::Ended)
                        && !send_mine(&mut socket, &room, id).await
                    {
                        break;
                    }
                }
            }
            changed = presenter.changed(), if is_presenter => {
                if changed.is_err() {
                    break;
                }
                let json = presenter.borrow_and_update().clone();
                if !send(&mut socket, json).await {
                    break;
                }
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
}

/// One text message after the hello. Returns false when the socket failed.
async fn handle(socket: &mut WebSocket, room: &Room, role: &Peer, text: &str) -> bool {
    match (serde_json::from_str::<ClientMsg>(text), role) {
        (
            Ok(ClientMsg::Answer {
                q,
                id: answer_id,
                answer,
            }),
            Peer::Participant { id, user },
        ) => {
            let ack = {
                let mut inner = room.lock();
                let ack = inner
                    .session
                    .answer(*id, q as usize, &answer_id, answer, room.now_ms());
                if ack == lophoc_core::live::Ack::Received {
                    room.touch();
                    if let Some(user) = user {
                        room.record_answer(&inner, *user, *id, q as usize);
                    }
                }
                ack
            };
            send(
                socket,
                message(&ServerMsg::Ack {
                    q,
                    id: answer_id,
                    ack,
                }),
            )
            .await
        }
        (Ok(ClientMsg::Cmd { cmd }), Peer::Presenter) => match room.command(&cmd) {
            Ok(()) => true,
            Err(_) => error(socket, LiveError::WrongPhase).await,
        },
        (Ok(ClientMsg::Cmd { .. }), Peer::Participant { .. }) => {
            error(socket, LiveError::Forbidden).await
        }
        (Ok(ClientMsg::Answer { .. }), Peer::Presenter) => {
            error(socket, LiveError::Forbidden).await
        }
        // Already joined: say so, change nothing.
        (Ok(ClientMsg::Join { .. } | ClientMsg::Present), _) => {
            error(socket, LiveError::BadMessage).await
        }
        (Err(_), _) => error(socket, LiveError::BadMessage).await,
    }
}
