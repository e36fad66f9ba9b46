//! The tempting mistake: the data is kept on one `data:` line by escaping its line breaks as `\n`
//! and `\r` text, the way JSON writes them; the receiver does not unescape anything, so it reads a
//! backslash and a letter where the event had a line break. The wire format carries a line break
//! by starting another `data:` line.
//! class: spec

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
    if let Some(event_type) = &event.event {
        out.push_str(&format!("event: {event_type}\n"));
    }
    if let Some(id) = &event.id {
        out.push_str(&format!("id: {id}\n"));
    }
    // One data line, so the event can never be split in two.
    let data = event.data.replace('\r', "\\r").replace('\n', "\\n");
    out.push_str(&format!("data: {data}\n\n"));
    Ok(out)
}
