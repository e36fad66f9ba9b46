//! The in-memory storage: the embedded default, nothing to install.
//!
//! Everything a channel keeps sits under one lock with its subscribers, so a publish is stored
//! and delivered in one step: a concurrent subscribe sees each event either in its replay or
//! live, never both and never neither, and every subscriber gets the events in id order.
//!
//! Ids are `<epoch>-<seq>`: the epoch is this hub's start time in milliseconds (made unique per
//! hub), the sequence a counter shared by all its channels. An id from before a restart, or from
//! a channel that was evicted and created again, is therefore never mistaken for a position in
//! the new history: it gets a `replay-gap`, never a silent skip.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::time::Instant;

use crate::channel::ChannelName;
use crate::id::EventId;
use crate::idempotency::{IdempotencyKey, Receipt, Recent};
use crate::queue::{Published, deliver, queue};
use crate::registry::{self, Channels};
use crate::resume::{Gap, StreamState, decide};
use crate::storage::{Health, NewEvent, Storage};
use crate::{After, HubConfig, HubError, Subscription};

/// The in-memory storage. See the module doc.
#[derive(Debug)]
pub struct Memory {
    config: HubConfig,
    epoch: u64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    channels: Channels<Log>,
    /// The next id's sequence, shared by all channels so that ids are never reused.
    next_seq: u64,
    /// Bytes kept by all channels, held under `config.total_replay_bytes`.
    total_bytes: usize,
    /// Idempotency keys of recent publishes, bounded in count and age.
    recent: Recent,
}

/// One channel's history.
#[derive(Debug, Default)]
struct Log {
    origin: EventId,
    last: EventId,
    max_deleted: EventId,
    events: VecDeque<(Published, Instant)>,
    bytes: usize,
}

impl Log {
    fn state(&self) -> StreamState {
        StreamState {
            origin: self.origin,
            first: self.events.front().map(|(p, _)| p.id),
            last: self.last,
            max_deleted: self.max_deleted,
        }
    }

    /// Drops the oldest event; returns its size.
    fn pop_oldest(&mut self) -> usize {
        match self.events.pop_front() {
            Some((published, _)) => {
                self.max_deleted = published.id;
                self.bytes -= published.size();
                published.size()
            }
            None => 0,
        }
    }

    /// Drops what is past the bounds; returns the bytes freed.
    fn trim(&mut self, config: &HubConfig, now: Instant) -> usize {
        let mut freed = 0;
        while let Some((_, at)) = self.events.front() {
            let too_old = now.duration_since(*at) > config.replay_age;
            if !too_old
                && self.events.len() <= config.replay_count
                && self.bytes <= config.replay_bytes
            {
                break;
            }
            freed += self.pop_oldest();
        }
        freed
    }

    /// The subscription's starting point: the replay and gap for `last_event_id`.
    fn resume(&self, last_event_id: Option<&str>) -> (Option<Gap>, Vec<Published>) {
        let Some(text) = last_event_id else {
            return (None, Vec::new());
        };
        let resume = decide(text.parse().ok(), &self.state());
        let replay: Vec<Published> = self
            .events
            .iter()
            .filter(|(p, _)| p.id > resume.after)
            .map(|(p, _)| p.clone())
            .collect();
        let gap = resume
            .gap
            .then(|| Gap::new(text, replay.first().map(|p| p.id)));
        (gap, replay)
    }
}

// ANCHOR: epoch
/// A start time in milliseconds, unique per hub created by this process (and, as time goes
/// forward, per process start).
fn new_epoch() -> u64 {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let epoch = now.max(last.saturating_add(1));
        match LAST.compare_exchange(last, epoch, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return epoch,
            Err(actual) => last = actual,
        }
    }
}
// ANCHOR_END: epoch

