//! Solution to ch04::ex04: the hub over WebSocket.

// ANCHOR: solution
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use sse_server::hub::Hub;

/// A router with `GET /ws/{channel}` forwarding the hub's events as `"{id}:{data}"` messages.
pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/ws/{channel}", get(upgrade))
        .with_state(hub)
}

async fn upgrade(
    State(hub): State<Hub>,
    Path(channel): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    // The HTTP request ends here; the socket lives on in its own task.
    ws.on_upgrade(move |socket| forward(socket, hub, channel))
}

async fn forward(mut socket: WebSocket, hub: Hub, channel: String) {
    let Ok(mut subscription) = hub.subscribe(&channel, None).await else {
        return; // a bad channel name, or the hub is full: nothing to forward
    };
    while let Some(published) = subscription.live.recv().await {
        let text = format!("{}:{}", published.id, published.data);
        if socket.send(Message::Text(text.into())).await.is_err() {
            return; // the client went away
        }
    }
}
// ANCHOR_END: solution
