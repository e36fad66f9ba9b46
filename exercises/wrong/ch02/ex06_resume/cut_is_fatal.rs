//! Second-reader wrong answer for ch02::ex06.
//! class: errors
//! Mistake: propagates a transport error from the body with `?` (`map_err(to_string)`), so a
//! connection the server cuts mid-body ends the whole download with `Err` instead of a reconnect;
//! only a clean end of the body is treated as "reconnect".

// ANCHOR: stub
use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser};

/// Reads the stream at `url` until `count` events have arrived, reconnecting whenever the
/// connection breaks or ends, and returns their data in order: each event exactly once.
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    let mut data = Vec::with_capacity(count);
    // The id of the last event completed, over the whole download.
    let mut last_id = String::new();
    if count == 0 {
        return Ok(data);
    }
    for _connection in 0..50 {
        let mut request = client
            .get(url)
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if !last_id.is_empty() {
            request = request.header("Last-Event-ID", last_id.as_str());
        }
        let response = request
            .send()
            .await
            .map_err(|error| format!("request failed: {error}"))?;
        if !response.status().is_success() {
            return Err(format!("the server answered {}", response.status()));
        }
        let mut parser = Parser::new();
        parser.set_last_event_id(&last_id);
        let mut events = EventStream::with_parser(response.bytes_stream(), parser);
        while let Some(frame) = events.next().await {
            match frame.map_err(|error| error.to_string())? {
                Frame::Event(event) => {
                    last_id = event.last_event_id().to_owned();
                    data.push(event.into_data());
                    if data.len() == count {
                        return Ok(data);
                    }
                }
                _ => {}
            }
        }
        // The body ended (maybe in the middle of an event): reconnect after a short pause.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err(format!(
        "gave up after 50 connections with {} of {count} events",
        data.len()
    ))
}
// ANCHOR_END: stub
