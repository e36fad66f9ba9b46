//! The tempting mistake: checking for an event on a short clock (`now_or_never` every 100 ms)
//! instead of waiting for the event stream to wake the task. The timeline looks right, but the
//! task wakes ten times a second per connection whether anything happens or not: with 10,000
//! idle subscribers, 100,000 useless wake-ups a second.
//! class: resources

use std::time::Duration;

use bytes::Bytes;
use futures::{FutureExt, Stream, StreamExt};
use tokio::time::Instant;

pub use super::given::KEEP_ALIVE;

/// How often to look for an event.
const CHECK: Duration = Duration::from_millis(100);

/// Passes `events` through, with a keep-alive comment after every `every` of silence.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    futures::stream::unfold(events, move |mut events| async move {
        let silent_since = Instant::now();
        loop {
            match events.next().now_or_never() {
                Some(Some(event)) => return Some((event, events)),
                Some(None) => return None,
                None if silent_since.elapsed() >= every => {
                    return Some((Bytes::from_static(KEEP_ALIVE), events));
                }
                None => tokio::time::sleep(CHECK).await,
            }
        }
    })
}
