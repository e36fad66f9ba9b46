//! The tempting mistake: the zero interval is checked, but the extra poll is added with a plain
//! `+ 1`. With `duration_ms = u64::MAX` and `interval_ms = 1` the count does not fit in a u64:
//! a debug build panics ("attempt to add with overflow") and a release build wraps to 0 polls.
//! class: boundaries

/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    if interval_ms == 0 {
        return None;
    }
    Some(duration_ms / interval_ms + 1)
}
