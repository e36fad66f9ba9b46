//! Exercise ch02::ex04: a backoff schedule. Book: Chapter 2 › Exercises › "ch02::ex04".
//! Stuck? `cargo course hint ch02::ex04`. Test: `cargo test -p exercises --test ch02 ch02_ex04`.

// ANCHOR: stub
use std::time::Duration;

/// The longest the exponential part may grow to.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// How long to wait before reconnecting after `failures` consecutive failures (1 for the first).
///
/// - Start from the reconnection time: 3 s by default, or the server's last `retry:` value.
/// - Double it for each further consecutive failure, up to `MAX_DELAY` (but never below the
///   reconnection time itself: if the server asked for 60 s, wait 60 s).
/// - Add jitter: `jitter` is a random number in `[0, 1)`; add that fraction of HALF the delay
///   (so the result is between 1× and 1.5× the delay).
/// - A server's `Retry-After` is a floor: never reconnect sooner than it said.
pub fn next_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    // TODO: grow, cap, jitter, then apply the Retry-After floor. Beware of overflow for large
    //       `failures` (Duration::saturating_mul, or cap the exponent).
    todo!("delay after {failures} failures")
}
// ANCHOR_END: stub
