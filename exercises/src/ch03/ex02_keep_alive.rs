//! Exercise ch03::ex02: keep-alive comments. Book: Chapter 3 › Exercises › "ch03::ex02".
//! Stuck? `cargo course hint ch03::ex02`. Test: `cargo test -p exercises --test ch03 ch03_ex02`.

// ANCHOR: stub
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

pub use super::given::KEEP_ALIVE;

/// Passes `events` through unchanged and in order, and fills the silences with [`KEEP_ALIVE`]
/// comments, so that proxies and clients see the connection is alive (book: Chapter 3 ›
/// Headers, keep-alive and proxies).
///
/// The contract:
/// - Whenever nothing at all has been sent for `every` (no event and no comment), send
///   `KEEP_ALIVE`. The silence is measured from the last thing sent, so a stream whose events
///   come more often than `every` gets no comments at all.
/// - Each event is sent as soon as it arrives, and the stream waits for the next event (it is
///   woken when one arrives) rather than checking for one again and again.
/// - The returned stream ends when `events` ends.
///
/// Edge cases to think about: events at 10 s and 12 s with `every` = 15 s (when is the first
/// comment due?); the very start of the stream; a long silence (several comments in a row); a
/// stream that ends during a silence.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    // TODO: build the stream described above (tokio's time utilities will help).
    todo!("keep-alive every {every:?}");
    // Only here to give the stub a concrete return type; replace it.
    futures::stream::empty()
}
// ANCHOR_END: stub
