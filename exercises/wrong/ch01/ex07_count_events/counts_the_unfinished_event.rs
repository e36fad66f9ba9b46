//! The tempting mistake: the end of the text is treated like a final blank line, so an event the
//! stream was cut in the middle of (data lines, but no blank line after them) is counted as if it
//! had been dispatched.
//! class: boundaries

/// Returns how many events a client dispatches while it reads the whole stream `stream`.
pub fn count_events(stream: &str) -> usize {
    let mut events = 0;
    let mut has_data = false;
    let mut rest = stream;
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        let ending = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[end + ending..];
        if line.is_empty() {
            if has_data {
                events += 1;
            }
            has_data = false;
        } else if !line.starts_with(':') {
            let name = line.split_once(':').map_or(line, |(name, _)| name);
            if name == "data" {
                has_data = true;
            }
        }
    }
    // The stream is over: its last line and the event being built are finished too.
    if rest.split_once(':').map_or(rest, |(name, _)| name) == "data" {
        has_data = true;
    }
    if has_data {
        events += 1;
    }
    events
}
