//! Exercise ch01::ex04: the dispatch rules. Book: Chapter 1 › Exercises › "ex04: Assemble events".
//! Stuck? `cargo course hint ch01::ex04`. Test: `cargo test -p exercises --test ch01 ch01_ex04`.

// The types this exercise uses are given: exercises/src/ch01/given.rs.
pub use super::given::Output;

// ANCHOR: stub
/// Assembles events from complete lines (line endings already removed), one line at a time, with
/// the spec's rules (book: Chapter 1 › Fields and dispatch):
///
/// - Comments (lines starting with `:`) are ignored. Other lines are split into a field name and a
///   value as in ch01::ex01. Unknown field names are ignored; names are case-sensitive.
/// - `data`: the value is added to the event's data; several `data` lines are joined with `\n`.
/// - `event`: sets the event type.
/// - `id`: sets the last event ID, unless the value contains NUL (`'\0'`): then the field is
///   ignored. The last event ID belongs to the STREAM, not to one event: it is what a
///   reconnecting client sends, so it stays the same for every later event until another `id`
///   field changes it. An `id` with an empty value sets it to empty.
/// - `retry`: if the value is one or more ASCII digits (`0`-`9` and nothing else), returns
///   [`Output::Retry`] with that number of milliseconds; a number too large for a `u64` is read
///   as the longest time there is, `u64::MAX`. Any other value is ignored.
/// - A blank line: if the event has no data, nothing is dispatched. Otherwise returns
///   [`Output::Event`] with the data, the event type (`"message"` if none was set) and the last
///   event ID. Either way the next event starts with no data and no event type.
///
/// Edge cases to think about: `data` twice with no value (the data is `"\n"`), `event:` with no
/// data before the blank line, `retry:` with no digits, `retry: 15s`, `DATA: x`.
#[derive(Debug, Default)]
pub struct EventAssembler {
    // TODO: the state the rules above need.
}

impl EventAssembler {
    /// A fresh assembler: no data, no event type, an empty last event ID.
    pub fn new() -> Self {
        Self::default()
    }

    /// Processes one line; returns what it produced, if anything.
    pub fn process_line(&mut self, line: &str) -> Option<Output> {
        // TODO: apply the rules above.
        todo!("process {line:?}")
    }
}
// ANCHOR_END: stub
