//! Exercise ch02::ex07: the idle deadline and the backoff count, on a scripted clock. Book:
//! Chapter 2 › Exercises › "ch02::ex07". Stuck? `cargo course hint ch02::ex07`.
//! Test: `cargo test -p exercises --test ch02 ch02_ex07`.

// ANCHOR: stub
use std::time::{Duration, Instant};

/// Two decisions of a reconnecting client's core (`sse_client::core`), with the time passed in
/// so that tests can script the clock:
///
/// - **the idle deadline**: an open connection on which no byte at all arrives for `idle_timeout`
///   is presumed dead. Any byte counts: an event, or only a keep-alive comment (`:\n\n`).
/// - **the consecutive-failure count** that the backoff grows with (1 for the first failure, 2
///   for the second, ...). It starts again at 1 only after a connection that stayed open for at
///   least `reset_after`: a server that sends one event and then fails must not be retried at the
///   base delay forever.
///
/// All times come from the caller; the arithmetic must not panic on any of them (an
/// `idle_timeout` of `Duration::MAX` means "never", and `Instant + Duration::MAX` panics).
///
/// Edge cases to think about: a connection open for exactly `reset_after`; a long connection
/// followed by several refused attempts; timeouts of `Duration::MAX`.
#[derive(Debug)]
pub struct Timers {
    // TODO: the state the methods share. Each method is told only `now`: what must it know
    //       about earlier calls to answer?
}

impl Timers {
    /// No connection yet, no failure yet.
    pub fn new(idle_timeout: Duration, reset_after: Duration) -> Self {
        todo!("remember {idle_timeout:?} and {reset_after:?}")
    }

    /// A connection opened at `now`: the idle deadline starts.
    pub fn on_open(&mut self, now: Instant) {
        todo!("open at {now:?}")
    }

    /// Bytes arrived at `now` on the open connection (an event or a comment). With no connection
    /// open, nothing changes.
    pub fn on_bytes(&mut self, now: Instant) {
        todo!("bytes at {now:?}")
    }

    /// When the open connection is presumed dead: `None` if no connection is open, or if the
    /// deadline lies beyond what an `Instant` can hold.
    pub fn idle_deadline(&self) -> Option<Instant> {
        todo!()
    }

    /// The connection attempt or the open connection failed at `now` (a refused connection, a
    /// cut, an idle timeout): the connection is closed, and this returns the consecutive failure
    /// count to compute the next delay with, this failure included.
    pub fn on_failure(&mut self, now: Instant) -> u32 {
        todo!("failure at {now:?}")
    }
}
// ANCHOR_END: stub
