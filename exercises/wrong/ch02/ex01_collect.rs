//! Exercise ch02::ex01: collect a stream. Book: Chapter 2 › Exercises › "ch02::ex01".
//! Stuck? `cargo course hint ch02::ex01`. Test: `cargo test -p exercises --test ch02 ch02_ex01`.

// ANCHOR: stub
use bytes::Bytes;
use futures::{Stream, StreamExt};

/// Reads a response body (a stream of byte chunks, as `reqwest::Response::bytes_stream()` gives)
/// and returns the data of every event in it, in order.
///
/// The chunks are split anywhere: in the middle of a line, of a CRLF, of a UTF-8 character. A
/// transport error ends the body: return it.
pub async fn collect_data<S, E>(body: S) -> Result<Vec<String>, E>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    // TODO: do NOT decode or split each chunk on its own (that is the lesson's bug).
    // TODO: feed each chunk's bytes to one `sse_format::Parser` (or wrap the body in
    //       `sse_format::EventStream`) and keep the data of each `Frame::Event`.
    // TODO: at the end of the body, an unfinished event is dropped, as the spec says.
    todo!("collect the events of the body")
}
// ANCHOR_END: stub
