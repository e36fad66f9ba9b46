//! Exercise ch04::ex04: the hub over WebSocket. Book: Chapter 4 › Exercises › "ch04::ex04".
//! Stuck? `cargo course hint ch04::ex04`. Test: `cargo test -p exercises --test ch04 ch04_ex04`.

// ANCHOR: stub
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use sse_server::hub::Hub;

/// A router with `GET /ws/{channel}`: upgrades to a WebSocket and sends each event of the hub's
/// channel as one text message `"{id}:{data}"`, until the client goes away.
pub fn router(hub: Hub) -> Router {
    // TODO: a handler taking `State<Hub>`, `Path<String>` and `WebSocketUpgrade`, returning
    //       `ws.on_upgrade(move |socket| forward(socket, hub, channel))`.
    todo!("the WebSocket router")
}

async fn forward(mut socket: WebSocket, hub: Hub, channel: String) {
    // TODO: `hub.subscribe(&channel, None).await` (return if it is an `Err`) and, for each event
    //       of `subscription.live`
    //       (`recv().await` until `None`), send `Message::Text(format!("{}:{}", p.id, p.data).into())`.
    //       Stop when sending fails: the client is gone.
    todo!("forward {channel}")
}
// ANCHOR_END: stub
