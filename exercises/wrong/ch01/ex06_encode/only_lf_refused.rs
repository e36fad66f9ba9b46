//! Second-reader wrong answer for ch01::ex06.
//! class: encoding
//! Mistake: "a line break" in the event type and the id is checked as `contains('\n')`, the
//! line break everyone thinks of; an event type or id with a lone CR is written out, and the
//! receiver, for whom CR also ends a line, reads the text after it as a new field.

pub use super::given::{EncodeError, OutgoingEvent};

/// Splits `data` at every CRLF, LF and lone CR; empty lines count, and a final line break is
/// followed by one more (empty) line.
fn data_lines(data: &str) -> Vec<&str> {
    let bytes = data.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' | b'\n' => {
                lines.push(&data[start..i]);
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    lines.push(&data[start..]);
    lines
}

/// Writes `event` in the wire format.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    if let Some(event_type) = &event.event {
        if event_type.contains('\n') {
            return Err(EncodeError::LineBreakInEvent);
        }
    }
    if let Some(id) = &event.id {
        if id.contains('\n') {
            return Err(EncodeError::LineBreakInId);
        }
        if id.contains('\0') {
            return Err(EncodeError::NulInId);
        }
    }
    let mut out = String::new();
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
    for line in data_lines(&event.data) {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    Ok(out)
}
