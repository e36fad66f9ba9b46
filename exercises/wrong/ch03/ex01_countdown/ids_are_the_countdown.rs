//! The tempting mistake: giving each event the number it counts down as its id (3, 2, 1, then 0
//! for `done`) instead of its position in the stream. The number looks like "where the client
//! is", but a client resuming "after id 2" would then be ahead of id 3.
//! class: spec

use std::collections::HashMap;
use std::convert::Infallible;
use std::num::IntErrorKind;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures::StreamExt;
use sse_format::Event;

use super::given::MAX_FROM;

/// A router with `GET /countdown?from=N`.
pub fn router() -> Router {
    Router::new().route("/countdown", get(countdown))
}

async fn countdown(Query(query): Query<HashMap<String, String>>) -> Response {
    let from = match query.get("from").map(|v| v.parse::<u64>()) {
        None => 3,
        Some(Ok(n)) if n <= MAX_FROM => n,
        Some(Err(e)) if *e.kind() != IntErrorKind::PosOverflow => 3,
        Some(_) => return (StatusCode::BAD_REQUEST, "from is too large\n").into_response(),
    };
    let ticks = (1..=from).rev().map(|n| {
        Event::new()
            .event("tick")
            .data(n.to_string())
            .id(n.to_string())
    });
    let events = ticks.chain(std::iter::once(
        Event::new().event("done").data("liftoff").id("0"),
    ));
    let body = futures::stream::iter(events).then(|event| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        Ok::<_, Infallible>(Bytes::from(event.to_bytes().unwrap()))
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
