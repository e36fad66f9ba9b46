//! # sse-hub
//!
//! The broadcast hub of the course's servers (`sse serve`, the WebSocket and polling transports):
//! named channels of events with global ids, a bounded replay, resume from `Last-Event-ID` with
//! a documented `replay-gap` event when history is missing, and one bounded queue per subscriber.
//! One idea per module:
//!
//! - [`channel`]: channel names and their validation;
//! - [`id`]: event ids, `<high>-<low>`, the shape of Redis stream ids;
//! - [`replay`]: the replay bounds (count, age, bytes);
//! - [`resume`]: from a `Last-Event-ID`, where to replay from and whether there is a gap;
//! - [`queue`]: per-subscriber bounded queues and the fan-out;
//! - [`idempotency`]: publish keys, so that a retried publish is stored once;
//! - [`metrics`]: what the hub counts (through the `metrics` facade), in one table;
//! - [`storage`]: the small trait in front of where events live (append, state, read after a
//!   position, watch with one handler for new entries), with two engines: [`memory`] (the
//!   default) and, with the `redis` feature, `redis` (Redis Streams, so that many server nodes
//!   share one hub);
//! - the hub itself ([`Hub`], over a private `node` module): the channel registry, the fan-out
//!   to local queues and the join rule (replay, then live, no gap, no duplicate), the same for
//!   every engine.
//!
//! The hub is bounded by construction: a cap on channels, eviction of idle channels after a TTL,
//! replay bounded by count, age and bytes per channel, and (in memory) by a hub-wide byte budget.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sse_hub::HubError> {
//! use sse_format::Event;
//! use sse_hub::{Hub, HubConfig};
//!
//! let hub = Hub::new(HubConfig::default());
//! let first = hub.publish("news", Event::new().data("one")).await?;
//! hub.publish("news", Event::new().data("two")).await?;
//!
//! // A client that saw `first` comes back: it gets exactly what it missed, then the live feed.
//! let mut subscription = hub.subscribe("news", Some(&first.to_string())).await?;
//! assert!(subscription.gap.is_none());
//! assert_eq!(&*subscription.replay[0].data, "two");
//! hub.publish("news", Event::new().data("three")).await?;
//! assert_eq!(&*subscription.live.recv().await.unwrap().data, "three");
//! # Ok(()) }
//! ```
//!
//! Examples (in `examples/`, run with `cargo run -p ssekit-hub --example NAME`):
//!
//! - `two_nodes` (feature `redis`): two hubs on one Redis; publish on one, receive and resume on the other.
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use sse_format::{EncodeError, Event};

pub mod channel;
pub mod id;
pub mod idempotency;
pub mod memory;
mod merge;
pub mod metrics;
mod node;
pub mod queue;
#[cfg(feature = "redis")]
pub mod redis;
mod registry;
pub mod replay;
pub mod resume;
pub mod storage;

pub use channel::{ChannelName, NameError};
pub use id::EventId;
pub use idempotency::{IdempotencyKey, KeyError, Receipt};
pub use queue::{Live, Offer, Published, Sink, Text};
pub use replay::ReplayBounds;
pub use resume::{Gap, REPLAY_GAP, RESERVED_EVENTS};
pub use storage::{Feed, Handler, Health, History, NewEvent, Storage};

/// Limits of the hub, the same for every storage: [`HubConfig::default`], then the `with_*`
/// setters.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct HubConfig {
    /// Events kept per channel for replay.
    pub replay_count: usize,
    /// How long an event stays replayable.
    pub replay_age: Duration,
    /// Bytes kept per channel for replay.
    pub replay_bytes: usize,
    /// The length of each subscriber's queue: one that falls this far behind is disconnected (it
    /// then reconnects and resumes from the replay).
    pub subscriber_queue: usize,
    /// Channels a node keeps at once; past it, publishing to or subscribing to a new channel
    /// fails with [`HubError::TooManyChannels`] (HTTP 429).
    pub max_channels: usize,
    /// A channel with no subscriber and no publish for this long is forgotten.
    pub channel_ttl: Duration,
    /// The largest event data accepted, in bytes.
    pub max_event_bytes: usize,
    /// In memory: bytes kept by all channels together; past it, idle channels are dropped, least
    /// recently used first.
    pub total_replay_bytes: usize,
    /// How long an idempotency key is remembered (in memory and in Redis): a retry with the same
    /// key within this time answers the first publish's id instead of publishing again.
    pub idempotency_ttl: Duration,
    /// In memory: idempotency keys remembered by the hub at once; past it, the oldest are
    /// forgotten first (a retry after that publishes again). Each holds a key and a channel name
    /// of at most 128 bytes each, plus the map's bookkeeping.
    pub idempotency_keys: usize,
    /// Whether identical reads of a channel's state and history, sent while one is in flight,
    /// are merged into one (on by default: a reconnect storm then costs the storage a read per
    /// round trip instead of one per client). Off only to measure what merging saves.
    pub merge_reads: bool,
}

