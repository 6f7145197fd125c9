//! Who is asking, by network address.
//!
//! Policy: the client's address is the peer of the TCP connection
//! (`ConnectInfo`, set by `main.rs`). When that peer is this machine (a
//! reverse proxy such as Caddy or nginx in front of the server) the address
//! is the last entry of `X-Forwarded-For`, the one the proxy itself added;
//! entries before it are whatever the client claimed and are ignored. A
//! peer on another machine cannot choose its address this way: its header
//! is not read at all. An IPv6 address counts by its /64, what one
//! subscriber gets; an IPv4-mapped one as the IPv4 address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{request::Parts, HeaderMap},
};

/// The client's address (see the module documentation). Never rejects: a
/// request without connection information (a test calling the router
/// directly) counts as `0.0.0.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddr(client_ip(peer, &parts.headers)))
    }
}

/// The address to count a request against.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    };
    let address = if peer.is_loopback() {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|last| last.trim().parse().ok())
            .unwrap_or(peer)
    } else {
        peer
    };
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_forwarded_address_counts_only_behind_a_local_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 203.0.113.7"),
        );
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        // The proxy's own entry, not what the client put before it.
        assert_eq!(client_ip(Some(local), &headers).to_string(), "203.0.113.7");
        // A phone on the LAN cannot pretend to be someone else.
        assert_eq!(client_ip(Some(lan), &headers), lan);
        assert_eq!(client_ip(Some(local), &HeaderMap::new()), local);
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_ip(Some(local), &headers), local);
        assert!(client_ip(None, &headers).is_unspecified());
    }

    #[test]
    fn an_ipv6_subscriber_counts_once() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(
            client_ip(Some(a), &HeaderMap::new()),
            client_ip(Some(b), &HeaderMap::new())
        );
        let mapped: IpAddr = "::ffff:10.0.0.5".parse().unwrap();
        assert_eq!(
            client_ip(Some(mapped), &HeaderMap::new()).to_string(),
            "10.0.0.5"
        );
        // A local proxy reaching an IPv6 socket over IPv4 is still local.
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        let proxy: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert_eq!(client_ip(Some(proxy), &headers).to_string(), "203.0.113.9");
    }
}
