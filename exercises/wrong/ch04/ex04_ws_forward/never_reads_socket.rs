//! Second-reader wrong answer for ch04::ex04.
//! class: protocol
//! Mistake: the connection only ever sends and relies on a failed send to notice the client has
//! gone, so it never reads the socket: a client's Close frame is not answered and not noticed, and
//! the subscription lives on until the next event happens to fail to send.

// ANCHOR: stub
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use sse_server::hub::Hub;

/// A router with `GET /ws/{channel}` that carries chapter 3's hub over WebSocket instead of SSE.
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
    // Subscribed here, so the subscription lives exactly as long as this task.
    let Ok(subscription) = hub.subscribe(&channel, None).await else {
        let _ = socket.send(Message::Close(None)).await;
        return;
    };
    let mut live = subscription.live;
    while let Some(published) = live.recv().await {
        let text = format!("{}:{}", published.id, &*published.data);
        if socket.send(Message::Text(text.into())).await.is_err() {
            // The client has gone: returning drops the subscription.
            return;
        }
    }
    // The hub let us go (too slow): close cleanly, the client can reconnect.
    let _ = socket.send(Message::Close(None)).await;
}
// ANCHOR_END: stub
