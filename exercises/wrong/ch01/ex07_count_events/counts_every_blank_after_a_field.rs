//! The tempting mistake: "a blank line ends an event", so every blank line that follows a
//! non-blank line counts as one event; a block with only `event:`, `id:` or a comment is counted
//! although it has no data and the spec dispatches nothing for it.
//! class: spec

/// Returns how many events a client dispatches while it reads the whole stream `stream`.
pub fn count_events(stream: &str) -> usize {
    let mut events = 0;
    let mut in_event = false;
    let mut rest = stream;
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        let ending = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[end + ending..];
        if line.is_empty() {
            if in_event {
                events += 1;
            }
            in_event = false;
        } else {
            in_event = true;
        }
    }
    events
}
