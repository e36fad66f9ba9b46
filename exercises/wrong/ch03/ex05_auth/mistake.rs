//! WRONG variant of ch03::ex05 (see exercises/wrong/README.md).
//! The mistake: starting the event stream first and reporting the failed check inside it, as an
//! `error` event. The client has already received `200 OK` and `text/event-stream`, so it sees a
//! successful connection (and a browser would reconnect to it forever). Caught by
//! `ch03_ex05_unauthorised_requests_get_401_before_any_stream` and
//! `ch03_ex05_the_right_token_gets_the_stream`.

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;

/// A router with `GET /private`.
pub fn router(token: String) -> Router {
    Router::new().route(
        "/private",
        get(move |headers: HeaderMap| async move {
            let allowed = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                == Some(format!("Bearer {token}").as_str());
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
