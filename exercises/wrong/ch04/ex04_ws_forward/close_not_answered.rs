//! The tempting mistake: the socket is read and a Close ends the task at once, trusting axum's
//! documentation ("axum will automatically respond with a close frame"). axum queues the reply
//! when it reads the Close, but the reply leaves only with the next read or write on the socket,
//! and this task drops the socket first: the client's Close is never answered (RFC 6455 section
//! 5.5.1), and it sees the connection reset instead of a closing handshake.
//! class: protocol

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
                // The client closed, or vanished: either way, stop (axum answers the Close).
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {} // pings are answered by axum; this feed ignores client text
            },
        }
    }
}
