//! The tempting mistake: the pace timer is made inside the loop. `tokio::time::interval`'s first
//! tick is immediate, so every poll's tick is a first tick: the client polls as fast as the server
//! answers, thousands of requests a second on a quiet channel, instead of one per `interval`.
//! class: resources

use std::time::Duration;

use sse_longpoll::EventId;

/// Polls until `count` messages have arrived, and returns their data in order.
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut cursor = EventId::ZERO;
    let mut received = Vec::new();
    for _ in 0..200 {
        // Evenly spaced polls, the first one at once.
        let mut tick = tokio::time::interval(interval);
        tick.tick().await;
        let batch = sse_longpoll::poll(&client, base, channel, cursor)
            .await
            .map_err(|e| e.to_string())?;
        for message in batch {
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
