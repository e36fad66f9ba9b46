//! Solution to ch02::ex06: resume without duplicates.

// ANCHOR: solution
use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser};

/// Reads the stream at `url` until `count` events have arrived, resuming after every cut.
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    let mut received = Vec::new();
    // Nothing asked for: done before the first request (checking only after each event would
    // never see `received.len() == 0` again, and read on until the give-up).
    if count == 0 {
        return Ok(received);
    }
    let client = reqwest::Client::new();
    let mut last_event_id = String::new();
    for _attempt in 0..50 {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if !last_event_id.is_empty() {
            request = request.header("last-event-id", last_event_id.as_str());
        }
        let Ok(response) = request.send().await else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        if !response.status().is_success() {
            return Err(format!("the server answered {}", response.status()));
        }
        let mut parser = Parser::new();
        parser.set_last_event_id(&last_event_id);
        let mut events = EventStream::with_parser(Box::pin(response.bytes_stream()), parser);
        while let Some(item) = events.next().await {
            match item {
                Ok(Frame::Event(event)) => {
                    // The id of a *completed* event: the one we will resume after.
                    last_event_id = event.last_event_id().to_owned();
                    received.push(event.into_data());
                    if received.len() == count {
                        return Ok(received);
                    }
                }
                Ok(_) => {}      // a `retry:` field, or a frame kind newer than this code
                Err(_) => break, // a cut: reconnect and resume
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err(format!(
        "gave up after 50 connections with {} of {count} events",
        received.len()
    ))
}
// ANCHOR_END: solution
