//! Independent reader's wrong answer for ch03::ex01.
//! class: spec
//! Mistake: the id is taken from `enumerate()`, so the first event gets id `0` and the `done`
//! event id `N`: the student read "its position in the stream" as the zero-based index instead
//! of the contract's "`1` for the first event sent".

// ANCHOR: stub
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

const DEFAULT_FROM: u64 = 3;
const TICK: Duration = Duration::from_millis(10);

/// A router with `GET /countdown?from=N` (book: Chapter 3 › Headers, buffering and keep-alive).
pub fn router() -> Router {
    Router::new().route("/countdown", get(countdown))
}

/// `Ok(n)` for the countdown length, `Err(())` for a number above the bound.
fn parse_from(raw: Option<&String>) -> Result<u64, ()> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_FROM);
    };
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(DEFAULT_FROM);
    }
    // All digits: a number. Too long for u64 is still a number, and above the bound.
    match raw.parse::<u64>() {
        Ok(n) if n <= MAX_FROM => Ok(n),
        _ => Err(()),
    }
}

async fn countdown(Query(params): Query<HashMap<String, String>>) -> Response {
    let Ok(n) = parse_from(params.get("from")) else {
        return (
            StatusCode::BAD_REQUEST,
            format!("from must be at most {MAX_FROM}\n"),
        )
            .into_response();
    };
    // The ticks N..=1 then the final event, made lazily as the body is read.
    let events = (1..=n)
        .rev()
        .map(Some)
        .chain(std::iter::once(None))
        .enumerate();
    let stream = futures::stream::iter(events).then(|(position, tick)| async move {
        tokio::time::sleep(TICK).await;
        let event = match tick {
            Some(value) => Event::new().event("tick").data(value.to_string()),
            None => Event::new().event("done").data("liftoff"),
        };
        let bytes = event.id(position.to_string()).to_bytes().unwrap_or_default();
        Ok::<_, Infallible>(Bytes::from(bytes))
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
// ANCHOR_END: stub
