//! Independent reader's wrong answer for ch02::ex09.
//! class: spec
//! Mistake: copies the id buffer into the last event ID only when the blank line ends a block that
//! carried `data`, as if the id were set by dispatching an event; the spec sets the last event ID at
//! every blank line, so `"id: 7\n\n"` (an id-only block) must count.

// ANCHOR: stub
/// The `Last-Event-ID` a client sends when it reconnects: it started with the last event ID
/// `initial` (`""` for none) and then received the text `stream`, which the connection may have cut
/// anywhere, even in the middle of an event or of a line (book: Chapter 2 › Resuming with
/// Last-Event-ID).
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    let mut buffer = initial.to_owned();
    let mut last_event_id = initial.to_owned();
    let mut has_data = false;

    let mut rest = stream;
    // Only complete lines: each one ends with CRLF, LF or CR.
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        let after = if rest[end..].starts_with("\r\n") {
            end + 2
        } else {
            end + 1
        };
        rest = &rest[after..];

        if line.is_empty() {
            // End of the block: the event is dispatched, and its id with it.
            if has_data {
                last_event_id.clone_from(&buffer);
            }
            has_data = false;
            continue;
        }
        let (field, value) = match line.find(':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line, ""),
        };
        match field {
            "id" if !value.contains('\0') => buffer = value.to_owned(),
            "data" => has_data = true,
            _ => {}
        }
    }
    last_event_id
}
// ANCHOR_END: stub
