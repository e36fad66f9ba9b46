//! The tempting mistake: the cursor is "the id of the last message of the last answer", taken
//! from every answer, so an empty answer resets it to `EventId::ZERO` and the next poll fetches
//! everything again: duplicates after every quiet moment.
//! class: spec

use std::time::Duration;

/// Polls until `count` messages have arrived, and returns their data in order.
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut cursor = sse_longpoll::EventId::ZERO;
    let mut received = Vec::new();
    for _ in 0..200 {
        let batch = sse_longpoll::poll(&client, base, channel, cursor)
            .await
            .map_err(|e| e.to_string())?;
        cursor = batch
            .last()
            .map_or(sse_longpoll::EventId::ZERO, |message| message.id);
        received.extend(batch.into_iter().map(|message| message.data));
        if received.len() >= count {
            return Ok(received);
        }
        tokio::time::sleep(interval).await;
    }
    Err("gave up after 200 polls".into())
}
