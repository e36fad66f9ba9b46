//! Solution to ch02::ex01: collect a stream.

// ANCHOR: solution
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sse_format::{Frame, Parser};

/// Reads a response body and returns the data of every event in it, in order.
pub async fn collect_data<S, E>(mut body: S) -> Result<Vec<String>, E>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    // One parser for the whole body: it keeps unfinished lines (and split characters) between
    // chunks, which is exactly what decoding chunk by chunk gets wrong.
    let mut parser = Parser::new();
    let mut data = Vec::new();
    while let Some(chunk) = body.next().await {
        for frame in parser.feed(&chunk?) {
            if let Ok(Frame::Event(event)) = frame {
                data.push(event.into_data());
            }
        }
    }
    // Anything left is an event the server never finished: the spec says to drop it.
    let _ = parser.finish();
    Ok(data)
}
// ANCHOR_END: solution
