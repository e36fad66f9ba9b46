//! The tempting mistake: the polls counted in a half-open window, 0 up to but not including the
//! end, as the book's "240 requests a minute" at 250 ms reads: `duration / interval` rounded up.
//! The contract includes a poll at exactly `duration_ms`, so a window that is a whole number of
//! intervals (and a window of 0 ms) is one poll short.
//! class: spec

/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    if interval_ms == 0 {
        return None;
    }
    Some(duration_ms.div_ceil(interval_ms))
}
