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

/// A router with `GET /countdown?from=N` (book: Chapter 3 › Headers, buffering and keep-alive).
///
/// The contract:
/// - The response is an event stream: `Content-Type: text/event-stream` and
///   `Cache-Control: no-cache`.
/// - It carries N + 1 events, one every 10 ms: N events of type `tick` whose data counts down
///   `N`, `N-1`, ..., `1`, then one event of type `done` with the data `liftoff`. Then the stream
///   ends.
/// - Every event has an id, counting UP from 1 in the order they are sent: the first event has
///   id `1`, the second `2`, and so on (so a client that reconnects can say how far it got).
/// - N defaults to 3 when `from` is missing or not a number.
///
/// Edge cases to think about: `from=0` (only `done`); what the ids are when the data counts down.
pub fn router() -> Router {
    // TODO: the route, its handler and the streamed body (`sse_format::Event` writes exact,
    //       safe bytes for each event).
    todo!("build the countdown router")
}
// ANCHOR_END: stub
