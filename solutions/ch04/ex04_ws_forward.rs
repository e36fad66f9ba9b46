//! Solution to ch04::ex04: the hub over WebSocket.

// ANCHOR: solution
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use futures::SinkExt;
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
        // A bad channel name, or the hub is full: nothing to forward.
        let _ = socket.send(Message::Close(None)).await;
        return;
    };
    // One task, two sources: the hub's events and the client's frames. Reading the socket is how
    // a server learns that the client closed or vanished while the channel is quiet; returning
    // drops the subscription with the task.
    loop {
        tokio::select! {
            published = subscription.live.recv() => {
                let Some(published) = published else {
                    // The hub let this subscriber go (too slow): close, the client may reconnect.
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                };
                let text = format!("{}:{}", published.id, published.data);
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return; // the client went away: a failed send is news, not a bug
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) => {
                    // RFC 6455 section 5.5.1: answer a Close with a Close. axum queued that answer
                    // when it read the client's Close, but it leaves only when the socket is
                    // written to again, and a second Close would be refused (the socket is
                    // closing): closing our side flushes the queued answer. Then stop.
                    let _ = socket.close().await;
                    return;
                }
                Some(Ok(_)) => {} // pings are answered by axum; this feed ignores client text
                Some(Err(_)) | None => return, // the connection is gone
            },
        }
    }
}
// ANCHOR_END: solution
