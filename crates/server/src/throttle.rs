//! Login throttling: how often a password may be tried, per account and per
//! client address.
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
//!   a reverse proxy on the same machine, or on one named by
//!   `--trusted-proxy` (several instances behind one proxy), the client's
//!   address is the last one of `X-Forwarded-For` (the one the proxy wrote).
//! - Every attempt counts, checked **before** the password is hashed: a
//!   flood costs no Argon2 time. A refused attempt is answered 429 with
//!   `Retry-After` (whole seconds).
//! - The counts live in the database (`login_throttle`), so every instance
//!   on one database counts the same attempts: a script spreading its
//!   guesses over several instances gets no more. Each key keeps one
//!   number, when its next attempt is due (the generic cell rate
//!   algorithm, GCRA: a burst of N is allowed while that time is less than
//!   N − 1 periods ahead); keys that have fully recovered are deleted every
//!   minute ([`forget_recovered`]), so random usernames cannot grow the table
//!   without bound.

use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{request::Parts, HeaderMap},
};

use crate::{
    accounts::store::AccountStore,
    store::{now_ms, StoreError},
    AppState,
};

/// Attempts per account at once, then one per [`ACCOUNT_PERIOD`].
pub const ACCOUNT_BURST: u32 = 10;
const ACCOUNT_PERIOD: Duration = Duration::from_secs(60);
/// Attempts per client address at once, then one per [`ADDRESS_PERIOD`].
pub const ADDRESS_BURST: u32 = 30;
const ADDRESS_PERIOD: Duration = Duration::from_secs(2);

/// How often one key may be tried: `burst` at once, then one per `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub burst: u32,
    pub period_ms: i64,
}

impl Limit {
    const fn of(burst: u32, period: Duration) -> Limit {
        Limit {
            burst,
            period_ms: period.as_millis() as i64,
        }
    }

    /// How far ahead of now a key's next due time may be for an attempt to
    /// pass: the burst, less the attempt itself.
    pub fn tolerance_ms(self) -> i64 {
        self.period_ms * i64::from(self.burst.saturating_sub(1))
    }
}

const ACCOUNT: Limit = Limit::of(ACCOUNT_BURST, ACCOUNT_PERIOD);
const ADDRESS: Limit = Limit::of(ADDRESS_BURST, ADDRESS_PERIOD);

/// Counts an attempt on `username` from `address` (`None` when the server
/// was not told it, e.g. in handler tests). `Ok(Err(seconds))`: refused,
/// the next attempt may succeed after that many seconds.
pub async fn attempt(
    accounts: &AccountStore,
    username: &str,
    address: Option<IpAddr>,
) -> Result<Result<(), u64>, StoreError> {
    let now = now_ms();
    if let Some(address) = address {
        if let Err(wait) = accounts
            .throttle(&format!("address:{address}"), ADDRESS, now)
            .await?
        {
            return Ok(Err(whole_seconds(wait)));
        }
    }
    let account = format!("account:{}", username.trim().to_lowercase());
    Ok(accounts
        .throttle(&account, ACCOUNT, now)
        .await?
        .map_err(whole_seconds))
}

/// Forgets keys whose limit has fully recovered; returns how many.
pub async fn forget_recovered(accounts: &AccountStore) -> Result<u64, StoreError> {
    accounts.forget_recovered_throttles(now_ms()).await
}

fn whole_seconds(wait_ms: i64) -> u64 {
    u64::try_from(wait_ms).unwrap_or(0).div_ceil(1000).max(1)
}

/// The client's address as [`client_address`] finds it: `None` when the
/// server was not told the peer (handler tests without `ConnectInfo`).
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let connect = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        let trusted = &state.security.trusted_proxies;
        Ok(ClientAddress(client_address(
            connect,
            &parts.headers,
            trusted,
        )))
    }
}

