//! Solution to ch01::ex07: count the events.

// ANCHOR: solution
/// Returns how many events a client dispatches while it reads the whole stream `stream`.
pub fn count_events(stream: &str) -> usize {
    let mut events = 0;
    // Whether the event being built has data: only then does a blank line dispatch it.
    let mut has_data = false;
    let mut rest = stream;
    // Each turn takes one complete line. What is left when no line ending remains is a line the
    // stream never finished, so it is never looked at: a cut-off event is not dispatched.
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        // CR LF together are one line ending; a CR or an LF alone is one too. Both are ASCII, so
        // the byte offsets below stay on character boundaries.
        let ending = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + ending..];

        if line.is_empty() {
            if has_data {
                // At most one event per blank line, so this cannot exceed `stream.len()`.
                events += 1;
            }
            // Dispatched or not, the next event starts empty.
            has_data = false;
        } else if !line.starts_with(':') {
            // A field: its name is everything before the first colon, or the whole line.
            let name = line.split_once(':').map_or(line, |(name, _)| name);
            // Case-sensitive: `Data` is an unknown field. An empty value is still data.
            if name == "data" {
                has_data = true;
            }
        }
        // A comment (a line starting with `:`) changes nothing.
    }
    events
}
// ANCHOR_END: solution
