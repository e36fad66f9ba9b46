//! Independent reader's wrong answer for ch03::ex06.
//! class: encoding
//! Mistake: builds the nginx header with `HeaderName::from_static("X-Accel-Buffering")`, spelled as
//! the book writes it; `from_static` only accepts lowercase names and panics at run time, so the
//! handler panics on every request although it compiles cleanly.

// ANCHOR: stub
use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};

use super::given::updates;

/// The handler of `GET /events`: the given [`updates`] as an event stream (book: Chapter 3 ›
/// Headers, buffering and keep-alive).
pub async fn stream() -> Response {
    let x_accel_buffering = HeaderName::from_static("X-Accel-Buffering");
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (x_accel_buffering, "no"),
        ],
        Body::from_stream(updates()),
    )
        .into_response()
}
// ANCHOR_END: stub
