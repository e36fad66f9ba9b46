//! Independent reader's wrong answer for ch01::ex07.
//! class: spec
//! Mistake: recognises a data field with `line.starts_with("data")` instead of comparing the whole
//! field name (text before the first colon), so `dataset: 1`, `data-x: y` or `datum` count as data
//! and make a following blank line dispatch; the shortcut covers both `data: x` and bare `data`.

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
    let mut count = 0;
    let mut has_data = false;
    let mut rest = stream;
    // Each iteration takes one complete line; the text after the last ending is never a line.
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        let after = if rest[end..].starts_with("\r\n") { end + 2 } else { end + 1 };
        rest = &rest[after..];

        if line.is_empty() {
            if has_data {
                count += 1;
            }
            has_data = false;
        } else if line.starts_with("data") {
            // `data: x`, `data:x` and a bare `data` all add to the data buffer.
            has_data = true;
        }
        // Comments and every other field dispatch nothing.
    }
    count
}
// ANCHOR_END: stub
