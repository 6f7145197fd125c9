//! Who is asking, by network address, and per-address allowances.
//!
//! Policy: the client's address is the peer of the TCP connection
//! (`ConnectInfo`, set by `main.rs`). When that peer is this machine (a
//! reverse proxy such as Caddy or nginx in front of the server) the address
//! is the last entry of `X-Forwarded-For`, the one the proxy itself added;
//! entries before it are whatever the client claimed and are ignored. A
//! peer on another machine cannot choose its address this way: its header
//! is not read at all.
//!
//! [`AddressLimit`] is a keyed rate limiter (the `governor` crate, GCRA: a
//! bucket of `burst` requests that refills at a steady rate) with one
//! refinement for guessing games: a request may be charged more than one
//! unit once the server knows it was a miss (an unknown live-session code),
//! so guessing codes drains the allowance fast while a classroom of phones
//! behind one address, all typing the right code, is never held up.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    num::NonZeroU32,
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{request::Parts, HeaderMap},
};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Distinct addresses remembered before the idle ones are forgotten.
const MAX_KEYS: usize = 50_000;

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
    let Some(peer) = peer else {
        return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    };
    if !peer.is_loopback() {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

/// Requests per address: `burst` at once, then one every `every`.
pub struct AddressLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: governor::clock::DefaultClock,
}

impl AddressLimit {
    pub fn new(burst: u32, every: Duration) -> AddressLimit {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(every)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        AddressLimit {
            limiter: RateLimiter::keyed(quota),
            clock: governor::clock::DefaultClock::default(),
        }
    }

    /// Takes one request from `addr`'s allowance, or says in how many
    /// seconds (at least 1) the next one will be allowed.
    pub fn check(&self, addr: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > MAX_KEYS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&addr).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Takes up to `units` more from `addr`'s allowance, all that is left
    /// when it has fewer (a miss empties the bucket rather than being free).
    pub fn charge(&self, addr: IpAddr, units: u32) {
        for _ in 0..units {
            if self.limiter.check_key(&addr).is_err() {
                break;
            }
        }
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
        let local: IpAddr = "127.0.0.1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let lan: IpAddr = "192.168.1.20".parse().unwrap_or(local);
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
    fn a_burst_then_a_wait_and_a_miss_costs_more() {
        let limit = AddressLimit::new(5, Duration::from_secs(3600));
        let (a, b): (IpAddr, IpAddr) = (
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
        );
        for _ in 0..5 {
            assert_eq!(limit.check(a), Ok(()));
        }
        let wait = limit.check(a).unwrap_err();
        assert!((3000..=3600).contains(&wait), "{wait}");
        // Another address has its own allowance; a miss drains it.
        assert_eq!(limit.check(b), Ok(()));
        limit.charge(b, 100);
        assert!(limit.check(b).is_err());
    }
}
