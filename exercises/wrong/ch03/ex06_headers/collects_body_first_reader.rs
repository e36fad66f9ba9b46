//! Independent reader's wrong answer for ch03::ex06.
//! class: resources
//! Mistake: awaits all of `updates()` and sends the joined bytes as one body: the headers are right,
//! but nothing goes out until the stream has ended, and a body of known length gets a
//! `Content-Length` instead of being sent in chunks as each event comes.

// ANCHOR: stub
use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use super::given::updates;

/// The handler of `GET /events`: the given [`updates`] as an event stream (book: Chapter 3 ›
/// Headers, buffering and keep-alive).
pub async fn stream() -> Response {
    let mut body = Vec::new();
    let mut events = Box::pin(updates());
    while let Some(chunk) = events.next().await {
        match chunk {
            Ok(bytes) => body.extend_from_slice(&bytes),
            Err(never) => match never {},
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from(body),
    )
        .into_response()
}
// ANCHOR_END: stub
