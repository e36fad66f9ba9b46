//! Second-reader wrong answer for ch02::ex06.
//! class: protocol
//! Mistake: takes the id to resume from from each connection's fresh parser when it ends; a
//! connection cut inside its first event completed nothing, so the id becomes empty, the header is
//! dropped, and the server starts over (duplicates).

// ANCHOR: stub
use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser, StreamError};

/// Reads the stream at `url` until `count` events have arrived, reconnecting whenever the
/// connection breaks or ends, and returns their data in order: each event exactly once.
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut data = Vec::with_capacity(count);
    // `None` on the first connection: no Last-Event-ID header then.
    let mut last_id: Option<String> = None;
    if count == 0 {
        return Ok(data);
    }
    for _connection in 0..50 {
        let mut request = client
            .get(url)
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(id) = &last_id {
            request = request.header("Last-Event-ID", id.as_str());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(_) => {
                // Could not connect: try again shortly.
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        if !response.status().is_success() {
            return Err(format!("the server answered {}", response.status()));
        }
        let mut events = EventStream::with_parser(response.bytes_stream(), Parser::new());
        while let Some(frame) = events.next().await {
            match frame {
                Ok(Frame::Event(event)) => {
                    data.push(event.into_data());
                    if data.len() == count {
                        return Ok(data);
                    }
                }
                Ok(_) | Err(StreamError::Parse(_)) => {}
                // The connection was cut: reconnect.
                Err(_) => break,
            }
        }
        // The parser knows the id of the last event that completed (a cut-off one does not count).
        let id = events.parser().last_event_id();
        last_id = (!id.is_empty()).then(|| id.to_owned());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err(format!(
        "gave up after 50 connections with {} of {count} events",
        data.len()
    ))
}
// ANCHOR_END: stub
