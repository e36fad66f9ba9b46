//! What the hub and the servers built on it (`ssekit-server`, `sse-ws`, `sse-longpoll`) count,
//! through the [`metrics`] facade: no exporter here, the application installs the one it wants
//! (`ssekit-server`'s `prometheus` feature, as `sse serve --metrics-addr` does, or any other
//! `metrics` recorder). With none installed, recording costs next to nothing.
//!
//! Install the recorder **before** building the hub: the hub takes its handles (atomics behind
//! an `Arc`) once, so that the fan-out, which runs for every subscriber of every event, counts
//! without a lookup by name, a lock or an allocation. It counts once per event and node
//! (`delivered += subscribers reached`), never once per delivery.
//!
//! Labels are bounded: a transport, a cause, an outcome, an operation; never a channel name, a
//! client address or a token.
//!
//! | Name | Type | Labels | Meaning |
//! |---|---|---|---|
//! | `sse_streams_open` | gauge | `transport` = `sse`, `websocket`, `longpoll` | Streams open now (a long poll counts while it waits). |
//! | `sse_connections_refused_total` | counter | `cause` = `cap`, `rate`, `client_limit`, `auth`, `host` | Connections or requests refused: at the connection cap (503), over the connection-rate limit (503), over the per-client stream limit (429), without a valid token (401/403), for a `Host` not allowed (421). |
//! | `sse_resumes_total` | counter | `outcome` = `replayed`, `gap`, `head` | Streams opened with a `Last-Event-ID`: what was missed was replayed; history was missing (a `replay-gap`); nothing was missed (resumed at the head). |
//! | `sse_replay_events` | histogram | | Events replayed per resume. |
//! | `sse_hub_events_published_total` | counter | | Events stored by publishes on this node (retries answered by their idempotency key are not counted). |
//! | `sse_hub_events_delivered_total` | counter | | Events handed to subscriber queues on this node (one per subscriber reached). |
//! | `sse_hub_subscribers_dropped_total` | counter | | Subscribers let go because their queue was full (too slow): they reconnect and resume. |
//! | `sse_hub_fanout_delay_seconds` | histogram | | From publish until every local queue had the event, once per event and node (with Redis, from the entry's Redis time: the clocks of Redis and the node must agree). |
//! | `sse_hub_redis_round_trip_seconds` | histogram | | Redis commands (publish, state, replay reads, pings), request to answer; the reader's blocking `XREAD` is not one of them. |
//! | `sse_hub_redis_errors_total` | counter | `op` = `command`, `reader` | Redis calls that got no answer (a timeout, a refused or lost connection): a command, or the reader's connection or read (it then reconnects with backoff). An error reply is an answer, not counted. |
//! | `sse_hub_redis_reader_lag_seconds` | gauge | | The age of the oldest entry in the reader's last batch (0 when it read nothing new): how far behind Redis this node's fan-out runs. |
//!
//! Alert on: `sse_streams_open` falling to zero or jumping, a rising rate of
//! `sse_connections_refused_total` (by cause), any rate of `sse_hub_subscribers_dropped_total`,
//! the p99 of `sse_hub_fanout_delay_seconds`, `sse_hub_redis_errors_total`, and
//! `sse_hub_redis_reader_lag_seconds` above a second.

use metrics::{Counter, Gauge, Histogram, counter, gauge, histogram};

/// `sse_streams_open{transport}`: gauge.
pub const STREAMS_OPEN: &str = "sse_streams_open";
/// `sse_connections_refused_total{cause}`: counter.
pub const CONNECTIONS_REFUSED: &str = "sse_connections_refused_total";
/// `sse_resumes_total{outcome}`: counter.
pub const RESUMES: &str = "sse_resumes_total";
/// `sse_replay_events`: histogram.
pub const REPLAY_EVENTS: &str = "sse_replay_events";
/// `sse_hub_events_published_total`: counter.
pub const EVENTS_PUBLISHED: &str = "sse_hub_events_published_total";
/// `sse_hub_events_delivered_total`: counter.
pub const EVENTS_DELIVERED: &str = "sse_hub_events_delivered_total";
/// `sse_hub_subscribers_dropped_total`: counter.
pub const SUBSCRIBERS_DROPPED: &str = "sse_hub_subscribers_dropped_total";
/// `sse_hub_fanout_delay_seconds`: histogram.
pub const FANOUT_DELAY: &str = "sse_hub_fanout_delay_seconds";
/// `sse_hub_redis_round_trip_seconds`: histogram.
pub const REDIS_ROUND_TRIP: &str = "sse_hub_redis_round_trip_seconds";
/// `sse_hub_redis_errors_total{op}`: counter.
pub const REDIS_ERRORS: &str = "sse_hub_redis_errors_total";
/// `sse_hub_redis_reader_lag_seconds`: gauge.
pub const REDIS_READER_LAG: &str = "sse_hub_redis_reader_lag_seconds";

