//! One node's work, the same over every storage: the channel registry (a cap, idle eviction),
//! the subscribers' queues and the fan-out to them, and the rule that joins a replay to the live
//! feed.
//!
//! The storage only stores and hands back new entries of the channels this node watches (see
//! [`crate::storage`]). A channel is watched while it has subscribers here; each entry the
//! storage hands over goes to every local queue ([`crate::queue`]).
//!
//! Reads of a channel's state and history are merged across subscribers (see [`crate::merge`]):
//! a reconnect storm of thousands of clients resuming from one id costs one storage read per
//! round trip.
//!
//! Locks: the registry lock is taken inside the storage's handler (the memory engine calls it
//! under its own lock), so nothing here calls the storage while holding it, except
//! [`Storage::unwatch`], which promises to take no lock that the handler is called under.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::time::Instant;

use crate::channel::ChannelName;
use crate::id::EventId;
use crate::idempotency::{IdempotencyKey, Receipt};
use crate::merge::Merged;
use crate::metrics::NodeMetrics;
use crate::queue::{Published, deliver, queue};
use crate::registry::{self, Channels};
use crate::resume::{Gap, StreamState, decide};
use crate::storage::{Feed, History, NewEvent, Storage};
use crate::{After, HubConfig, HubError, Subscription};

/// The registry and fan-out of one hub over its storage.
pub(crate) struct Node {
    pub(crate) config: HubConfig,
    pub(crate) storage: Arc<dyn Storage>,
    channels: Mutex<Channels>,
    /// Merged `state` reads, by channel.
    states: Arc<Merged<ChannelName, StreamState>>,
    /// Merged `watch` calls (a channel's first subscribers on this node), by channel.
    watches: Arc<Merged<ChannelName, StreamState>>,
    /// Merged `read_after` reads, by channel and position.
    histories: Arc<Merged<(ChannelName, EventId), History>>,
    /// Taken once: the fan-out counts through these, never by name.
    metrics: NodeMetrics,
}

