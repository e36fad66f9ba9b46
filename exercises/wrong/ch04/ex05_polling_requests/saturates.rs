//! The tempting mistake: "never overflows" read as "saturate". The one count that does not fit
//! in a u64 is answered `Some(u64::MAX)`, one poll short and claimed as exact, where the
//! contract says `None`.
//! class: spec

/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    let intervals = duration_ms.checked_div(interval_ms)?;
    Some(intervals.saturating_add(1))
}