/// Every metric's name, type and help text, for exporters that print them (`# HELP` lines).
pub const ALL: &[(&str, Kind, &str)] = &[
    (STREAMS_OPEN, Kind::Gauge, "Streams open now, by transport."),
    (
        CONNECTIONS_REFUSED,
        Kind::Counter,
        "Connections or requests refused, by cause (cap, rate, client_limit, auth, host).",
    ),
    (
        RESUMES,
        Kind::Counter,
        "Streams opened with a Last-Event-ID, by outcome (replayed, gap, head).",
    ),
    (
        REPLAY_EVENTS,
        Kind::Histogram,
        "Events replayed per resume.",
    ),
    (
        EVENTS_PUBLISHED,
        Kind::Counter,
        "Events stored by publishes on this node.",
    ),
    (
        EVENTS_DELIVERED,
        Kind::Counter,
        "Events handed to subscriber queues on this node.",
    ),
    (
        SUBSCRIBERS_DROPPED,
        Kind::Counter,
        "Subscribers let go because their queue was full (too slow).",
    ),
    (
        FANOUT_DELAY,
        Kind::Histogram,
        "Seconds from publish until every local queue had the event, per event and node.",
    ),
    (
        REDIS_ROUND_TRIP,
        Kind::Histogram,
        "Seconds from a Redis command to its answer.",
    ),
    (
        REDIS_ERRORS,
        Kind::Counter,
        "Redis calls that got no answer (timeout, refused or lost connection), by operation (command, reader).",
    ),
    (
        REDIS_READER_LAG,
        Kind::Gauge,
        "Age in seconds of the oldest entry in the Redis reader's last batch.",
    ),
];

/// The type of a metric in [`ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// Only goes up.
    Counter,
    /// Goes up and down.
    Gauge,
    /// A distribution of observations.
    Histogram,
}

/// Registers the help text of every metric in [`ALL`] with the installed recorder.
pub fn describe() {
    for &(name, kind, help) in ALL {
        match kind {
            Kind::Counter => metrics::describe_counter!(name, help),
            Kind::Gauge => metrics::describe_gauge!(name, help),
            Kind::Histogram => metrics::describe_histogram!(name, help),
        }
    }
}

/// A stream's transport, the `transport` label of [`STREAMS_OPEN`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// Server-Sent Events.
    Sse,
    /// A WebSocket.
    WebSocket,
    /// A long poll, while it waits.
    LongPoll,
}

impl Transport {
    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            Transport::Sse => "sse",
            Transport::WebSocket => "websocket",
            Transport::LongPoll => "longpoll",
        }
    }
}

/// One open stream in [`STREAMS_OPEN`]: counted from [`OpenStream::new`] until dropped.
#[derive(Debug)]
#[must_use = "the stream counts as open only while this is held"]
pub struct OpenStream(Gauge);

impl OpenStream {
    /// Counts a stream of `transport` as open.
    pub fn new(transport: Transport) -> Self {
        let open = gauge!(STREAMS_OPEN, "transport" => transport.label());
        open.increment(1.0);
        OpenStream(open)
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// Why a connection or request was refused, the `cause` label of [`CONNECTIONS_REFUSED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// At the connection cap.
    Cap,
    /// Over the connection-rate limit.
    Rate,
    /// Over the per-client stream limit.
    ClientLimit,
    /// Without a valid token, or with one that does not grant the channel.
    Auth,
    /// For a `Host` that is not allowed.
    Host,
}

impl Refusal {
    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            Refusal::Cap => "cap",
            Refusal::Rate => "rate",
            Refusal::ClientLimit => "client_limit",
            Refusal::Auth => "auth",
            Refusal::Host => "host",
        }
    }
}

/// Counts one refusal.
pub fn refused(cause: Refusal) {
    counter!(CONNECTIONS_REFUSED, "cause" => cause.label()).increment(1);
}

/// Counts a subscription opened with a `Last-Event-ID` (`resumed` false: a new subscriber,
/// nothing counted) by its outcome, and the size of its replay.
pub fn resumed(subscription: &crate::Subscription, resumed: bool) {
    if !resumed {
        return;
    }
    let outcome = if subscription.gap.is_some() {
        "gap"
    } else if subscription.replay.is_empty() {
        "head"
    } else {
        "replayed"
    };
    counter!(RESUMES, "outcome" => outcome).increment(1);
    // Exact for any replay a hub keeps (`f64` holds integers to 2^53).
    #[allow(clippy::cast_precision_loss)]
    histogram!(REPLAY_EVENTS).record(subscription.replay.len() as f64);
}

/// The handles of one hub node, taken once when it starts.
#[derive(Clone, Debug)]
pub(crate) struct NodeMetrics {
    pub(crate) published: Counter,
    pub(crate) delivered: Counter,
    pub(crate) dropped: Counter,
    pub(crate) fanout_delay: Histogram,
}

impl NodeMetrics {
    pub(crate) fn new() -> Self {
        NodeMetrics {
            published: counter!(EVENTS_PUBLISHED),
            delivered: counter!(EVENTS_DELIVERED),
            dropped: counter!(SUBSCRIBERS_DROPPED),
            fanout_delay: histogram!(FANOUT_DELAY),
        }
    }
}

/// The handles of the Redis engine, taken once when it starts.
#[cfg(feature = "redis")]
#[derive(Clone, Debug)]
pub(crate) struct RedisMetrics {
    pub(crate) round_trip: Histogram,
    pub(crate) command_errors: Counter,
    pub(crate) reader_errors: Counter,
    pub(crate) reader_lag: Gauge,
}

#[cfg(feature = "redis")]
impl RedisMetrics {
    pub(crate) fn new() -> Self {
        RedisMetrics {
            round_trip: histogram!(REDIS_ROUND_TRIP),
            command_errors: counter!(REDIS_ERRORS, "op" => "command"),
            reader_errors: counter!(REDIS_ERRORS, "op" => "reader"),
            reader_lag: gauge!(REDIS_READER_LAG),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_described_once_and_counters_end_in_total() {
        let mut names: Vec<&str> = ALL.iter().map(|(name, _, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for (name, kind, _) in ALL {
            assert_eq!(*kind == Kind::Counter, name.ends_with("_total"), "{name}");
            assert!(name.starts_with("sse_"), "{name}");
        }
    }
}
