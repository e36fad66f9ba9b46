//! Code chapter 1 hands you: the types its exercises take and return. They are the same for your
//! answer, the reference solution and the tests, so you never write or change them.

// ANCHOR: line
/// What one line of an event stream (without its line ending) is (ch01::ex01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// An empty line: it dispatches the event.
    Blank,
    /// A line starting with `:`; holds the text after the colon.
    Comment(&'a str),
    /// A field: the name and its value.
    Field { name: &'a str, value: &'a str },
}
// ANCHOR_END: line

// ANCHOR: output
/// What processing one line can produce (ch01::ex04).
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
// ANCHOR_END: output

// ANCHOR: outgoing
/// An event a server wants to send (ch01::ex06).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingEvent {
    pub event: Option<String>,
    pub id: Option<String>,
    pub data: String,
}

/// Why an event cannot be encoded safely (ch01::ex06).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("the event type contains a line break")]
    LineBreakInEvent,
    #[error("the id contains a line break")]
    LineBreakInId,
    #[error("the id contains NUL, which receivers ignore")]
    NulInId,
}
// ANCHOR_END: outgoing

// ANCHOR: naive_events
/// The course's naive parser, `sse_format::naive::naive_parse` (book: Chapter 1 › Why naive parsers
/// break), run on one chunk on its own (ch01::ex09): it splits `chunk` on `\n` and returns, in
/// order, the text after `data: ` of each line that starts with it, stopping at a `[DONE]` line.
pub fn naive_events(chunk: &str) -> Vec<String> {
    sse_format::naive::naive_parse(&[chunk.as_bytes()])
}
// ANCHOR_END: naive_events
