//! The tempting mistake: an off-by-one at the edge of the buffer. A client whose last id is just
//! before the oldest kept event (last = 2 with 3, 4, 5 kept) has lost nothing, but this version
//! reports a gap because it asks for `last` itself to be in the buffer.
//! class: boundaries

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
    /// An empty buffer keeping at most `capacity` events; the first id will be 1.
    pub fn new(capacity: usize) -> Self {
        ReplayBuffer {
            capacity,
            events: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Stores an event and returns its id.
    pub fn push(&mut self, data: &str) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.events.push_back((id, data.to_string()));
        if self.events.len() > self.capacity {
            self.events.pop_front();
        }
        id
    }

    /// What a client that sent `last_event_id` must get.
    pub fn resume(&self, last_event_id: Option<&str>) -> Resume {
        let Some(text) = last_event_id else {
            return Resume::Replay(vec![]);
        };
        let first_available = self.events.front().map_or(self.next_id, |e| e.0);
        let all: Vec<(u64, String)> = self.events.iter().cloned().collect();
        match text.parse::<u64>() {
            Ok(last) if last >= first_available && last < self.next_id => {
                Resume::Replay(all.into_iter().filter(|e| e.0 > last).collect())
            }
            _ => Resume::Gap {
                first_available,
                replay: all,
            },
        }
    }
}
