//! Second-reader wrong answer for ch03::ex05.
//! class: spec
//! Mistake: the token is taken with `trim_start_matches("Bearer ")`, which returns the header
//! unchanged when the prefix is missing, so `Authorization: <token>` (no `Bearer `) is accepted
//! with a 200 stream instead of being refused with 401.

// ANCHOR: stub
use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;

/// A router with `GET /private` that streams only to holders of `token`.
pub fn router(token: String) -> Router {
    Router::new().route(
        "/private",
        get(move |headers: HeaderMap| {
            let token = token.clone();
            async move { private(headers, &token) }
        }),
    )
}

fn private(headers: HeaderMap, token: &str) -> Response {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.trim_start_matches("Bearer "));

    if presented != Some(token) {
        // Decided before anything is streamed: a 401, never a 200 event stream.
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "missing or wrong bearer token\n",
        )
            .into_response();
    }

    let welcome = futures::stream::once(async {
        Ok::<_, Infallible>(Bytes::from_static(b"data: welcome\n\n"))
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(welcome),
    )
        .into_response()
}
// ANCHOR_END: stub
