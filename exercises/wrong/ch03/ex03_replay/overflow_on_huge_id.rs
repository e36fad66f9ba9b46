//! The tempting mistake: computing "the first event the client misses" as `last + 1` on the
//! number the client sent. Every id the server gave out is small, so it looks safe, but the
//! header is a peer's text: `Last-Event-ID: 18446744073709551615` overflows, which panics in a
//! debug build (and wraps to 0 in release): the connection dies instead of getting a `Gap`.
//! class: errors

use std::collections::VecDeque;

pub use super::given::Resume;

/// A bounded buffer of the most recent events, with increasing ids.
#[derive(Debug)]
pub struct ReplayBuffer {
    capacity: usize,
    events: VecDeque<(u64, String)>,
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
        let is_id = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        match text.parse::<u64>() {
            Ok(last) if is_id && last + 1 >= first_available && last < self.next_id => {
                Resume::Replay(after(last))
            }
            _ => Resume::Gap {
                first_available,
                replay: after(0),
            },
        }
    }
}
