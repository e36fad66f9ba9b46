//! Independent reader's wrong answer for ch04::ex02.
//! class: concurrency
//! Mistake: the pace is a `tokio::time::sleep(interval)` after each poll, so the polls are
//! `interval` plus the request's duration apart and drift later and later when requests are
//! slow; the student thought "wait `interval` between polls" was the same as "polls `interval`
//! apart".

// ANCHOR: stub
use std::time::Duration;

use sse_longpoll::EventId;

/// The most polls before giving up.
const MAX_POLLS: usize = 200;

/// Polls `{base}/poll/{channel}?after=CURSOR` every `interval` until `count` messages have
/// arrived, and returns their data in order (book: Chapter 4 › What the numbers mean, "Polling
/// wastes requests, and time").
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut cursor = EventId::ZERO;
    let mut received = Vec::new();
    if count == 0 {
        return Ok(received);
    }
    for poll in 1..=MAX_POLLS {
        let batch = sse_longpoll::poll(&client, base, channel, cursor)
            .await
            .map_err(|error| error.to_string())?;
        for message in batch {
            // The cursor only moves forward.
            if message.id > cursor {
                cursor = message.id;
            }
            received.push(message.data);
        }
        if received.len() >= count {
            return Ok(received);
        }
        if poll < MAX_POLLS {
            tokio::time::sleep(interval).await;
        }
    }
    Err(format!(
        "gave up after {MAX_POLLS} polls with {} of {count} messages",
        received.len()
    ))
}
// ANCHOR_END: stub
