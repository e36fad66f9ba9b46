//! The seam between the hub and where events live: one small trait, two engines
//! ([`crate::memory::Memory`], and Redis Streams behind the `redis` feature).
//!
//! The shape is Centrifugo's `Broker`: an engine stores events and answers positions; it hands
//! new entries of the channels the hub watches to one handler; the hub does everything that is
//! one node's work (the channel registry, subscriber queues, fan-out, idle eviction, and the rule
//! that joins a replay to the live feed without a gap or a duplicate). So a third engine
//! (Postgres, NATS JetStream) implements these seven methods and nothing about subscribers.

use std::sync::Arc;

use futures::future::BoxFuture;

use crate::HubError;
use crate::channel::ChannelName;
use crate::id::EventId;
use crate::idempotency::{IdempotencyKey, Receipt};
use crate::queue::Published;
use crate::resume::StreamState;

/// An event to publish, checked by the hub.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// The event type (`None`: the default `message`).
    pub event: Option<String>,
    /// The data.
    pub data: String,
}

/// Whether the node reaches its storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Health {
    /// `"memory"` or `"redis"`.
    pub storage: &'static str,
    /// For a remote storage: whether it answered just now.
    pub reachable: Option<bool>,
}

/// What [`Storage::read_after`] found: the events after a position, within the replay bounds.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The events after the position that are kept and fit the replay bounds, oldest first.
    pub events: Vec<Published>,
    /// Some events after the position exist no more or did not fit the bounds: the replay is
    /// incomplete, and the client gets a `replay-gap`.
    pub cut: bool,
}

/// What an engine hands to the hub for a channel it watches.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Feed {
    /// The next entry of the channel, in id order.
    Entry(Published),
    /// The engine cannot carry on from the last entry it handed over (the history past it was
    /// trimmed while the engine was away, the stream was recreated, or the engine dropped the
    /// channel to stay within a budget). The engine no longer watches the channel; the hub ends
    /// its streams, whose clients reconnect and get the `replay-gap` from the normal resume.
    Lost,
}

/// The one callback through which an engine hands [`Feed`]s back to the hub. It takes the hub's
/// registry lock and must not be called while the engine holds a lock that [`Storage::unwatch`]
/// takes (the hub calls `unwatch` under its registry lock).
pub type Handler = Arc<dyn Fn(&ChannelName, Feed) + Send + Sync>;

// ANCHOR: storage
/// Where events live. See the module doc. One storage serves one hub.
pub trait Storage: Send + Sync + 'static {
    /// Called once by the hub, before anything else: where to hand the entries of watched
    /// channels.
    fn register(&self, handler: Handler);

    /// Appends `event` to `channel` and returns its id; with a `key` already stored on this
    /// channel (within the idempotency TTL), stores nothing and returns that event's id with
    /// `duplicate` set. The check and the append are one atomic step.
    fn append(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>>;

    /// What the engine knows of the channel's history now (the default state if it has none),
    /// creating nothing.
    fn state(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>>;

    /// The newest events after `after` (exclusive) within the replay bounds, oldest first.
    fn read_after(
        &self,
        channel: ChannelName,
        after: EventId,
    ) -> BoxFuture<'_, Result<History, HubError>>;

    /// Starts handing the channel's new entries to the handler and returns its state: every
    /// entry after the returned head reaches the handler, in id order (earlier ones may too; the
    /// hub skips them). Watching a watched channel again is allowed.
    fn watch(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>>;

    /// Stops handing the channel's entries over. Quick and without I/O: the hub calls it under
    /// its registry lock.
    fn unwatch(&self, channel: &ChannelName);

    /// Checks the storage.
    fn health(&self) -> BoxFuture<'_, Health>;

    /// How long ago the entry `id` was stored, when the engine can tell from the id (Redis ids
    /// carry the time of the `XADD`): the first part of `sse_hub_fanout_delay_seconds`
    /// ([`crate::metrics`]). `None` (the default): the entry is handed over as it is stored.
    fn entry_age(&self, id: EventId) -> Option<std::time::Duration> {
        let _ = id;
        None
    }
}
// ANCHOR_END: storage
