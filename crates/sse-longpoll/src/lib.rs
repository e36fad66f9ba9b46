//! # sse-longpoll
//!
//! The publish/subscribe workload of the SSE hub over plain HTTP requests, for chapter 4:
//!
//! - **Long polling**: `GET /lp/{channel}?after=<id>&timeout=S` answers as soon as there is an
//!   event after `<id>` (or with `[]` after `S` seconds). The client sends the last id it saw as
//!   the cursor, so nothing published between two polls is lost: the hub's replay holds it.
//! - **Polling**: `GET /poll/{channel}?after=<id>` answers at once with whatever came after it;
//!   the client asks again at a fixed interval.
//!
//! Both answer a JSON array of `{"id": "<id>", "data": "..."}`, oldest first. Without `after`
//! (or with `after=0`) the answer starts with everything the hub keeps. If the hub no longer
//! keeps everything after the cursor, the array starts with its gap notice,
//! `{"id": "<head>", "event": "replay-gap", "data": "{...}"}`. Polls only read the hub: they
//! create no channel and register no queue; a long poll with nothing to answer yet subscribes
//! for the time it waits.
//!
//! ```no_run
//! # async fn demo() -> Result<(), reqwest::Error> {
//! let client = reqwest::Client::new();
//! let mut cursor = sse_longpoll::EventId::ZERO;
//! loop {
//!     let batch = sse_longpoll::long_poll(&client, "http://127.0.0.1:3000", "news", cursor, 25).await?;
//!     for message in &batch {
//!         println!("{}: {}", message.id, message.data);
//!     }
//!     cursor = batch.last().map_or(cursor, |m| m.id);
//! }
//! # }
//! ```

use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sse_hub::{After, Hub, HubError, Published};

/// The hub's event id: the poll cursor (`EventId::ZERO` to start from everything kept).
pub use sse_hub::EventId;

/// One event in a poll answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The hub's id: the cursor for the next poll.
    pub id: EventId,
    /// The event type, if not the default `message` (`replay-gap` for the hub's gap notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The event's data.
    pub data: String,
}

#[derive(Deserialize)]
struct PollQuery {
    after: Option<String>,
    timeout: Option<u64>,
}

/// The `/lp/{channel}` and `/poll/{channel}` endpoints over `hub`.
pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/lp/{channel}", get(long_poll_handler))
        .route("/poll/{channel}", get(poll_handler))
        .with_state(hub)
}

fn message(published: &Published) -> Message {
    Message {
        id: published.id,
        event: published.event.as_deref().map(str::to_owned),
        data: published.data.to_string(),
    }
}

/// The answer to a poll: the gap notice first if there is one, then the events.
fn messages(after: After) -> Vec<Message> {
    let gap = after.gap.map(|gap| {
        let notice = gap.event();
        Message {
            // The head, so that a client that only moves its cursor forward stops asking from
            // an id the hub cannot serve.
            id: after.head,
            event: notice.get_event().map(str::to_owned),
            data: notice.get_data().unwrap_or_default().to_owned(),
        }
    });
    gap.into_iter()
        .chain(after.events.iter().map(message))
        .collect()
}

fn refused(error: &HubError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, error.to_string()).into_response()
}

// ANCHOR: long_poll
async fn long_poll_handler(
    State(hub): State<Hub>,
    Path(channel): Path<String>,
    Query(query): Query<PollQuery>,
) -> Response {
    let after = query.after.as_deref();
    // Read first: most polls of a busy channel find something and cost no subscription.
    match hub.events_after(&channel, after).await {
        Ok(ready) if !ready.events.is_empty() || ready.gap.is_some() => {
            return Json(messages(ready)).into_response();
        }
        Ok(_) => {}
        Err(error) => return refused(&error),
    }
    // Nothing yet: subscribe from the cursor. The subscription takes the replay and the live
    // feed together, so an event published since the read above is in one of them, never lost.
    let mut subscription = match hub.subscribe(&channel, Some(after.unwrap_or("0"))).await {
        Ok(subscription) => subscription,
        Err(error) => return refused(&error),
    };
    if !subscription.replay.is_empty() {
        let batch = subscription.replay.iter().map(message).collect::<Vec<_>>();
        return Json(batch).into_response();
    }
    let wait = Duration::from_secs(query.timeout.unwrap_or(25).min(60));
    // A waiting poll is an open stream for the operator (it holds a queue and a connection).
    let _open = sse_hub::metrics::OpenStream::new(sse_hub::metrics::Transport::LongPoll);
    match tokio::time::timeout(wait, subscription.live.recv()).await {
        Ok(Some(first)) => {
            // Take whatever else is already there, so a burst costs one request, not one each.
            let mut batch = vec![message(&first)];
            while let Some(more) = subscription.live.try_recv() {
                batch.push(message(&more));
            }
            Json(batch).into_response()
        }
        _ => Json(Vec::<Message>::new()).into_response(), // nothing new: the client asks again
    }
}
// ANCHOR_END: long_poll

async fn poll_handler(
    State(hub): State<Hub>,
    Path(channel): Path<String>,
    Query(query): Query<PollQuery>,
) -> Response {
    match hub.events_after(&channel, query.after.as_deref()).await {
        Ok(after) => Json(messages(after)).into_response(),
        Err(error) => refused(&error),
    }
}

/// One long poll: events after `after`, waiting up to `timeout_secs` for the first.
pub async fn long_poll(
    client: &reqwest::Client,
    base: &str,
    channel: &str,
    after: EventId,
    timeout_secs: u64,
) -> Result<Vec<Message>, reqwest::Error> {
    fetch(
        client,
        format!("{base}/lp/{channel}?after={after}&timeout={timeout_secs}"),
    )
    .await
}

/// One poll: events after `after`, at once.
pub async fn poll(
    client: &reqwest::Client,
    base: &str,
    channel: &str,
    after: EventId,
) -> Result<Vec<Message>, reqwest::Error> {
    fetch(client, format!("{base}/poll/{channel}?after={after}")).await
}

async fn fetch(client: &reqwest::Client, url: String) -> Result<Vec<Message>, reqwest::Error> {
    let text = client
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    // A body that is not the expected JSON (a proxy's error page) counts as "nothing new".
    Ok(serde_json::from_str(&text).unwrap_or_default())
}
