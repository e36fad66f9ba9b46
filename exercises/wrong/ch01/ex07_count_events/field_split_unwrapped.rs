//! The tempting mistake: every field line is split with `split_once(':').unwrap()`, as if a field
//! always had a colon; a bare `data` line (valid: a field with an empty value) makes it panic.
//! class: errors

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
            let (name, _value) = line.split_once(':').unwrap();
            if name == "data" {
                has_data = true;
            }
        }
    }
    events
}
