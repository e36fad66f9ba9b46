//! Exercise ch01::ex04: the dispatch rules. Book: Chapter 1 › Exercises › "ex04: Assemble events".
//! Stuck? `cargo course hint ch01::ex04`. Test: `cargo test -p exercises --test ch01 ch01_ex04`.

// ANCHOR: stub
/// What processing one line can produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A blank line dispatched an event.
    Event {
        event_type: String,
        data: String,
        last_event_id: String,
    },
    /// A valid `retry` field set the reconnection time, in milliseconds.
    Retry(u64),
}

/// Assembles events from complete lines (line endings already removed), one line at a time.
#[derive(Debug, Default)]
pub struct EventAssembler {
    // TODO: add the spec's buffers: data, event type, last event ID. Add what else you need.
}

impl EventAssembler {
    /// A fresh assembler: all buffers empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Processes one line; returns what it produced, if anything.
    pub fn process_line(&mut self, line: &str) -> Option<Output> {
        // TODO: comments (":...") are ignored; split fields at the first colon, strip one space.
        // TODO: `data`: append the value and a '\n' to the data buffer.
        // TODO: `event`: set the event type buffer.
        // TODO: `id`: set the last event ID buffer, unless the value contains '\0'. It is NOT
        //       cleared after dispatch: ids persist. An empty value resets it.
        // TODO: `retry`: only ASCII digits (at least one) count; return Output::Retry.
        // TODO: blank line: if the data buffer is empty, reset the event type and return None.
        //       Otherwise drop ONE trailing '\n' from the data, dispatch with the event type (or
        //       "message" if empty), then reset the data and event type buffers.
        todo!("process {line:?}")
    }
}
// ANCHOR_END: stub
