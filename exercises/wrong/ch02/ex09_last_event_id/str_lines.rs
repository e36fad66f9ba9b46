//! The tempting mistake: splitting the stream with `str::lines()`, which ends lines at LF and
//! CRLF but not at a lone CR, so `"id: 3\r\r"` (a stream whose server ends lines with CR) is one
//! unfinished line instead of an id and a blank line.
//! class: encoding

/// The `Last-Event-ID` a client that started with `initial` sends after receiving `stream`.
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    let mut buffer = initial.to_owned();
    let mut last_event_id = initial.to_owned();
    // The last line is complete only if the stream ends with a line ending.
    let complete = stream.ends_with('\n') || stream.ends_with('\r');
    let lines: Vec<&str> = stream.lines().collect();
    let count = if complete {
        lines.len()
    } else {
        lines.len().saturating_sub(1)
    };
    for line in &lines[..count] {
        if line.is_empty() {
            last_event_id.clone_from(&buffer);
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        if field == "id" && !value.contains('\0') {
            buffer = value.to_owned();
        }
    }
    last_event_id
}
