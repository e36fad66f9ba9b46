//! The tempting mistake: splitting the data with `str::lines()`, which does not split at a lone CR
//! (so a raw CR goes out inside a `data:` line and the receiver cuts the line there) and drops a
//! final empty line (data `"x\n"` loses its newline; empty data writes no `data:` line at all,
//! so the event is never dispatched).
//! class: encoding

pub use super::given::{EncodeError, OutgoingEvent};

/// Writes `event` in the wire format.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    let breaks = |text: &str| text.contains('\n') || text.contains('\r');
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
        out += &format!("event: {event_type}\n");
    }
    if let Some(id) = &event.id {
        out += &format!("id: {id}\n");
    }
    for line in event.data.lines() {
        out += &format!("data: {line}\n");
    }
    out.push('\n');
    Ok(out)
}
