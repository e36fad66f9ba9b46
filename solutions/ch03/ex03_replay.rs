//! Solution to ch03::ex03: resume from a replay buffer.

// ANCHOR: solution
use std::collections::VecDeque;

pub use super::given::Resume;

/// A bounded buffer of the most recent events, with increasing ids.
#[derive(Debug)]
pub struct ReplayBuffer {
    capacity: usize,
    events: VecDeque<(u64, String)>,
    /// Kept apart from the events: ids go on increasing when old events are dropped.
    next_id: u64,
}

impl ReplayBuffer {
    /// An empty buffer keeping at most `capacity` events; the first id is 1.
    pub fn new(capacity: usize) -> Self {
        ReplayBuffer {
            capacity,
            events: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Stores an event and returns its id. The oldest event goes when the buffer is full.
    pub fn push(&mut self, data: &str) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.events.push_back((id, data.to_owned()));
        while self.events.len() > self.capacity {
            self.events.pop_front();
        }
        id
    }

    /// What a client that sent `last_event_id` must get.
    pub fn resume(&self, last_event_id: Option<&str>) -> Resume {
        let Some(text) = last_event_id else {
            return Resume::Replay(Vec::new());
        };
        let first_available = self.events.front().map_or(self.next_id, |(id, _)| *id);
        let after = |last: u64| {
            self.events
                .iter()
                .filter(|(id, _)| *id > last)
                .cloned()
                .collect()
        };
        match parse_id(text) {
            // `last` is an id we gave out, and the first event the client is missing (last + 1,
            // checked: a peer may send u64::MAX) is still here, so it has lost nothing.
            Some(last)
                if last < self.next_id
                    && last
                        .checked_add(1)
                        .is_some_and(|missing| missing >= first_available) =>
            {
                Resume::Replay(after(last))
            }
            _ => Resume::Gap {
                first_available,
                replay: after(0),
            },
        }
    }
}

/// An id as the server writes it: ASCII digits only. `u64::from_str` alone would also take
/// `+5`, which no server wrote; a number too large for a u64 is `None` too.
fn parse_id(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
// ANCHOR_END: solution
