//! Second-reader wrong answer for ch03::ex02.
//! class: boundaries
//! Mistake: the silence timer is a `tokio::time::interval(every)` that is reset after every event,
//! which gets the "measured from the last thing sent" rule right, but an interval's first tick
//! completes immediately, so the stream opens with a spurious keep-alive comment at t = 0.

// ANCHOR: stub
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

pub use super::given::KEEP_ALIVE;

/// Passes `events` through unchanged and in order, and fills the silences with `KEEP_ALIVE`
/// comments.
pub fn with_keep_alive<S>(events: S, every: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + Unpin + 'static,
{
    // One timer per connection; every item sent pushes the next comment back by `every`.
    let silence = tokio::time::interval(every);

    futures::stream::unfold((events, silence), |(mut events, mut silence)| async move {
        tokio::select! {
            biased;
            item = events.next() => {
                let bytes = item?;
                // Something was sent: the silence starts again now.
                silence.reset();
                Some((bytes, (events, silence)))
            }
            // A tick completes `every` after the last item (a tick resets the interval too).
            _ = silence.tick() => Some((Bytes::from_static(KEEP_ALIVE), (events, silence))),
        }
    })
}
// ANCHOR_END: stub
