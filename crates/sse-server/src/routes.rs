//! The stream, publish and health endpoints, and the pieces of the stream endpoint ([`open`],
//! [`live_events`], [`respond`]) for applications that serve streams of their own shape.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde::Deserialize;
use sse_format::Event;

use crate::AppState;
use crate::hub::{HubError, IdempotencyKey, Live, Receipt};
use crate::jwt::{Grant, until_expiry};
use crate::limit::StreamSlot;
use crate::metrics::{OpenStream, Transport};
use crate::sse::{direct_response, sse_response};

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
    pub last_event_id: Option<String>,
}

// ANCHOR: stream
/// `GET /events/{channel}`: the channel's events, resuming after `Last-Event-ID` (header) or
/// `?lastEventId=` (first connection of a browser). Authorized by a JWT ([`crate::jwt`]), the
/// stream ends when the token expires, with a last `token-expired` event.
pub async fn stream(
    State(state): State<AppState>,
    Path(channel): Path<String>,
    Query(query): Query<StreamQuery>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    grant: Option<Extension<Grant>>,
    headers: HeaderMap,
) -> Response {
    match open(&state, &channel, peer, &headers, query.last_event_id).await {
        Ok(opened) => match grant {
            Some(Extension(grant)) => {
                let live = until_expiry(live_events(opened.live), &grant);
                respond(&state, opened.prelude, live, opened.slot)
            }
            None => respond_live(&state, opened),
        },
        Err(refused) => refused,
    }
}

/// A subscription opened for one request, before it becomes a response.
#[derive(Debug)]
pub struct Opened {
    /// Sent first: the gap notice, the replay, and for a client with no id yet the head as an
    /// id-only block, so that its first reconnect resumes instead of starting over.
    pub prelude: Vec<Bytes>,
    /// The live events (see [`live_events`]).
    pub live: Live,
    /// The client's stream slot: hold it as long as the stream ([`respond`] does).
    pub slot: StreamSlot,
}

/// Opens `channel` for a request: takes one of the client's stream slots (`429` when it has
/// them all), resumes after `Last-Event-ID` or else `query_last_event_id`, and subscribes (the
/// hub's refusal as a response otherwise).
pub async fn open(
    state: &AppState,
    channel: &str,
    peer: SocketAddr,
    headers: &HeaderMap,
    query_last_event_id: Option<String>,
) -> Result<Opened, Response> {
    let Some(slot) = state.limit.acquire(state.client_ip(peer, headers)) else {
        crate::metrics::refused(crate::metrics::Refusal::ClientLimit);
        let message = "too many concurrent streams from this address";
        return Err((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "5")],
            message,
        )
            .into_response());
    };
    // An empty id is no id: a browser never sends an empty `Last-Event-ID` (an empty `id:`
    // field resets its id to "none"), so an empty header or parameter must not be read as a
    // malformed id and answered with a `replay-gap`.
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .or(query_last_event_id.filter(|id| !id.is_empty()));
    let mut subscription = match state.hub.subscribe(channel, last_event_id.as_deref()).await {
        Ok(subscription) => subscription,
        Err(error) => return Err(with_node(refused(&error), state)),
    };
    crate::metrics::resumed(&subscription, last_event_id.is_some());
    let prelude = subscription.sse_prelude(last_event_id.as_deref());
    Ok(Opened {
        prelude,
        live: subscription.live,
        slot,
    })
}

/// The live events of a subscription, encoded. The queue ends if this subscriber falls too far
/// behind: the stream ends, the client reconnects with its last id, and the replay catches it
/// up, without ever holding back the other subscribers.
pub fn live_events(live: Live) -> impl Stream<Item = Bytes> + Send + 'static {
    // A poll function, not an `async` block to keep between events (this runs once per event per
    // subscriber); the event stays shared, only its wire bytes are taken.
    let mut live = live;
    futures::stream::poll_fn(move |cx| {
        live.poll_recv_shared(cx)
            .map(|next| next.map(|published| published.bytes.clone()))
    })
}

/// The SSE response: `prelude`, then `live` (see [`crate::sse::sse_response`]), with the
/// `x-sse-node` header; `slot` is held until the stream ends, and the stream counts in
/// `sse_streams_open{transport="sse"}` ([`crate::metrics`]) meanwhile.
pub fn respond(
    state: &AppState,
    prelude: Vec<Bytes>,
    live: impl Stream<Item = Bytes> + Send + 'static,
    slot: StreamSlot,
) -> Response {
    let open = OpenStream::new(Transport::Sse);
    let events = futures::stream::iter(prelude)
        .chain(live)
        // The slot lives as long as the stream, so the count drops when the client goes.
        .map(move |bytes| {
            let _ = (&slot, &open);
            bytes
        });
    let response = sse_response(events, state.sse, state.shutdown.clone());
    with_node(response, state)
}

/// The SSE response of an opened subscription, as [`respond`] makes it, but one a plain
/// HTTP/1.1 connection can serve by writing each live event from the fan-out
/// ([`crate::sse::direct_response`]).
pub fn respond_live(state: &AppState, opened: Opened) -> Response {
    let open = OpenStream::new(Transport::Sse);
    let guard = Box::new((opened.slot, open));
    let response = direct_response(
        opened.prelude,
        opened.live,
        state.sse,
        state.shutdown.clone(),
        guard,
    );
    with_node(response, state)
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
/// or the hub's refusal (400 bad channel name, reserved event name (the hub's `replay-gap`, and
/// `token-expired`, which ends a stream whose token expired) or bad `Idempotency-Key`,
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
