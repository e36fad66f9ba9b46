//! Exercise ch02::ex04: a backoff schedule. Book: Chapter 2 › Exercises › "ch02::ex04".
//! Stuck? `cargo course hint ch02::ex04`. Test: `cargo test -p exercises --test ch02 ch02_ex04`.

// ANCHOR: stub
use std::time::Duration;

pub use super::given::{MAX_DELAY, MAX_RETRY_AFTER};

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first;
/// 0 counts as 1; book: Chapter 2 › Errors and retries).
///
/// The contract, in this order:
/// 1. Start from `reconnection_time`: 3 s by default, or the server's last `retry:` value.
/// 2. Double it for each further consecutive failure: 1× after the first failure, 2× after the
///    second, 4× after the third, ...
/// 3. Cap the result at [`MAX_DELAY`], except that the cap is never below the reconnection time
///    itself: if the server asked for 60 s, wait (at least) 60 s.
/// 4. Then add jitter, to the capped delay: `jitter` is a random number in `[0, 1)`; add that
///    fraction of HALF the capped delay, so the result is between 1× and 1.5× of it (a capped
///    30 s becomes 30 s to 45 s). Unlike `sse-client`, which caps after its jitter, this schedule
///    keeps spreading clients out once they all sit at the cap.
/// 5. A server's `Retry-After` is a floor: never reconnect sooner than it said. The server
///    controls that value, so it counts for at most [`MAX_RETRY_AFTER`].
///
/// Edge cases to think about: `failures` can be very large (a client that has been failing for
/// days, or `u32::MAX`): the answer must still be the capped delay, never a panic; a
/// reconnection time below one second; a `Retry-After` of years.
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // TODO: follow steps 1 to 5.
    todo!("delay after {failures} failures")
}
// ANCHOR_END: stub
