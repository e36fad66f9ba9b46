//! The tempting mistake: after each connection, the id to resume from is read from that
//! connection's own (fresh) parser. When a connection is cut before it completes any event, that
//! parser has no id, so the next request carries none and the server replays the stream from the
//! start: duplicates.
//! class: protocol

use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser};

/// Reads the stream at `url` until `count` events have arrived, resuming after every cut.
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut received = Vec::new();
    let mut last_event_id = String::new();
    for _ in 0..50 {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if !last_event_id.is_empty() {
            request = request.header("last-event-id", &last_event_id);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        let mut events = EventStream::with_parser(Box::pin(response.bytes_stream()), Parser::new());
        while let Some(item) = events.next().await {
            match item {
                Ok(Frame::Event(event)) => {
                    received.push(event.into_data());
                    if received.len() == count {
                        return Ok(received);
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        // Resume after the last event this connection delivered.
        last_event_id = events.parser().last_event_id().to_owned();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err("gave up after 50 connections".into())
}