impl Memory {
    /// An empty storage with these limits; a background task (if a tokio runtime is running)
    /// evicts idle channels.
    pub fn new(config: HubConfig) -> Arc<Self> {
        let memory = Arc::new(Memory {
            config,
            epoch: new_epoch(),
            state: Mutex::new(State {
                channels: Channels::default(),
                next_seq: 1,
                total_bytes: 0,
                recent: Recent::default(),
            }),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(crate::storage::sweep_idle(
                Arc::downgrade(&memory),
                config.channel_ttl,
            ));
        }
        memory
    }

    /// The epoch of this hub's ids.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a channel half-updated in a way that
        // matters more than stopping the whole server would.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The channel's entry, created with a fresh origin if needed.
    fn entry<'a>(
        &self,
        channels: &'a mut Channels<Log>,
        next_seq: &mut u64,
        name: &ChannelName,
        now: Instant,
    ) -> Result<&'a mut registry::Entry<Log>, HubError> {
        let config = &self.config;
        let entry = registry::entry(channels, name, config.max_channels, config.channel_ttl, now)?;
        if entry.local.origin == EventId::ZERO {
            entry.local.origin = EventId::new(self.epoch, *next_seq);
            entry.local.last = entry.local.origin;
            *next_seq += 1;
        }
        Ok(entry)
    }

    // ANCHOR: publish
    fn publish_now(
        &self,
        channel: &ChannelName,
        event: &NewEvent,
        key: Option<IdempotencyKey>,
    ) -> Result<Receipt, HubError> {
        let now = Instant::now();
        let mut guard = self.lock();
        let state = &mut *guard;
        // Checked and recorded under the same lock as the append: two concurrent publishes with
        // one key store one event.
        if let Some(key) = &key
            && let Some(id) = state
                .recent
                .get(channel, key, self.config.idempotency_ttl, now)
        {
            return Ok(Receipt {
                id,
                duplicate: true,
            });
        }
        let entry = self.entry(&mut state.channels, &mut state.next_seq, channel, now)?;
        let id = EventId::new(self.epoch, state.next_seq);
        let published = Published::encode(id, event.event.as_deref(), &event.data)?;
        state.next_seq += 1;
        let size = published.size();
        let log = &mut entry.local;
        log.last = id;
        log.bytes += size;
        log.events.push_back((published.clone(), now));
        let freed = log.trim(&self.config, now);
        // Stored and delivered under the same lock: in id order, and a concurrent subscribe
        // sees it either in its replay or live.
        deliver(&mut entry.subscribers, &published);
        state.total_bytes = state.total_bytes + size - freed;
        if state.total_bytes > self.config.total_replay_bytes {
            self.relieve(state, channel);
        }
        if let Some(key) = key {
            let max = self.config.idempotency_keys;
            state.recent.insert(channel.clone(), key, id, max, now);
        }
        Ok(Receipt {
            id,
            duplicate: false,
        })
    }
    // ANCHOR_END: publish

    /// Over the hub-wide byte budget: drop idle channels, least recently used first, down to
    /// 90% of it; if that is not enough (every channel has subscribers), the oldest events of
    /// the channel just published to.
    fn relieve(&self, state: &mut State, current: &ChannelName) {
        let target = self.config.total_replay_bytes / 10 * 9;
        let mut idle: Vec<(Instant, ChannelName)> = state
            .channels
            .iter()
            .filter(|(name, e)| *name != current && !e.has_subscribers())
            .map(|(name, e)| (e.last_active, name.clone()))
            .collect();
        idle.sort_unstable();
        for (_, name) in idle {
            if state.total_bytes <= target {
                return;
            }
            if let Some(entry) = state.channels.remove(&name) {
                state.total_bytes -= entry.local.bytes;
            }
        }
        if let Some(entry) = state.channels.get_mut(current) {
            while state.total_bytes > target && !entry.local.events.is_empty() {
                state.total_bytes -= entry.local.pop_oldest();
            }
        }
    }

    // ANCHOR: subscribe
    fn subscribe_now(
        &self,
        channel: &ChannelName,
        last_event_id: Option<&str>,
    ) -> Result<Subscription, HubError> {
        let now = Instant::now();
        let mut guard = self.lock();
        let state = &mut *guard;
        let entry = self.entry(&mut state.channels, &mut state.next_seq, channel, now)?;
        state.total_bytes -= entry.local.trim(&self.config, now);
        let head = entry.local.last;
        let (gap, replay) = entry.local.resume(last_event_id);
        let (sender, live) = queue(self.config.subscriber_queue, head);
        entry.subscribers.retain(|q| !q.is_closed());
        entry.subscribers.push(sender);
        Ok(Subscription {
            head,
            gap,
            replay,
            live,
        })
    }
    // ANCHOR_END: subscribe

    fn events_after_now(&self, channel: &ChannelName, last_event_id: Option<&str>) -> After {
        let now = Instant::now();
        let mut guard = self.lock();
        let state = &mut *guard;
        // Reading creates nothing: a poll of an unknown channel costs no memory.
        let Some(entry) = state.channels.get_mut(channel) else {
            let gap = last_event_id
                .filter(|text| text.parse() != Ok(EventId::ZERO))
                .map(|text| Gap::new(text, None));
            return After {
                gap,
                events: Vec::new(),
                head: EventId::ZERO,
            };
        };
        state.total_bytes -= entry.local.trim(&self.config, now);
        // A poller without a cursor gets everything kept: it has missed nothing it knew of.
        let (gap, events) = entry.local.resume(Some(last_event_id.unwrap_or("0")));
        After {
            gap: gap.filter(|_| last_event_id.is_some()),
            events,
            head: entry.local.last,
        }
    }
}

impl Storage for Memory {
    fn publish(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>> {
        futures::future::ready(self.publish_now(&channel, &event, key)).boxed()
    }

    fn subscribe(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> BoxFuture<'_, Result<Subscription, HubError>> {
        futures::future::ready(self.subscribe_now(&channel, last_event_id.as_deref())).boxed()
    }

    fn events_after(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> BoxFuture<'_, Result<After, HubError>> {
        futures::future::ready(Ok(self.events_after_now(&channel, last_event_id.as_deref())))
            .boxed()
    }

    fn evict_idle(&self) -> usize {
        let mut state = self.lock();
        let evicted =
            registry::evict_idle(&mut state.channels, self.config.channel_ttl, Instant::now());
        for (_, entry) in &evicted {
            state.total_bytes -= entry.local.bytes;
        }
        evicted.len()
    }

    fn channel_count(&self) -> usize {
        self.lock().channels.len()
    }

    fn subscriber_count(&self, channel: &str) -> usize {
        self.lock().channels.get(channel).map_or(0, |entry| {
            entry.subscribers.iter().filter(|q| !q.is_closed()).count()
        })
    }

    fn health(&self) -> BoxFuture<'_, Health> {
        futures::future::ready(Health {
            storage: "memory",
            reachable: None,
        })
        .boxed()
    }
}
