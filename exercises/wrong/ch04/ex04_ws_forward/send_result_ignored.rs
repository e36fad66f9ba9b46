//! The tempting mistake: the result of `socket.send` is thrown away (`let _ =`, which also
//! silences the compiler's warning), so the loop never notices that the client has gone: the task
//! and its hub subscription live on, forwarding into a dead socket, one leak per client that left.
//! class: errors

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
    ws.on_upgrade(move |socket| forward(socket, hub, channel))
}

async fn forward(mut socket: WebSocket, hub: Hub, channel: String) {
    let Ok(mut subscription) = hub.subscribe(&channel, None).await else {
        return;
    };
    while let Some(published) = subscription.live.recv().await {
        let text = format!("{}:{}", published.id, published.data);
        let _ = socket.send(Message::Text(text.into())).await;
    }
}
