//! Solution to ch03::ex06: the headers of a stream.

// ANCHOR: solution
use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};

use super::given::updates;

/// The handler of `GET /events`: the given updates as an event stream.
pub async fn stream() -> Response {
    (
        [
            // What makes the response an event stream; EventSource refuses anything else.
            (header::CONTENT_TYPE, "text/event-stream"),
            // No cache may keep a live stream, or serve one client's events to another.
            (header::CACHE_CONTROL, "no-cache"),
            // nginx buffers proxied responses by default: this response asks it not to.
            (HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        // A body built from a stream has no known length: hyper sends no Content-Length and
        // writes each item as its own chunk, as soon as the stream yields it. (Collecting the
        // events into one `Bytes` first would set a Content-Length and hold every event back
        // until the last one.)
        Body::from_stream(updates()),
    )
        .into_response()
}
// ANCHOR_END: solution
