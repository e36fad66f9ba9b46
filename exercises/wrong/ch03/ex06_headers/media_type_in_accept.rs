//! The tempting mistake: `text/event-stream` written into `Accept`, the header a client sends
//! when it asks for a stream (chapter 2), instead of the response's `Content-Type`. The body has
//! no media type at all, and a browser's `EventSource` fails the connection for good.
//! class: spec

use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};

use super::given::updates;

/// The handler of `GET /events`.
pub async fn stream() -> Response {
    (
        [
            (header::ACCEPT, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(updates()),
    )
        .into_response()
}
