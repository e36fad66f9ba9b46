//! Resume: from a client's `Last-Event-ID` and what the storage knows about the channel, decide
//! where the replay starts and whether events were lost on the way (a `replay-gap`).
//!
//! Pure: no storage, no clock. Both storages describe a channel with a [`StreamState`] (for Redis
//! it is read from `XINFO STREAM`) and ask [`decide`].

use sse_format::Event;

use crate::id::EventId;

/// The event name the hub reserves for its gap notice.
pub const REPLAY_GAP: &str = "replay-gap";

/// Event names publishers cannot use, because the hub or the server sends them itself with a
/// meaning clients act on: [`REPLAY_GAP`], and `token-expired` (sent by `ssekit-server` when a
/// stream's token expires, telling the client to fetch a new one).
pub const RESERVED_EVENTS: [&str; 2] = [REPLAY_GAP, "token-expired"];

/// What a storage knows about one channel's history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamState {
    /// The id just before this incarnation of the channel: `0-0` in Redis, `<epoch>-<n>` in
    /// memory (the counter when the channel was created). A client holding it has missed nothing.
    pub origin: EventId,
    /// The oldest event still kept, if any.
    pub first: Option<EventId>,
    /// The newest id ever given out in this incarnation (`origin` if none): the head.
    pub last: EventId,
    /// The newest id ever removed (trimmed, aged out), `0-0` if none (Redis:
    /// `max-deleted-entry-id`).
    pub max_deleted: EventId,
}

/// Where to replay from, and whether the client lost events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resume {
    /// Replay the events after this id (exclusive).
    pub after: EventId,
    /// Some events after the client's id are gone, or the id means nothing here.
    pub gap: bool,
}

// ANCHOR: decide
/// Decides how to resume a client that sent `last_event_id` (already parsed: `None` if it was
/// malformed).
///
/// The rule, in the order checked:
/// - a malformed id, or one newer than anything given out here: gap, replay everything kept;
/// - `0-0` asks for everything: a gap only if something was ever removed;
/// - older than the newest removed id: the events after it are (partly) gone: gap;
/// - older than the oldest kept event while nothing was ever removed, and not the channel's
///   origin: the id comes from an earlier incarnation (a restart, a recreated stream): gap;
/// - otherwise the history after it is complete: replay exactly what came after it.
pub fn decide(last_event_id: Option<EventId>, state: &StreamState) -> Resume {
    let everything = |gap| Resume {
        after: EventId::ZERO,
        gap,
    };
    let Some(last) = last_event_id else {
        return everything(true);
    };
    if last > state.last {
        return everything(true);
    }
    if last == EventId::ZERO {
        return everything(state.max_deleted > EventId::ZERO);
    }
    if last < state.max_deleted {
        return everything(true);
    }
    let before_first = state.first.is_none_or(|first| last < first);
    if before_first && state.max_deleted == EventId::ZERO && last != state.origin {
        return everything(true);
    }
    Resume {
        after: last,
        gap: false,
    }
}
// ANCHOR_END: decide

/// The replay could not cover everything the client missed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// The `Last-Event-ID` the client sent (as sent, cut to 128 bytes).
    pub last_event_id: String,
    /// The oldest id the replay starts with, if any event is replayed.
    pub first_available: Option<EventId>,
}

impl Gap {
    /// A gap for a client that sent `last_event_id`. Only the first 128 bytes are kept: the
    /// text goes back to the client and into memory, and a header can be long.
    pub fn new(last_event_id: &str, first_available: Option<EventId>) -> Self {
        let mut end = last_event_id.len().min(128);
        while !last_event_id.is_char_boundary(end) {
            end -= 1;
        }
        Gap {
            last_event_id: last_event_id[..end].to_owned(),
            first_available,
        }
    }

    /// The documented event that tells the client: `event: replay-gap`, data
    /// `{"last_event_id": "...", "first_available": "<id>" or null}`. It carries no `id:`, so
    /// the client keeps its last id until a replayed event moves it.
    pub fn event(&self) -> Event {
        let data = serde_json::json!({
            "last_event_id": self.last_event_id,
            "first_available": self.first_available.map(|id| id.to_string()),
        });
        Event::new().event(REPLAY_GAP).data(data.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(high: u64, low: u64) -> EventId {
        EventId::new(high, low)
    }

    /// Events 5-1..=5-9 were given out, 5-1..=5-3 trimmed: 5-4..=5-9 kept.
    fn trimmed() -> StreamState {
        StreamState {
            origin: EventId::ZERO,
            first: Some(id(5, 4)),
            last: id(5, 9),
            max_deleted: id(5, 3),
        }
    }

    #[test]
    fn a_known_id_resumes_exactly_after_it() {
        for last in [id(5, 3), id(5, 4), id(5, 8), id(5, 9)] {
            assert_eq!(
                decide(Some(last), &trimmed()),
                Resume {
                    after: last,
                    gap: false
                },
                "{last}"
            );
        }
    }

    #[test]
    fn ids_before_the_trim_malformed_or_from_the_future_are_gaps() {
        for last in [
            Some(id(5, 2)),
            Some(id(4, 99)),
            None,
            Some(id(5, 10)),
            Some(id(6, 0)),
        ] {
            assert_eq!(
                decide(last, &trimmed()),
                Resume {
                    after: EventId::ZERO,
                    gap: true
                },
                "{last:?}"
            );
        }
    }

    #[test]
    fn zero_means_everything_and_is_a_gap_only_after_a_trim() {
        assert!(decide(Some(EventId::ZERO), &trimmed()).gap);
        let whole = StreamState {
            max_deleted: EventId::ZERO,
            ..trimmed()
        };
        assert_eq!(
            decide(Some(EventId::ZERO), &whole),
            Resume {
                after: EventId::ZERO,
                gap: false
            }
        );
    }

    #[test]
    fn an_id_from_an_earlier_incarnation_is_a_gap() {
        // Memory after a restart: the new epoch is 9, the client's id is from epoch 5.
        let restarted = StreamState {
            origin: id(9, 0),
            first: Some(id(9, 1)),
            last: id(9, 4),
            max_deleted: EventId::ZERO,
        };
        assert!(decide(Some(id(5, 3)), &restarted).gap);
        assert!(!decide(Some(id(9, 0)), &restarted).gap, "the origin itself");
        // Redis: the stream was deleted and recreated; the old id is older than its first entry.
        let recreated = StreamState {
            origin: EventId::ZERO,
            first: Some(id(2000, 0)),
            last: id(2000, 5),
            max_deleted: EventId::ZERO,
        };
        assert!(decide(Some(id(1000, 0)), &recreated).gap);
        // Redis: the stream is gone altogether.
        assert!(decide(Some(id(1000, 0)), &StreamState::default()).gap);
    }

    #[test]
    fn the_gap_event_says_what_was_sent_and_where_the_replay_starts() {
        let gap = Gap::new("5-2", Some(id(5, 4)));
        assert_eq!(
            gap.event().to_bytes().unwrap(),
            b"event: replay-gap\ndata: {\"first_available\":\"5-4\",\"last_event_id\":\"5-2\"}\n\n"
        );
        let none = Gap::new(&"x".repeat(1000), None);
        assert_eq!(none.last_event_id.len(), 128, "a long header is cut");
        assert!(
            String::from_utf8(none.event().to_bytes().unwrap())
                .unwrap()
                .contains("\"first_available\":null")
        );
        // Cut on a character boundary.
        assert_eq!(
            Gap::new(&"\u{e9}".repeat(100), None).last_event_id.len(),
            128
        );
    }
}
