//! WRONG variant of ch03::ex01 (see exercises/wrong/README.md).
//! The mistake: giving each event the number it counts down as its id (3, 2, 1, then 0), instead
//! of ids that count up in the order sent. A client resuming "after id 2" would then be ahead of
//! id 3. Caught by `ch03_ex01_countdown_streams_ticks_then_done` and `ch03_ex01_ids_count_up`.

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

/// A router with `GET /countdown?from=N`.
pub fn router() -> Router {
    Router::new().route("/countdown", get(countdown))
}

async fn countdown(Query(query): Query<HashMap<String, String>>) -> Response {
    let from: u64 = query.get("from").and_then(|v| v.parse().ok()).unwrap_or(3);
    let mut events: Vec<Event> = (1..=from)
        .rev()
        .map(|n| {
            Event::new()
                .event("tick")
                .data(n.to_string())
                .id(n.to_string())
        })
        .collect();
    events.push(Event::new().event("done").data("liftoff").id("0"));
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
