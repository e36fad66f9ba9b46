//! The in-memory engine: the embedded default, nothing to install.
//!
//! Each channel's history is a bounded log under one lock. An append stores the event and hands
//! it to the hub's handler under that lock, so the hub receives each channel's events in id
//! order. It hands over every append, watched or not: the event is already in hand, and the hub
//! drops what no subscriber wants. Watching only protects a log from being dropped.
//!
//! Ids are `<epoch>-<seq>`: the epoch is this hub's start time in milliseconds (made unique per
//! hub), the sequence a counter shared by all its channels. An id from before a restart, or from
//! a channel that was dropped and created again, is therefore never mistaken for a position in
//! the new history: it gets a `replay-gap`, never a silent skip.
//!
//! Its own bounds: each log by count, age and bytes; all logs together by
//! [`HubConfig::total_replay_bytes`] (past it, the least recently used unwatched logs go first);
//! and a log nobody watches or appends to for [`HubConfig::channel_ttl`] is dropped, as Redis
//! expires a stream key.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::time::Instant;

use crate::channel::ChannelName;
use crate::id::EventId;
use crate::idempotency::{IdempotencyKey, Receipt, Recent};
use crate::queue::Published;
use crate::resume::{StreamState, decide};
use crate::storage::{Feed, Handler, Health, History, NewEvent, Storage};
use crate::{HubConfig, HubError};

/// The in-memory engine. See the module doc.
pub struct Memory {
    config: HubConfig,
    epoch: u64,
    state: Mutex<State>,
    /// The logs the hub watches (`None`) and when the others were let go (`Some`). A lock of its
    /// own, taken last: the hub calls [`Storage::unwatch`] under its registry lock, while this
    /// engine calls the hub's handler under `state`.
    watched: Mutex<HashMap<ChannelName, Option<Instant>>>,
    handler: OnceLock<Handler>,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct State {
    logs: HashMap<ChannelName, Log>,
    /// The next id's sequence, shared by all channels so that ids are never reused.
    next_seq: u64,
    /// Bytes kept by all logs, held under `config.total_replay_bytes`.
    total_bytes: usize,
    /// Idempotency keys of recent publishes, bounded in count and age.
    recent: Recent,
}

/// One channel's history.
#[derive(Debug)]
struct Log {
    origin: EventId,
    last: EventId,
    max_deleted: EventId,
    events: VecDeque<(Published, Instant)>,
    bytes: usize,
    /// The last append or watch: what "idle" is measured from.
    last_active: Instant,
}

impl Log {
    fn new(origin: EventId, now: Instant) -> Self {
        Log {
            origin,
            last: origin,
            max_deleted: EventId::ZERO,
            events: VecDeque::new(),
            bytes: 0,
            last_active: now,
        }
    }

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

/// The log of `name`, created if needed: a new incarnation's origin takes the next sequence
/// number, so it comes after every id given out so far and an id from an earlier incarnation is
/// older than it (a gap).
fn open<'a>(
    logs: &'a mut HashMap<ChannelName, Log>,
    next_seq: &mut u64,
    epoch: u64,
    name: &ChannelName,
    now: Instant,
) -> &'a mut Log {
    let log = logs.entry(name.clone()).or_insert_with(|| {
        let origin = EventId::new(epoch, *next_seq);
        *next_seq += 1;
        Log::new(origin, now)
    });
    log.last_active = now;
    log
}

