//! Independent reader's wrong answer for ch01::ex06.
//! class: encoding
//! Mistake: the data is split on `\n` with a trailing `\r` stripped from each piece (CRLF and LF
//! handled, final and empty lines kept), but a lone CR stays inside a `data:` line, where the
//! receiver reads it as a line ending: injection and altered data.

// The types this exercise uses are given: exercises/src/ch01/given.rs.
pub use super::given::{EncodeError, OutgoingEvent};

/// Writes `event` in the wire format, refusing fields that would inject lines.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    let has_break = |s: &str| s.contains(['\r', '\n']);
    if event.event.as_deref().is_some_and(has_break) {
        return Err(EncodeError::LineBreakInEvent);
    }
    if let Some(id) = event.id.as_deref() {
        if has_break(id) {
            return Err(EncodeError::LineBreakInId);
        }
        if id.contains('\0') {
            return Err(EncodeError::NulInId);
        }
    }
    let mut out = String::with_capacity(event.data.len() + 32);
    if let Some(event_type) = &event.event {
        out.push_str("event: ");
        out.push_str(event_type);
        out.push('\n');
    }
    if let Some(id) = &event.id {
        out.push_str("id: ");
        out.push_str(id);
        out.push('\n');
    }
    for line in event.data.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    Ok(out)
}
