//! Independent reader's wrong answer for ch05::ex07.
//! class: spec
//! Mistake: when the clock steps back, the subtraction saturates to zero (no panic, nothing added)
//! but `last` is still overwritten with the earlier `now`, so the next call counts that stretch of
//! time a second time and refills tokens that were already paid for.

// ANCHOR: stub
use std::time::Duration;

pub use super::given::NANOS_PER_TOKEN;

/// A token bucket that limits how fast new connections are accepted, on a clock you are given:
/// `now` is the time since some fixed start, and it comes from outside, so a test can play
/// hours in a microsecond.
///
/// The contract, counted in whole numbers so that it never drifts: the bucket holds *nano-tokens*,
/// [`NANOS_PER_TOKEN`] (one billion) of them to a token.
///
/// - A rate or burst of `0` counts as `1`.
/// - A new bucket is full: `burst` tokens at `now`.
/// - Every nanosecond that passes adds `per_second` nano-tokens, up to `burst` tokens, never
///   more, however long the bucket sat unused.
/// - `take(now)` takes one token if there is one (`Ok(())`); otherwise it takes nothing and says
///   how long until there will be one: `Err(wait)`, the shortest whole number of nanoseconds after
///   which the bucket holds a token.
/// - A `now` earlier than one seen before adds nothing (clocks are not always monotonic) and
///   never panics; nor does any rate, burst or time, up to `u32::MAX` and `Duration::MAX`.
#[derive(Debug)]
pub struct TokenBucket {
    /// Nano-tokens added per nanosecond (= tokens per second).
    per_second: u128,
    /// Most nano-tokens the bucket can hold.
    capacity: u128,
    /// Nano-tokens in the bucket at `last`.
    nanos: u128,
    /// When `nanos` was last brought up to date.
    last: Duration,
}

impl TokenBucket {
    /// A full bucket: `burst` tokens, refilled at `per_second`.
    pub fn new(per_second: u32, burst: u32, now: Duration) -> TokenBucket {
        let per_second = u128::from(per_second.max(1));
        let capacity = u128::from(burst.max(1)) * u128::from(NANOS_PER_TOKEN);
        TokenBucket {
            per_second,
            capacity,
            nanos: capacity,
            last: now,
        }
    }

    /// Takes one token at `now`, or says how long until one is there.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        // A clock that stepped back gives zero elapsed time instead of panicking.
        let elapsed = now.saturating_sub(self.last).as_nanos();
        let added = elapsed.saturating_mul(self.per_second);
        self.nanos = self.nanos.saturating_add(added).min(self.capacity);
        self.last = now;

        let one = u128::from(NANOS_PER_TOKEN);
        if self.nanos >= one {
            self.nanos -= one;
            return Ok(());
        }
        let missing = one - self.nanos;
        let wait = missing.div_ceil(self.per_second);
        // `missing` is at most one token's worth, so `wait` fits easily in a u64.
        Err(Duration::from_nanos(wait as u64))
    }
}
// ANCHOR_END: stub
