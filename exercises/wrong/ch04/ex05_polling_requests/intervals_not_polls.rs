//! The tempting mistake: the number of intervals in the window taken for the number of polls,
//! forgetting the poll at time 0 (a fence has one more post than panels). Every answer is one
//! short, and a window shorter than one interval makes no request at all.
//! class: boundaries

/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    duration_ms.checked_div(interval_ms)
}