impl Default for HubConfig {
    fn default() -> Self {
        let replay = ReplayBounds::default();
        HubConfig {
            replay_count: replay.count,
            replay_age: replay.age,
            replay_bytes: replay.bytes,
            subscriber_queue: 256,
            max_channels: 10_000,
            channel_ttl: Duration::from_secs(300),
            max_event_bytes: 256 * 1024,
            total_replay_bytes: 32 << 20,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            idempotency_keys: 10_000,
            merge_reads: true,
        }
    }
}

impl HubConfig {
    /// Sets [`HubConfig::replay_count`].
    pub fn with_replay_count(mut self, replay_count: usize) -> Self {
        self.replay_count = replay_count;
        self
    }

    /// Sets [`HubConfig::replay_age`].
    pub fn with_replay_age(mut self, replay_age: Duration) -> Self {
        self.replay_age = replay_age;
        self
    }

    /// Sets [`HubConfig::replay_bytes`].
    pub fn with_replay_bytes(mut self, replay_bytes: usize) -> Self {
        self.replay_bytes = replay_bytes;
        self
    }

    /// Sets [`HubConfig::merge_reads`].
    pub fn with_merge_reads(mut self, merge_reads: bool) -> Self {
        self.merge_reads = merge_reads;
        self
    }

    /// Sets [`HubConfig::subscriber_queue`].
    pub fn with_subscriber_queue(mut self, subscriber_queue: usize) -> Self {
        self.subscriber_queue = subscriber_queue;
        self
    }

    /// Sets [`HubConfig::max_channels`].
    pub fn with_max_channels(mut self, max_channels: usize) -> Self {
        self.max_channels = max_channels;
        self
    }

    /// Sets [`HubConfig::channel_ttl`].
    pub fn with_channel_ttl(mut self, channel_ttl: Duration) -> Self {
        self.channel_ttl = channel_ttl;
        self
    }

    /// Sets [`HubConfig::max_event_bytes`].
    pub fn with_max_event_bytes(mut self, max_event_bytes: usize) -> Self {
        self.max_event_bytes = max_event_bytes;
        self
    }

    /// Sets [`HubConfig::total_replay_bytes`].
    pub fn with_total_replay_bytes(mut self, total_replay_bytes: usize) -> Self {
        self.total_replay_bytes = total_replay_bytes;
        self
    }

    /// Sets [`HubConfig::idempotency_ttl`].
    pub fn with_idempotency_ttl(mut self, idempotency_ttl: Duration) -> Self {
        self.idempotency_ttl = idempotency_ttl;
        self
    }

    /// Sets [`HubConfig::idempotency_keys`].
    pub fn with_idempotency_keys(mut self, idempotency_keys: usize) -> Self {
        self.idempotency_keys = idempotency_keys;
        self
    }

    /// The replay bounds of each channel.
    pub fn replay_bounds(&self) -> ReplayBounds {
        ReplayBounds {
            count: self.replay_count,
            age: self.replay_age,
            bytes: self.replay_bytes,
        }
    }
}

/// Why the hub refused a publish or a subscription. [`HubError::status`] gives the HTTP status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HubError {
    /// The channel name is not valid.
    #[error("invalid channel name: {0}")]
    Channel(#[from] NameError),
    /// Publishers cannot use the hub's own event names.
    #[error("the event name {0:?} is reserved by the hub")]
    ReservedEvent(String),
    /// The event carries a field the hub does not keep: an `id` (ids are the storage's to
    /// assign, so that they always increase), a `retry` or a comment (the server sends its own).
    /// Refused rather than silently dropped.
    #[error("the hub does not keep an event's {0}: publish the event type and data only")]
    Unkept(&'static str),
    /// The event data is over [`HubConfig::max_event_bytes`].
    #[error("the event data is {len} bytes; the limit is {max}")]
    EventTooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The idempotency key is not valid.
    #[error("invalid idempotency key: {0}")]
    IdempotencyKey(#[from] KeyError),
    /// The event cannot be encoded (an event name with a line break).
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The node already keeps [`HubConfig::max_channels`] channels.
    #[error(
        "too many channels: this node keeps at most {max}; a channel is dropped after it has been idle for the TTL, try again later"
    )]
    TooManyChannels {
        /// The cap.
        max: usize,
        /// When to try again.
        retry_after: Duration,
    },
    /// The storage (Redis) does not answer.
    #[error("the event storage is unavailable ({reason}); try again later")]
    Unavailable {
        /// What failed, without addresses or credentials.
        reason: String,
        /// When to try again.
        retry_after: Duration,
    },
}

