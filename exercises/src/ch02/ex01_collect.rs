//! Exercise ch02::ex01: collect a stream. Book: Chapter 2 › Exercises › "ch02::ex01".
//! Stuck? `cargo course hint ch02::ex01`. Test: `cargo test -p exercises --test ch02 ch02_ex01`.

// ANCHOR: stub
use bytes::Bytes;
use futures::{Stream, StreamExt};

/// Reads a response body (a stream of byte chunks, as `reqwest::Response::bytes_stream()` gives)
/// and returns the data of every event in it, in order (book: Chapter 2 › Response bodies as byte
/// streams).
///
/// You do not have to write a parser: use the course's `sse_format` crate (`Parser`, or
/// `EventStream` around the body). What this exercise is about is how the body reaches it.
///
/// The contract:
/// - The chunks are split anywhere: in the middle of a line, of a CRLF, of a UTF-8 character.
///   The result must not depend on where.
/// - An event still unfinished when the body ends was cut off: it is not returned (the spec).
/// - A transport error ends the body: return that error (`Err(e)`), not the events so far.
///
/// Edge cases to think about: a chunk that ends between the two bytes of `ü`; a chunk that ends
/// right after a CR.
pub async fn collect_data<S, E>(body: S) -> Result<Vec<String>, E>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    // TODO: read every chunk and return the data of every complete event.
    todo!("collect the events of the body")
}
// ANCHOR_END: stub
