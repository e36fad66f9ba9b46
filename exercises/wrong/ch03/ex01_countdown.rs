//! Exercise ch03::ex01: a countdown stream. Book: Chapter 3 › Exercises › "ch03::ex01".
//! Stuck? `cargo course hint ch03::ex01`. Test: `cargo test -p exercises --test ch03 ch03_ex01`.

// ANCHOR: stub
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures::StreamExt;
use sse_format::Event;

/// A router with `GET /countdown?from=N` (N defaults to 3).
///
/// The response is an event stream (`Content-Type: text/event-stream`, `Cache-Control: no-cache`)
/// of N + 1 events, one every 10 ms: `event: tick` with data `N`, `N-1`, ..., `1`, then
/// `event: done` with data `liftoff`. Each event has an id: `1` for the first, `2` for the
/// second, and so on. Then the stream ends.
pub fn router() -> Router {
    // TODO: a handler that reads `from` (hint: `Query<HashMap<String, String>>` or a struct).
    // TODO: build the events with `sse_format::Event` (it writes exact, safe bytes) and turn
    //       them into a `Body::from_stream` of `Result<Bytes, Infallible>`, pausing 10 ms
    //       before each (`tokio::time::sleep` inside `.then(...)`).
    // TODO: set the two headers.
    todo!("build the countdown router")
}
// ANCHOR_END: stub
