//! Solution to ch03::ex02: keep-alive comments.

// ANCHOR: solution
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

/// The keep-alive comment: an empty comment line and the blank line after it.
pub const KEEP_ALIVE: &[u8] = b":\n\n";

/// Passes `events` through, with a keep-alive comment after every `every` of silence.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    futures::stream::unfold(events, move |mut events| async move {
        // `timeout` restarts with each step, so the comment comes only after real silence.
        match tokio::time::timeout(every, events.next()).await {
            Ok(Some(event)) => Some((event, events)),
            Ok(None) => None,
            Err(_elapsed) => Some((Bytes::from_static(KEEP_ALIVE), events)),
        }
    })
}
// ANCHOR_END: solution
