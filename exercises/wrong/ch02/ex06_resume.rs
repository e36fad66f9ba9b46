//! Exercise ch02::ex06: resume without duplicates. Book: Chapter 2 › Exercises › "ch02::ex06".
//! Stuck? `cargo course hint ch02::ex06`. Test: `cargo test -p exercises --test ch02 ch02_ex06`.

// ANCHOR: stub
use std::time::Duration;

use futures::StreamExt;
use sse_format::{EventStream, Frame, Parser};

/// Reads the stream at `url` until `count` events have arrived, reconnecting whenever the
/// connection breaks or ends, and returns their data in order: each event exactly once.
///
/// The server cuts connections at random points (even in the middle of an event). Resume with the
/// `Last-Event-ID` header so that it sends only what you have not seen. Give up with an error after
/// 50 connections.
pub async fn fetch_all(url: &str, count: usize) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    // TODO: loop: send GET `url` with `Accept: text/event-stream` and, once you have one, the last
    //       event id in `Last-Event-ID`.
    // TODO: read `response.bytes_stream()` through `EventStream` (seed its parser with
    //       `Parser::set_last_event_id`), collect each event's data, and keep `last_event_id()`.
    // TODO: a transport error or the end of the body: reconnect (a short pause is enough here).
    // TODO: an event you have already seen must not be collected twice: trust the server to
    //       resume after the id you send, and only ever send ids of events you completed.
    todo!("fetch {count} events from {url}")
}
// ANCHOR_END: stub
