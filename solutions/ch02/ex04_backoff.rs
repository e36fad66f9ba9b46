//! Solution to ch02::ex04: a backoff schedule.

// ANCHOR: solution
use std::time::Duration;

pub use super::given::{MAX_DELAY, MAX_RETRY_AFTER};

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first).
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // The server's `retry:` sets `reconnection_time`: it is a peer's number, so every step
    // saturates instead of overflowing.
    let cap = MAX_DELAY.max(reconnection_time);
    // Double once per failure after the first, until the cap: 64 doublings take even 1 ns past
    // any cap, so a client failing for days (or `u32::MAX` times) costs at most 64 steps.
    let mut delay = reconnection_time;
    for _ in 0..failures.saturating_sub(1).min(64) {
        if delay >= cap {
            break;
        }
        delay = delay.saturating_mul(2);
    }
    let delay = delay.min(cap);
    // Jitter after the cap spreads reconnections out, so clients cut off together do not return
    // together, even once they have all reached the cap.
    let delay = delay.saturating_add(delay.div_f64(2.0).mul_f64(jitter.clamp(0.0, 1.0)));
    // `Retry-After` is a floor, but the server chooses it: bounded, so one response cannot park
    // the client for years.
    let floor = retry_after.unwrap_or(Duration::ZERO).min(MAX_RETRY_AFTER);
    delay.max(floor)
}
// ANCHOR_END: solution
