//! Independent reader's wrong answer for ch05::ex07.
//! class: boundaries
//! Mistake: the refill saturates the product `elapsed * rate` but then adds it to the current
//! count with a plain `+` before capping with `.min(capacity)`; after a long quiet spell at a high
//! rate (or at `Duration::MAX`) the sum overflows u64 and panics instead of just filling the bucket.

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
    rate: u64,
    /// Most nano-tokens the bucket can hold: at most `u32::MAX * 10^9`, which fits in a u64.
    capacity: u64,
    /// Nano-tokens in the bucket at `last`.
    nanos: u64,
    /// The latest time seen.
    last: Duration,
}

impl TokenBucket {
    /// A full bucket: `burst` tokens, refilled at `per_second`.
    pub fn new(per_second: u32, burst: u32, now: Duration) -> TokenBucket {
        let capacity = u64::from(burst.max(1)) * NANOS_PER_TOKEN;
        TokenBucket {
            rate: u64::from(per_second.max(1)),
            capacity,
            nanos: capacity,
            last: now,
        }
    }

    /// Takes one token at `now`, or says how long until one is there.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        if now > self.last {
            let elapsed = now - self.last;
            let elapsed_nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
            let added = elapsed_nanos.saturating_mul(self.rate);
            self.nanos = (self.nanos + added).min(self.capacity);
            self.last = now;
        }

        if self.nanos >= NANOS_PER_TOKEN {
            self.nanos -= NANOS_PER_TOKEN;
            return Ok(());
        }
        let missing = NANOS_PER_TOKEN - self.nanos;
        Err(Duration::from_nanos(missing.div_ceil(self.rate)))
    }
}
// ANCHOR_END: stub
