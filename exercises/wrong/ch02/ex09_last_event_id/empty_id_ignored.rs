//! The tempting mistake: "an empty id is no id", so `id:` or `id` alone is skipped instead of
//! resetting the last event ID to the empty string (the server's way to say "do not resume").
//! class: boundaries

/// The `Last-Event-ID` a client that started with `initial` sends after receiving `stream`.
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    let mut buffer = initial.to_owned();
    let mut last_event_id = initial.to_owned();
    let mut rest = stream;
    while let Some(end) = rest.find(['\r', '\n']) {
        let (line, after) = rest.split_at(end);
        rest = after
            .strip_prefix("\r\n")
            .or_else(|| after.get(1..))
            .unwrap_or_default();
        if line.is_empty() {
            last_event_id.clone_from(&buffer);
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        // Only a real id replaces the one we have.
        if field == "id" && !value.is_empty() && !value.contains('\0') {
            buffer = value.to_owned();
        }
    }
    last_event_id
}
