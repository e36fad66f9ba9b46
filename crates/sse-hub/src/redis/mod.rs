//! The Redis Streams engine: many server nodes share one hub.
//!
//! - A channel is a stream key, `<prefix><channel>` (prefix `sse:` by default).
//! - Appending is `XADD key MAXLEN ~ <replay_count> * [event <type>] data <data>`, then
//!   `EXPIRE key <stream_ttl>`: the approximate trim is the replay's count bound, and a channel
//!   nobody publishes to disappears from Redis too.
//! - An append with an idempotency key runs [`PUBLISH_ONCE`], one Lua script, instead
//!   (`script.rs`): if `<prefix>idem/<channel>/<key>` exists it answers the id stored there (a
//!   duplicate), else it does the same `XADD` and `EXPIRE` and `SET`s that key to the new id for
//!   [`HubConfig::idempotency_ttl`]. A script runs atomically, and a publish that timed out
//!   while Redis was paused is queued as one command: when the publisher retries with the same
//!   key, the retry finds the id, whichever ran first. (`/` cannot occur in a channel name, so
//!   such a key is never a stream and never another channel's key.)
//! - The event id is the stream id (`1732780800000-0`): it means the same on every node.
//! - The state is `XINFO STREAM`; reading after a position is an exclusive range,
//!   `XREVRANGE key + (<id> COUNT n` (Redis 6.2 or later), the newest `n` after it, with the
//!   replay's age and byte bounds applied to what is read: the age from the id's milliseconds,
//!   the bytes from the encoded events. Replies are read in `wire.rs`.
//! - Watching a channel gives it a cursor, the stream's head when it was watched; each node runs
//!   **one** reader task (`reader.rs`) that reads every watched channel from its cursor and hands
//!   the entries to the hub.
//!
//! Faults: every call has a bounded wait ([`RedisConfig::timeout`]). While Redis does not
//! answer, publishing fails with [`HubError::Unavailable`] (HTTP 503 with `Retry-After`), open
//! streams stay open (their keep-alives are local), and the reader reconnects with backoff and
//! resumes each channel from its cursor: nothing lost, nothing twice. If the stream was trimmed
//! past that cursor meanwhile (or recreated), the reader reports the channel lost instead, and
//! the hub ends its streams; their clients reconnect and get the `replay-gap` the normal way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisError, Value};
use tokio::sync::Notify;

use crate::channel::ChannelName;
use crate::id::EventId;
use crate::idempotency::{IdempotencyKey, Receipt};
use crate::metrics::RedisMetrics;
use crate::queue::Published;
use crate::replay::keep_from;
use crate::resume::StreamState;
use crate::storage::{Feed, Handler, Health, History, NewEvent, Storage};
use crate::{HubConfig, HubError};

mod reader;
mod script;
mod wire;

pub use script::PUBLISH_ONCE;

/// Where Redis is and how long to wait for it: [`RedisConfig::new`], then the `with_*` setters.
#[derive(Clone, Debug)]
#[non_exhaustive]
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

    /// Sets [`RedisConfig::prefix`].
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Sets [`RedisConfig::timeout`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`RedisConfig::block`].
    pub fn with_block(mut self, block: Duration) -> Self {
        self.block = block;
        self
    }

    /// Sets [`RedisConfig::retry_after`].
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// Sets [`RedisConfig::stream_ttl`].
    pub fn with_stream_ttl(mut self, stream_ttl: Duration) -> Self {
        self.stream_ttl = stream_ttl;
        self
    }
}

/// The Redis Streams engine. See the module doc.
pub struct Redis {
    config: HubConfig,
    redis: RedisConfig,
    client: redis::Client,
    /// The connection for commands, made on first use and after a failure.
    commands: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    /// The watched channels, each with its cursor: the last id handed to the hub (at first, the
    /// head when it was watched).
    watches: Mutex<HashMap<ChannelName, EventId>>,
    /// Where entries go.
    handler: OnceLock<Handler>,
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
    /// Round trips, errors and the reader's lag ([`crate::metrics`]).
    metrics: RedisMetrics,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No URL: it may hold a password.
        f.debug_struct("Redis")
            .field("prefix", &self.redis.prefix)
            .finish_non_exhaustive()
    }
}

