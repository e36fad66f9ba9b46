//! WRONG variant of ch03::ex02 (see exercises/wrong/README.md).
//! The mistake: keep-alives on a fixed 15-second clock that events do not reset, so a comment
//! goes out 3 s after an event as well as during real silences (more traffic, and the rule
//! "after `every` of silence" is broken). Caught by `ch03_ex02_comments_fill_the_silences` and
//! `ch03_ex02_no_comment_while_events_flow`.

use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::time::Instant;

/// The keep-alive comment: an empty comment line and the blank line after it.
pub const KEEP_ALIVE: &[u8] = b":\n\n";

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
