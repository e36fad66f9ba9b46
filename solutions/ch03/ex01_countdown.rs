//! Solution to ch03::ex01: a countdown stream.

// ANCHOR: solution
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

/// A router with `GET /countdown?from=N` (N defaults to 3, at most `MAX_FROM`).
pub fn router() -> Router {
    Router::new().route("/countdown", get(countdown))
}

async fn countdown(Query(query): Query<HashMap<String, String>>) -> Response {
    // The client names N: read it, and refuse a countdown longer than MAX_FROM before anything
    // is streamed. A number too long for a u64 is still a (too large) number, not "no number".
    let from = match query.get("from").map(|text| text.parse::<u64>()) {
        None => 3,
        Some(Ok(n)) if n <= MAX_FROM => n,
        Some(Ok(_)) => return too_long(),
        Some(Err(error)) if *error.kind() == IntErrorKind::PosOverflow => return too_long(),
        Some(Err(_)) => 3,
    };
    // A lazy iterator: each event is made when the stream asks for it, one at a time, so the
    // server never holds the whole countdown. tick N .. tick 1, then done; ids count up from 1.
    let ticks = (1..=from)
        .rev()
        .map(|n| Event::new().event("tick").data(n.to_string()));
    let events = ticks.chain(std::iter::once(Event::new().event("done").data("liftoff")));
    let body = futures::stream::iter(events.zip(1u64..)).then(|(event, id)| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        // Our own names, digits and `liftoff`: always a valid event.
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

/// The refusal of a `from` above `MAX_FROM`: decided before any event, so it is a plain 400.
fn too_long() -> Response {
    (
        StatusCode::BAD_REQUEST,
        format!("from: at most {MAX_FROM} (a countdown longer than that is refused)\n"),
    )
        .into_response()
}
// ANCHOR_END: solution
