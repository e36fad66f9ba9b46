//! Second-reader wrong answer for ch04::ex04.
//! class: resources
//! Mistake: the socket is split, the forwarding loop is `tokio::spawn`ed with the subscription, and
//! the upgrade task reads the client until it closes, then simply returns without aborting the
//! spawned sender: that task keeps the subscription alive until a later event fails to send.

// ANCHOR: stub
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use futures::{SinkExt, StreamExt};
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

async fn forward(socket: WebSocket, hub: Hub, channel: String) {
    let (mut sender, mut receiver) = socket.split();
    let Ok(subscription) = hub.subscribe(&channel, None).await else {
        let _ = sender.send(Message::Close(None)).await;
        return;
    };
    let mut live = subscription.live;

    // Writer: hub events out, one text message each, until a send fails.
    tokio::spawn(async move {
        while let Some(published) = live.recv().await {
            let text = format!("{}:{}", published.id, &*published.data);
            if sender.send(Message::Text(text.into())).await.is_err() {
                break;
            }
        }
    });

    // Reader: the client side must be read, so its pings are answered and its close is seen.
    while let Some(Ok(message)) = receiver.next().await {
        if let Message::Close(_) = message {
            break;
        }
    }
}
// ANCHOR_END: stub
