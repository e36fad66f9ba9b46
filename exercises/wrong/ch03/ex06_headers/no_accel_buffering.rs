//! The tempting mistake: only the two headers every SSE example shows, `Content-Type` and
//! `Cache-Control`. Proxy buffering feels like the operations team's business, so
//! `X-Accel-Buffering: no` is left out, and behind nginx the events arrive late, in bursts.
//! class: protocol

use axum::body::Body;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};

use super::given::updates;

/// The handler of `GET /events`.
pub async fn stream() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(updates()),
    )
        .into_response()
}
