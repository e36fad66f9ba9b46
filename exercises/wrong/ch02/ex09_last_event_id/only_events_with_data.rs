//! The tempting mistake: updating the id only when an event is dispatched to the application, that
//! is when its block had data, so an id-only block (`id: 7` then a blank line, which servers send to
//! move the resume point) is forgotten.
//! class: spec

/// The `Last-Event-ID` a client that started with `initial` sends after receiving `stream`.
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    let mut buffer = initial.to_owned();
    let mut has_data = false;
    let mut last_event_id = initial.to_owned();
    let mut rest = stream;
    while let Some(end) = rest.find(['\r', '\n']) {
        let (line, after) = rest.split_at(end);
        rest = after
            .strip_prefix("\r\n")
            .or_else(|| after.get(1..))
            .unwrap_or_default();
        if line.is_empty() {
            // An event was received: its id is the one to resume from.
            if has_data {
                last_event_id.clone_from(&buffer);
            }
            has_data = false;
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" if !value.contains('\0') => buffer = value.to_owned(),
            "data" => has_data = true,
            _ => {}
        }
    }
    last_event_id
}
