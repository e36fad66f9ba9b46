//! The four transports behind one trait, so that the runner drives them all the same way.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::Serialize;

use crate::runner::Recorder;

/// What the lesson's table says about a transport (opinion), next to what is measured (facts).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Profile {
    /// Who sends to whom.
    pub direction: &'static str,
    /// What the connection looks like.
    pub connection: &'static str,
    /// Where it fits.
    pub use_case: &'static str,
}

/// One way of delivering the hub's events to a client.
pub trait Transport: Send + Sync {
    /// A short name: `sse`, `websocket`, `long-polling`, `polling`.
    fn name(&self) -> &'static str;
    /// The lesson's description.
    fn profile(&self) -> Profile;
    /// Runs one client until `stop` fires, recording every message it receives as client
    /// `client`. `base` is `http://host:port` of the data listener.
    fn run_client(
        &self,
        base: String,
        channel: String,
        client: usize,
        recorder: Arc<Recorder>,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> BoxFuture<'static, ()>;
}

async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Server-Sent Events with `sse-client`: resumes with `Last-Event-ID` after a drop.
pub struct Sse;

impl Transport for Sse {
    fn name(&self) -> &'static str {
        "sse"
    }

    fn profile(&self) -> Profile {
        Profile {
            direction: "server → client",
            connection: "one long HTTP response",
            use_case: "live feeds, notifications, AI tokens",
        }
    }

    fn run_client(
        &self,
        base: String,
        channel: String,
        client: usize,
        recorder: Arc<Recorder>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            // Start from the beginning of the channel ("after id 0"), so no client misses the
            // first events however late it connects.
            let Ok(mut source) =
                sse_client::EventSource::builder(format!("{base}/events/{channel}"))
                    .last_event_id("0")
                    .reconnection_time(Duration::from_millis(100))
                    .build()
            else {
                return;
            };
            loop {
                tokio::select! {
                    () = stopped(&mut stop) => return,
                    item = source.next() => match item {
                        // The hub's own notices (`replay-gap`) are not workload messages.
                        Some(Ok(sse_client::SourceEvent::Message(event))) if event.event_type() == "message" => {
                            if let Ok(id) = event.last_event_id().parse() {
                                recorder.record(client, id, event.data());
                            }
                        }
                        Some(_) => {}
                        None => return,
                    },
                }
            }
        })
    }
}

/// WebSocket with `sse-ws`: reconnects to the live feed after a drop, as most applications do
/// (WebSocket has no resume of its own).
pub struct WebSocket;

impl Transport for WebSocket {
    fn name(&self) -> &'static str {
        "websocket"
    }

    fn profile(&self) -> Profile {
        Profile {
            direction: "both ways",
            connection: "one upgraded TCP connection",
            use_case: "chat, games, collaborative editing",
        }
    }

    fn run_client(
        &self,
        base: String,
        channel: String,
        client: usize,
        recorder: Arc<Recorder>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let url = format!("{}/ws/{channel}", base.replacen("http://", "ws://", 1));
            let mut first = true;
            loop {
                // The first connection replays from the start, like the others; reconnections
                // take the live feed only.
                let after = if first {
                    Some(sse_hub::EventId::ZERO)
                } else {
                    None
                };
                let subscription = tokio::select! {
                    () = stopped(&mut stop) => return,
                    s = sse_ws::subscribe(&url, after) => s,
                };
                let Ok(mut subscription) = subscription else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                first = false;
                loop {
                    tokio::select! {
                        () = stopped(&mut stop) => return,
                        message = subscription.next() => match message {
                            Ok(Some(message)) if message.event.is_none() => recorder.record(client, message.id, &message.data),
                            Ok(Some(_)) => {}
                            _ => break, // dropped: reconnect
                        },
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    }
}

/// Long polling with a cursor, `sse-longpoll`.
pub struct LongPolling;

impl Transport for LongPolling {
    fn name(&self) -> &'static str {
        "long-polling"
    }

    fn profile(&self) -> Profile {
        Profile {
            direction: "server → client",
            connection: "a request per answer",
            use_case: "where streaming responses are blocked",
        }
    }

    fn run_client(
        &self,
        base: String,
        channel: String,
        client: usize,
        recorder: Arc<Recorder>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let http = reqwest::Client::new();
            let mut cursor = sse_hub::EventId::ZERO;
            loop {
                let batch = tokio::select! {
                    () = stopped(&mut stop) => return,
                    batch = sse_longpoll::long_poll(&http, &base, &channel, cursor, 20) => batch,
                };
                match batch {
                    Ok(batch) => {
                        for message in batch {
                            if message.event.is_none() {
                                recorder.record(client, message.id, &message.data);
                            }
                            cursor = cursor.max(message.id);
                        }
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        })
    }
}

/// Plain polling at a fixed interval, with a cursor.
pub struct Polling {
    /// Time between polls.
    pub interval: Duration,
}

impl Transport for Polling {
    fn name(&self) -> &'static str {
        "polling"
    }

    fn profile(&self) -> Profile {
        Profile {
            direction: "client asks",
            connection: "a request per interval",
            use_case: "slow-changing data, simple dashboards",
        }
    }

    fn run_client(
        &self,
        base: String,
        channel: String,
        client: usize,
        recorder: Arc<Recorder>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> BoxFuture<'static, ()> {
        let interval = self.interval;
        Box::pin(async move {
            let http = reqwest::Client::new();
            let mut cursor = sse_hub::EventId::ZERO;
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = stopped(&mut stop) => return,
                    _ = tick.tick() => {}
                }
                if let Ok(batch) = sse_longpoll::poll(&http, &base, &channel, cursor).await {
                    for message in batch {
                        if message.event.is_none() {
                            recorder.record(client, message.id, &message.data);
                        }
                        cursor = cursor.max(message.id);
                    }
                }
            }
        })
    }
}
