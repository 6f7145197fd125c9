//! Login throttling: how often a password may be tried, per account and per
//! client address (the `governor` crate's GCRA limiters, keyed).
//!
//! Policy:
//!
//! - **Per account** (the username as typed, in lower case, whether or not
//!   it exists, so the answer tells nothing about which names exist): 10
//!   attempts at once, then one a minute. A trainee who mistypes a few times
//!   loses nothing; a script guessing one account's password gets 60 tries
//!   an hour. Checking the current password before a change counts too, so
//!   a stolen session cannot guess faster. Someone who knows a username can make its owner wait as well:
//!   the log shows the refused attempts, and an administrator can reset the
//!   password.
//! - **Per client address**: 30 attempts at once, then one every 2 seconds,
//!   so one machine cannot try many accounts fast, while a whole class
//!   behind one mobile network's address still signs in at the start of a
//!   lesson. IPv6 addresses count per /64, what one subscriber gets. Behind
//!   a reverse proxy on the same machine, the client's address is the last
//!   one of `X-Forwarded-For` (the one the proxy wrote).
//! - Every attempt counts, checked **before** the password is hashed: a
//!   flood costs no Argon2 time. A refused attempt is answered 429 with
//!   `Retry-After` (whole seconds).
//! - Keys that have fully recovered are forgotten every minute
//!   ([`LoginThrottle::forget_recovered`]), so random usernames cannot grow
//!   memory without bound.

use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    num::NonZeroU32,
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{request::Parts, HeaderMap},
};
use governor::{
    clock::{Clock, DefaultClock},
    DefaultKeyedRateLimiter, Quota, RateLimiter,
};

/// Attempts per account at once, then one per [`ACCOUNT_PERIOD`].
pub const ACCOUNT_BURST: u32 = 10;
const ACCOUNT_PERIOD: Duration = Duration::from_secs(60);
/// Attempts per client address at once, then one per [`ADDRESS_PERIOD`].
pub const ADDRESS_BURST: u32 = 30;
const ADDRESS_PERIOD: Duration = Duration::from_secs(2);

/// The two limiters. One per server.
pub struct LoginThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

fn quota(period: Duration, burst: u32) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            accounts: RateLimiter::keyed(quota(ACCOUNT_PERIOD, ACCOUNT_BURST)),
            addresses: RateLimiter::keyed(quota(ADDRESS_PERIOD, ADDRESS_BURST)),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginThrottle {
    /// Counts an attempt on `username` from `address` (`None` when the
    /// server does not know it, e.g. in handler tests). `Err` holds how many
    /// seconds to wait before the next attempt may succeed.
    pub fn attempt(&self, username: &str, address: Option<IpAddr>) -> Result<(), u64> {
        if let Some(address) = address {
            self.addresses
                .check_key(&address)
                .map_err(|until| whole_seconds(until.wait_time_from(self.clock.now())))?;
        }
        self.accounts
            .check_key(&username.trim().to_lowercase())
            .map_err(|until| whole_seconds(until.wait_time_from(self.clock.now())))
    }

    /// Forgets keys whose limit has fully recovered; returns how many are
    /// still remembered.
    pub fn forget_recovered(&self) -> usize {
        self.accounts.retain_recent();
        self.addresses.retain_recent();
        self.accounts.shrink_to_fit();
        self.addresses.shrink_to_fit();
        self.accounts.len() + self.addresses.len()
    }
}

fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The client's address as [`client_address`] finds it: `None` when the
/// server was not told the peer (handler tests without `ConnectInfo`).
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let connect = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(ClientAddress(client_address(connect, &parts.headers)))
    }
}

/// The address a login is counted against: the peer, or, when the peer is
/// a reverse proxy on this machine, the last `X-Forwarded-For` entry; IPv6
/// reduced to its /64.
pub fn client_address(
    connect: Option<&ConnectInfo<SocketAddr>>,
    headers: &HeaderMap,
) -> Option<IpAddr> {
    let peer = connect?.0.ip();
    let address = if peer.is_loopback() {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back()
            .unwrap_or(peer)
    } else {
        peer
    };
    Some(match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn an_account_gets_its_burst_then_waits_about_a_minute() {
        let throttle = LoginThrottle::default();
        for _ in 0..ACCOUNT_BURST {
            assert_eq!(throttle.attempt("hocvien", None), Ok(()));
        }
        let wait = throttle.attempt(" HocVien ", None).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        // Another account is not affected.
        assert_eq!(throttle.attempt("giangvien", None), Ok(()));
    }

    #[test]
    fn an_address_gets_its_burst_across_accounts() {
        let throttle = LoginThrottle::default();
        let address: IpAddr = "203.0.113.7".parse().unwrap();
        for n in 0..ADDRESS_BURST {
            assert_eq!(throttle.attempt(&format!("user{n}"), Some(address)), Ok(()));
        }
        let wait = throttle.attempt("someone", Some(address)).unwrap_err();
        assert!((1..=2).contains(&wait), "{wait}");
        let other: IpAddr = "203.0.113.8".parse().unwrap();
        assert_eq!(throttle.attempt("someone", Some(other)), Ok(()));
    }

    #[test]
    fn recovered_keys_are_forgotten() {
        let throttle = LoginThrottle::default();
        assert_eq!(throttle.attempt("a", None), Ok(()));
        assert_eq!(throttle.forget_recovered(), 1, "a is still counting");
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_millis(59_001)), 60);
        assert_eq!(whole_seconds(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds(Duration::ZERO), 1);
    }

    #[test]
    fn a_local_proxy_names_the_client_and_ipv6_counts_per_64() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("10.9.9.9, 198.51.100.4"),
        );
        let proxy = ConnectInfo("127.0.0.1:5000".parse::<SocketAddr>().unwrap());
        assert_eq!(
            client_address(Some(&proxy), &headers),
            Some("198.51.100.4".parse().unwrap())
        );
        // A client elsewhere cannot choose its address with the header.
        let direct = ConnectInfo("192.168.1.23:5000".parse::<SocketAddr>().unwrap());
        assert_eq!(
            client_address(Some(&direct), &headers),
            Some("192.168.1.23".parse().unwrap())
        );
        let v6 = ConnectInfo("[2001:db8:1:2:3:4:5:6]:5000".parse::<SocketAddr>().unwrap());
        assert_eq!(
            client_address(Some(&v6), &HeaderMap::new()),
            Some("2001:db8:1:2::".parse().unwrap())
        );
        assert_eq!(client_address(None, &headers), None);
    }
}
