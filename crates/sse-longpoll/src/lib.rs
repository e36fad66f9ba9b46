//! # sse-longpoll
//!
//! The publish/subscribe workload of the SSE hub over plain HTTP requests, for chapter 4:
//!
//! - **Long polling**: `GET /lp/{channel}?after=N&timeout=S` answers as soon as there is an event
//!   after id `N` (or with `[]` after `S` seconds). The client sends the last id it saw as the
//!   cursor, so nothing published between two polls is lost: the hub's replay buffer holds it.
//! - **Polling**: `GET /poll/{channel}?after=N` answers at once with whatever came after `N`;
//!   the client asks again at a fixed interval.
//!
//! Both answer a JSON array of `{"id": N, "data": "..."}`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), reqwest::Error> {
//! let client = reqwest::Client::new();
//! let mut cursor = 0;
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
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sse_server::hub::Hub;

/// One event in a poll answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The hub's id: the cursor for the next poll.
    pub id: u64,
    /// The event's data.
    pub data: String,
}

#[derive(Deserialize)]
struct PollQuery {
    #[serde(default)]
    after: u64,
    timeout: Option<u64>,
}

/// The `/lp/{channel}` and `/poll/{channel}` endpoints over `hub`.
pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/lp/{channel}", get(long_poll_handler))
        .route("/poll/{channel}", get(poll_handler))
        .with_state(hub)
}

fn messages(published: impl IntoIterator<Item = sse_server::hub::Published>) -> Vec<Message> {
    published
        .into_iter()
        .map(|p| Message {
            id: p.id,
            data: p.data.to_string(),
        })
        .collect()
}

// ANCHOR: long_poll
async fn long_poll_handler(
    State(hub): State<Hub>,
    Path(channel): Path<String>,
    Query(query): Query<PollQuery>,
) -> Json<Vec<Message>> {
    // Subscribing takes the replay (what came after the cursor) and the live feed under one
    // lock: an event published between the client's two polls is in one of them, never lost.
    let mut subscription = hub.subscribe(&channel, Some(&query.after.to_string()));
    if !subscription.replay.is_empty() {
        return Json(messages(subscription.replay));
    }
    let wait = Duration::from_secs(query.timeout.unwrap_or(25).min(60));
    match tokio::time::timeout(wait, subscription.live.recv()).await {
        Ok(Some(first)) => {
            // Take whatever else is already there, so a burst costs one request, not one each.
            let mut batch = vec![first];
            while let Ok(more) = subscription.live.try_recv() {
                batch.push(more);
            }
            Json(messages(batch))
        }
        _ => Json(Vec::new()), // nothing new: the client asks again
    }
}
// ANCHOR_END: long_poll

async fn poll_handler(
    State(hub): State<Hub>,
    Path(channel): Path<String>,
    Query(query): Query<PollQuery>,
) -> Json<Vec<Message>> {
    let subscription = hub.subscribe(&channel, Some(&query.after.to_string()));
    Json(messages(subscription.replay))
}

/// One long poll: events after `after`, waiting up to `timeout_secs` for the first.
pub async fn long_poll(
    client: &reqwest::Client,
    base: &str,
    channel: &str,
    after: u64,
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
    after: u64,
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
