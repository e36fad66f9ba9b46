//! The tempting mistake: the events are text, so the body is built as a `String` stream and
//! returned as one, which axum labels `text/plain; charset=utf-8`; the other headers are right.
//! A `data:` line does not make a response an event stream: its media type does, and a
//! browser's `EventSource` refuses `text/plain`.
//! class: encoding

use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use super::given::updates;

/// The handler of `GET /events`.
pub async fn stream() -> Response {
    let mut text = String::new();
    let mut events = std::pin::pin!(updates());
    while let Some(Ok(chunk)) = events.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    (
        [
            (header::CACHE_CONTROL, "no-cache"),
            (HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        text,
    )
        .into_response()
}
