//! The node's one reader: a task on its own connection that runs `XREAD BLOCK` over the
//! channels the hub watches, each from the last id it handed over, and hands every entry to the
//! hub's handler in stream order. When the set of channels changes, `CLIENT UNBLOCK` wakes it to
//! re-issue the read; when Redis goes away, it reconnects with backoff and resumes from the
//! cursors.

use std::sync::Arc;
use std::sync::Weak;
use std::sync::atomic::Ordering;
use std::time::Duration;

use redis::{AsyncConnectionConfig, RedisError, Value};

use super::{Redis, wire};
use crate::channel::ChannelName;
use crate::id::EventId;
use crate::queue::Published;
use crate::resume::decide;
use crate::storage::Feed;

impl Redis {
    /// Makes the reader re-issue its read with the current channels, until it has.
    pub(super) fn wake_reader(&self) {
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

    /// The watched channels and their cursors, now.
    fn cursors(&self) -> Vec<(ChannelName, EventId)> {
        self.watches()
            .iter()
            .map(|(name, cursor)| (name.clone(), *cursor))
            .collect()
    }
}

// ANCHOR: reader
/// The node's one reader: connects, checks where each channel's cursor stands, then reads every
/// watched channel from its cursor and hands the entries to the hub, until the storage is
/// dropped. A failure reconnects with backoff (50 ms doubling to 2 s) and resumes from the
/// cursors.
pub(super) async fn read_loop(storage: Weak<Redis>) {
    let mut backoff = Duration::from_millis(50);
    loop {
        let Some(strong) = storage.upgrade() else {
            return;
        };
        match strong.read_until_error().await {
            Ok(()) => return,
            Err(error) => {
                strong.metrics.reader_errors.increment(1);
                // The error's kind only: its text could echo the URL.
                tracing::warn!(
                    timeout = error.is_timeout(),
                    refused = error.is_connection_refusal(),
                    retry_in_ms = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                    "the Redis reader lost its connection; reconnecting"
                );
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
        self.lose_channels_with_lost_history().await?;
        self.down.store(false, Ordering::Relaxed);
        loop {
            if Arc::strong_count(self) == 1 {
                // Only the reader holds it: the hub is gone.
                return Ok(());
            }
            let generation = self.wanted.load(Ordering::Acquire);
            let watched = self.cursors();
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
    /// Hands each entry read to the hub, in stream order, once: the channel's cursor moves past
    /// it first. The hub hands it on to its local subscribers.
    fn fan_out(&self, reply: &Value) {
        let mut entries: Vec<(ChannelName, Published)> = Vec::new();
        // The oldest entry's Redis time: how far behind this read runs (nothing new: caught up).
        let mut oldest = u64::MAX;
        {
            let mut watches = self.watches();
            for (name, read) in wire::parse_xread(reply, &self.redis.prefix) {
                let Ok(channel) = ChannelName::new(&name) else {
                    continue;
                };
                let Some(cursor) = watches.get_mut(&channel) else {
                    continue; // unwatched while the read was under way
                };
                for entry in read {
                    let id = entry.0;
                    if id <= *cursor {
                        continue; // already handed over (a read that raced a cursor change)
                    }
                    *cursor = id;
                    oldest = oldest.min(id.high);
                    if let Some(published) = self.encode(entry) {
                        entries.push((channel.clone(), published));
                    }
                }
            }
        }
        let lag = if oldest == u64::MAX {
            0
        } else {
            super::now_ms().saturating_sub(oldest)
        };
        // Milliseconds to seconds; exact below 2^53 ms.
        #[allow(clippy::cast_precision_loss)]
        self.metrics.reader_lag.set(lag as f64 / 1000.0);
        // Outside the lock: the hub calls `unwatch` (which takes it) under the lock its handler
        // takes. This one task hands everything over, so the order holds.
        for (channel, published) in entries {
            self.hand_over(&channel, Feed::Entry(published));
        }
    }
    // ANCHOR_END: fan_out

    /// After a (re)connect: a channel whose stream was trimmed past the reader's cursor, or
    /// recreated, has lost events this node's subscribers never got. Stop watching it and tell
    /// the hub, which ends those streams; their clients reconnect with their last id and get
    /// the `replay-gap` the normal way.
    async fn lose_channels_with_lost_history(&self) -> Result<(), RedisError> {
        for (name, cursor) in self.cursors() {
            let state = match self.stream_state(&self.key(name.as_str())).await {
                Ok(state) => state,
                Err(_) => {
                    return Err(RedisError::from(std::io::Error::other(
                        "Redis is unreachable",
                    )));
                }
            };
            if decide(Some(cursor), &state).gap {
                self.watches().remove(&name);
                self.hand_over(&name, Feed::Lost);
            }
        }
        Ok(())
    }
}
// ANCHOR_END: reader
