//! Exercise ch05::ex07: take a token. Book: Chapter 5 › Running many nodes › "ch05::ex07: Take a
//! token". Stuck? `cargo course hint ch05::ex07`. Test: `cargo test -p exercises --test ch05 ch05_ex07`.

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
    // TODO: what the bucket must remember between calls.
}

impl TokenBucket {
    /// A full bucket: `burst` tokens, refilled at `per_second`.
    pub fn new(per_second: u32, burst: u32, now: Duration) -> TokenBucket {
        // TODO: the bucket as it is at `now`.
        todo!("a bucket of {burst} tokens, {per_second} per second, at {now:?}")
    }

    /// Takes one token at `now`, or says how long until one is there.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        // TODO: bring the bucket up to `now`, then take a token or say when one is due.
        todo!("take a token at {now:?}")
    }
}
// ANCHOR_END: stub
