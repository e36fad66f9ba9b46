//! Second-reader wrong answer for ch02::ex01.
//! class: errors
//! Mistake: reads the body with `while let Some(Ok(chunk))`, the idiomatic-looking loop, so a
//! transport error silently ends the loop and the events so far come back as `Ok` instead of `Err(e)`.

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
    // One parser for the whole body: it carries half lines, a trailing CR and split UTF-8
    // characters from one chunk to the next.
    let mut parser = Parser::new();
    let mut data = Vec::new();
    while let Some(Ok(chunk)) = body.next().await {
        for frame in parser.feed(&chunk) {
            // Parse errors (a limit broken) only skip that event.
            if let Ok(Frame::Event(event)) = frame {
                data.push(event.into_data());
            }
        }
    }
    // Whatever is still in the parser was cut off: the spec discards it.
    let _cut_off = parser.finish();
    Ok(data)
}
// ANCHOR_END: stub
