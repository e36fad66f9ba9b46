//! The tempting mistake: `strip_prefix("Bearer ")`, the scheme exactly as the examples write
//! it. HTTP authentication schemes are case-insensitive (RFC 9110, 11.1), so a client that sends
//! `bearer <token>` or `BEARER <token>` holds the right token and is refused with 401.
//! class: spec

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;

use super::given::tokens_match;

/// A router with `GET /private`, streaming only to holders of `token`.
pub fn router(token: String) -> Router {
    Router::new().route(
        "/private",
        get(move |headers: HeaderMap| async move { private(&headers, &token) }),
    )
}

fn private(headers: &HeaderMap, token: &str) -> Response {
    let authorised = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|presented| tokens_match(presented, token));
    if !authorised {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid token is required\n",
        )
            .into_response();
    }
    let body = futures::stream::iter([Ok::<_, Infallible>(Bytes::from_static(
        b"data: welcome\n\n",
    ))]);
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(body),
    )
        .into_response()
}
