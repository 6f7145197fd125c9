//! Live sessions across instances: when several server instances share one
//! database behind one address, a session's room lives in the memory of
//! the instance that opened it (its holder, recorded in `live_rooms`), and
//! a request for it that reaches another instance is relayed there — the
//! join page's look-up, a lecturer's list of sessions, and each WebSocket,
//! message by message both ways. So the presenter and the phones of one
//! session may be connected to any instances, and a phone that reconnects
//! through another one finds the same room. See `docs/scale-out.md`.
//!
//! Policy: a relayed request carries the key every instance reads from the
//! shared database ([`RELAY_HEADER`]); the holder then neither counts it
//! against the client's look-up allowance (the instance it came through
//! did) nor relays it again. The user's session cookie travels with it, so
//! the holder decides who may drive the session, as for a direct request.
//! A holder that cannot be reached within [`RELAY_TIMEOUT`] is treated as
//! holding no such session.

use std::time::Duration;

use axum::{
    extract::ws::{Message, WebSocket},
    http::{header, HeaderMap, HeaderValue, StatusCode},
};
use futures_util::{SinkExt, StreamExt};
use lophoc_core::live::{LiveError, ServerMsg};
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, protocol::WebSocketConfig};

use super::{room::message, MAX_MESSAGE, SOCKET_BUFFER};

/// The header a relayed request proves itself with: the relay key, in hex.
pub const RELAY_HEADER: &str = "x-lophoc-relay";

/// How long a relayed request or socket waits for the holder to answer.
pub const RELAY_TIMEOUT: Duration = Duration::from_secs(5);

/// The relay key as the header carries it.
pub fn key_header(key: &[u8]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `headers` carry the relay key: the request comes from another
/// instance. Digests are compared, so timing tells nothing of the key.
pub fn is_relayed(headers: &HeaderMap, key: &[u8]) -> bool {
    headers
        .get(RELAY_HEADER)
        .is_some_and(|v| Sha256::digest(v.as_bytes()) == Sha256::digest(key_header(key)))
}

fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(RELAY_TIMEOUT)
            .build()
            .unwrap_or_default()
    })
}

/// `GET {holder}{path}` as a relayed request with the user's cookie; the
/// holder's status and JSON body, or `None` when it could not be reached.
pub async fn get(
    holder: &str,
    path: &str,
    cookie: Option<&HeaderValue>,
    key: &[u8],
) -> Option<(StatusCode, serde_json::Value)> {
    let mut request = client()
        .get(format!("{holder}{path}"))
        .header(RELAY_HEADER, key_header(key));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie.clone());
    }
    let result = async {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.json::<serde_json::Value>().await?;
        Ok::<_, reqwest::Error>((status, body))
    }
    .await;
    match result {
        Ok((status, body)) => Some((StatusCode::from_u16(status).ok()?, body)),
        Err(error) => {
            tracing::warn!(holder, path, %error, "live session relay failed");
            None
        }
    }
}

/// Relays the socket `client` to the room `code` on `holder`, message by
/// message both ways, until either side closes.
pub async fn socket(
    mut client: WebSocket,
    holder: String,
    code: String,
    cookie: Option<HeaderValue>,
    key: std::sync::Arc<[u8]>,
) {
    let Some(upstream) = connect(&holder, &code, cookie, &key).await else {
        let gone = message(&ServerMsg::Error {
            code: LiveError::NoSession,
        });
        let _ = client.send(Message::Text(gone)).await;
        let _ = client.send(Message::Close(None)).await;
        return;
    };
    let (mut up_tx, mut up_rx) = upstream.split();
    let (mut down_tx, mut down_rx) = client.split();
    loop {
        tokio::select! {
            from_client = down_rx.next() => {
                let Some(Ok(msg)) = from_client else { break };
                let closing = matches!(msg, Message::Close(_));
                if up_tx.send(to_holder(msg)).await.is_err() || closing {
                    break;
                }
            }
            from_holder = up_rx.next() => {
                let Some(Ok(msg)) = from_holder else { break };
                let Some(msg) = to_client(msg) else { continue };
                let closing = matches!(msg, Message::Close(_));
                if down_tx.send(msg).await.is_err() || closing {
                    break;
                }
            }
        }
    }
    let _ = up_tx.close().await;
    let _ = down_tx.close().await;
}

type Upstream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The relayed socket to the holder, or `None` if it cannot be opened.
async fn connect(
    holder: &str,
    code: &str,
    cookie: Option<HeaderValue>,
    key: &[u8],
) -> Option<Upstream> {
    let url = holder
        .replacen("http://", "ws://", 1)
        .replacen("https://", "wss://", 1);
    let mut request = format!("{url}/api/live/{code}/ws")
        .into_client_request()
        .ok()?;
    let headers = request.headers_mut();
    headers.insert(RELAY_HEADER, HeaderValue::from_str(&key_header(key)).ok()?);
    if let Some(cookie) = cookie {
        headers.insert(header::COOKIE, cookie);
    }
    // The same small buffers as the sockets the server accepts.
    let config = WebSocketConfig::default()
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let connecting = tokio_tungstenite::connect_async_with_config(request, Some(config), true);
    match tokio::time::timeout(RELAY_TIMEOUT, connecting).await {
        Ok(Ok((upstream, _))) => Some(upstream),
        Ok(Err(error)) => {
            tracing::warn!(holder, code, %error, "live socket relay failed");
            None
        }
        Err(_) => {
            tracing::warn!(holder, code, "live socket relay timed out");
            None
        }
    }
}

fn to_holder(msg: Message) -> tungstenite::Message {
    match msg {
        Message::Text(text) => tungstenite::Message::text(text.as_str()),
        Message::Binary(bytes) => tungstenite::Message::Binary(bytes),
        Message::Ping(bytes) => tungstenite::Message::Ping(bytes),
        Message::Pong(bytes) => tungstenite::Message::Pong(bytes),
        Message::Close(_) => tungstenite::Message::Close(None),
    }
}

fn to_client(msg: tungstenite::Message) -> Option<Message> {
    Some(match msg {
        tungstenite::Message::Text(text) => Message::text(text.as_str()),
        tungstenite::Message::Binary(bytes) => Message::Binary(bytes),
        tungstenite::Message::Ping(bytes) => Message::Ping(bytes),
        tungstenite::Message::Pong(bytes) => Message::Pong(bytes),
        tungstenite::Message::Close(_) => Message::Close(None),
        tungstenite::Message::Frame(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_shared_key_marks_a_request_relayed() {
        let key = [7_u8, 200, 0, 31];
        let mut headers = HeaderMap::new();
        assert!(!is_relayed(&headers, &key));
        headers.insert(RELAY_HEADER, HeaderValue::from_static("07c8001f"));
        assert!(is_relayed(&headers, &key));
        headers.insert(RELAY_HEADER, HeaderValue::from_static("07c8001e"));
        assert!(!is_relayed(&headers, &key));
        headers.insert(RELAY_HEADER, HeaderValue::from_static(""));
        assert!(!is_relayed(&headers, &key));
    }
}