impl HubError {
    /// The HTTP status for this error: 400 bad name, 413 too large, 422 not encodable, 429 too
    /// many channels, 503 storage unavailable.
    pub fn status(&self) -> u16 {
        match self {
            HubError::Channel(_)
            | HubError::ReservedEvent(_)
            | HubError::Unkept(_)
            | HubError::IdempotencyKey(_) => 400,
            HubError::EventTooLarge { .. } => 413,
            HubError::Encode(_) => 422,
            HubError::TooManyChannels { .. } => 429,
            HubError::Unavailable { .. } => 503,
        }
    }

    /// When the client may try again (`Retry-After`), for 429 and 503.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            HubError::TooManyChannels { retry_after, .. }
            | HubError::Unavailable { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

/// What a new subscriber gets: the events it missed, a gap notice if some are gone, and the live
/// feed, which starts exactly after the replay (no gap, no duplicate).
#[derive(Debug)]
pub struct Subscription {
    /// The channel's newest id when the subscription started.
    pub head: EventId,
    /// Set when events the client missed are no longer kept, or its id means nothing here.
    pub gap: Option<Gap>,
    /// Missed events still kept, oldest first.
    pub replay: Vec<Published>,
    /// Events published from now on. It ends if the subscriber falls
    /// [`HubConfig::subscriber_queue`] events behind.
    pub live: Live,
}

impl Subscription {
    // ANCHOR: prelude
    /// The SSE bytes to send before the live feed: the gap notice, the replay, and, when nothing
    /// was replayed and the client's id is not the head, an id-only block `id: <head>` so that the
    /// client's next reconnect resumes from here (a new subscriber has no id of its own yet).
    pub fn sse_prelude(&mut self, last_event_id: Option<&str>) -> Vec<Bytes> {
        let mut out = Vec::with_capacity(self.replay.len() + 2);
        if let Some(gap) = &self.gap {
            // A gap event is plain JSON and a fixed name: it always encodes.
            out.extend(gap.event().to_bytes().ok().map(Bytes::from));
        }
        out.extend(self.replay.drain(..).map(|p| p.bytes));
        let at_head = last_event_id.is_some_and(|id| id == self.head.to_string());
        if out.len() == usize::from(self.gap.is_some()) && !at_head {
            out.extend(
                Event::new()
                    .id(self.head.to_string())
                    .to_bytes()
                    .ok()
                    .map(Bytes::from),
            );
        }
        out
    }
    // ANCHOR_END: prelude
}

/// What came after a poller's cursor.
#[derive(Debug)]
pub struct After {
    /// Set when events after the cursor are no longer kept, or the cursor means nothing here.
    pub gap: Option<Gap>,
    /// The events after the cursor that are kept, oldest first.
    pub events: Vec<Published>,
    /// The channel's newest id (`0-0` if the channel is unknown).
    pub head: EventId,
}

/// Named channels of events over a storage. Cheap to clone (shared).
#[derive(Clone)]
pub struct Hub {
    node: Arc<node::Node>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("config", &self.node.config)
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// A hub in memory with these limits.
    pub fn new(config: HubConfig) -> Self {
        Hub::with_storage(config, memory::Memory::new(config))
    }

    /// A hub on Redis Streams, shared with every node that uses the same Redis and prefix (call
    /// within a tokio runtime). Only a malformed URL is an error: an unreachable Redis shows as
    /// 503s and in [`Hub::health`] until it answers.
    #[cfg(feature = "redis")]
    pub fn redis(config: HubConfig, redis: redis::RedisConfig) -> Result<Self, HubError> {
        Ok(Hub::with_storage(config, redis::Redis::new(config, redis)?))
    }

    /// A hub over any storage (one storage per hub: the hub registers its handler with it).
    /// Within a tokio runtime, a background task evicts idle channels.
    pub fn with_storage(config: HubConfig, storage: Arc<dyn Storage>) -> Self {
        Hub {
            node: node::Node::start(config, storage),
        }
    }

    /// The hub's limits.
    pub fn config(&self) -> HubConfig {
        self.node.config
    }

    /// Publishes `event` (its type and data) on `channel` and returns the id it was given. An
    /// event with an id, a `retry` or a comment is refused ([`HubError::Unkept`]): ids are the
    /// storage's to assign, so that they always increase, and the server writes its own `retry`
    /// and comments.
    pub async fn publish(&self, channel: &str, event: Event) -> Result<EventId, HubError> {
        Ok(self.publish_with(channel, event, None).await?.id)
    }

    /// Publishes `event` on `channel` once per `key`: if the hub has stored an event with this
    /// key on this channel within [`HubConfig::idempotency_ttl`], nothing is stored and the
    /// receipt carries that event's id with `duplicate: true`. Retrying a publish that failed
    /// with [`HubError::Unavailable`] with the same key is therefore safe: the event is stored
    /// at most once even if the failed try was applied after all.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), sse_hub::HubError> {
    /// use sse_format::Event;
    /// use sse_hub::{Hub, HubConfig, IdempotencyKey};
    ///
    /// let hub = Hub::new(HubConfig::default());
    /// let key = IdempotencyKey::new("order-42")?;
    /// let first = hub.publish_idempotent("news", Event::new().data("one"), &key).await?;
    /// let retry = hub.publish_idempotent("news", Event::new().data("one"), &key).await?;
    /// assert_eq!((retry.id, retry.duplicate), (first.id, true));
    /// # Ok(()) }
    /// ```
    pub async fn publish_idempotent(
        &self,
        channel: &str,
        event: Event,
        key: &IdempotencyKey,
    ) -> Result<Receipt, HubError> {
        self.publish_with(channel, event, Some(key.clone())).await
    }

    async fn publish_with(
        &self,
        channel: &str,
        event: Event,
        key: Option<IdempotencyKey>,
    ) -> Result<Receipt, HubError> {
        let channel = ChannelName::new(channel)?;
        for (field, set) in [
            ("id", event.get_id().is_some()),
            ("retry", event.get_retry().is_some()),
            ("comment", event.get_comment().is_some()),
        ] {
            if set {
                return Err(HubError::Unkept(field));
            }
        }
        let kind = event.get_event().map(str::to_owned);
        if let Some(reserved) = RESERVED_EVENTS
            .iter()
            .find(|reserved| kind.as_deref() == Some(**reserved))
        {
            return Err(HubError::ReservedEvent((*reserved).to_owned()));
        }
        let data = event.get_data().unwrap_or_default();
        let max = self.node.config.max_event_bytes;
        if data.len() > max {
            return Err(HubError::EventTooLarge {
                len: data.len(),
                max,
            });
        }
        // Refuse what cannot be encoded before it is stored anywhere.
        event.validate()?;
        let event = NewEvent {
            event: kind,
            data: data.to_owned(),
        };
        self.node.publish(channel, event, key).await
    }

    /// Subscribes to `channel`, resuming after `last_event_id` if the client sent one.
    pub async fn subscribe(
        &self,
        channel: &str,
        last_event_id: Option<&str>,
    ) -> Result<Subscription, HubError> {
        let channel = ChannelName::new(channel)?;
        self.node.subscribe(channel, last_event_id).await
    }

    /// The events after `last_event_id` (all that are kept if `None`), with the gap if some are
    /// gone, without subscribing: for pollers. It creates nothing on the node.
    pub async fn events_after(
        &self,
        channel: &str,
        last_event_id: Option<&str>,
    ) -> Result<After, HubError> {
        let channel = ChannelName::new(channel)?;
        self.node.events_after(channel, last_event_id).await
    }

    /// How many subscribers `channel` has on this node now.
    pub fn subscriber_count(&self, channel: &str) -> usize {
        self.node.subscriber_count(channel)
    }

    /// How many channels this node keeps now.
    pub fn channel_count(&self) -> usize {
        self.node.channel_count()
    }

    /// Forgets the channels idle for the TTL now (a background task also does it); returns how
    /// many.
    pub fn evict_idle(&self) -> usize {
        self.node.evict_idle()
    }

    /// Whether the storage answers.
    pub async fn health(&self) -> Health {
        self.node.storage.health().await
    }
}

// The README is part of the documentation: its examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
