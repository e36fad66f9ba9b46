//! Solution to ch03::ex02: keep-alive comments.

// ANCHOR: solution
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

pub use super::given::KEEP_ALIVE;

/// Passes `events` through, with a keep-alive comment after every `every` of silence.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    futures::stream::unfold(events, move |mut events| async move {
        // `timeout` restarts with each step, so the comment comes only after real silence; and
        // while it waits, the task sleeps until the event stream or the timer wakes it.
        match tokio::time::timeout(every, events.next()).await {
            Ok(Some(event)) => Some((event, events)),
            Ok(None) => None,
            Err(_elapsed) => Some((Bytes::from_static(KEEP_ALIVE), events)),
        }
    })
}
// ANCHOR_END: solution
