//! The stream and publish endpoints, and the demo channels.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use sse_format::Event;

use crate::AppState;
use crate::hub::{HubError, IdempotencyKey, Receipt};
use crate::sse::sse_response;

/// The answer to a refused publish or subscription: the hub's status, its message, and
/// `Retry-After` when trying again later can work.
fn refused(error: &HubError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, format!("{error}\n")).into_response();
    if let Some(after) = error.retry_after() {
        let seconds = after.as_secs().max(1).to_string();
        if let Ok(value) = header::HeaderValue::from_str(&seconds) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}

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
    let mut subscription = match state
        .hub
        .subscribe(&channel, last_event_id.as_deref())
        .await
    {
        Ok(subscription) => subscription,
        Err(error) => return with_node(refused(&error), &state),
    };
    // The gap notice, the replay, and for a client with no id yet the head as an id-only block,
    // so that its first reconnect resumes instead of starting over.
    let prelude = subscription.sse_prelude(last_event_id.as_deref());
    // The queue ends if this subscriber falls too far behind: the stream ends, the client
    // reconnects with its last id, and the replay catches it up, without ever holding back the
    // other subscribers.
    let live = subscription.live.map(|published| published.bytes);
    let live = live.take(query.drop_after.unwrap_or(usize::MAX));
    let events = futures::stream::iter(prelude)
        .chain(live)
        // The slot lives as long as the stream, so the count drops when the client goes.
        .map(move |bytes| {
            let _ = &slot;
            bytes
        });
    let response = sse_response(events, state.sse, state.shutdown.clone());
    with_node(response, &state)
}

/// Adds `x-sse-node`: which node served the request (behind a load balancer, it matters).
fn with_node(mut response: Response, state: &AppState) -> Response {
    response
        .headers_mut()
        .insert("x-sse-node", state.node.clone());
    response
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

// ANCHOR: publish
/// `POST /publish/{channel}` with `{"event": "...", "data": "..."}`: returns `{"id": "<id>"}`,
/// or the hub's refusal (400 bad channel name, reserved event name or bad `Idempotency-Key`,
/// 413, 429 too many channels, 503 storage down, with `Retry-After`).
///
/// With an `Idempotency-Key` header (1 to 128 bytes of visible ASCII), a retry with the same key
/// stores nothing and answers the first publish's id: `{"id": "<id>", "duplicate": true}`.
pub async fn publish(
    State(state): State<AppState>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    Json(body): Json<PublishBody>,
) -> Response {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => match IdempotencyKey::from_bytes(value.as_bytes()) {
            Ok(key) => Some(key),
            Err(error) => return refused(&HubError::from(error)),
        },
    };
    let mut event = Event::new().data(body.data);
    if let Some(kind) = body.event {
        event = event.event(kind);
    }
    let result = match &key {
        Some(key) => state.hub.publish_idempotent(&channel, event, key).await,
        None => state.hub.publish(&channel, event).await.map(|id| Receipt {
            id,
            duplicate: false,
        }),
    };
    match result {
        Ok(Receipt {
            id,
            duplicate: false,
        }) => Json(serde_json::json!({ "id": id })).into_response(),
        Ok(Receipt {
            id,
            duplicate: true,
        }) => Json(serde_json::json!({ "id": id, "duplicate": true })).into_response(),
        Err(error @ HubError::Unavailable { .. }) => {
            // A timeout cannot tell "not stored" from "stored late" (a paused Redis applies the
            // queued write when it resumes): say so, and how to retry safely.
            let outcome = if key.is_some() {
                "the outcome is unknown: retry with the same Idempotency-Key; if the event was \
                 stored, the retry answers its id with \"duplicate\": true"
            } else {
                "the event may have been published: a retry may publish it twice (send an \
                 Idempotency-Key header to make retries safe)"
            };
            let mut response = refused(&error);
            *response.body_mut() = format!("{error}\n{outcome}\n").into();
            response
        }
        Err(error) => refused(&error),
    }
}
// ANCHOR_END: publish

/// `GET /health`: `{"node": "a", "hub": "memory"}`, or with Redis `{"node": "a", "hub": "redis",
/// "redis": "ok"}` (200) or `"redis": "unreachable"` (503), so a load balancer stops sending
/// clients to a node that cannot reach the bus.
pub async fn health(State(state): State<AppState>) -> Response {
    let health = state.hub.health().await;
    let node = state.node.to_str().unwrap_or("node");
    let mut body = serde_json::json!({ "node": node, "hub": health.storage });
    let mut status = StatusCode::OK;
    if let Some(reachable) = health.reachable {
        body[health.storage] = if reachable { "ok" } else { "unreachable" }.into();
        if !reachable {
            status = StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    (status, Json(body)).into_response()
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
                let _ = state.hub.publish("clock", Event::new().event("tick").data(format!("{h:02}:{m:02}:{s:02} UTC"))).await;
            }
            _ = counter.tick() => {
                n += 1;
                let _ = state.hub.publish("counter", Event::new().data(n.to_string())).await;
            }
        }
    }
}