impl Node {
    /// A node over `storage`: registers its handler with the storage and, within a tokio
    /// runtime, starts the idle sweep.
    pub(crate) fn start(config: HubConfig, storage: Arc<dyn Storage>) -> Arc<Node> {
        let merge = config.merge_reads;
        let node = Arc::new(Node {
            config,
            storage,
            channels: Mutex::default(),
            states: Merged::new(merge),
            watches: Merged::new(merge),
            histories: Merged::new(merge),
            metrics: NodeMetrics::new(),
        });
        // Weak: the storage outlives no hub through its handler.
        let weak = Arc::downgrade(&node);
        node.storage.register(Arc::new(move |channel, feed| {
            if let Some(node) = weak.upgrade() {
                node.on_feed(channel, feed);
            }
        }));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(registry::sweep_every(
                Arc::downgrade(&node),
                config.channel_ttl,
                |node: &Node| {
                    node.evict_idle();
                },
            ));
        }
        node
    }

    fn lock(&self) -> MutexGuard<'_, Channels> {
        // A panic under the lock leaves at worst a stale queue list: carry on.
        self.channels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    // ANCHOR: fan_out
    /// The storage's handler: hands a new entry to every local subscriber that has room (a full
    /// queue ends that subscriber, chapter 3), or ends the channel's streams when the storage
    /// lost its history.
    fn on_feed(&self, channel: &ChannelName, feed: Feed) {
        // Before the lock: waiting for it is part of the delay.
        let started = std::time::Instant::now();
        let mut channels = self.lock();
        match feed {
            Feed::Entry(published) => {
                let Some(entry) = channels.get_mut(channel) else {
                    return; // no subscriber here, nothing to keep
                };
                let delivery = deliver(&mut entry.subscribers, &published);
                // The fan-out dropped the gone and the too slow: that counts as a sweep.
                entry.swept = entry.swept.min(entry.subscribers.len());
                // Once per event, not per subscriber: two atomic adds and one sample.
                if delivery.delivered + delivery.too_slow > 0 {
                    self.metrics.delivered.increment(delivery.delivered);
                    self.metrics.dropped.increment(delivery.too_slow);
                    let age = self.storage.entry_age(published.id).unwrap_or_default();
                    self.metrics
                        .fanout_delay
                        .record((age + started.elapsed()).as_secs_f64());
                }
                if entry.subscribers.is_empty() && entry.watched {
                    entry.watched = false;
                    self.storage.unwatch(channel);
                }
            }
            Feed::Lost => {
                // The storage stopped watching. Dropping the senders ends the streams; their
                // clients come back with their last id and get the `replay-gap`.
                channels.remove(channel);
            }
        }
    }
    // ANCHOR_END: fan_out

    /// Registers the channel (within the cap) and appends.
    pub(crate) async fn publish(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> Result<Receipt, HubError> {
        {
            let mut channels = self.lock();
            let config = &self.config;
            registry::entry(
                &mut channels,
                &channel,
                config.max_channels,
                config.channel_ttl,
                Instant::now(),
            )?;
        }
        let receipt = self.storage.append(channel, event, key).await?;
        if !receipt.duplicate {
            self.metrics.published.increment(1);
        }
        Ok(receipt)
    }

    // ANCHOR: subscribe
    /// The join rule: register the subscriber's queue first, then read the stream's state and
    /// the history after the client's id. Every entry is then in the history, or live, or both,
    /// and the live queue skips everything up to the head the replay reached: no gap, no
    /// duplicate, whatever the storage.
    pub(crate) async fn subscribe(
        &self,
        channel: ChannelName,
        last_event_id: Option<&str>,
    ) -> Result<Subscription, HubError> {
        let (sender, mut live) = queue(self.config.subscriber_queue, EventId::ZERO);
        let watched = {
            let mut channels = self.lock();
            let config = &self.config;
            let entry = registry::entry(
                &mut channels,
                &channel,
                config.max_channels,
                config.channel_ttl,
                Instant::now(),
            )?;
            entry.add_subscriber(sender);
            entry.watched
        };
        let state = if watched {
            self.state(&channel).await?
        } else {
            // The first subscriber here: the storage hands over every entry after this state.
            let storage = self.storage.clone();
            let name = channel.clone();
            let state = self
                .watches
                .run(
                    channel.clone(),
                    move || async move { storage.watch(name).await },
                )
                .await?;
            self.watching(&channel);
            state
        };
        let (gap, replay) = self.replay(&channel, &state, last_event_id).await?;
        let head = replay.last().map_or(state.last, |p| p.id.max(state.last));
        live.skip_through(head);
        Ok(Subscription {
            head,
            gap,
            replay,
            live,
        })
    }
    // ANCHOR_END: subscribe

    /// The channel's state, read after this call (merged with the reads of others who called
    /// before it was sent).
    async fn state(&self, channel: &ChannelName) -> Result<StreamState, HubError> {
        let storage = self.storage.clone();
        let name = channel.clone();
        self.states
            .run(
                channel.clone(),
                move || async move { storage.state(name).await },
            )
            .await
    }

    /// After a successful `watch`: records it, unless every subscriber left (or the storage
    /// lost the channel) meanwhile; then nobody needs the entries.
    fn watching(&self, channel: &ChannelName) {
        let mut channels = self.lock();
        match channels.get_mut(channel) {
            Some(entry) if entry.has_subscribers() => entry.watched = true,
            _ => self.storage.unwatch(channel),
        }
    }

    /// The replay and gap for `last_event_id` (`None`: a new subscriber, no replay).
    async fn replay(
        &self,
        channel: &ChannelName,
        state: &StreamState,
        last_event_id: Option<&str>,
    ) -> Result<(Option<Gap>, Vec<Published>), HubError> {
        let Some(text) = last_event_id else {
            return Ok((None, Vec::new()));
        };
        let resume = decide(text.parse().ok(), state);
        let storage = self.storage.clone();
        let (name, after) = (channel.clone(), resume.after);
        let history = self
            .histories
            .run((channel.clone(), resume.after), move || async move {
                storage.read_after(name, after).await
            })
            .await?;
        let gap = (resume.gap || history.cut)
            .then(|| Gap::new(text, history.events.first().map(|p| p.id)));
        Ok((gap, history.events))
    }

    /// What came after `last_event_id`, creating nothing on the node.
    pub(crate) async fn events_after(
        &self,
        channel: ChannelName,
        last_event_id: Option<&str>,
    ) -> Result<After, HubError> {
        let state = self.state(&channel).await?;
        // A poller without a cursor gets everything kept: it has missed nothing it knew of.
        let (gap, events) = self
            .replay(&channel, &state, Some(last_event_id.unwrap_or("0")))
            .await?;
        Ok(After {
            gap: gap.filter(|_| last_event_id.is_some()),
            head: events.last().map_or(state.last, |p| p.id.max(state.last)),
            events,
        })
    }

    /// Open subscriptions of `channel` on this node.
    pub(crate) fn subscriber_count(&self, channel: &str) -> usize {
        self.lock().get(channel).map_or(0, |entry| {
            entry.subscribers.iter().filter(|q| !q.is_closed()).count()
        })
    }

    /// Channels this node keeps.
    pub(crate) fn channel_count(&self) -> usize {
        self.lock().len()
    }

    /// Forgets the channels idle for the TTL, and stops watching those whose subscribers all
    /// left; returns how many channels were forgotten.
    pub(crate) fn evict_idle(&self) -> usize {
        let mut channels = self.lock();
        let evicted = registry::evict_idle(&mut channels, self.config.channel_ttl, Instant::now());
        for (name, entry) in &evicted {
            if entry.watched {
                self.storage.unwatch(name);
            }
        }
        for (name, entry) in channels.iter_mut() {
            if entry.watched && !entry.has_subscribers() {
                entry.watched = false;
                self.storage.unwatch(name);
            }
        }
        evicted.len()
    }
}
