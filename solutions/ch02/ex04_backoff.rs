//! Solution to ch02::ex04: a backoff schedule.

// ANCHOR: solution
use std::time::Duration;

/// The longest the exponential part may grow to.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first).
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // 2^(failures-1), with the exponent capped so the multiplication cannot overflow.
    let factor = 1u32 << failures.saturating_sub(1).min(20);
    let cap = MAX_DELAY.max(reconnection_time);
    let delay = reconnection_time.saturating_mul(factor).min(cap);
    // Jitter spreads reconnections out, so clients cut off together do not return together.
    let delay = delay + delay.div_f64(2.0).mul_f64(jitter.clamp(0.0, 1.0));
    delay.max(retry_after.unwrap_or(Duration::ZERO))
}
// ANCHOR_END: solution
