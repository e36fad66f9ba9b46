//! The tempting mistake: starting the event stream first and reporting the failed check inside
//! it, as an `error` event. The client has already received `200 OK` and `text/event-stream`, so
//! it sees a successful connection (and a browser would reconnect to it forever).
//! class: protocol

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;

use super::given::tokens_match;

/// A router with `GET /private`.
pub fn router(token: String) -> Router {
    Router::new().route(
        "/private",
        get(move |headers: HeaderMap| async move {
            let allowed = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
                .is_some_and(|(scheme, presented)| {
                    scheme.eq_ignore_ascii_case("bearer") && tokens_match(presented, &token)
                });
            let event: &'static [u8] = if allowed {
                b"data: welcome\n\n"
            } else {
                b"event: error\ndata: unauthorized\n\n"
            };
            let body = futures::stream::iter([Ok::<_, Infallible>(Bytes::from_static(event))]);
            (
                [(header::CONTENT_TYPE, "text/event-stream")],
                Body::from_stream(body),
            )
                .into_response()
        }),
    )
}
