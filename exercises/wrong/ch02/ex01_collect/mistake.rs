//! WRONG variant of ch02::ex01 (see exercises/wrong/README.md).
//! The mistake: each chunk is parsed on its own (a fresh parse per chunk), so a line, a CRLF or a
//! character split across two chunks is lost or garbled: the lesson's bug in another form.
//! Caught by `ch02_ex01_collects_across_every_split` and
//! `ch02_ex01_drops_the_unfinished_event_and_reports_errors` (its split first event).

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
