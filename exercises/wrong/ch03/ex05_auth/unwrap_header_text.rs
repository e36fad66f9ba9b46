//! The tempting mistake: `to_str().unwrap()` on the `Authorization` header, because a header
//! "is always text". A client can send any bytes (obs-text, e.g. 0xFF), and then the handler
//! panics: the connection is dropped instead of being refused with a 401.
//! class: errors

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
    let authorised = match headers.get(header::AUTHORIZATION) {
        Some(value) => {
            let value = value.to_str().unwrap();
            match value.split_once(' ') {
                Some((scheme, presented)) => {
                    scheme.eq_ignore_ascii_case("bearer") && tokens_match(presented, token)
                }
                None => false,
            }
        }
        None => false,
    };
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