impl Redis {
    /// An engine on the Redis at `redis.url`, and its reader task (call within a tokio runtime).
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
            watches: Mutex::default(),
            handler: OnceLock::new(),
            down: AtomicBool::new(false),
            reader_id: AtomicU64::new(0),
            wanted: AtomicU64::new(0),
            seen: AtomicU64::new(0),
            waking: AtomicBool::new(false),
            wake: Notify::new(),
            me: me.clone(),
            metrics: RedisMetrics::new(),
        });
        // The span names the task in logs; never the URL (it may hold a password).
        let span = tracing::info_span!("redis_reader", prefix = %storage.redis.prefix);
        tokio::spawn(tracing::Instrument::instrument(
            reader::read_loop(Arc::downgrade(&storage)),
            span,
        ));
        Ok(storage)
    }

    fn key(&self, channel: &str) -> String {
        format!("{}{channel}", self.redis.prefix)
    }

    fn watches(&self) -> MutexGuard<'_, HashMap<ChannelName, EventId>> {
        self.watches
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn hand_over(&self, channel: &ChannelName, feed: Feed) {
        if let Some(handler) = self.handler.get() {
            handler(channel, feed);
        }
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
                self.metrics.command_errors.increment(1);
                return Err(error);
            }
        };
        let started = std::time::Instant::now();
        // The library's response timeout bounds the command; this bounds everything else.
        let result = match tokio::time::timeout(self.redis.timeout * 2, run(&mut connection)).await
        {
            Ok(result) => result,
            Err(_) => Err(RedisError::from(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "timed out",
            ))),
        };
        self.metrics
            .round_trip
            .record(started.elapsed().as_secs_f64());
        // Failures to get an answer; an error reply (`XINFO` of a key that does not exist yet)
        // is an answer.
        if matches!(&result, Err(error) if is_connection_error(error)) {
            self.metrics.command_errors.increment(1);
        }
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
            Ok(value) => Ok(wire::parse_stream_state(&value)),
            Err(error) if !is_connection_error(&error) => Ok(StreamState::default()), // no such key
            Err(error) => Err(self.unavailable(&error)),
        }
    }

    // ANCHOR: read_after
    /// The newest events after `after` within the replay bounds; `cut` if some did not fit.
    async fn read_after_now(&self, key: &str, after: EventId) -> Result<History, HubError> {
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
        let mut entries: Vec<Published> = wire::parse_entries(&reply)
            .into_iter()
            .rev()
            .filter_map(|entry| self.encode(entry))
            .collect();
        let now = now_ms();
        let start = keep_from(&entries, &bounds, Published::size, |p| {
            Duration::from_millis(now.saturating_sub(p.id.high))
        });
        entries.drain(..start);
        Ok(History {
            events: entries,
            cut: start > 0,
        })
    }
    // ANCHOR_END: read_after

    /// An entry as an event; `None` for one no publisher of ours could have written.
    fn encode(&self, (id, event, data): wire::Entry) -> Option<Published> {
        if data.len() > self.config.max_event_bytes || event.as_deref() == Some(crate::REPLAY_GAP) {
            return None;
        }
        Published::encode(id, event.as_deref(), &data).ok()
    }

    async fn append_now(
        &self,
        channel: ChannelName,
        event: NewEvent,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Receipt, HubError> {
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
        wire::id_of(&reply.0)
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

    /// Watches `channel` from the stream's head now (or from where it is already watched, if
    /// that is earlier: a cursor only moves back, so no one misses an entry).
    async fn watch_now(&self, channel: ChannelName) -> Result<StreamState, HubError> {
        let state = self.stream_state(&self.key(channel.as_str())).await?;
        {
            let mut watches = self.watches();
            let cursor = watches.entry(channel).or_insert(state.last);
            *cursor = (*cursor).min(state.last);
        }
        self.wake_reader();
        Ok(state)
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

impl Storage for Redis {
    fn register(&self, handler: Handler) {
        let _ = self.handler.set(handler);
    }

    fn append(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>> {
        self.append_now(channel, event, key).boxed()
    }

    fn state(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>> {
        async move { self.stream_state(&self.key(channel.as_str())).await }.boxed()
    }

    fn read_after(
        &self,
        channel: ChannelName,
        after: EventId,
    ) -> BoxFuture<'_, Result<History, HubError>> {
        async move {
            self.read_after_now(&self.key(channel.as_str()), after)
                .await
        }
        .boxed()
    }

    fn watch(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>> {
        self.watch_now(channel).boxed()
    }

    fn unwatch(&self, channel: &ChannelName) {
        // The reader reads the watched set afresh each round: at worst one more read of it.
        self.watches().remove(channel);
    }

    fn entry_age(&self, id: EventId) -> Option<Duration> {
        // A Redis stream id starts with the milliseconds of the `XADD`, on Redis's clock.
        Some(Duration::from_millis(now_ms().saturating_sub(id.high)))
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
