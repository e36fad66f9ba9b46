//! Solution to ch03::ex03: resume from a replay buffer.

// ANCHOR: solution
use std::collections::VecDeque;

/// What to send a client that connects with `Last-Event-ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resume {
    /// Replay these events (id, data), oldest first; then go live.
    Replay(Vec<(u64, String)>),
    /// The client missed events that are no longer in the buffer: tell it (the server then sends
    /// a `replay-gap` event), and replay everything that is left.
    Gap {
        first_available: u64,
        replay: Vec<(u64, String)>,
    },
}

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
            // Everything after `last` is still here: the oldest kept id is at most last + 1, and
            // `last` is an id we actually gave out.
            Ok(last) if last + 1 >= first_available && last < self.next_id => {
                Resume::Replay(after(last))
            }
            _ => Resume::Gap {
                first_available,
                replay: after(0),
            },
        }
    }
}
// ANCHOR_END: solution
