//! The tempting mistake: computing the factor with `2u32.pow(failures - 1)` and multiplying
//! before capping, exactly as the contract's steps read. After a few dozen failures the power
//! overflows (a panic in a debug build, nonsense in a release build).
//! class: boundaries

use std::time::Duration;

pub use super::given::MAX_DELAY;

/// How long to wait before reconnecting after `failures` consecutive failures.
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let delay = reconnection_time * 2u32.pow(failures - 1);
    let delay = delay.min(MAX_DELAY.max(reconnection_time));
    let delay = delay + delay.mul_f64(jitter / 2.0);
    match retry_after {
        Some(floor) if floor > delay => floor,
        _ => delay,
    }
}
