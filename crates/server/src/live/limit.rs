//! How often one address may look live-session codes up (the join page's
//! `GET /api/live/{code}` and opening a session's socket).
//!
//! Policy: two keyed GCRA limiters of the `governor` crate, per client
//! address ([`crate::throttle::client_address`]):
//!
//! - **every look-up**: [`LOOKUP_BURST`] at once, then one every
//!   [`LOOKUP_EVERY`], against floods; a classroom of phones behind one
//!   address (a school's NAT, a mobile carrier's), each looking the right
//!   code up and reconnecting now and then, stays well inside it;
//! - **unknown codes**: [`MISS_BURST`] at once, then one every
//!   [`MISS_EVERY`], against guessing. An address that guesses beyond that
//!   is refused every look-up, the right code included, until its next miss
//!   would be allowed: otherwise a refusal for unknown codes only would
//!   itself tell which codes exist. So guessing runs at one code every ten
//!   seconds, and a mistyped code costs a class nothing noticeable.
//!
//! Refusals carry the seconds to wait (429 with `Retry-After`).

use std::{
    collections::HashMap,
    net::IpAddr,
    num::NonZeroU32,
    sync::Mutex,
    time::{Duration, Instant},
};

use governor::{
    clock::{Clock, DefaultClock},
    DefaultKeyedRateLimiter, Quota, RateLimiter,
};

/// Look-ups one address may make at once…
pub const LOOKUP_BURST: u32 = 200;
/// …and then one more every this long (120 a minute).
pub const LOOKUP_EVERY: Duration = Duration::from_millis(500);
/// Unknown codes one address may try at once…
pub const MISS_BURST: u32 = 10;
/// …and then one more every this long.
pub const MISS_EVERY: Duration = Duration::from_secs(10);
/// Addresses remembered before the idle ones are forgotten.
const MAX_KEYS: usize = 50_000;

fn quota(every: Duration, burst: u32) -> Quota {
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The two limiters, and the addresses refused for guessing until when.
pub struct LookupLimit {
    lookups: DefaultKeyedRateLimiter<IpAddr>,
    misses: DefaultKeyedRateLimiter<IpAddr>,
    refused_until: Mutex<HashMap<IpAddr, Instant>>,
    clock: DefaultClock,
}

impl Default for LookupLimit {
    fn default() -> Self {
        LookupLimit {
            lookups: RateLimiter::keyed(quota(LOOKUP_EVERY, LOOKUP_BURST)),
            misses: RateLimiter::keyed(quota(MISS_EVERY, MISS_BURST)),
            refused_until: Mutex::default(),
            clock: DefaultClock::default(),
        }
    }
}

impl LookupLimit {
    fn refused(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Instant>> {
        self.refused_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a look-up from `addr`: `Err` holds the seconds to wait.
    pub fn check(&self, addr: IpAddr) -> Result<(), u64> {
        if let Some(until) = self.refused().get(&addr) {
            let left = until.saturating_duration_since(Instant::now());
            if !left.is_zero() {
                return Err(whole_seconds(left));
            }
        }
        if self.lookups.len() > MAX_KEYS {
            self.lookups.retain_recent();
            self.misses.retain_recent();
        }
        self.lookups
            .check_key(&addr)
            .map_err(|until| whole_seconds(until.wait_time_from(self.clock.now())))
    }

    /// Counts a look-up of an unknown code: `Err` (the seconds to wait)
    /// when the address has guessed too much, and then every look-up from
    /// it is refused that long.
    pub fn missed(&self, addr: IpAddr) -> Result<(), u64> {
        let Err(until) = self.misses.check_key(&addr) else {
            return Ok(());
        };
        let wait = until.wait_time_from(self.clock.now());
        let mut refused = self.refused();
        let now = Instant::now();
        if refused.len() > MAX_KEYS {
            refused.retain(|_, until| *until > now);
        }
        refused.insert(addr, now + wait);
        Err(whole_seconds(wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn guessing_shuts_the_address_out_and_no_other() {
        let limit = LookupLimit::default();
        let (guesser, class) = (
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
        );
        for _ in 0..MISS_BURST {
            assert_eq!(limit.check(guesser), Ok(()));
            assert_eq!(limit.missed(guesser), Ok(()));
        }
        assert_eq!(limit.check(guesser), Ok(()));
        let wait = limit.missed(guesser).unwrap_err();
        assert!((1..=MISS_EVERY.as_secs()).contains(&wait), "{wait}");
        // Refused outright now, whatever the code.
        assert!(limit.check(guesser).is_err());
        // A class behind another address: its whole burst, then a wait.
        for _ in 0..LOOKUP_BURST {
            assert_eq!(limit.check(class), Ok(()));
        }
        assert!(limit.check(class).is_err());
    }
}
