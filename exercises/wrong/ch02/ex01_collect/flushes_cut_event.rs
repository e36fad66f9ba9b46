//! Second-reader wrong answer for ch02::ex01.
//! class: spec
//! Mistake: at the end of the body it feeds a final blank line "so the last event is not lost",
//! which dispatches an event the connection cut off; the spec says an unfinished event is discarded.

// ANCHOR: stub
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sse_format::{Frame, Parser};

/// Reads a response body (a stream of byte chunks, as `reqwest::Response::bytes_stream()` gives)
/// and returns the data of every event in it, in order.
pub async fn collect_data<S, E>(mut body: S) -> Result<Vec<String>, E>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut parser = Parser::new();
    let mut data = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        for frame in parser.feed(&chunk) {
            if let Ok(Frame::Event(event)) = frame {
                data.push(event.into_data());
            }
        }
    }
    // The body may end without a final blank line: terminate the last line and the last event
    // so that it is dispatched too.
    for frame in parser.feed(b"\n\n") {
        if let Ok(Frame::Event(event)) = frame {
            data.push(event.into_data());
        }
    }
    let _ = parser.finish();
    Ok(data)
}
// ANCHOR_END: stub