impl Memory {
    /// An empty engine with these limits; a background task (if a tokio runtime is running)
    /// drops idle logs.
    pub fn new(config: HubConfig) -> Arc<Self> {
        let memory = Arc::new(Memory {
            config,
            epoch: new_epoch(),
            state: Mutex::new(State {
                logs: HashMap::new(),
                next_seq: 1,
                total_bytes: 0,
                recent: Recent::default(),
            }),
            watched: Mutex::default(),
            handler: OnceLock::new(),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(crate::registry::sweep_every(
                Arc::downgrade(&memory),
                config.channel_ttl,
                Memory::drop_idle,
            ));
        }
        memory
    }

    /// The epoch of this hub's ids.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a log half-updated in a way that matters
        // more than stopping the whole server would.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn watched(&self) -> MutexGuard<'_, HashMap<ChannelName, Option<Instant>>> {
        self.watched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn hand_over(&self, channel: &ChannelName, feed: Feed) {
        if let Some(handler) = self.handler.get() {
            handler(channel, feed);
        }
    }

    /// Whether the log is unwatched and untouched for the channel TTL.
    fn is_idle(&self, name: &ChannelName, log: &Log, now: Instant) -> bool {
        let since = match self.watched().get(name) {
            Some(None) => return false,
            Some(Some(released)) => log.last_active.max(*released),
            None => log.last_active,
        };
        now.duration_since(since) >= self.config.channel_ttl
    }

    fn remove(&self, state: &mut State, name: &ChannelName) -> Option<Log> {
        let log = state.logs.remove(name)?;
        state.total_bytes -= log.bytes;
        let mut watched = self.watched();
        if watched.get(name).is_some_and(Option::is_some) {
            watched.remove(name);
        }
        Some(log)
    }

    /// The channel's log trimmed to its bounds, if it has one that is not idle.
    fn existing<'a>(
        &self,
        state: &'a mut State,
        name: &ChannelName,
        now: Instant,
    ) -> Option<&'a mut Log> {
        if state
            .logs
            .get(name)
            .is_some_and(|log| self.is_idle(name, log, now))
        {
            self.remove(state, name);
        }
        let log = state.logs.get_mut(name)?;
        state.total_bytes -= log.trim(&self.config, now);
        Some(log)
    }

    // ANCHOR: publish
    fn append_now(
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
        self.existing(state, channel, now);
        // The log first: a new one takes a sequence number for its origin, before the event's.
        let log = open(
            &mut state.logs,
            &mut state.next_seq,
            self.epoch,
            channel,
            now,
        );
        let id = EventId::new(self.epoch, state.next_seq);
        let published = Published::encode(id, event.event.as_deref(), &event.data)?;
        state.next_seq += 1;
        log.last = id;
        log.bytes += published.size();
        log.events.push_back((published.clone(), now));
        let freed = log.trim(&self.config, now);
        state.total_bytes = state.total_bytes + published.size() - freed;
        // Stored and handed to the hub under the same lock: the hub gets the channel's events in
        // id order.
        self.hand_over(channel, Feed::Entry(published));
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

    /// Over the hub-wide byte budget: drop unwatched logs, least recently used first, down to
    /// 90% of it (the hub forgets those channels); if that is not enough (every log is
    /// watched), the oldest events of the channel just published to.
    fn relieve(&self, state: &mut State, current: &ChannelName) {
        let target = self.config.total_replay_bytes / 10 * 9;
        let mut idle: Vec<(Instant, ChannelName)> = {
            let watched = self.watched();
            state
                .logs
                .iter()
                .filter(|(name, _)| *name != current && !matches!(watched.get(*name), Some(None)))
                .map(|(name, log)| (log.last_active, name.clone()))
                .collect()
        };
        idle.sort_unstable();
        for (_, name) in idle {
            if state.total_bytes <= target {
                break;
            }
            if self.remove(state, &name).is_some() {
                self.hand_over(&name, Feed::Lost);
            }
        }
        if let Some(log) = state.logs.get_mut(current) {
            while state.total_bytes > target && !log.events.is_empty() {
                state.total_bytes -= log.pop_oldest();
            }
        }
    }

    /// Drops the logs idle for the channel TTL (the sweep task calls it).
    fn drop_idle(&self) {
        let now = Instant::now();
        let mut state = self.lock();
        let idle: Vec<ChannelName> = state
            .logs
            .iter()
            .filter(|(name, log)| self.is_idle(name, log, now))
            .map(|(name, _)| name.clone())
            .collect();
        for name in idle {
            self.remove(&mut state, &name);
        }
    }

    fn state_now(&self, channel: &ChannelName) -> StreamState {
        let mut state = self.lock();
        self.existing(&mut state, channel, Instant::now())
            .map_or_else(StreamState::default, |log| log.state())
    }

    fn read_after_now(&self, channel: &ChannelName, after: EventId) -> History {
        let mut state = self.lock();
        let Some(log) = self.existing(&mut state, channel, Instant::now()) else {
            return History {
                events: Vec::new(),
                cut: decide(Some(after), &StreamState::default()).gap,
            };
        };
        History {
            events: log
                .events
                .iter()
                .filter(|(p, _)| p.id > after)
                .map(|(p, _)| p.clone())
                .collect(),
            // Trimmed or dropped since the hub read the state: the replay is not complete.
            cut: decide(Some(after), &log.state()).gap,
        }
    }

    fn watch_now(&self, channel: &ChannelName) -> StreamState {
        let now = Instant::now();
        let mut guard = self.lock();
        let state = &mut *guard;
        self.existing(state, channel, now);
        let stream = open(
            &mut state.logs,
            &mut state.next_seq,
            self.epoch,
            channel,
            now,
        )
        .state();
        self.watched().insert(channel.clone(), None);
        stream
    }
}

impl Storage for Memory {
    fn register(&self, handler: Handler) {
        let _ = self.handler.set(handler);
    }

    fn append(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>> {
        futures::future::ready(self.append_now(&channel, &event, key)).boxed()
    }

    fn state(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>> {
        futures::future::ready(Ok(self.state_now(&channel))).boxed()
    }

    fn read_after(
        &self,
        channel: ChannelName,
        after: EventId,
    ) -> BoxFuture<'_, Result<History, HubError>> {
        futures::future::ready(Ok(self.read_after_now(&channel, after))).boxed()
    }

    fn watch(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>> {
        futures::future::ready(Ok(self.watch_now(&channel))).boxed()
    }

    fn unwatch(&self, channel: &ChannelName) {
        if let Some(slot) = self.watched().get_mut(channel) {
            *slot = Some(Instant::now());
        }
    }

    fn health(&self) -> BoxFuture<'_, Health> {
        futures::future::ready(Health {
            storage: "memory",
            reachable: None,
        })
        .boxed()
    }
}
