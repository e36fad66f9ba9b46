//! The tempting mistake: an empty id is treated like no id (`filter(|id| !id.is_empty())`), so no
//! `id:` line is written; but `id:` with an empty value is how a server resets the receiver's last
//! event ID, and without it the receiver keeps resuming from the old one.
//! class: boundaries

pub use super::given::{EncodeError, OutgoingEvent};

/// Writes `event` in the wire format.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    let breaks = |text: &str| text.contains(['\r', '\n']);
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
    if let Some(event_type) = event.event.as_deref().filter(|e| !e.is_empty()) {
        out.push_str(&format!("event: {event_type}\n"));
    }
    if let Some(id) = event.id.as_deref().filter(|id| !id.is_empty()) {
        out.push_str(&format!("id: {id}\n"));
    }
    let data = event.data.replace("\r\n", "\n").replace('\r', "\n");
    for line in data.split('\n') {
        out.push_str(&format!("data: {line}\n"));
    }
    out.push('\n');
    Ok(out)
}
