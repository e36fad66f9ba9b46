//! Exercise ch03::ex05: authorise before streaming. Book: Chapter 3 › Exercises › "ch03::ex05".
//! Stuck? `cargo course hint ch03::ex05`. Test: `cargo test -p exercises --test ch03 ch03_ex05`.

// ANCHOR: stub
use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;

/// A router with `GET /private`: with `Authorization: Bearer <token>` it streams one event,
/// `data: welcome`, and ends; otherwise it answers `401 Unauthorized` with a
/// `WWW-Authenticate: Bearer` header and a short text body, and no stream at all.
pub fn router(token: String) -> Router {
    // TODO: a handler that reads the `Authorization` header (hint: take `HeaderMap` as an
    //       argument, and clone `token` into the closure).
    // TODO: the check must come first: a client must never receive `200 OK` and
    //       `text/event-stream` for a request that is not allowed.
    todo!("the private router")
}
// ANCHOR_END: stub
