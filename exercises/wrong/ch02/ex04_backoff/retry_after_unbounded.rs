//! The tempting mistake: taking `Retry-After` as a floor with no bound ("the server knows its
//! load"): the server controls that number, and one response saying `Retry-After: 99999999999`
//! parks the client for three thousand years.
//! class: resources

use std::time::Duration;

pub use super::given::MAX_DELAY;

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first).
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // 2^(failures-1), with the exponent capped so the multiplication cannot overflow: 2^20 times
    // even 1 ms is far past the cap, so a larger factor would change nothing.
    let factor = 1u32 << failures.saturating_sub(1).min(20);
    // The server's `retry:` sets `reconnection_time`: it is a peer's number, so every step
    // saturates instead of overflowing.
    let cap = MAX_DELAY.max(reconnection_time);
    let delay = reconnection_time.saturating_mul(factor).min(cap);
    // Jitter after the cap spreads reconnections out, so clients cut off together do not return
    // together, even once they have all reached the cap.
    let delay = delay.saturating_add(delay.div_f64(2.0).mul_f64(jitter.clamp(0.0, 1.0)));
    // `Retry-After` is a floor: never come back sooner than the server said.
    delay.max(retry_after.unwrap_or(Duration::ZERO))
}
