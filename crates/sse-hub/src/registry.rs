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
    /// The length of `subscribers` after its last sweep of gone ones (see
    /// [`Entry::add_subscriber`]).
    pub swept: usize,
    pub last_active: Instant,
    /// Set once a subscriber's [`crate::Storage::watch`] returned; cleared (with
    /// [`crate::Storage::unwatch`]) when the last subscriber is gone.
    pub watched: bool,
}

/// A channel's list is swept of gone subscribers once it reaches this length, then each time it
/// doubles since the last sweep.
const FIRST_SWEEP: usize = 64;

impl Entry {
    /// Adds a subscriber, sweeping out the gone ones when the list has doubled since the last
    /// sweep: amortized constant time per subscriber. (Sweeping on every subscribe made 10,000
    /// subscribers cost 50 million checks; the fan-out drops gone ones too, but a channel that
    /// never publishes must not grow without bound.)
    pub fn add_subscriber(&mut self, sender: Sender) {
        if self.subscribers.len() >= self.swept.saturating_mul(2).max(FIRST_SWEEP) {
            self.subscribers.retain(|q| !q.is_closed());
            self.swept = self.subscribers.len();
        }
        self.subscribers.push(sender);
    }

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
        swept: 0,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::EventId;

    fn empty() -> Entry {
        Entry {
            subscribers: Vec::new(),
            swept: 0,
            last_active: Instant::now(),
            watched: false,
        }
    }

    #[test]
    fn a_channel_that_never_publishes_does_not_keep_its_gone_subscribers() {
        let mut entry = empty();
        // 10,000 clients come and go, one at a time, and nothing is published.
        for _ in 0..10_000 {
            let (sender, live) = crate::queue::queue(4, EventId::ZERO);
            entry.add_subscriber(sender);
            drop(live);
        }
        assert!(
            entry.subscribers.len() <= FIRST_SWEEP,
            "{} kept",
            entry.subscribers.len()
        );
        assert!(!entry.has_subscribers());
    }

    #[test]
    fn live_subscribers_are_never_swept_and_sweeps_are_amortized() {
        let mut entry = empty();
        let mut lives = Vec::new();
        let mut sweeps = 0;
        for i in 0..5_000 {
            let (sender, live) = crate::queue::queue(4, EventId::ZERO);
            let before = entry.swept;
            entry.add_subscriber(sender);
            if entry.swept != before {
                sweeps += 1;
            }
            // Every other one leaves.
            if i % 2 == 0 {
                lives.push(live);
            }
        }
        let live = entry.subscribers.iter().filter(|q| !q.is_closed()).count();
        assert_eq!(live, lives.len(), "every live subscriber is still there");
        assert!(sweeps < 20, "{sweeps} sweeps for 5,000 subscribers");
    }
}
