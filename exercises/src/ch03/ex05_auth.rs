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

use super::given::tokens_match;

/// A router with `GET /private` that streams only to holders of `token` (book: Chapter 3 ›
/// Slow clients, shutdown and auth).
///
/// The contract:
/// - A request is authorised when its `Authorization` header holds the scheme `Bearer`, a space,
///   and exactly this router's `token`. The scheme name is case-insensitive (RFC 9110, 11.1:
///   `bearer` and `BEARER` are the same scheme); the token is not.
/// - The presented token is compared with [`tokens_match`] (given: a constant-time compare), and
///   only with it, for every request that presents a `Bearer` token.
/// - An authorised request gets `200 OK`, `Content-Type: text/event-stream`, and a stream of one
///   event with the data `welcome`; then the stream ends.
/// - Any other request (no header, another token, a token without the scheme, another scheme, a
///   header that is not text) gets `401 Unauthorized` with a `WWW-Authenticate: Bearer` header
///   and a short text body: no event stream at all. The decision comes BEFORE the response
///   starts: once a `200` and `text/event-stream` have gone out they cannot be taken back, and a
///   client such as the browser's `EventSource` treats an error event inside a `200` stream as
///   data.
pub fn router(token: String) -> Router {
    // TODO: the route and its handler, following the contract above.
    todo!("the private router")
}
// ANCHOR_END: stub
