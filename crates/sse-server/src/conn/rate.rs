//! The connection-rate limit: a token bucket over accepted connections.
//!
//! When a node with thousands of subscribers dies, its clients all reconnect to the survivors at
//! once. Each new connection costs a TLS handshake or an HTTP parse, a subscription and a history
//! read; a node that takes them all in the same second can stall its own subscribers. A token
//! bucket lets a steady `per_second` through, with `burst` at once after a quiet spell, and answers
//! the rest `503` with a `Retry-After` of when the next token is due: the clients come back spread
//! out, instead of the kernel dropping their SYNs (they would then retry after a second, all
//! together again).
//!
//! Hand-written rather than from a crate (`governor` is the usual one): it is a dozen lines, it
//! runs on tokio's clock so that tests use paused time, and the course teaches it as an exercise.

use std::time::Duration;

use tokio::time::Instant;

/// New connections a node accepts: `per_second` on average, `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionRate {
    /// Tokens added per second (at least 1).
    pub per_second: u32,
    /// The bucket's size: connections accepted at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl ConnectionRate {
    /// `per_second` on average, `burst` at once (each at least 1).
    pub fn new(per_second: u32, burst: u32) -> Self {
        ConnectionRate {
            per_second: per_second.max(1),
            burst: burst.max(1),
        }
    }
}

/// Nano-tokens to a token: the bucket counts in whole numbers, so its arithmetic is exact however
/// long the process runs (a floating-point count drifts); chapter 5's `ch05::ex07` teaches it.
const NANOS_PER_TOKEN: u128 = 1_000_000_000;

/// The bucket.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    /// Nano-tokens added per nanosecond (the rate in tokens per second).
    per_second: u128,
    /// The most nano-tokens the bucket holds.
    capacity: u128,
    /// Nano-tokens in the bucket at `last`.
    nanos: u128,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub(crate) fn new(rate: ConnectionRate, now: Instant) -> Self {
        let rate = ConnectionRate::new(rate.per_second, rate.burst);
        let capacity = u128::from(rate.burst) * NANOS_PER_TOKEN;
        TokenBucket {
            per_second: u128::from(rate.per_second),
            capacity,
            nanos: capacity,
            last: now,
        }
    }

    /// Takes a token, or says how long until one is due.
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), Duration> {
        // A clock that went back (it cannot with tokio's, but cheaply safe) adds nothing.
        if now > self.last {
            let elapsed = now.duration_since(self.last).as_nanos();
            self.nanos = self
                .nanos
                .saturating_add(elapsed.saturating_mul(self.per_second))
                .min(self.capacity);
            self.last = now;
        }
        if self.nanos >= NANOS_PER_TOKEN {
            self.nanos -= NANOS_PER_TOKEN;
            return Ok(());
        }
        // Rounded up; at most one token's time, 1 s, since the rate is at least 1.
        let wait = (NANOS_PER_TOKEN - self.nanos).div_ceil(self.per_second);
        Err(Duration::from_nanos(
            u64::try_from(wait).unwrap_or(u64::MAX),
        ))
    }
}

/// `Retry-After` in whole seconds, at least 1.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0))
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(ConnectionRate::new(10, 3), start);
        for _ in 0..3 {
            assert_eq!(bucket.take(start), Ok(()));
        }
        let wait = bucket.take(start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(100));
        assert_eq!(retry_after_secs(wait), 1);
        // One token every 100 ms.
        assert_eq!(bucket.take(start + Duration::from_millis(100)), Ok(()));
        assert!(bucket.take(start + Duration::from_millis(150)).is_err());
        // A long quiet spell refills to the burst, not more.
        let later = start + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(bucket.take(later), Ok(()));
        }
        assert!(bucket.take(later).is_err());
    }

    #[test]
    fn a_zero_rate_or_burst_is_taken_as_one() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(ConnectionRate::new(0, 0), start);
        assert_eq!(bucket.take(start), Ok(()));
        assert_eq!(bucket.take(start), Err(Duration::from_secs(1)));
        assert_eq!(bucket.take(start + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn huge_rates_and_far_futures_do_not_overflow() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(ConnectionRate::new(u32::MAX, u32::MAX), start);
        assert_eq!(
            bucket.take(start + Duration::from_secs(u64::from(u32::MAX))),
            Ok(())
        );
        assert_eq!(retry_after_secs(Duration::MAX), u64::MAX);
    }
}
