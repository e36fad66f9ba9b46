//! Solution to ch04::ex02: a polling client.

// ANCHOR: solution
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
    let mut tick = tokio::time::interval(interval);
    for _ in 0..200 {
        tick.tick().await;
        let batch = sse_longpoll::poll(&client, base, channel, cursor)
            .await
            .map_err(|e| e.to_string())?;
        for message in batch {
            // The cursor moves with every message: the next poll asks only for newer ones.
            cursor = cursor.max(message.id);
            received.push(message.data);
        }
        if received.len() >= count {
            return Ok(received);
        }
    }
    Err(format!(
        "only {} of {count} messages after 200 polls",
        received.len()
    ))
}
// ANCHOR_END: solution
