//! Second-reader wrong answer for ch03::ex03.
//! class: boundaries
//! Mistake: resume looks for the client's own last id N in the buffer and replays what follows it,
//! so when N itself has just been dropped but everything after it is still kept (N = oldest - 1,
//! e.g. N = 0 with ids 1.. kept) it reports a `Gap` although nothing was lost.

// ANCHOR: stub
use std::collections::VecDeque;

pub use super::given::Resume;

/// A bounded buffer of the most recent events, with increasing ids.
#[derive(Debug)]
pub struct ReplayBuffer {
    capacity: usize,
    next_id: u64,
    events: VecDeque<(u64, String)>,
}

impl ReplayBuffer {
    /// An empty buffer keeping at most `capacity` events; the first id will be 1.
    pub fn new(capacity: usize) -> Self {
        ReplayBuffer {
            capacity,
            next_id: 1,
            events: VecDeque::with_capacity(capacity),
        }
    }

    /// Stores an event and returns its id.
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
        let position = text
            .parse::<u64>()
            .ok()
            .and_then(|last| self.events.iter().position(|(id, _)| *id == last));
        match position {
            // We still know where the client was: send everything after it.
            Some(index) => Resume::Replay(self.events.iter().skip(index + 1).cloned().collect()),
            None => self.gap(),
        }
    }

    fn gap(&self) -> Resume {
        Resume::Gap {
            first_available: self.events.front().map_or(self.next_id, |(id, _)| *id),
            replay: self.events.iter().cloned().collect(),
        }
    }
}
// ANCHOR_END: stub
