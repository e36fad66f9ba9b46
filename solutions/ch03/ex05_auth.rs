//! Solution to ch03::ex05: authorise before streaming.

// ANCHOR: solution
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
    // A header that is not text (`to_str` fails) is simply not a valid credential: no unwrap.
    let authorised = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        // Constant time: how long this takes does not say how much of the token was right.
        .is_some_and(|presented| tokens_match(presented, token));
    // Decide before anything is streamed: once `200 OK` is sent, it cannot be taken back.
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
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// The credentials of `Bearer <token>`. The scheme name is case-insensitive (RFC 9110, 11.1),
/// the token is not.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, credentials) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(credentials)
}
// ANCHOR_END: solution
