//! Redis Streams storage: many server nodes share one hub.
//!
//! - A channel is a stream key, `<prefix><channel>` (prefix `sse:` by default).
//! - Publishing is `XADD key MAXLEN ~ <replay_count> * [event <type>] data <data>`, then
//!   `EXPIRE key <stream_ttl>`: the approximate trim is the replay's count bound, and a channel
//!   nobody publishes to disappears from Redis too.
//! - A publish with an idempotency key runs [`PUBLISH_ONCE`], one Lua script, instead: if
//!   `<prefix>idem/<channel>/<key>` exists it answers the id stored there (a duplicate), else it
//!   does the same `XADD` and `EXPIRE` and `SET`s that key to the new id for
//!   [`HubConfig::idempotency_ttl`]. A script runs atomically, and a publish that timed out
//!   while Redis was paused is queued as one command: when the publisher retries with the same
//!   key, the retry finds the id, whichever ran first. (`/` cannot occur in a channel name, so
//!   such a key is never a stream and never another channel's key.)
//! - The event id is the stream id (`1732780800000-0`): it means the same on every node.
//! - Each node runs **one** reader task, on its own connection: `XREAD BLOCK` over the channels
//!   that have subscribers on this node, each from the last id it forwarded, fanning out to the
//!   local subscribers. When the set of channels changes, `CLIENT UNBLOCK` wakes it to re-issue
//!   the read.
//! - Resume is an exclusive range, `XREVRANGE key + (<id> COUNT n` (Redis 6.2 or later), the
//!   newest `n` after the client's id; [`crate::resume::decide`] on what `XINFO STREAM` says
//!   tells a complete replay from a gap (an id older than the first entry, malformed, or from a
//!   stream that was recreated). The replay's age and byte bounds are applied to what is read:
//!   the age from the id's milliseconds, the bytes from the encoded events.
//!
//! Faults: every call has a bounded wait ([`RedisConfig::timeout`]). While Redis does not
//! answer, publishing fails with [`HubError::Unavailable`] (HTTP 503 with `Retry-After`), open
//! streams stay open (their keep-alives are local), and the reader reconnects with backoff and
//! resumes each channel from the last id it forwarded: nothing lost, nothing twice. If the
//! stream was trimmed past that id meanwhile (or recreated), the reader ends that channel's local
//! streams instead, and their clients reconnect and get the `replay-gap` the normal way.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisError, Value};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::channel::ChannelName;
use crate::id::EventId;
use crate::idempotency::{IdempotencyKey, Receipt};
use crate::queue::{Published, deliver, queue};
use crate::registry::{self, Channels};
use crate::replay::keep_from;
use crate::resume::{Gap, StreamState, decide};
use crate::storage::{Health, NewEvent, Storage};
use crate::{After, HubConfig, HubError, Subscription};

/// Where Redis is and how long to wait for it.
#[derive(Clone, Debug)]
pub struct RedisConfig {
    /// `redis://[user:password@]host:port[/db]`. Never logged nor put in errors.
    pub url: String,
    /// Prepended to channel names to make stream keys.
    pub prefix: String,
    /// The longest wait for one call (connect, or one command's answer).
    pub timeout: Duration,
    /// How long one `XREAD` blocks before it is re-issued.
    pub block: Duration,
    /// `Retry-After` while Redis is unreachable.
    pub retry_after: Duration,
    /// Stream keys expire this long after their last publish.
    pub stream_ttl: Duration,
}

impl RedisConfig {
    /// Defaults for `url`: prefix `sse:`, 1 s timeout, 1 s blocks, 1 hour key expiry.
    pub fn new(url: impl Into<String>) -> Self {
        RedisConfig {
            url: url.into(),
            prefix: "sse:".to_owned(),
            timeout: Duration::from_secs(1),
            block: Duration::from_secs(1),
            retry_after: Duration::from_secs(1),
            stream_ttl: Duration::from_secs(3600),
        }
    }
}

/// What the node keeps per channel: where its reader is.
#[derive(Debug, Default)]
struct Watch {
    /// The last id forwarded to this node's subscribers (`None`: not read yet).
    cursor: Option<EventId>,
}

