//! The tempting mistake: the overflow is handled, but the interval is divided by without a
//! check: "nobody polls every 0 ms". An interval of 0 panics ("attempt to divide by zero")
//! instead of answering `None`.
//! class: errors

/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    (duration_ms / interval_ms).checked_add(1)
}
