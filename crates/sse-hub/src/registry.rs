//! The channels this node knows: a cap on how many, and eviction of the idle ones.
//!
//! A channel exists on a node while it has subscribers or was published to within the TTL. Any
//! client can name a channel, so without a cap and eviction every `GET /events/<random>` would
//! cost memory forever.

use std::collections::HashMap;
use std::sync::Weak;
use std::time::Duration;

use tokio::time::Instant;

use crate::HubError;
use crate::channel::ChannelName;
use crate::queue::Sender;

/// One channel on this node: its local subscribers, when it was last used, and whether the
/// storage hands its new entries to this node.
#[derive(Debug)]
pub(crate) struct Entry {
    pub subscribers: Vec<Sender>,
    pub last_active: Instant,
    /// Set once a subscriber's [`crate::Storage::watch`] returned; cleared (with
    /// [`crate::Storage::unwatch`]) when the last subscriber is gone.
    pub watched: bool,
}

impl Entry {
    pub fn has_subscribers(&self) -> bool {
        self.subscribers.iter().any(|q| !q.is_closed())
    }
}

/// The channels of a node.
pub(crate) type Channels = HashMap<ChannelName, Entry>;

/// The channel's entry, created if there is room for one more.
pub(crate) fn entry<'a>(
    channels: &'a mut Channels,
    name: &ChannelName,
    max_channels: usize,
    ttl: Duration,
    now: Instant,
) -> Result<&'a mut Entry, HubError> {
    if !channels.contains_key(name) && channels.len() >= max_channels {
        return Err(HubError::TooManyChannels {
            max: max_channels,
            retry_after: ttl,
        });
    }
    let entry = channels.entry(name.clone()).or_insert_with(|| Entry {
        subscribers: Vec::new(),
        last_active: now,
        watched: false,
    });
    entry.last_active = now;
    Ok(entry)
}

/// Removes the channels with no subscriber and no use for `ttl`; returns them.
pub(crate) fn evict_idle(
    channels: &mut Channels,
    ttl: Duration,
    now: Instant,
) -> Vec<(ChannelName, Entry)> {
    let idle: Vec<ChannelName> = channels
        .iter()
        .filter(|(_, e)| !e.has_subscribers() && now.duration_since(e.last_active) >= ttl)
        .map(|(name, _)| name.clone())
        .collect();
    idle.into_iter()
        .filter_map(|name| channels.remove_entry(&name))
        .collect()
}

/// Runs `sweep` on `target` every quarter of `ttl` (at least every 100 ms) until `target` is
/// dropped: the hub's idle channels, the memory engine's idle histories.
pub(crate) async fn sweep_every<T: ?Sized>(target: Weak<T>, ttl: Duration, sweep: fn(&T)) {
    let every = (ttl / 4).max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(every).await;
        let Some(target) = target.upgrade() else {
            return;
        };
        sweep(&target);
    }
}
