//! Independent reader's wrong answer for ch04::ex05.
//! class: boundaries
//! Mistake: folds the fence-post "+1" into the dividend as `(duration + interval) / interval` with a
//! checked add, so every window within `interval` of `u64::MAX` answers `None` although its count
//! (e.g. `u64::MAX / 2 + 1` for an interval of 2) fits in a `u64`.

// ANCHOR: stub
/// How many requests a client that polls every `interval_ms` milliseconds makes in a window of
/// `duration_ms` milliseconds (book: Chapter 4 › What the numbers mean › Polling wastes
/// requests, and time).
///
/// The contract:
/// - The first poll is at time 0, then one every `interval_ms`: at 0, `interval_ms`,
///   `2 * interval_ms`, ... Every poll at a time from 0 to `duration_ms`, both ends included,
///   counts (a poll at exactly `duration_ms` is one of them).
/// - `duration_ms` 0 is a window of one instant: the poll at time 0.
/// - `interval_ms` 0 is not a polling client (it would ask without end): `None`.
/// - A count that does not fit in a `u64` (only `duration_ms = u64::MAX` with `interval_ms = 1`)
///   is `None` too.
/// - It never panics and never overflows, whatever the inputs.
pub fn polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    if interval_ms == 0 {
        return None;
    }
    // One poll per whole interval, plus the one at time 0: (d + i) / i == d / i + 1.
    // The checked add turns the u64::MAX / 1 case into None.
    let shifted = duration_ms.checked_add(interval_ms)?;
    Some(shifted / interval_ms)
}
// ANCHOR_END: stub
