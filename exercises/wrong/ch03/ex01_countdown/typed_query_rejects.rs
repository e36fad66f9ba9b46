//! Second-reader wrong answer for ch03::ex01.
//! class: boundaries
//! Mistake: `from` is extracted as a typed query (`Query<HashMap<String, u64>>`), so a `from` that
//! is not a number (or is negative) makes axum reject the request with 400 instead of falling back
//! to the default 3; only the "missing" half of the default rule works.

// ANCHOR: stub
use std::collections::HashMap;
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
pub fn router() -> Router {
    Router::new().route("/countdown", get(countdown))
}

async fn countdown(Query(params): Query<HashMap<String, u64>>) -> Response {
    let from = params.get("from").copied().unwrap_or(3);

    let ticks = (1..=from)
        .rev()
        .map(|n| Event::new().event("tick").data(n.to_string()));
    let done = std::iter::once(Event::new().event("done").data("liftoff"));
    let events: Vec<Event> = ticks
        .chain(done)
        .enumerate()
        .map(|(position, event)| event.id((position + 1).to_string()))
        .collect();

    let body = futures::stream::iter(events).then(|event| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let bytes = event.to_bytes().expect("tick and done events are valid");
        Ok::<_, Infallible>(Bytes::from(bytes))
    });

    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
// ANCHOR_END: stub
