//! Exercise ch03::ex03: resume from a replay buffer. Book: Chapter 3 › Exercises › "ch03::ex03".
//! Stuck? `cargo course hint ch03::ex03`. Test: `cargo test -p exercises --test ch03 ch03_ex03`.

// ANCHOR: stub
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
        // TODO: give the event the next id, store it, and drop the oldest beyond `capacity`.
        todo!("store {data:?}")
    }

    /// What a client that sent `last_event_id` must get.
    pub fn resume(&self, last_event_id: Option<&str>) -> Resume {
        // TODO: no id: nothing to replay (`Replay(vec![])`): a new client starts live.
        // TODO: an id N with every event after N still in the buffer: replay exactly those.
        // TODO: otherwise (N too old, N from the future, not a number): `Gap`, replaying all.
        todo!("resume after {last_event_id:?}")
    }
}
// ANCHOR_END: stub
