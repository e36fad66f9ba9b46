//! The tempting mistake: taking `from` as the client sent it, with no upper bound, and building
//! every event in a `Vec` before streaming. It looks harmless for `from=3`, but the client names
//! N: `?from=1000000000` makes the server allocate a billion events (and a few such requests
//! exhaust its memory). The bound is part of the contract.
//! class: resources

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
    // All the events up front: tick N .. tick 1, then done. Ids count up from 1.
    let mut events: Vec<Event> = (1..=from)
        .rev()
        .map(|n| Event::new().event("tick").data(n.to_string()))
        .collect();
    events.push(Event::new().event("done").data("liftoff"));
    let body =
        futures::stream::iter(events.into_iter().enumerate()).then(|(i, event)| async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            let bytes = event
                .id((i + 1).to_string())
                .to_bytes()
                .expect("valid event");
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
