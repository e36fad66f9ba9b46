//! The tempting mistake: taking a rate of 0 as given. The contract counts it as 1; as given, a
//! bucket that ran dry never refills, and the wait divides by zero.
//! class: boundaries
use std::time::Duration;

pub use super::given::NANOS_PER_TOKEN;

/// A token bucket on a given clock; see the exercise for the contract.
#[derive(Debug)]
pub struct TokenBucket {
    /// Nano-tokens added per nanosecond (the rate in tokens per second).
    per_second: u128,
    /// The most nano-tokens the bucket holds.
    capacity: u128,
    /// Nano-tokens in the bucket at `last`.
    nanos: u128,
    /// The latest time seen.
    last: Duration,
}

impl TokenBucket {
    /// A full bucket: `burst` tokens, refilled at `per_second`.
    pub fn new(per_second: u32, burst: u32, now: Duration) -> TokenBucket {
        // u128 throughout: `u32::MAX` tokens of a billion nano-tokens, times any number of
        // nanoseconds a `Duration` holds, cannot overflow it before the cap applies.
        let capacity = u128::from(burst.max(1)) * u128::from(NANOS_PER_TOKEN);
        TokenBucket {
            per_second: u128::from(per_second),
            capacity,
            nanos: capacity,
            last: now,
        }
    }

    /// Takes one token at `now`, or says how long until one is there.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        // A clock that went back adds nothing (`checked_sub` instead of `-`, which panics).
        if let Some(elapsed) = now.checked_sub(self.last) {
            let added = elapsed.as_nanos().saturating_mul(self.per_second);
            self.nanos = self.nanos.saturating_add(added).min(self.capacity);
            self.last = now;
        }
        let token = u128::from(NANOS_PER_TOKEN);
        if self.nanos >= token {
            self.nanos -= token;
            return Ok(());
        }
        // Rounded up: after `wait` nanoseconds the missing nano-tokens are all there.
        let missing = token - self.nanos;
        let wait = missing.div_ceil(self.per_second);
        // At most a billion nanoseconds (the rate is at least 1), so it fits a u64.
        Err(Duration::from_nanos(
            u64::try_from(wait).unwrap_or(u64::MAX),
        ))
    }
}
