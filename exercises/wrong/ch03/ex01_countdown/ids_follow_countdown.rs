//! Second-reader wrong answer for ch03::ex01.
//! class: spec
//! Mistake: each tick reuses its countdown value as its id (ids N, N-1, ..., 1, then 0 for `done`),
//! because "the id says where the client is" seems to fit the number on the event; the contract
//! wants ids counting UP from 1 in sending order.

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

async fn countdown(Query(params): Query<HashMap<String, String>>) -> Response {
    let from: u64 = params
        .get("from")
        .and_then(|value| value.parse().ok())
        .unwrap_or(3);

    let mut events = Vec::new();
    for n in (1..=from).rev() {
        // The tick for n is the n-th step from the end: its id is where the client is.
        events.push(
            Event::new()
                .event("tick")
                .id(n.to_string())
                .data(n.to_string()),
        );
    }
    events.push(Event::new().event("done").id("0").data("liftoff"));

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
