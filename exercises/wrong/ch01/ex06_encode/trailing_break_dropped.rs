//! Second-reader wrong answer for ch01::ex06.
//! class: boundaries
//! Mistake: the hand-written data splitter handles CRLF, LF and CR but, like `str::lines`, only
//! keeps the text after the last line break when it is non-empty; so data `"a\n"` loses its
//! final empty line (the receiver gets `"a"`) and empty data writes no `data:` line at all, so
//! the receiver dispatches no event.

pub use super::given::{EncodeError, OutgoingEvent};

/// Splits `data` at every CRLF, LF and lone CR.
fn data_lines(data: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = data;
    while let Some(pos) = rest.find(['\r', '\n']) {
        lines.push(&rest[..pos]);
        let ending = if rest[pos..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[pos + ending..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

fn has_line_break(text: &str) -> bool {
    text.contains(['\r', '\n'])
}

/// Writes `event` in the wire format.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    if event.event.as_deref().is_some_and(has_line_break) {
        return Err(EncodeError::LineBreakInEvent);
    }
    if let Some(id) = &event.id {
        if has_line_break(id) {
            return Err(EncodeError::LineBreakInId);
        }
        if id.contains('\0') {
            return Err(EncodeError::NulInId);
        }
    }
    let mut out = String::new();
    if let Some(event_type) = &event.event {
        out.push_str(&format!("event: {event_type}\n"));
    }
    if let Some(id) = &event.id {
        out.push_str(&format!("id: {id}\n"));
    }
    for line in data_lines(&event.data) {
        out.push_str(&format!("data: {line}\n"));
    }
    out.push('\n');
    Ok(out)
}
