//! The tempting mistake: each chunk is parsed on its own (a fresh parse per chunk, as if a chunk
//! were a message), so a line, a CRLF or a UTF-8 character split across two chunks is lost or
//! garbled: the lesson's `processStream` bug in another form.
//! class: encoding

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sse_format::Frame;

/// Reads a response body and returns the data of every event in it, in order.
pub async fn collect_data<S, E>(mut body: S) -> Result<Vec<String>, E>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut data = Vec::new();
    while let Some(chunk) = body.next().await {
        for frame in sse_format::parse_all(&chunk?) {
            if let Ok(Frame::Event(event)) = frame {
                data.push(event.into_data());
            }
        }
    }
    Ok(data)
}
