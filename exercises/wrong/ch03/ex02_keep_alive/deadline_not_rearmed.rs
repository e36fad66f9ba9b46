//! The tempting mistake: the comment is due `every` after the last EVENT, and sending a comment
//! does not start a new silence. After the first comment the deadline has already passed, so the
//! stream sends comments back to back (a flood) until the next event arrives.
//! class: boundaries

use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::time::Instant;

pub use super::given::KEEP_ALIVE;

/// Passes `events` through, with a keep-alive comment after every `every` of silence.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    let last_event = Instant::now();
    futures::stream::unfold(
        (events, last_event),
        move |(mut events, last_event)| async move {
            match tokio::time::timeout_at(last_event + every, events.next()).await {
                Ok(Some(event)) => Some((event, (events, Instant::now()))),
                Ok(None) => None,
                Err(_) => Some((Bytes::from_static(KEEP_ALIVE), (events, last_event))),
            }
        },
    )
}
