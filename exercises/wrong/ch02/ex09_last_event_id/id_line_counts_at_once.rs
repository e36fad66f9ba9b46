//! The tempting mistake: taking the id as soon as its `id:` line arrives, with no buffer until the
//! blank line, so an id in the block the connection cut off is sent, and the server skips the
//! event that never arrived.
//! class: spec

/// The `Last-Event-ID` a client that started with `initial` sends after receiving `stream`.
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    let mut last_event_id = initial.to_owned();
    let mut rest = stream;
    while let Some(end) = rest.find(['\r', '\n']) {
        let (line, after) = rest.split_at(end);
        rest = after
            .strip_prefix("\r\n")
            .or_else(|| after.get(1..))
            .unwrap_or_default();
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        if field == "id" && !value.contains('\0') {
            // The server told us the id: remember it.
            last_event_id = value.to_owned();
        }
    }
    last_event_id
}
