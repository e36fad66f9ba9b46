//! Event ids: one position in one channel's history, forever.
//!
//! An id is two numbers, `<high>-<low>`, the shape of a Redis stream id (`1732780800000-0`: the
//! milliseconds of the append, then a sequence within that millisecond). The in-memory storage
//! uses the same shape with its boot time as `high` and a process-wide counter as `low`
//! (`<boot-epoch>-<seq>`), so an id handed out before a restart can never be mistaken for a
//! position after it. Ids compare as the pair, which is the order of the channel.

use std::fmt;
use std::str::FromStr;

/// A position in a channel: `<high>-<low>`, ordered as the pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    /// Redis: the append time in milliseconds; in memory: the boot epoch.
    pub high: u64,
    /// Redis: the sequence within that millisecond; in memory: the process-wide sequence.
    pub low: u64,
}

/// A `Last-Event-ID` that is not `<u64>-<u64>` (or a bare `<u64>`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an event id of this hub (expected <number>-<number>)")]
pub struct MalformedId;

impl EventId {
    /// `0-0`: before every event of every channel. Resuming from it asks for everything kept.
    pub const ZERO: EventId = EventId { high: 0, low: 0 };

    /// The id `high-low`.
    pub const fn new(high: u64, low: u64) -> Self {
        EventId { high, low }
    }

    /// The smallest id after this one (what an exclusive range starts at).
    pub fn next(self) -> Option<EventId> {
        match self.low.checked_add(1) {
            Some(low) => Some(EventId::new(self.high, low)),
            None => self.high.checked_add(1).map(|high| EventId::new(high, 0)),
        }
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.high, self.low)
    }
}

impl FromStr for EventId {
    type Err = MalformedId;

    /// Parses `<high>-<low>` or a bare `<high>` (low 0, as Redis reads it). Digits only: no sign,
    /// no spaces, at most 20 digits a part, so a hostile header costs nothing to reject.
    fn from_str(text: &str) -> Result<Self, MalformedId> {
        fn part(digits: &str) -> Result<u64, MalformedId> {
            if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(MalformedId);
            }
            digits.parse().map_err(|_| MalformedId)
        }
        match text.split_once('-') {
            Some((high, low)) => Ok(EventId::new(part(high)?, part(low)?)),
            None => Ok(EventId::new(part(text)?, 0)),
        }
    }
}

/// As its text, `"<high>-<low>"`: JSON numbers would lose precision past 2^53 in JavaScript.
impl serde::Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for EventId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_redis_shape() {
        for (text, id) in [
            ("1732780800000-0", EventId::new(1_732_780_800_000, 0)),
            ("5-17", EventId::new(5, 17)),
            ("0", EventId::ZERO),
            ("42", EventId::new(42, 0)),
        ] {
            assert_eq!(text.parse::<EventId>(), Ok(id), "{text}");
        }
        assert_eq!(EventId::new(7, 3).to_string(), "7-3");
    }

    #[test]
    fn malformed_ids_are_rejected_without_panicking() {
        for text in [
            "",
            "-",
            "1-",
            "-1",
            "a-1",
            "1-b",
            "1-2-3",
            " 1-2",
            "+1-2",
            "1 -2",
            "99999999999999999999999-0",
            "18446744073709551616-0",
            "1-18446744073709551616",
        ] {
            assert_eq!(text.parse::<EventId>(), Err(MalformedId), "{text:?}");
        }
    }

    #[test]
    fn ids_order_as_the_pair_and_next_carries() {
        assert!(EventId::new(1, 9) < EventId::new(2, 0));
        assert!(EventId::new(2, 0) < EventId::new(2, 1));
        assert_eq!(EventId::new(1, 9).next(), Some(EventId::new(1, 10)));
        assert_eq!(EventId::new(1, u64::MAX).next(), Some(EventId::new(2, 0)));
        assert_eq!(EventId::new(u64::MAX, u64::MAX).next(), None);
    }
}
