//! The tempting mistake: trusting `str::parse::<u64>` to say whether the header is an id. It also
//! accepts a leading `+` (`"+3"` reads as 3), a form no server ever wrote, so a client that sends
//! `+3` is replayed as if it had sent the id `3`, instead of getting a `Gap`.
//! class: encoding

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
        match text.parse::<u64>() {
            // Nothing lost: `last` was given out, and the first event it misses is still here.
            Ok(last) if last < self.next_id && last + 1 >= first_available => {
                Resume::Replay(after(last))
            }
            _ => Resume::Gap {
                first_available,
                replay: after(0),
            },
        }
    }
}
