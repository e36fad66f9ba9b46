//! Idempotent publishing: a publisher names each event with a key of its own, and a publish that
//! repeats a key the hub has seen answers the first publish's id instead of storing the event
//! again.
//!
//! Why: a publish whose answer was lost (a timeout, a 503 while Redis was paused) may or may not
//! have been stored; a timeout cannot tell "not done" from "not done yet". Retrying with the same
//! key is then safe: the event is stored once whatever happened to the first try.
//!
//! A key is remembered per channel, for [`crate::HubConfig::idempotency_ttl`]; in memory also at
//! most [`crate::HubConfig::idempotency_keys`] of them per hub (the oldest are forgotten first),
//! so a peer sending new keys cannot grow the hub.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::channel::ChannelName;
use crate::id::EventId;

/// The longest idempotency key, in bytes.
pub const MAX_KEY_LEN: usize = 128;

/// A validated idempotency key: 1 to [`MAX_KEY_LEN`] bytes of visible ASCII (`!` to `~`), what
/// fits in an HTTP header value and a Redis key without escaping. Cheap to clone.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(Arc<str>);

/// Why an idempotency key was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The key is empty.
    #[error("the idempotency key is empty")]
    Empty,
    /// The key is longer than [`MAX_KEY_LEN`].
    #[error("the idempotency key is {len} bytes long; the limit is {MAX_KEY_LEN}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The key has a byte that is not visible ASCII.
    #[error("the idempotency key has a byte that is not visible ASCII at {at}")]
    BadByte {
        /// Its offset.
        at: usize,
    },
}

impl IdempotencyKey {
    /// Checks `key`.
    pub fn new(key: &str) -> Result<Self, KeyError> {
        Self::from_bytes(key.as_bytes())
    }

    /// Checks `key` given as bytes (as an HTTP header value arrives).
    pub fn from_bytes(key: &[u8]) -> Result<Self, KeyError> {
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        if key.len() > MAX_KEY_LEN {
            return Err(KeyError::TooLong { len: key.len() });
        }
        if let Some(at) = key.iter().position(|b| !b.is_ascii_graphic()) {
            return Err(KeyError::BadByte { at });
        }
        // All visible ASCII: valid UTF-8.
        let text = std::str::from_utf8(key).map_err(|_| KeyError::BadByte { at: 0 })?;
        Ok(IdempotencyKey(Arc::from(text)))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({:?})", &*self.0)
    }
}

/// The answer to a publish: the event's id, and whether it was stored by an earlier publish with
/// the same idempotency key (then nothing was stored now).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The event's id.
    pub id: EventId,
    /// `true` when this publish repeated a key: `id` is the first publish's.
    pub duplicate: bool,
}

/// The in-memory storage's recent keys: bounded in count and age, oldest forgotten first.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    ids: HashMap<(ChannelName, IdempotencyKey), (EventId, Instant)>,
    /// Keys in the order they were stored (so also by age).
    order: VecDeque<(ChannelName, IdempotencyKey)>,
}

impl Recent {
    /// The id stored with this key, if it is still remembered.
    pub(crate) fn get(
        &mut self,
        channel: &ChannelName,
        key: &IdempotencyKey,
        ttl: Duration,
        now: Instant,
    ) -> Option<EventId> {
        self.expire(ttl, now);
        self.ids
            .get(&(channel.clone(), key.clone()))
            .map(|(id, _)| *id)
    }

    /// Remembers `id` for this key, forgetting the oldest keys past `max`.
    pub(crate) fn insert(
        &mut self,
        channel: ChannelName,
        key: IdempotencyKey,
        id: EventId,
        max: usize,
        now: Instant,
    ) {
        if max == 0 {
            return;
        }
        let slot = (channel, key);
        if self.ids.insert(slot.clone(), (id, now)).is_none() {
            self.order.push_back(slot);
        }
        while self.order.len() > max {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    fn expire(&mut self, ttl: Duration, now: Instant) {
        while let Some(oldest) = self.order.front() {
            let stale = self
                .ids
                .get(oldest)
                .is_none_or(|(_, at)| now.saturating_duration_since(*at) >= ttl);
            if !stale {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_to_128_bytes_of_visible_ascii() {
        assert!(IdempotencyKey::new("a").is_ok());
        assert!(IdempotencyKey::new("order-42:retry/x~!").is_ok());
        assert!(IdempotencyKey::new(&"k".repeat(MAX_KEY_LEN)).is_ok());
        assert_eq!(IdempotencyKey::new(""), Err(KeyError::Empty));
        assert_eq!(
            IdempotencyKey::new(&"k".repeat(MAX_KEY_LEN + 1)),
            Err(KeyError::TooLong { len: 129 })
        );
        assert_eq!(IdempotencyKey::new("a b"), Err(KeyError::BadByte { at: 1 }));
        assert_eq!(IdempotencyKey::new("é"), Err(KeyError::BadByte { at: 0 }));
        assert_eq!(
            IdempotencyKey::from_bytes(b"ab\x7f"),
            Err(KeyError::BadByte { at: 2 })
        );
        assert_eq!(
            IdempotencyKey::from_bytes(b"\x00"),
            Err(KeyError::BadByte { at: 0 })
        );
    }

    #[test]
    fn recent_keys_are_bounded_in_count_and_age() {
        let now = Instant::now();
        let ttl = Duration::from_secs(10);
        let channel = ChannelName::new("c").unwrap();
        let key = |n: usize| IdempotencyKey::new(&format!("k{n}")).unwrap();
        let mut recent = Recent::default();
        for n in 0..10 {
            recent.insert(channel.clone(), key(n), EventId::new(1, n as u64), 3, now);
        }
        assert_eq!(recent.len(), 3, "at most 3 keys kept");
        assert_eq!(recent.get(&channel, &key(0), ttl, now), None, "oldest gone");
        assert_eq!(
            recent.get(&channel, &key(9), ttl, now),
            Some(EventId::new(1, 9))
        );
        let other = ChannelName::new("d").unwrap();
        assert_eq!(
            recent.get(&other, &key(9), ttl, now),
            None,
            "keys are per channel"
        );
        assert_eq!(recent.get(&channel, &key(9), ttl, now + ttl), None);
        assert_eq!(recent.len(), 0, "expired keys are dropped");
    }
}
