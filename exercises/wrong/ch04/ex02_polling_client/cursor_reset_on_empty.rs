//! Second-reader wrong answer for ch04::ex02.
//! class: spec
//! Mistake: the cursor is "the id at the end of the last answer"
//! (`batch.last().map(|m| m.id).unwrap_or_default()`), so an empty answer resets it to
//! `EventId::ZERO` and the next poll fetches every kept message again: duplicates.

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
    let mut polls = 0;

    while received.len() < count {
        if polls == MAX_POLLS {
            return Err(format!(
                "gave up after {MAX_POLLS} polls with {} of {count} messages",
                received.len()
            ));
        }
        ticker.tick().await;
        polls += 1;
        let batch = sse_longpoll::poll(&client, base, channel, cursor)
            .await
            .map_err(|error| format!("poll {polls} of {base}/poll/{channel} failed: {error}"))?;
        // The next poll asks for what came after the end of this answer.
        cursor = batch.last().map(|message| message.id).unwrap_or_default();
        received.extend(batch.into_iter().map(|message| message.data));
    }
    Ok(received)
}
// ANCHOR_END: stub
