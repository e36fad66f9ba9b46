//! Second-reader wrong answer for ch03::ex03.
//! class: spec
//! Mistake: resume only checks that nothing after N has been dropped (oldest kept id <= N + 1), not
//! that N was ever given out, so an id from the future (N = 9 when the newest id is 5, e.g. from
//! before a restart) gets `Replay(vec![])` instead of a `Gap`.

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
        if self.events.len() > self.capacity {
            self.events.pop_front();
        }
        id
    }

    /// What a client that sent `last_event_id` must get.
    pub fn resume(&self, last_event_id: Option<&str>) -> Resume {
        let Some(text) = last_event_id else {
            return Resume::Replay(Vec::new());
        };
        // The oldest id still kept (the next id if nothing is kept): always >= 1.
        let oldest = self.events.front().map_or(self.next_id, |(id, _)| *id);
        match text.parse::<u64>() {
            // The first event the client is missing (N + 1) is still here: nothing lost.
            Ok(last) if oldest - 1 <= last => Resume::Replay(
                self.events
                    .iter()
                    .filter(|(id, _)| *id > last)
                    .cloned()
                    .collect(),
            ),
            _ => Resume::Gap {
                first_available: oldest,
                replay: self.events.iter().cloned().collect(),
            },
        }
    }
}
// ANCHOR_END: stub
