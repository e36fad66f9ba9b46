//! Solution to ch01::ex06: encode safely.

// ANCHOR: solution
pub use super::given::{EncodeError, OutgoingEvent};

/// Writes `event` in the wire format.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    let breaks = |text: &str| text.contains(['\r', '\n']);
    // Validate everything before writing anything: no half-written event on error.
    if event.event.as_deref().is_some_and(breaks) {
        return Err(EncodeError::LineBreakInEvent);
    }
    if let Some(id) = &event.id {
        if breaks(id) {
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
    // Normalise CRLF and CR to LF first, so one split handles all three line endings.
    let data = event.data.replace("\r\n", "\n").replace('\r', "\n");
    for line in data.split('\n') {
        out.push_str(&format!("data: {line}\n"));
    }
    out.push('\n');
    Ok(out)
}
// ANCHOR_END: solution
