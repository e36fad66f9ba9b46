//! Independent reader's wrong answer for ch02::ex04.
//! class: boundaries
//! Mistake: to avoid overflow the doubling exponent is clamped at 6, reasoning from the 3 s default
//! (3 s × 64 is far past the cap); with a short reconnection time (e.g. 100 ms) the delay then
//! never grows to the 30 s cap however many failures there are.

// ANCHOR: stub
use std::time::Duration;

pub use super::given::{MAX_DELAY, MAX_RETRY_AFTER};

/// Doublings beyond this change nothing: 3 s × 2^6 = 192 s is already well past the cap.
const MAX_DOUBLINGS: u32 = 6;

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first;
/// 0 counts as 1; book: Chapter 2 › Errors and retries).
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // 1 and 2: the base, doubled per further failure (0 counts as 1).
    let doublings = failures.max(1).saturating_sub(1).min(MAX_DOUBLINGS);
    let delay = reconnection_time.saturating_mul(1u32 << doublings);
    // 3: the cap, never below the server's own reconnection time.
    let cap = MAX_DELAY.max(reconnection_time);
    let capped = delay.min(cap);
    // 4: jitter on top of the capped delay, up to half of it.
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
    let delay = capped.saturating_add(capped.mul_f64(jitter / 2.0));
    // 5: Retry-After as a floor, bounded.
    match retry_after {
        Some(after) => delay.max(after.min(MAX_RETRY_AFTER)),
        None => delay,
    }
}
// ANCHOR_END: stub
