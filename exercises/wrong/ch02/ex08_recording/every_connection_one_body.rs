//! The tempting mistake: every chunk of the recording goes to the one parser, whatever its
//! `conn` (the recording "is" the stream), so a reconnection's bytes continue the event the cut
//! connection left unfinished and another connection's events appear as this one's.
//! class: spec

use base64::Engine as _;
use serde_json::Value;
use sse_format::{Frame, Parser};

pub use super::given::{ReceivedEvent, RecordingError};

/// The events a client received on connection `conn` of a recording made by `sse record`.
pub fn events_of(recording: &str, conn: u32) -> Result<Vec<ReceivedEvent>, RecordingError> {
    let mut lines = recording
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let version: Option<Value> = lines
        .next()
        .and_then(|(_, line)| serde_json::from_str(line).ok());
    if version.as_ref().and_then(|v| v["sse_recording"].as_u64()) != Some(1) {
        return Err(RecordingError::NotARecording);
    }
    let mut parser = Parser::new();
    let mut events = Vec::new();
    let mut seen_conn = false;
    for (index, line) in lines {
        let number = index + 1;
        let value: Value =
            serde_json::from_str(line).map_err(|_| RecordingError::BadLine { line: number })?;
        if !value.is_object() {
            return Err(RecordingError::BadLine { line: number });
        }
        let line_conn = value["conn"]
            .as_u64()
            .and_then(|c| u32::try_from(c).ok())
            .ok_or(RecordingError::BadLine { line: number })?;
        seen_conn |= line_conn == conn;
        let bytes = match (value.get("chunk"), value.get("chunk_base64")) {
            (Some(Value::String(text)), None) => text.as_bytes().to_vec(),
            (None, Some(Value::String(encoded))) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|_| RecordingError::BadBase64 { line: number })?,
            (None, None) => continue,
            _ => return Err(RecordingError::BadLine { line: number }),
        };
        for frame in parser.feed(&bytes) {
            if let Ok(Frame::Event(event)) = frame {
                events.push(ReceivedEvent::from(event));
            }
        }
    }
    let _ = parser.finish();
    // A connection the recording does not have received nothing.
    if !seen_conn {
        events.clear();
    }
    Ok(events)
}
