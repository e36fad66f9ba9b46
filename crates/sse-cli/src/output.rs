//! Printing events: the JSON-lines and human formats shared by `parse` and `listen`.

use std::io::Write;

use sse_format::{Frame, MessageEvent};

/// Writes one event: `{"event","data","id"}` as JSON, or a readable block.
pub fn write_event(out: &mut impl Write, event: &MessageEvent, json: bool) -> std::io::Result<()> {
    if json {
        let line = serde_json::json!({
            "event": event.event_type(),
            "data": event.data(),
            "id": event.last_event_id(),
        });
        return writeln!(out, "{line}");
    }
    write!(out, "event: {}", event.event_type())?;
    if !event.last_event_id().is_empty() {
        write!(out, "  (last event id {:?})", event.last_event_id())?;
    }
    writeln!(out)?;
    for line in event.data().split('\n') {
        writeln!(out, "  | {line}")?;
    }
    Ok(())
}

/// Writes one frame: an event, or a reconnection-time update.
pub fn write_frame(out: &mut impl Write, frame: &Frame, json: bool) -> std::io::Result<()> {
    match frame {
        Frame::Event(event) => write_event(out, event, json),
        Frame::Retry(time) if json => {
            writeln!(
                out,
                "{}",
                serde_json::json!({ "retry": time.as_millis() as u64 })
            )
        }
        Frame::Retry(time) => writeln!(
            out,
            "retry: reconnection time is now {} ms",
            time.as_millis()
        ),
    }
}
