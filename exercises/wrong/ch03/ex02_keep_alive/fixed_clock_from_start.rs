//! The tempting mistake: keep-alives on a fixed clock that events do not reset (a deadline that
//! moves on by `every` only when a comment goes out), so a comment goes out 3 s after an event as
//! well as during real silences: more traffic, and the rule "after `every` of silence" is broken.
//! class: spec

use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::time::Instant;

pub use super::given::KEEP_ALIVE;

/// Passes `events` through, with a keep-alive comment every `every`.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    let next_ping = Instant::now() + every;
    futures::stream::unfold(
        (events, next_ping),
        move |(mut events, next_ping)| async move {
            match tokio::time::timeout_at(next_ping, events.next()).await {
                Ok(Some(event)) => Some((event, (events, next_ping))),
                Ok(None) => None,
                Err(_) => Some((Bytes::from_static(KEEP_ALIVE), (events, next_ping + every))),
            }
        },
    )
}
