//! Second-reader wrong answer for ch04::ex02.
//! class: errors
//! Mistake: a failed poll is treated like an empty answer and retried at the next tick ("polling is
//! retrying anyway"), so an error does not end the function: it surfaces only as the generic
//! give-up after 200 polls, 200 intervals later, and the error itself is lost.

// ANCHOR: stub
use std::time::Duration;

use sse_longpoll::EventId;

/// Polls `{base}/poll/{channel}?after=CURSOR` every `interval` until `count` messages have
/// arrived, and returns their data in order.
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    const MAX_POLLS: usize = 200;

    let client = reqwest::Client::new();
    // Evenly spaced polls, the first one at once.
    let mut ticker = tokio::time::interval(interval);
    let mut cursor = EventId::ZERO;
    let mut received = Vec::with_capacity(count);

    for _ in 0..MAX_POLLS {
        if received.len() >= count {
            return Ok(received);
        }
        ticker.tick().await;
        let batch = match sse_longpoll::poll(&client, base, channel, cursor).await {
            Ok(batch) => batch,
            // A hiccup: the cursor has not moved, so the next poll asks for the same messages
            // again and nothing is lost.
            Err(_) => continue,
        };
        // The cursor only moves forward: an empty answer leaves it where it was.
        if let Some(last) = batch.last() {
            cursor = last.id;
        }
        received.extend(batch.into_iter().map(|message| message.data));
    }
    if received.len() >= count {
        return Ok(received);
    }
    Err(format!(
        "gave up after {MAX_POLLS} polls with {} of {count} messages",
        received.len()
    ))
}
// ANCHOR_END: stub
