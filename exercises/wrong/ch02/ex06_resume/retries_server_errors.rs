//! Independent reader's wrong answer for ch02::ex06.
//! class: errors
//! Mistake: follows the chapter's retry policy instead of the contract: a 5xx, 408 or 429 response is
//! treated as temporary and retried (up to the 50-connection limit) rather than returned as `Err` at once.

// ANCHOR: stub
use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser, StreamError};

/// The most connections one call opens.
const MAX_CONNECTIONS: usize = 50;

/// Reads the stream at `url` until `count` events have arrived, reconnecting whenever the
/// connection breaks or ends, and returns their data in order: each event exactly once (book:
/// Chapter 2 › Resuming with Last-Event-ID).
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(count.min(1024));
    if count == 0 {
        return Ok(out);
    }
    let client = reqwest::Client::new();
    // The id to resume from belongs to the whole download: only a completed event moves it.
    let mut last_id: Option<String> = None;
    for _ in 0..MAX_CONNECTIONS {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = &last_id {
            request = request.header("last-event-id", id.as_str());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        let status = response.status();
        if !status.is_success() {
            let temporary = status.is_server_error() || matches!(status.as_u16(), 408 | 429);
            if temporary {
                // The server is having a moment (a deploy, overload): try again.
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
            return Err(format!("{url}: HTTP {status}"));
        }
        let mut parser = Parser::new();
        if let Some(id) = &last_id {
            parser.set_last_event_id(id);
        }
        let mut events = EventStream::with_parser(Box::pin(response.bytes_stream()), parser);
        while let Some(frame) = events.next().await {
            match frame {
                Ok(Frame::Event(event)) => {
                    out.push(event.into_data());
                    if out.len() == count {
                        return Ok(out);
                    }
                }
                Ok(_) | Err(StreamError::Parse(_)) => {}
                // A cut: reconnect.
                Err(_) => break,
            }
        }
        let id = events.parser().last_event_id();
        if !id.is_empty() {
            last_id = Some(id.to_owned());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err(format!(
        "{url}: gave up after {MAX_CONNECTIONS} connections with {} of {count} events",
        out.len()
    ))
}
// ANCHOR_END: stub
