//! The stream and publish endpoints, and the demo channels.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use serde::Deserialize;
use sse_format::Event;

use crate::AppState;
use crate::sse::sse_response;

/// Query parameters of `GET /events/{channel}`.
#[derive(Debug, Default, Deserialize)]
pub struct StreamQuery {
    /// Resume point for a browser's first connection (`EventSource` cannot set headers).
    #[serde(rename = "lastEventId")]
    last_event_id: Option<String>,
    /// Teaching aid: end the connection after this many live events, to show reconnection.
    drop_after: Option<usize>,
}

// ANCHOR: stream
/// `GET /events/{channel}`: the channel's events, resuming after `Last-Event-ID` (header) or
/// `?lastEventId=` (first connection of a browser).
pub async fn stream(
    State(state): State<AppState>,
    Path(channel): Path<String>,
    Query(query): Query<StreamQuery>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let Some(slot) = state.limit.acquire(state.client_ip(peer, &headers)) else {
        let message = "too many concurrent streams from this address";
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "5")],
            message,
        )
            .into_response();
    };
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.last_event_id);
    let subscription = state.hub.subscribe(&channel, last_event_id.as_deref());

    let gap = subscription
        .gap
        .map(|gap| Bytes::from(gap.event().to_bytes().expect("valid gap event")));
    let replay = subscription.replay.into_iter().map(|p| p.bytes);
    // The queue ends if this subscriber falls too far behind: the stream ends, the client
    // reconnects with its last id, and the replay buffer catches it up, without ever holding back
    // the other subscribers.
    let live = futures::stream::unfold(subscription.live, |mut live| async move {
        let published = live.recv().await?;
        Some((published.bytes, live))
    });
    let live = live.take(query.drop_after.unwrap_or(usize::MAX));
    let events = futures::stream::iter(gap.into_iter().chain(replay))
        .chain(live)
        // The slot lives as long as the stream, so the count drops when the client goes.
        .map(move |bytes| {
            let _ = &slot;
            bytes
        });
    sse_response(events, state.sse, state.shutdown.clone())
}
// ANCHOR_END: stream

/// Body of `POST /publish/{channel}`.
#[derive(Debug, Deserialize)]
pub struct PublishBody {
    /// The event type (default `message`).
    event: Option<String>,
    /// The data.
    data: String,
}

/// `POST /publish/{channel}` with `{"event": "...", "data": "..."}`: returns `{"id": N}`.
pub async fn publish(
    State(state): State<AppState>,
    Path(channel): Path<String>,
    Json(body): Json<PublishBody>,
) -> Response {
    let mut event = Event::new().data(body.data);
    if let Some(kind) = body.event {
        event = event.event(kind);
    }
    match state.hub.publish(&channel, event) {
        Ok(id) => Json(serde_json::json!({ "id": id })).into_response(),
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, error.to_string()).into_response(),
    }
}

/// Publishes the demo channels until shutdown: `clock` (the time, every second) and `counter`
/// (1, 2, 3, ... every `counter_every`).
pub async fn run_demo_publishers(state: AppState, counter_every: Duration) {
    let mut shutdown = state.shutdown.clone();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let mut counter = tokio::time::interval(counter_every);
    let mut n = 0u64;
    loop {
        tokio::select! {
            () = shutdown.wait() => return,
            _ = clock.tick() => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                let (h, m, s) = ((now.as_secs() / 3600) % 24, (now.as_secs() / 60) % 60, now.as_secs() % 60);
                let _ = state.hub.publish("clock", Event::new().event("tick").data(format!("{h:02}:{m:02}:{s:02} UTC")));
            }
            _ = counter.tick() => {
                n += 1;
                let _ = state.hub.publish("counter", Event::new().data(n.to_string()));
            }
        }
    }
}