/// The Redis Streams storage. See the module doc.
pub struct Redis {
    config: HubConfig,
    redis: RedisConfig,
    client: redis::Client,
    /// The connection for commands, made on first use and after a failure.
    commands: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    channels: Mutex<Channels<Watch>>,
    /// Set when a call failed, cleared when one succeeds.
    down: AtomicBool,
    /// The reader's `CLIENT ID`, to wake it with `CLIENT UNBLOCK` (0: not connected).
    reader_id: AtomicU64,
    /// Bumped when a channel needs the reader; the reader records the generation it read.
    wanted: AtomicU64,
    seen: AtomicU64,
    /// Whether a waker task is running (one at a time, however many subscribe at once).
    waking: AtomicBool,
    wake: Notify,
    /// Itself, for the tasks it spawns.
    me: Weak<Redis>,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No URL: it may hold a password.
        f.debug_struct("Redis")
            .field("prefix", &self.redis.prefix)
            .finish_non_exhaustive()
    }
}

/// The idempotent publish, atomic in Redis. `KEYS`: the stream, the idempotency key. `ARGV`: the
/// MAXLEN, the stream's TTL, the key's TTL (seconds), then the entry's fields and values.
/// Answers `{id, 1}` for a key already stored, `{id, 0}` after adding the entry.
pub const PUBLISH_ONCE: &str = r"
local seen = redis.call('GET', KEYS[2])
if seen then
  return {seen, 1}
end
local xadd = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*'}
for i = 4, #ARGV do
  xadd[#xadd + 1] = ARGV[i]
end
local id = redis.call(unpack(xadd))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], id, 'EX', ARGV[3])
return {id, 0}
";

/// An entry as read: its id, event type and data.
type Entry = (EventId, Option<String>, String);

impl Redis {
    /// A storage on the Redis at `redis.url`, and its reader task (call within a tokio runtime).
    /// Only a malformed URL is an error: an unreachable Redis is retried, with backoff, and shows
    /// as 503s and in [`Storage::health`] meanwhile.
    pub fn new(config: HubConfig, redis: RedisConfig) -> Result<Arc<Self>, HubError> {
        let client =
            redis::Client::open(redis.url.as_str()).map_err(|_| HubError::Unavailable {
                reason: "the Redis URL is not valid".to_owned(),
                retry_after: redis.retry_after,
            })?;
        let storage = Arc::new_cyclic(|me| Redis {
            config,
            redis,
            client,
            commands: tokio::sync::Mutex::new(None),
            channels: Mutex::default(),
            down: AtomicBool::new(false),
            reader_id: AtomicU64::new(0),
            wanted: AtomicU64::new(0),
            seen: AtomicU64::new(0),
            waking: AtomicBool::new(false),
            wake: Notify::new(),
            me: me.clone(),
        });
        tokio::spawn(read_loop(Arc::downgrade(&storage)));
        tokio::spawn(crate::storage::sweep_idle(
            Arc::downgrade(&storage),
            config.channel_ttl,
        ));
        Ok(storage)
    }

    fn key(&self, channel: &str) -> String {
        format!("{}{channel}", self.redis.prefix)
    }

    fn lock(&self) -> MutexGuard<'_, Channels<Watch>> {
        self.channels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn unavailable(&self, error: &RedisError) -> HubError {
        // The error's kind, never its full text: that could echo the URL.
        let reason = if error.is_timeout() {
            "Redis did not answer in time"
        } else if error.is_connection_refusal() {
            "Redis refused the connection"
        } else if error.is_io_error() || error.is_connection_dropped() {
            "the connection to Redis failed"
        } else {
            "Redis answered with an error"
        };
        HubError::Unavailable {
            reason: reason.to_owned(),
            retry_after: self.redis.retry_after,
        }
    }

