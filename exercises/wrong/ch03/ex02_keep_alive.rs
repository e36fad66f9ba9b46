//! Exercise ch03::ex02: keep-alive comments. Book: Chapter 3 › Exercises › "ch03::ex02".
//! Stuck? `cargo course hint ch03::ex02`. Test: `cargo test -p exercises --test ch03 ch03_ex02`.

// ANCHOR: stub
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

/// The keep-alive comment: an empty comment line and the blank line after it.
pub const KEEP_ALIVE: &[u8] = b":\n\n";

/// Passes `events` through unchanged, and whenever nothing has been sent for `every`, sends
/// `KEEP_ALIVE` (so proxies and clients see the connection is alive). Ends when `events` ends.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    // TODO: one way: `futures::stream::unfold(events, ...)` where each step waits for the next
    //       event with `tokio::time::timeout(every, events.next())`:
    //       - an event: send it;
    //       - the end of `events`: end;
    //       - a timeout: send `Bytes::from_static(KEEP_ALIVE)`.
    todo!("keep-alive every {every:?}");
    // Only here to give the stub a concrete return type; replace it.
    futures::stream::empty()
}
// ANCHOR_END: stub
