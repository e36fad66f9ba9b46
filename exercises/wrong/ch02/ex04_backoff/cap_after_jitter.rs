//! Second-reader wrong answer for ch02::ex04.
//! class: spec
//! Mistake: applies the cap after adding the jitter, as the book says `sse-client` does ("The cap
//! applies after the jitter"), so a capped delay never gets its jitter (30 s instead of up to 45 s).

// ANCHOR: stub
use std::time::Duration;

pub use super::given::MAX_DELAY;

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first).
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // The factor only matters until the cap is reached: limit the exponent so the shift fits.
    let exponent = failures.saturating_sub(1).min(31);
    let grown = reconnection_time.saturating_mul(1u32 << exponent);
    // Jitter: a fraction of half the delay.
    let jittered = grown.saturating_add(grown.mul_f64(jitter / 2.0));
    // The cap, never below the reconnection time itself.
    let cap = MAX_DELAY.max(reconnection_time);
    let delay = jittered.min(cap);
    // Retry-After is a floor.
    match retry_after {
        Some(floor) => delay.max(floor),
        None => delay,
    }
}
// ANCHOR_END: stub
