//! The tempting mistake: lines are split at `\n` and a trailing `\r` is trimmed, which handles LF
//! and CRLF but not a lone CR: a stream that ends its lines with CR alone is one long line, and
//! its events are never counted.
//! class: encoding

/// Returns how many events a client dispatches while it reads the whole stream `stream`.
pub fn count_events(stream: &str) -> usize {
    let mut events = 0;
    let mut has_data = false;
    let mut lines = stream.split('\n').peekable();
    while let Some(line) = lines.next() {
        // The last piece has no line ending: the stream stopped in the middle of it.
        if lines.peek().is_none() {
            break;
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
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
    events
}
