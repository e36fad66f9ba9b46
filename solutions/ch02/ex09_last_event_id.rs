//! Solution to ch02::ex09: which Last-Event-ID to send.

// ANCHOR: solution
/// The `Last-Event-ID` a client that started with `initial` sends after receiving `stream`.
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    // Two values, as in the spec: the *buffer* that `id:` lines set while a block arrives, and the
    // last event ID string, which only a blank line (the end of a block) updates.
    let mut buffer = initial.to_owned();
    let mut last_event_id = initial.to_owned();

    let mut rest = stream;
    // Only complete lines: whatever follows the last line ending was cut off mid-line.
    while let Some(end) = rest.find(['\r', '\n']) {
        let (line, after) = rest.split_at(end);
        // CRLF is one line ending; a lone CR or a lone LF is one too. The ending is ASCII, so
        // cutting it off stays on a character boundary.
        rest = after
            .strip_prefix("\r\n")
            .or_else(|| after.get(1..))
            .unwrap_or_default();

        if line.is_empty() {
            // A blank line ends the block: its id counts now, with or without data.
            last_event_id.clone_from(&buffer);
        } else if let Some(value) = id_value(line) {
            // An id with a NULL in it is ignored; an empty one resets the buffer.
            if !value.contains('\0') {
                value.clone_into(&mut buffer);
            }
        }
        // Comments and every other field leave the id alone.
    }
    last_event_id
}

/// The value of an `id` line, or `None` if the line is another field or a comment.
fn id_value(line: &str) -> Option<&str> {
    // "id" alone is the field with an empty value; a comment has the empty field name.
    let (field, value) = line.split_once(':').unwrap_or((line, ""));
    // One leading space is removed, no more (and nothing at the end).
    (field == "id").then(|| value.strip_prefix(' ').unwrap_or(value))
}
// ANCHOR_END: solution
