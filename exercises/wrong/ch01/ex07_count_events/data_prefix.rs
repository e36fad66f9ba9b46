//! The tempting mistake: a data line is recognised with `starts_with("data")`, so `database: x`,
//! `data : x` (a field named `data `) and any other name that begins with those letters are taken
//! as data, and their blank line is counted as an event.
//! class: spec

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
        } else if line.starts_with("data") {
            has_data = true;
        }
    }
    events
}
