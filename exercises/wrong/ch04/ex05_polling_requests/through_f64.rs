//! The tempting mistake: the rate computed in floating point, as a back-of-the-envelope
//! "duration / interval" would be. An `f64` holds 53 bits of integer: long windows with short
//! intervals round to a neighbouring count, and `u64::MAX / 1` saturates instead of being `None`.
//! class: boundaries

/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    if interval_ms == 0 {
        return None;
    }
    let polls = (duration_ms as f64 / interval_ms as f64).floor() + 1.0;
    Some(polls as u64)
}
