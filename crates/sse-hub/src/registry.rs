//! The channels this node knows: a cap on how many, and eviction of the idle ones.
//!
//! A channel exists on a node while it has subscribers or was published to within the TTL. Any
//! client can name a channel, so without a cap and eviction every `GET /events/<random>` would
//! cost memory forever.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::HubError;
use crate::channel::ChannelName;
use crate::queue::Sender;

/// One channel on this node: its local subscribers, when it was last used, and what the storage
/// keeps with it (`T`: the events in memory; the reader's position with Redis).
#[derive(Debug)]
pub(crate) struct Entry<T> {
    pub subscribers: Vec<Sender>,
    pub last_active: Instant,
    pub local: T,
}

impl<T> Entry<T> {
    pub fn has_subscribers(&self) -> bool {
        self.subscribers.iter().any(|q| !q.is_closed())
    }
}

/// The channels of a node.
pub(crate) type Channels<T> = HashMap<ChannelName, Entry<T>>;

/// The channel's entry, created (with `T::default()`) if there is room for one more.
pub(crate) fn entry<'a, T: Default>(
    channels: &'a mut Channels<T>,
    name: &ChannelName,
    max_channels: usize,
    ttl: Duration,
    now: Instant,
) -> Result<&'a mut Entry<T>, HubError> {
    if !channels.contains_key(name) && channels.len() >= max_channels {
        return Err(HubError::TooManyChannels {
            max: max_channels,
            retry_after: ttl,
        });
    }
    let entry = channels.entry(name.clone()).or_insert_with(|| Entry {
        subscribers: Vec::new(),
        last_active: now,
        local: T::default(),
    });
    entry.last_active = now;
    Ok(entry)
}

/// Removes the channels with no subscriber and no use for `ttl`; returns them.
pub(crate) fn evict_idle<T>(
    channels: &mut Channels<T>,
    ttl: Duration,
    now: Instant,
) -> Vec<(ChannelName, Entry<T>)> {
    let idle: Vec<ChannelName> = channels
        .iter()
        .filter(|(_, e)| !e.has_subscribers() && now.duration_since(e.last_active) >= ttl)
        .map(|(name, _)| name.clone())
        .collect();
    idle.into_iter()
        .filter_map(|name| channels.remove_entry(&name))
        .collect()
}
