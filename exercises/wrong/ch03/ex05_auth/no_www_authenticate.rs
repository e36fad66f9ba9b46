//! Second-reader wrong answer for ch03::ex05.
//! class: protocol
//! Mistake: the refusal is a bare `(StatusCode::UNAUTHORIZED, "unauthorized")`, without the
//! `WWW-Authenticate: Bearer` challenge that HTTP requires on every 401 (the status alone looks
//! like enough, and the browser's EventSource never shows the header).

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
    let authorised = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|presented| presented == token);

    if !authorised {
        // Decided before anything is streamed: a 401, never a 200 event stream.
        return (StatusCode::UNAUTHORIZED, "unauthorized\n").into_response();
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
