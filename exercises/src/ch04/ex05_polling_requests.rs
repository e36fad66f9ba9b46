//! Exercise ch04::ex05: how many requests does polling cost? Book: Chapter 4 › What the numbers
//! mean › "ch04::ex05". Stuck? `cargo course hint ch04::ex05`.
//! Test: `cargo test -p exercises --test ch04 ch04_ex05`.

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
    // TODO: the number of polls in the window, following the contract above.
    todo!("polls every {interval_ms} ms for {duration_ms} ms")
}
// ANCHOR_END: stub
