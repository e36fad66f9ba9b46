//! The seam between the hub and where events live: one small trait, two implementations
//! ([`crate::memory::Memory`], and Redis Streams behind the `redis` feature).
//!
//! The hub checks what a client sends (channel names, reserved event names, sizes) and then asks
//! the storage. A storage assigns ids, keeps the bounded history, and feeds its node's
//! subscribers in id order.

use futures::future::BoxFuture;

use crate::channel::ChannelName;
use crate::idempotency::{IdempotencyKey, Receipt};
use crate::{After, HubError, Subscription};

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

/// Where events live. See the module doc.
pub trait Storage: Send + Sync + 'static {
    /// Appends `event` to `channel` and returns its id; with a `key` already stored on this
    /// channel (within the idempotency TTL), stores nothing and returns that event's id with
    /// `duplicate` set. The check and the append are one atomic step.
    fn publish(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>>;
    /// Registers a subscriber (live events from now on) and reads its replay.
    fn subscribe(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> BoxFuture<'_, Result<Subscription, HubError>>;
    /// Reads what came after `last_event_id` without subscribing (for pollers).
    fn events_after(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> BoxFuture<'_, Result<After, HubError>>;
    /// Forgets the channels idle for the TTL; returns how many.
    fn evict_idle(&self) -> usize;
    /// Channels this node knows now.
    fn channel_count(&self) -> usize;
    /// Open subscriptions of `channel` on this node.
    fn subscriber_count(&self, channel: &str) -> usize;
    /// Checks the storage.
    fn health(&self) -> BoxFuture<'_, Health>;
}

/// Evicts idle channels every quarter TTL until the storage is dropped (both storages run it).
pub(crate) async fn sweep_idle<S: Storage>(storage: std::sync::Weak<S>, ttl: std::time::Duration) {
    let every = (ttl / 4).max(std::time::Duration::from_millis(100));
    loop {
        tokio::time::sleep(every).await;
        let Some(storage) = storage.upgrade() else {
            return;
        };
        storage.evict_idle();
    }
}
