//! # sse-ws
//!
//! The publish/subscribe workload of the SSE hub, carried over WebSocket instead, so that chapter
//! 4 can compare the two on the same events: an axum `ws` endpoint that forwards a hub channel,
//! and a `tokio-tungstenite` client.
//!
//! Each event is one text message, `{"id": "<id>", "data": "..."}`. WebSocket has no built-in
//! resume: a client that reconnects starts from the live feed, unless the application adds its
//! own protocol for it. The endpoint accepts `?after=<id>` to replay from the hub's buffer, and
//! the client can send it, so the comparison can show both. (If the replay cannot cover what came
//! after `<id>`, the first message is the hub's `replay-gap` notice, `{"id": "<head>",
//! "event": "replay-gap", "data": "{...}"}`.)
//!
//! ```no_run
//! # async fn demo() -> Result<(), sse_ws::Error> {
//! let mut messages = sse_ws::subscribe("ws://127.0.0.1:3000/ws/news", None).await?;
//! while let Some(message) = messages.next().await? {
//!     println!("{}: {}", message.id, message.data);
//! }
//! # Ok(()) }
//! ```

use axum::Router;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use sse_hub::{EventId, Hub};
use tokio::sync::watch;

/// One event as a WebSocket text message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The hub's id.
    pub id: EventId,
    /// The event type, if not the default `message` (`replay-gap` for the hub's gap notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The event's data.
    pub data: String,
}

#[derive(Clone)]
struct WsState {
    hub: Hub,
    drops: watch::Receiver<u64>,
}

#[derive(Deserialize)]
struct WsQuery {
    after: Option<String>,
}

/// `GET /ws/{channel}[?after=N]`: upgrades to WebSocket and forwards the channel's events.
/// Every change of `drops` closes all open sockets (for fault tests).
pub fn router(hub: Hub, drops: watch::Receiver<u64>) -> Router {
    Router::new()
        .route("/ws/{channel}", get(upgrade))
        .with_state(WsState { hub, drops })
}

async fn upgrade(
    State(state): State<WsState>,
    Path(channel): Path<String>,
    Query(query): Query<WsQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| forward(socket, state, channel, query.after))
}

// ANCHOR: forward
async fn forward(socket: WebSocket, state: WsState, channel: String, after: Option<String>) {
    let (mut sender, mut receiver) = socket.split();
    let Ok(subscription) = state.hub.subscribe(&channel, after.as_deref()).await else {
        // A bad channel name, too many channels, or the storage is down: close, the client
        // tries again.
        let _ = sender.send(WsMessage::Close(None)).await;
        return;
    };
    // Counted open until this function returns (the socket is gone then).
    let _open = sse_hub::metrics::OpenStream::new(sse_hub::metrics::Transport::WebSocket);
    sse_hub::metrics::resumed(&subscription, after.is_some());
    let mut drops = state.drops;
    drops.mark_unchanged();
    let mut live = subscription.live;
    let text = |id: EventId, event: Option<&str>, data: &str| {
        WsMessage::Text(
            serde_json::to_string(&Message {
                id,
                event: event.map(str::to_owned),
                data: data.to_owned(),
            })
            .expect("serialisable")
            .into(),
        )
    };
    let gap = subscription.gap.map(|gap| {
        let notice = gap.event();
        text(
            subscription.head,
            notice.get_event(),
            notice.get_data().unwrap_or_default(),
        )
    });
    let replay = subscription
        .replay
        .iter()
        .map(|p| text(p.id, p.event.as_deref(), &p.data));
    for message in gap.into_iter().chain(replay) {
        if sender.send(message).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            published = live.recv() => match published {
                Some(published) => {
                    if sender.send(text(published.id, published.event.as_deref(), &published.data)).await.is_err() {
                        return;
                    }
                }
                None => return, // too slow: the hub let this subscriber go
            },
            // The client side of a WebSocket must be read, or pings and the close go unanswered.
            incoming = receiver.next() => match incoming {
                Some(Ok(WsMessage::Close(_))) => {
                    // RFC 6455 §5.5.1: a Close is answered with a Close. tungstenite queues the
                    // reply itself when it reads one (a second Close would be refused); closing
                    // the sink flushes it out.
                    let _ = sender.close().await;
                    return;
                }
                None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = drops.changed() => return, // drop the connection without a close frame
        }
    }
}
// ANCHOR_END: forward

/// A WebSocket subscription, reading [`Message`]s.
#[derive(Debug)]
pub struct Subscription {
    stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

/// Errors of the client.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Connects to `url` (`ws://host/ws/{channel}`), asking for a replay after `after` if given
/// (`0` or `0-0`: everything the hub keeps).
pub async fn subscribe(url: &str, after: Option<EventId>) -> Result<Subscription, Error> {
    let url = match after {
        Some(after) => format!("{url}?after={after}"),
        None => url.to_owned(),
    };
    let (stream, _response) = tokio_tungstenite::connect_async(url).await?;
    Ok(Subscription { stream })
}

impl Subscription {
    /// The next event; `Ok(None)` when the server closed the connection cleanly.
    pub async fn next(&mut self) -> Result<Option<Message>, Error> {
        use tokio_tungstenite::tungstenite::Message as Frame;
        while let Some(frame) = self.stream.next().await {
            match frame? {
                Frame::Text(text) => return Ok(Some(serde_json::from_str(&text)?)),
                Frame::Close(_) => return Ok(None),
                _ => {} // pings are answered by tungstenite itself
            }
        }
        Ok(None)
    }
}
