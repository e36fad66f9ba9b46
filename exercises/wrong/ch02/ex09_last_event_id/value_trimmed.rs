//! The tempting mistake: trimming the id value (`value.trim()`) instead of removing the one
//! leading space the spec removes, so `id:  7 ` is sent as `7` and a server that keys its replay
//! buffer by the exact id finds no match.
//! class: spec

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
        if let Some((field, value)) = line.split_once(':') {
            if field == "id" && !value.contains('\0') {
                buffer = value.trim().to_owned();
            }
        } else if line == "id" {
            buffer.clear();
        }
    }
    last_event_id
}
