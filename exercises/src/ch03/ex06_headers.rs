//! Exercise ch03::ex06: the headers of a stream. Book: Chapter 3 › Headers, buffering and
//! keep-alive › "ch03::ex06". Stuck? `cargo course hint ch03::ex06`.
//! Test: `cargo test -p exercises --test ch03 ch03_ex06`.

// ANCHOR: stub
use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};

use super::given::updates;

/// The handler of `GET /events`: the given [`updates`] as an event stream (book: Chapter 3 ›
/// Headers, buffering and keep-alive).
///
/// The contract:
/// - Status `200 OK`; the body is the items of [`updates`], sent as they come.
/// - `Content-Type: text/event-stream`: without it, a browser's `EventSource` fails the
///   connection for good.
/// - `Cache-Control: no-cache`: no cache may keep a live stream and replay it to anyone.
/// - `X-Accel-Buffering: no`: nginx must pass each event on at once instead of buffering the
///   response.
/// - No `Content-Length`: the length of a stream is not known when its head is sent, so HTTP/1.1
///   sends the body in chunks, each event as soon as it is written.
pub async fn stream() -> Response {
    // TODO: the headers above, and a body that is the stream of updates.
    todo!("the event stream of updates()")
}
// ANCHOR_END: stub
