//! The tempting mistake: reading `from` with `parse::<u64>().ok()` and checking the bound on the
//! result. A number too large for a `u64` fails to parse, so it silently becomes the default 3:
//! a client that asked for a huge countdown gets a short stream it did not ask for, instead of the
//! `400` the contract gives every number above `MAX_FROM`, however many digits it has.
//! class: boundaries

use std::collections::HashMap;
use std::convert::Infallible;
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
    let from: u64 = query.get("from").and_then(|v| v.parse().ok()).unwrap_or(3);
    if from > MAX_FROM {
        return (StatusCode::BAD_REQUEST, "from is too large\n").into_response();
    }
    let ticks = (1..=from)
        .rev()
        .map(|n| Event::new().event("tick").data(n.to_string()));
    let events = ticks.chain(std::iter::once(Event::new().event("done").data("liftoff")));
    let body = futures::stream::iter(events.zip(1u64..)).then(|(event, id)| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let bytes = event.id(id.to_string()).to_bytes().expect("valid event");
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
