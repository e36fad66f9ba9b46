//! Exercise ch03::ex01: a countdown stream. Book: Chapter 3 › Exercises › "ch03::ex01".
//! Stuck? `cargo course hint ch03::ex01`. Test: `cargo test -p exercises --test ch03 ch03_ex01`.

// ANCHOR: stub
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures::StreamExt;
use sse_format::Event;

use super::given::MAX_FROM;

/// A router with `GET /countdown?from=N` (book: Chapter 3 › Headers, buffering and keep-alive).
///
/// The contract:
/// - The response is an event stream: its `Content-Type` is the media type `text/event-stream`
///   and it has `Cache-Control: no-cache`.
/// - It carries N + 1 events, one every 10 ms: N events of type `tick` whose data counts down
///   `N`, `N-1`, ..., `1`, then one event of type `done` with the data `liftoff`. Then the stream
///   ends.
/// - Every event has an id: its position in the stream, `1` for the first event sent.
/// - N is `from` read as a decimal `u64`. A missing `from`, or one that is not a decimal number
///   (`x`, `-1`, empty), means N = 3.
/// - The client names N, so N is bounded: a `from` that is a number above [`MAX_FROM`] (however
///   many digits it has) gets `400 Bad Request` with a short text body, and no event stream.
/// - Each event is made when it is due: the server never holds the whole countdown in memory.
///
/// Edge cases to think about: `from=0`; `from` exactly at [`MAX_FROM`], and just above it; a
/// number too large for any integer type.
pub fn router() -> Router {
    // TODO: the route, its handler and the streamed body (`sse_format::Event` writes exact,
    //       safe bytes for each event).
    todo!("build the countdown router")
}
// ANCHOR_END: stub
