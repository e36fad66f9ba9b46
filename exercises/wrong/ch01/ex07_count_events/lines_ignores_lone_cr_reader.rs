//! Independent reader's wrong answer for ch01::ex07.
//! class: encoding
//! Mistake: splits the stream with `str::lines()`, which ends lines at LF and CRLF but not at a lone
//! CR, so a CR-only stream (`"data: a\r\r"`) is one long line and never dispatches; a student trusts
//! `lines()` to "handle CRLF" and forgets the spec's third line ending.

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
    // Only complete lines count: drop whatever follows the last line ending.
    let complete = match stream.rfind('\n') {
        Some(end) => &stream[..=end],
        None => "",
    };
    let mut count = 0;
    let mut has_data = false;
    for line in complete.lines() {
        if line.is_empty() {
            if has_data {
                count += 1;
            }
            has_data = false;
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let name = match line.find(':') {
            Some(colon) => &line[..colon],
            None => line,
        };
        if name == "data" {
            has_data = true;
        }
    }
    count
}
// ANCHOR_END: stub
