//! The tempting mistake: collecting the updates into one buffer and answering with it, since a
//! `Bytes` body is simpler than a streaming one. The headers are right, but the body now has a
//! `Content-Length`, and nothing is sent until the last event exists: every event is held back
//! in memory.
//! class: resources

use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use super::given::updates;

/// The handler of `GET /events`.
pub async fn stream() -> Response {
    let mut body = Vec::new();
    let mut events = std::pin::pin!(updates());
    while let Some(Ok(chunk)) = events.next().await {
        body.extend_from_slice(&chunk);
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