    async fn connection(&self) -> Result<MultiplexedConnection, RedisError> {
        let mut slot = self.commands.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(
                &AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(self.redis.timeout))
                    .set_response_timeout(Some(self.redis.timeout)),
            )
            .await?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    /// Runs one command (or pipeline) with the bounded wait, keeping track of Redis's health.
    async fn call<T: redis::FromRedisValue>(
        &self,
        run: impl AsyncFnOnce(&mut MultiplexedConnection) -> Result<T, RedisError>,
    ) -> Result<T, RedisError> {
        let mut connection = match self.connection().await {
            Ok(connection) => connection,
            Err(error) => {
                self.down.store(true, Ordering::Relaxed);
                return Err(error);
            }
        };
        // The library's response timeout bounds the command; this bounds everything else.
        let result = match tokio::time::timeout(self.redis.timeout * 2, run(&mut connection)).await
        {
            Ok(result) => result,
            Err(_) => Err(RedisError::from(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "timed out",
            ))),
        };
        match &result {
            Ok(_) => self.down.store(false, Ordering::Relaxed),
            Err(error) if is_connection_error(error) => {
                self.down.store(true, Ordering::Relaxed);
                // A broken connection is replaced on the next call; a slow one is kept.
                if !error.is_timeout() {
                    *self.commands.lock().await = None;
                }
            }
            Err(_) => {}
        }
        result
    }

    /// `XINFO STREAM`, as a [`StreamState`] (the default one if the key does not exist).
    async fn stream_state(&self, key: &str) -> Result<StreamState, HubError> {
        let reply: Result<Value, RedisError> = self
            .call(async |c| {
                redis::cmd("XINFO")
                    .arg("STREAM")
                    .arg(key)
                    .query_async(c)
                    .await
            })
            .await;
        match reply {
            Ok(value) => Ok(parse_stream_state(&value)),
            Err(error) if !is_connection_error(&error) => Ok(StreamState::default()), // no such key
            Err(error) => Err(self.unavailable(&error)),
        }
    }

    // ANCHOR: read_after
    /// The newest events after `after` within the replay bounds; `true` if some were cut.
    async fn read_after(
        &self,
        key: &str,
        after: EventId,
    ) -> Result<(Vec<Published>, bool), HubError> {
        let bounds = self.config.replay_bounds();
        let count = bounds.count.saturating_add(1);
        let reply: Value = self
            .call(async |c| {
                redis::cmd("XREVRANGE")
                    .arg(key)
                    .arg("+")
                    .arg(format!("({after}"))
                    .arg("COUNT")
                    .arg(count)
                    .query_async(c)
                    .await
            })
            .await
            .map_err(|e| self.unavailable(&e))?;
        let mut entries: Vec<Published> = parse_entries(&reply)
            .into_iter()
            .rev()
            .filter_map(|entry| self.encode(entry))
            .collect();
        let now = now_ms();
        let start = keep_from(&entries, &bounds, Published::size, |p| {
            Duration::from_millis(now.saturating_sub(p.id.high))
        });
        entries.drain(..start);
        Ok((entries, start > 0))
    }
    // ANCHOR_END: read_after

    /// An entry as an event; `None` for one no publisher of ours could have written.
    fn encode(&self, (id, event, data): Entry) -> Option<Published> {
        if data.len() > self.config.max_event_bytes || event.as_deref() == Some(crate::REPLAY_GAP) {
            return None;
        }
        Published::encode(id, event.as_deref(), &data).ok()
    }

    /// The replay and gap for `last_event_id` (`None`: a new subscriber, no replay).
    async fn resume(
        &self,
        key: &str,
        state: &StreamState,
        last_event_id: Option<&str>,
    ) -> Result<(Option<Gap>, Vec<Published>), HubError> {
        let Some(text) = last_event_id else {
            return Ok((None, Vec::new()));
        };
        let resume = decide(text.parse().ok(), state);
        let (replay, cut) = self.read_after(key, resume.after).await?;
        let gap = (resume.gap || cut).then(|| Gap::new(text, replay.first().map(|p| p.id)));
        Ok((gap, replay))
    }

    /// Makes the reader re-issue its read with the current channels, until it has.
    fn wake_reader(&self) {
        self.wanted.fetch_add(1, Ordering::AcqRel);
        self.wake.notify_one();
        if self.waking.swap(true, Ordering::AcqRel) {
            return; // a waker task is already on it, and will see this generation too
        }
        let storage = self.me.clone();
        tokio::spawn(async move {
            // `CLIENT UNBLOCK` is lost if it arrives just before the reader blocks: repeat it
            // until the reader has read the wanted generation (bounded: about 5 s).
            for _ in 0..200 {
                let Some(storage) = storage.upgrade() else {
                    return;
                };
                if storage.seen.load(Ordering::Acquire) >= storage.wanted.load(Ordering::Acquire) {
                    storage.waking.store(false, Ordering::Release);
                    // A wake between the check and the store found `waking` set and left: look
                    // again, and carry on if there was one.
                    let behind = storage.seen.load(Ordering::Acquire)
                        < storage.wanted.load(Ordering::Acquire);
                    if !behind || storage.waking.swap(true, Ordering::AcqRel) {
                        return;
                    }
                }
                let id = storage.reader_id.load(Ordering::Acquire);
                if id != 0 {
                    let _: Result<Value, _> = storage
                        .call(async |c| {
                            redis::cmd("CLIENT")
                                .arg("UNBLOCK")
                                .arg(id)
                                .query_async(c)
                                .await
                        })
                        .await;
                }
                drop(storage);
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            if let Some(storage) = storage.upgrade() {
                storage.waking.store(false, Ordering::Release);
            }
        });
    }

    async fn publish_now(
        &self,
        channel: ChannelName,
        event: NewEvent,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Receipt, HubError> {
        {
            let mut channels = self.lock();
            registry::entry(
                &mut channels,
                &channel,
                self.config.max_channels,
                self.config.channel_ttl,
                Instant::now(),
            )?;
        }
        if self.down.load(Ordering::Relaxed) {
            // Known to be down: ask first, so that an XADD is never left queued in a paused
            // Redis (it would be applied later, after this publish was answered 503, and a
            // retry would then publish it twice).
            let pong: Result<Value, RedisError> = self
                .call(async |c| redis::cmd("PING").query_async(c).await)
                .await;
            pong.map_err(|e| self.unavailable(&e))?;
        }
        // ANCHOR: xadd
        let key = self.key(channel.as_str());
        let ttl = self.redis.stream_ttl.as_secs().max(1);
        let count = self.config.replay_count.max(1);
        if let Some(idempotency) = idempotency {
            return self
                .publish_once(&key, &channel, &event, &idempotency, count, ttl)
                .await;
        }
        let reply: (Value, Value) = self
            .call(async |c| {
                let mut xadd = redis::cmd("XADD");
                xadd.arg(&key).arg("MAXLEN").arg("~").arg(count).arg("*");
                if let Some(kind) = &event.event {
                    xadd.arg("event").arg(kind);
                }
                xadd.arg("data").arg(&event.data);
                redis::pipe()
                    .add_command(xadd)
                    .cmd("EXPIRE")
                    .arg(&key)
                    .arg(ttl)
                    .query_async(c)
                    .await
            })
            .await
            .map_err(|e| self.unavailable(&e))?;
        id_of(&reply.0)
            .map(|id| Receipt {
                id,
                duplicate: false,
            })
            .ok_or_else(|| HubError::Unavailable {
                reason: "Redis answered XADD with something other than an id".to_owned(),
                retry_after: self.redis.retry_after,
            })
        // ANCHOR_END: xadd
    }

    // ANCHOR: publish_once
    /// The publish with an idempotency key: [`PUBLISH_ONCE`].
    async fn publish_once(
        &self,
        key: &str,
        channel: &ChannelName,
        event: &NewEvent,
        idempotency: &IdempotencyKey,
        count: usize,
        ttl: u64,
    ) -> Result<Receipt, HubError> {
        let seen = format!("{}idem/{channel}/{idempotency}", self.redis.prefix);
        let remember = self.config.idempotency_ttl.as_secs().max(1);
        // The script is sent whole (`EVAL`), not by hash (`EVALSHA`): a Redis that has not cached
        // it (restarted, `SCRIPT FLUSH`) would answer a publish queued during a pause with
        // NOSCRIPT, and the publisher's retry would no longer meet the first try. A few hundred
        // bytes more per keyed publish buy that the queued try always runs.
        let mut eval = redis::cmd("EVAL");
        eval.arg(PUBLISH_ONCE).arg(2).arg(key).arg(&seen);
        eval.arg(count).arg(ttl).arg(remember);
        if let Some(kind) = &event.event {
            eval.arg("event").arg(kind);
        }
        eval.arg("data").arg(&event.data);
        let reply: Value = self
            .call(async |c| eval.query_async(c).await)
            .await
            .map_err(|e| self.unavailable(&e))?;
        let receipt = match &reply {
            Value::Array(parts) => match parts.as_slice() {
                [id, Value::Int(flag)] => id_of(id).map(|id| Receipt {
                    id,
                    duplicate: *flag == 1,
                }),
                _ => None,
            },
            _ => None,
        };
        receipt.ok_or_else(|| HubError::Unavailable {
            reason: "Redis answered the publish script with something other than an id".to_owned(),
            retry_after: self.redis.retry_after,
        })
    }
    // ANCHOR_END: publish_once

    async fn subscribe_now(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> Result<Subscription, HubError> {
        // Join the fan-out first, then read: every event is then in the replay, or live, or
        // both (the live queue skips what the replay had).
        let (mut live, was_read) = {
            let mut channels = self.lock();
            let entry = registry::entry(
                &mut channels,
                &channel,
                self.config.max_channels,
                self.config.channel_ttl,
                Instant::now(),
            )?;
            let was_read = entry.has_subscribers() && entry.local.cursor.is_some();
            let (sender, live) = queue(self.config.subscriber_queue, EventId::ZERO);
            entry.subscribers.retain(|q| !q.is_closed());
            entry.subscribers.push(sender);
            (live, was_read)
        };
        let key = self.key(channel.as_str());
        let state = self.stream_state(&key).await?;
        if !was_read {
            // The reader starts this channel at the head: everything before it is the replay's.
            if let Some(entry) = self.lock().get_mut(&channel) {
                entry.local.cursor = Some(state.last);
            }
            self.wake_reader();
        }
        let (gap, replay) = self.resume(&key, &state, last_event_id.as_deref()).await?;
        let head = replay.last().map_or(state.last, |p| p.id.max(state.last));
        live.skip_through(head);
        Ok(Subscription {
            head,
            gap,
            replay,
            live,
        })
    }

    async fn events_after_now(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> Result<After, HubError> {
        let key = self.key(channel.as_str());
        let state = self.stream_state(&key).await?;
        // A poller without a cursor gets everything kept: it has missed nothing it knew of.
        let (gap, events) = self
            .resume(&key, &state, Some(last_event_id.as_deref().unwrap_or("0")))
            .await?;
        Ok(After {
            gap: gap.filter(|_| last_event_id.is_some()),
            events,
            head: state.last,
        })
    }
}

fn is_connection_error(error: &RedisError) -> bool {
    error.is_timeout()
        || error.is_io_error()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(text) => Some(text.clone()),
        _ => None,
    }
}

fn id_of(value: &Value) -> Option<EventId> {
    text_of(value)?.parse().ok()
}

/// `[id, [field, value, ...]]` entries.
fn parse_entries(value: &Value) -> Vec<Entry> {
    let Value::Array(entries) = value else {
        return Vec::new();
    };
    entries.iter().filter_map(parse_entry).collect()
}

fn parse_entry(value: &Value) -> Option<Entry> {
    let Value::Array(parts) = value else {
        return None;
    };
    let id = id_of(parts.first()?)?;
    let Some(Value::Array(fields)) = parts.get(1) else {
        return None;
    };
    let mut event = None;
    let mut data = None;
    for pair in fields.chunks(2) {
        if let [name, value] = pair {
            match text_of(name).as_deref() {
                Some("event") => event = text_of(value),
                Some("data") => data = text_of(value),
                _ => {}
            }
        }
    }
    Some((id, event, data?))
}

/// `XINFO STREAM`'s flat `[name, value, ...]` reply (or a RESP3 map).
fn parse_stream_state(value: &Value) -> StreamState {
    let pairs: Vec<(&Value, &Value)> = match value {
        Value::Array(items) => items
            .chunks(2)
            .filter_map(|p| match p {
                [k, v] => Some((k, v)),
                _ => None,
            })
            .collect(),
        Value::Map(items) => items.iter().map(|(k, v)| (k, v)).collect(),
        _ => Vec::new(),
    };
    let mut state = StreamState::default();
    let (mut length, mut added) = (0i64, 0i64);
    for (name, value) in pairs {
        match (text_of(name).as_deref(), value) {
            (Some("last-generated-id"), _) => state.last = id_of(value).unwrap_or_default(),
            (Some("max-deleted-entry-id"), _) => {
                state.max_deleted = id_of(value).unwrap_or_default();
            }
            (Some("first-entry"), _) => state.first = parse_entry(value).map(|e| e.0),
            (Some("length"), Value::Int(n)) => length = *n,
            (Some("entries-added"), Value::Int(n)) => added = *n,
            _ => {}
        }
    }
    // `max-deleted-entry-id` only follows XDEL; a trim (MAXLEN) shows as fewer entries than were
    // added. Then everything before the first entry is gone: count the id just before it as
    // deleted, so that any older id is a gap.
    if added > length {
        let before_first = match state.first {
            Some(first) if first.low > 0 => EventId::new(first.high, first.low - 1),
            Some(first) => EventId::new(first.high.saturating_sub(1), u64::MAX),
            None => state.last,
        };
        state.max_deleted = state.max_deleted.max(before_first);
    }
    state
}

// ANCHOR: reader
/// The node's one reader: connects, checks where each channel's cursor stands, then reads every
/// channel with local subscribers from its cursor and fans out, until the storage is dropped.
/// A failure reconnects with backoff (50 ms doubling to 2 s) and resumes from the cursors.
async fn read_loop(storage: Weak<Redis>) {
    let mut backoff = Duration::from_millis(50);
    loop {
        let Some(strong) = storage.upgrade() else {
            return;
        };
        match strong.read_until_error().await {
            Ok(()) => return,
            Err(_) => {
                strong.down.store(true, Ordering::Relaxed);
                strong.reader_id.store(0, Ordering::Release);
            }
        }
        drop(strong);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

impl Redis {
    async fn read_until_error(self: &Arc<Self>) -> Result<(), RedisError> {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.redis.timeout))
            .set_response_timeout(Some(self.redis.block + self.redis.timeout));
        let mut connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let id: u64 = redis::cmd("CLIENT")
            .arg("ID")
            .query_async(&mut connection)
            .await?;
        self.reader_id.store(id, Ordering::Release);
        self.end_channels_with_lost_history().await?;
        self.down.store(false, Ordering::Relaxed);
        loop {
            if Arc::strong_count(self) == 1 {
                // Only the reader holds it: the hub is gone.
                return Ok(());
            }
            let generation = self.wanted.load(Ordering::Acquire);
            let watched: Vec<(ChannelName, EventId)> = self
                .lock()
                .iter()
                .filter(|(_, e)| e.has_subscribers())
                .filter_map(|(name, e)| e.local.cursor.map(|c| (name.clone(), c)))
                .collect();
            self.seen.store(generation, Ordering::Release);
            if watched.is_empty() {
                let _ = tokio::time::timeout(self.redis.block, self.wake.notified()).await;
                continue;
            }
            let mut xread = redis::cmd("XREAD");
            xread
                .arg("COUNT")
                .arg(512)
                .arg("BLOCK")
                .arg(u64::try_from(self.redis.block.as_millis()).unwrap_or(1000))
                .arg("STREAMS");
            for (name, _) in &watched {
                xread.arg(self.key(name.as_str()));
            }
            for (_, cursor) in &watched {
                xread.arg(cursor.to_string());
            }
            let reply: Value = xread.query_async(&mut connection).await?;
            self.down.store(false, Ordering::Relaxed);
            self.fan_out(&reply);
        }
    }

    // ANCHOR: fan_out
    /// Hands each entry read to the channel's local subscribers, in order, once.
    fn fan_out(&self, reply: &Value) {
        let streams: Vec<(&Value, &Value)> = match reply {
            Value::Array(items) => items
                .iter()
                .filter_map(|s| match s {
                    Value::Array(pair) if pair.len() == 2 => Some((&pair[0], &pair[1])),
                    _ => None,
                })
                .collect(),
            Value::Map(items) => items.iter().map(|(k, v)| (k, v)).collect(),
            _ => return, // nil: the block timed out, or `CLIENT UNBLOCK`
        };
        let mut channels = self.lock();
        for (key, entries) in streams {
            let Some(name) =
                text_of(key).and_then(|k| k.strip_prefix(&self.redis.prefix).map(str::to_owned))
            else {
                continue;
            };
            let Some(channel) = channels.get_mut(name.as_str()) else {
                continue;
            };
            for entry in parse_entries(entries) {
                let id = entry.0;
                if channel.local.cursor.is_some_and(|c| id <= c) {
                    continue; // already forwarded (a read that raced a cursor change)
                }
                channel.local.cursor = Some(id);
                if let Some(published) = self.encode(entry) {
                    deliver(&mut channel.subscribers, &published);
                }
            }
        }
    }
    // ANCHOR_END: fan_out

    /// After a (re)connect: a channel whose stream was trimmed past the reader's cursor, or
    /// recreated, has lost events this node's subscribers never got. End those streams; their
    /// clients reconnect with their last id and get the `replay-gap` the normal way.
    async fn end_channels_with_lost_history(&self) -> Result<(), RedisError> {
        let watched: Vec<(ChannelName, EventId)> = self
            .lock()
            .iter()
            .filter(|(_, e)| e.has_subscribers())
            .filter_map(|(name, e)| e.local.cursor.map(|c| (name.clone(), c)))
            .collect();
        for (name, cursor) in watched {
            let state = match self.stream_state(&self.key(name.as_str())).await {
                Ok(state) => state,
                Err(_) => {
                    return Err(RedisError::from(std::io::Error::other(
                        "Redis is unreachable",
                    )));
                }
            };
            if decide(Some(cursor), &state).gap
                && let Some(entry) = self.lock().get_mut(&name)
            {
                entry.subscribers.clear();
                entry.local.cursor = None;
            }
        }
        Ok(())
    }
}
// ANCHOR_END: reader

impl Storage for Redis {
    fn publish(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>> {
        self.publish_now(channel, event, key).boxed()
    }

    fn subscribe(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> BoxFuture<'_, Result<Subscription, HubError>> {
        self.subscribe_now(channel, last_event_id).boxed()
    }

    fn events_after(
        &self,
        channel: ChannelName,
        last_event_id: Option<String>,
    ) -> BoxFuture<'_, Result<After, HubError>> {
        self.events_after_now(channel, last_event_id).boxed()
    }

    fn evict_idle(&self) -> usize {
        registry::evict_idle(&mut self.lock(), self.config.channel_ttl, Instant::now()).len()
    }

    fn channel_count(&self) -> usize {
        self.lock().len()
    }

    fn subscriber_count(&self, channel: &str) -> usize {
        self.lock().get(channel).map_or(0, |entry| {
            entry.subscribers.iter().filter(|q| !q.is_closed()).count()
        })
    }

    fn health(&self) -> BoxFuture<'_, Health> {
        async move {
            let pong: Result<Value, _> = self
                .call(async |c| redis::cmd("PING").query_async(c).await)
                .await;
            Health {
                storage: "redis",
                reachable: Some(pong.is_ok()),
            }
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(text: &str) -> Value {
        Value::BulkString(text.as_bytes().to_vec())
    }

    fn entry(id: &str, fields: &[&str]) -> Value {
        Value::Array(vec![
            bulk(id),
            Value::Array(fields.iter().map(|f| bulk(f)).collect()),
        ])
    }

    #[test]
    fn entries_are_read_with_their_event_type_and_odd_ones_are_skipped() {
        let reply = Value::Array(vec![
            entry("5-1", &["data", "one"]),
            entry("5-2", &["event", "tick", "data", "two"]),
            entry("5-3", &["other", "x"]),      // no data: not ours
            entry("not-an-id", &["data", "x"]), // not an id
            Value::Nil,
        ]);
        assert_eq!(
            parse_entries(&reply),
            [
                (EventId::new(5, 1), None, "one".to_owned()),
                (
                    EventId::new(5, 2),
                    Some("tick".to_owned()),
                    "two".to_owned()
                ),
            ]
        );
        assert!(parse_entries(&Value::Nil).is_empty());
    }

    #[test]
    fn xinfo_stream_becomes_a_stream_state_and_a_trim_counts_as_deletion() {
        let info = |length: i64, added: i64| {
            Value::Array(vec![
                bulk("length"),
                Value::Int(length),
                bulk("last-generated-id"),
                bulk("9-4"),
                bulk("max-deleted-entry-id"),
                bulk("0-0"),
                bulk("entries-added"),
                Value::Int(added),
                bulk("first-entry"),
                entry("9-2", &["data", "x"]),
            ])
        };
        let whole = parse_stream_state(&info(3, 3));
        assert_eq!(
            whole,
            StreamState {
                origin: EventId::ZERO,
                first: Some(EventId::new(9, 2)),
                last: EventId::new(9, 4),
                max_deleted: EventId::ZERO,
            }
        );
        // Five added, three kept: everything before 9-2 is gone.
        let trimmed = parse_stream_state(&info(3, 5));
        assert_eq!(trimmed.max_deleted, EventId::new(9, 1));
        assert!(decide(Some(EventId::new(9, 0)), &trimmed).gap);
        assert!(!decide(Some(EventId::new(9, 2)), &trimmed).gap);
        assert_eq!(parse_stream_state(&Value::Nil), StreamState::default());
    }
}