/// The address a login is counted against: the peer, or, when the peer is
/// a reverse proxy on this machine or one of `trusted`, the last
/// `X-Forwarded-For` entry; IPv6 reduced to its /64.
pub fn client_address(
    connect: Option<&ConnectInfo<SocketAddr>>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = connect?.0.ip();
    let address = if peer.is_loopback() || trusted.contains(&peer) {
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

    async fn accounts() -> (tempfile::TempDir, AccountStore) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = crate::store::Store::open(&url).await.unwrap();
        (dir, store.accounts)
    }

    #[tokio::test]
    async fn an_account_gets_its_burst_then_waits_about_a_minute() {
        let (_dir, accounts) = accounts().await;
        for _ in 0..ACCOUNT_BURST {
            assert_eq!(attempt(&accounts, "hocvien", None).await.unwrap(), Ok(()));
        }
        let wait = attempt(&accounts, " HocVien ", None)
            .await
            .unwrap()
            .unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        // Another account is not affected.
        assert_eq!(attempt(&accounts, "giangvien", None).await.unwrap(), Ok(()));
    }

    #[tokio::test]
    async fn an_address_gets_its_burst_across_accounts() {
        let (_dir, accounts) = accounts().await;
        let address: IpAddr = "203.0.113.7".parse().unwrap();
        for n in 0..ADDRESS_BURST {
            let name = format!("user{n}");
            assert_eq!(
                attempt(&accounts, &name, Some(address)).await.unwrap(),
                Ok(())
            );
        }
        let wait = attempt(&accounts, "someone", Some(address))
            .await
            .unwrap()
            .unwrap_err();
        assert!((1..=2).contains(&wait), "{wait}");
        let other: IpAddr = "203.0.113.8".parse().unwrap();
        assert_eq!(
            attempt(&accounts, "someone", Some(other)).await.unwrap(),
            Ok(())
        );
    }

    #[tokio::test]
    async fn a_key_recovers_one_attempt_per_period() {
        let (_dir, accounts) = accounts().await;
        let limit = Limit {
            burst: 2,
            period_ms: 1000,
        };
        let t = 1_000_000;
        assert_eq!(accounts.throttle("k", limit, t).await.unwrap(), Ok(()));
        assert_eq!(accounts.throttle("k", limit, t).await.unwrap(), Ok(()));
        assert_eq!(
            accounts.throttle("k", limit, t + 10).await.unwrap(),
            Err(990)
        );
        // One period later, one more attempt, not two.
        assert_eq!(
            accounts.throttle("k", limit, t + 1000).await.unwrap(),
            Ok(())
        );
        assert_eq!(
            accounts.throttle("k", limit, t + 1000).await.unwrap(),
            Err(1000)
        );
        // A refused attempt does not push the next one further away.
        assert_eq!(
            accounts.throttle("k", limit, t + 2000).await.unwrap(),
            Ok(())
        );
        // Fully recovered keys are forgotten (due t + 3500), counting ones
        // kept (due t + 4000: one attempt left at t + 3600, not two).
        assert_eq!(
            accounts.throttle("other", limit, t + 2500).await.unwrap(),
            Ok(())
        );
        assert_eq!(
            accounts.forget_recovered_throttles(t + 3600).await.unwrap(),
            1
        );
        assert_eq!(
            accounts.throttle("k", limit, t + 3600).await.unwrap(),
            Ok(())
        );
        assert!(accounts
            .throttle("k", limit, t + 3600)
            .await
            .unwrap()
            .is_err());
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(whole_seconds(1), 1);
        assert_eq!(whole_seconds(59_001), 60);
        assert_eq!(whole_seconds(2000), 2);
        assert_eq!(whole_seconds(0), 1);
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
            client_address(Some(&proxy), &headers, &[]),
            Some("198.51.100.4".parse().unwrap())
        );
        // A client elsewhere cannot choose its address with the header…
        let direct = ConnectInfo("192.168.1.23:5000".parse::<SocketAddr>().unwrap());
        assert_eq!(
            client_address(Some(&direct), &headers, &[]),
            Some("192.168.1.23".parse().unwrap())
        );
        // …unless it is a proxy named as trusted (several instances behind
        // one proxy on another machine).
        let proxy_elsewhere: IpAddr = "192.168.1.23".parse().unwrap();
        assert_eq!(
            client_address(Some(&direct), &headers, &[proxy_elsewhere]),
            Some("198.51.100.4".parse().unwrap())
        );
        let v6 = ConnectInfo("[2001:db8:1:2:3:4:5:6]:5000".parse::<SocketAddr>().unwrap());
        assert_eq!(
            client_address(Some(&v6), &HeaderMap::new(), &[]),
            Some("2001:db8:1:2::".parse().unwrap())
        );
        assert_eq!(client_address(None, &headers, &[]), None);
    }
}
