//! Exercise ch03::ex03: resume from a replay buffer. Book: Chapter 3 › Exercises › "ch03::ex03".
//! Stuck? `cargo course hint ch03::ex03`. Test: `cargo test -p exercises --test ch03 ch03_ex03`.

// ANCHOR: stub
pub use super::given::Resume;

/// A bounded buffer of the most recent events, with increasing ids (book: Chapter 3 ›
/// Broadcast, replay and resume).
///
/// The contract:
/// - Ids are 1, 2, 3, ... in the order events are pushed, and are never reused, even after old
///   events have been dropped.
/// - The buffer keeps at most `capacity` events: pushing into a full buffer drops the oldest.
/// - [`ReplayBuffer::resume`] decides what a reconnecting client gets. Its `Last-Event-ID` is
///   text a peer sent; an id is written in ASCII decimal digits only (no sign, no spaces).
///   - no `Last-Event-ID` (`None`): a new client, `Replay(vec![])`: it starts live;
///   - an id N such that every event after N is still in the buffer: `Replay` exactly those
///     (possibly none, if N is the newest id);
///   - anything else (events after N were dropped, N is an id never given out, the text is not
///     an id, however large or odd): `Gap`, with the oldest id still kept (or the next id, if the
///     buffer is empty) and every event still kept.
/// - `resume` never panics, whatever the client sent.
#[derive(Debug)]
pub struct ReplayBuffer {
    // TODO: the state the contract needs.
}

impl ReplayBuffer {
    /// An empty buffer keeping at most `capacity` events; the first id will be 1.
    pub fn new(capacity: usize) -> Self {
        // TODO: an empty buffer.
        todo!("a buffer of {capacity}")
    }

    /// Stores an event and returns its id.
    pub fn push(&mut self, data: &str) -> u64 {
        // TODO: see the contract.
        todo!("store {data:?}")
    }

    /// What a client that sent `last_event_id` must get.
    pub fn resume(&self, last_event_id: Option<&str>) -> Resume {
        // TODO: see the contract.
        todo!("resume after {last_event_id:?}")
    }
}
// ANCHOR_END: stub
