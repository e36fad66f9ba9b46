//! The tempting mistake: making the scheme case-insensitive by lowercasing the whole header
//! value before looking for `bearer `. The scheme is case-insensitive, but the token is not: a
//! token that differs only in case (`OPEN-SESAME` for `open-sesame`) is wrongly accepted, which
//! also makes a token easier to guess.
//! class: encoding

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
        .map(str::to_ascii_lowercase)
        .is_some_and(|v| {
            v.strip_prefix("bearer ")
                .is_some_and(|presented| tokens_match(presented, token))
        });
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
