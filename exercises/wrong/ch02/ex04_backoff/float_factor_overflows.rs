//! Second-reader wrong answer for ch02::ex04.
//! class: boundaries
//! Mistake: computes the doubling in f64 (`2f64.powi(failures - 1)`, since the jitter is f64
//! anyway) and caps afterwards: `mul_f64` panics once the product passes u64::MAX seconds (~64
//! failures), and `as i32` turns `u32::MAX` into a negative exponent, a factor of 0.25.

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
    // 2. 1x, 2x, 4x, ... (saturating_sub: a first failure of 0 does not underflow).
    let factor = 2f64.powi(failures.saturating_sub(1) as i32);
    let grown = reconnection_time.mul_f64(factor);
    // 3. The cap, never below the reconnection time itself.
    let cap = MAX_DELAY.max(reconnection_time);
    let delay = grown.min(cap);
    // 4. Up to half the delay again.
    let delay = delay + delay.mul_f64(jitter / 2.0);
    // 5. Retry-After is a floor.
    match retry_after {
        Some(floor) => delay.max(floor),
        None => delay,
    }
}
// ANCHOR_END: stub
