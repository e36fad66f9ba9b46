//! Exercise ch02::ex07: the idle deadline and the backoff count, on a scripted clock. Book:
//! Chapter 2 › Exercises › "ch02::ex07". Stuck? `cargo course hint ch02::ex07`.
//! Test: `cargo test -p exercises --test ch02 ch02_ex07`.

// ANCHOR: stub
use std::time::{Duration, Instant};

/// Two decisions of a reconnecting client's core (`sse_client::sansio`), with the time passed in
/// so that tests can script the clock:
///
/// - **the idle deadline**: an open connection on which no byte at all arrives for `idle_timeout`
///   is presumed dead. Any byte counts: an event, or only a keep-alive comment (`:\n\n`).
/// - **the consecutive-failure count** that the backoff grows with (1 for the first failure, 2
///   for the second, ...). A failure counts as the first again (the count is 1) when the
///   connection that just ended *worked*, which it did if either
///   - it **made progress**: while it was open, the last event id was set to a *new, non-empty*
///     value, that is, one that differs from the last event id as it stood just before. Such a
///     connection delivered new events, however short it was. The same id set again (an event
///     replayed after a reconnection) is no progress, and neither is an id set to empty; or
///   - it **stayed open for at least `reset_after`**: the only proof a stream without ids gives.
///
///   Anything else is a failed attempt, and the count grows by one: a refused connection (a
///   failure with no connection open), an error status, a connection that ended quickly without
///   a new id. A server that sends the same event and then fails must not be retried at the base
///   delay forever.
///
/// The last event id is empty at first, and it carries over from one connection to the next (a
/// reconnection resumes from it): "new" compares with whatever was set last, possibly on an
/// earlier connection.
///
/// All times come from the caller; the arithmetic must not panic on any of them (an
/// `idle_timeout` of `Duration::MAX` means "never", and `Instant + Duration::MAX` panics).
///
/// Edge cases to think about: a connection open for exactly `reset_after`; a connection with
/// progress, or a long one, followed by several refused attempts; the same id set twice, on one
/// connection or on the next; an id set to empty; an id set while no connection is open;
/// timeouts of `Duration::MAX`.
#[derive(Debug)]
pub struct Timers {
    // TODO: the state the methods share. Each method is told only `now` (or an id): what must it
    //       know about earlier calls to answer?
}

impl Timers {
    /// No connection yet, no failure yet, an empty last event id.
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

    /// A blank line set the last event id to `id` on the open connection. This is called every
    /// time the stream sets it, whether or not the value changed. With no connection open,
    /// nothing changes (neither the last event id nor the count). The idle deadline does not move
    /// here: the bytes that carried the id were reported to [`Timers::on_bytes`].
    pub fn on_last_event_id(&mut self, id: &str) {
        todo!("last event id {id:?}")
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
