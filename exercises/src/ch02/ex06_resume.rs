//! Exercise ch02::ex06: resume without duplicates. Book: Chapter 2 › Exercises › "ch02::ex06".
//! Stuck? `cargo course hint ch02::ex06`. Test: `cargo test -p exercises --test ch02 ch02_ex06`.

// ANCHOR: stub
use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser};

/// Reads the stream at `url` until `count` events have arrived, reconnecting whenever the
/// connection breaks or ends, and returns their data in order: each event exactly once (book:
/// Chapter 2 › Resuming with Last-Event-ID).
///
/// The contract:
/// - Each request is a `GET` with `Accept: text/event-stream`. From the second connection on, it
///   carries a `Last-Event-ID` header with the last event ID of the last event you completed,
///   and the server then sends only the events after it. (The first connection has no such
///   header.)
/// - The server cuts connections at random points, even in the middle of an event. A cut (the
///   body fails with a transport error) or the end of the body means: reconnect (a few
///   milliseconds' pause is enough here).
/// - A response that is not a success status is an error (`Err` with a message), at once.
/// - Give up with `Err` after 50 connections: never open a 51st.
/// - `count` 0 asks for nothing: `Ok` with no events.
///
/// Edge cases to think about: a connection cut in the middle of its FIRST event, so that it
/// completes nothing: what do you send on the next one? An event whose `id:` line arrived but
/// whose blank line did not.
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    // TODO: follow the contract above (reqwest for the requests, sse_format to read the body).
    todo!("fetch {count} events from {url}")
}
// ANCHOR_END: stub
