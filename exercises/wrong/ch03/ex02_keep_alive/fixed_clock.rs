//! Second-reader wrong answer for ch03::ex02.
//! class: spec
//! Mistake: the keep-alive runs on a fixed clock (an interval ticking every `every` from the start,
//! as the book's library `KeepAlive` does) instead of measuring the silence from the last thing
//! sent, so events at 10 s and 12 s are still followed by a comment at 15 s, not 27 s.

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
    // First tick one period from now (not at once), and no burst of missed ticks after a busy
    // spell: one comment is enough.
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    futures::stream::unfold((events, tick), |(mut events, mut tick)| async move {
        tokio::select! {
            // Events first: a busy stream is never held back by a comment.
            biased;
            item = events.next() => item.map(|bytes| (bytes, (events, tick))),
            _ = tick.tick() => Some((Bytes::from_static(KEEP_ALIVE), (events, tick))),
        }
    })
}
// ANCHOR_END: stub
