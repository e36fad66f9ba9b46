//! Exercise ch01::ex07: count the events. Book: Chapter 1 › Fields and dispatch › "ch01::ex07:
//! Count the events". Stuck? `cargo course hint ch01::ex07`. Test: `cargo test -p exercises --test ch01 ch01_ex07`.

// ANCHOR: stub
/// Returns how many events a client dispatches while it reads `stream`, the whole text of a
/// `text/event-stream` body (already decoded, without a byte order mark), under the spec's rules
/// (book: Chapter 1 › Fields and dispatch):
///
/// - a line ends with CRLF, LF or CR (CRLF is one line ending, not two);
/// - a blank line dispatches the event being built only if that event has data, that is if a
///   `data` field was seen since the previous blank line (`data` with an empty value counts);
/// - comments, other fields (`event`, `id`, `retry`, unknown names) and field names in another
///   case (`Data`) dispatch nothing, before a blank line or on their own;
/// - the text after the last line ending is not a complete line, and an event not ended by a
///   blank line is never dispatched: the stream may have been cut mid-event.
///
/// Edge cases to think about: `"data\n\n"`, `"event: x\n\n"`, `"data: a\r\n"` (one line, no blank
/// line), `"data: a\r\r"`, a body whose last event has no blank line.
pub fn count_events(stream: &str) -> usize {
    // TODO: read the stream line by line and count the blank lines that end an event with data.
    todo!("count the events in {} bytes", stream.len())
}
// ANCHOR_END: stub
