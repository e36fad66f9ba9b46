//! The tempting mistake: comparing the presented token with `==`. It gives the right answer,
//! but `==` on strings stops at the first differing byte, so the time a refusal takes tells an
//! attacker how many leading bytes were right, and the token can be guessed byte by byte. The
//! contract asks for the given constant-time `tokens_match`.
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
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, presented)| {
            scheme.eq_ignore_ascii_case("bearer") && presented == token
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
