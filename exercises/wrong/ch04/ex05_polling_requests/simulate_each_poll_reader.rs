//! Independent reader's wrong answer for ch04::ex05.
//! class: resources
//! Mistake: walks the poll schedule one poll at a time (overflow-safe with checked adds), which is
//! right but costs `duration / interval` iterations, so a long window with a short interval (near
//! `u64::MAX` with interval 1 or 2) runs for centuries instead of answering with one division.

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
    // Mark every poll on the time line: 0, i, 2i, ... while it is still inside the window.
    let mut polls: u64 = 0;
    let mut at: u64 = 0;
    loop {
        polls = polls.checked_add(1)?;
        match at.checked_add(interval_ms) {
            Some(next) if next <= duration_ms => at = next,
            _ => return Some(polls),
        }
    }
}
// ANCHOR_END: stub
