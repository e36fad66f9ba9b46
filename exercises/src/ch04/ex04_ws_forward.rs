//! Exercise ch04::ex04: the hub over WebSocket. Book: Chapter 4 › Exercises › "ch04::ex04".
//! Stuck? `cargo course hint ch04::ex04`. Test: `cargo test -p exercises --test ch04 ch04_ex04`.

// ANCHOR: stub
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use sse_server::hub::Hub;

/// A router with `GET /ws/{channel}` that carries chapter 3's hub over WebSocket instead of SSE
/// (book: Chapter 3 › Broadcast, replay and resume, for the hub; axum's `extract::ws` module, for
/// the upgrade).
///
/// The contract:
/// - The request is upgraded to a WebSocket (the HTTP exchange ends with `101 Switching
///   Protocols`; from then on the socket lives on its own).
/// - Once upgraded, the connection subscribes to the hub's channel `{channel}` (live events only,
///   no replay) and sends each event as ONE text message `"{id}:{data}"`, in order, none skipped.
/// - The connection notices at once when the client goes away (it closes the TCP connection, a
///   read or a send fails), even on a channel where nothing is published, and then stops: its
///   subscription is dropped. A client going away is normal: no task panics.
/// - A Close frame from the client is answered with a Close frame (RFC 6455 section 5.5.1), and
///   the connection stops.
/// - Other connections, and other channels, are independent.
pub fn router(hub: Hub) -> Router {
    // TODO: the route, and a handler that accepts the upgrade.
    todo!("the WebSocket router")
}
// ANCHOR_END: stub
