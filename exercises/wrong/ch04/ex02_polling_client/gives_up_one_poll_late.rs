//! The tempting mistake: the give-up check counts the polls made so far with `>` where the limit
//! is reached at `==`, so the client makes a 201st poll before it gives up: off by one exactly at
//! the limit the contract names.
//! class: boundaries

use std::time::Duration;

use sse_longpoll::EventId;

/// Polls until `count` messages have arrived, and returns their data in order.
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    const MAX_POLLS: usize = 200;
    let client = reqwest::Client::new();
    let mut tick = tokio::time::interval(interval);
    let mut cursor = EventId::ZERO;
    let mut received = Vec::new();
    let mut polls = 0;
    while received.len() < count {
        if polls > MAX_POLLS {
            return Err(format!("gave up after {MAX_POLLS} polls"));
        }
        tick.tick().await;
        polls += 1;
        let batch = sse_longpoll::poll(&client, base, channel, cursor)
            .await
            .map_err(|e| e.to_string())?;
        for message in batch {
            cursor = cursor.max(message.id);
            received.push(message.data);
        }
    }
    Ok(received)
}
