//! Solution to ch04::ex05: how many requests does polling cost?

// ANCHOR: solution
/// How many requests a client that polls every `interval_ms` makes in `duration_ms`.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    // The polls are at 0, interval, 2 * interval, ...: the last one in the window is at
    // `(duration / interval) * interval`, so `duration / interval` intervals fit, and the polls
    // are one more than the intervals between them (fence posts, not fence panels).
    //
    // `checked_div` answers `None` for an interval of 0 instead of panicking, and `checked_add`
    // answers `None` for the one count that does not fit in a u64 (`u64::MAX / 1 + 1`).
    duration_ms.checked_div(interval_ms)?.checked_add(1)
}
// ANCHOR_END: solution
