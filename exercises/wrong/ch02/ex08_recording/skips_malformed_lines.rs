//! The tempting mistake: a line that does not parse (or whose base64 does not decode) is skipped
//! "to be robust", so a broken recording quietly yields fewer events instead of an error that
//! names the line.
//! class: errors

use base64::Engine as _;
use serde_json::Value;
use sse_format::{Frame, Parser};

pub use super::given::{ReceivedEvent, RecordingError};

/// The events a client received on connection `conn` of a recording made by `sse record`.
pub fn events_of(recording: &str, conn: u32) -> Result<Vec<ReceivedEvent>, RecordingError> {
    let mut lines = recording.lines().filter(|line| !line.trim().is_empty());
    let version: Option<Value> = lines
        .next()
        .and_then(|line| serde_json::from_str(line).ok());
    if version.as_ref().and_then(|v| v["sse_recording"].as_u64()) != Some(1) {
        return Err(RecordingError::NotARecording);
    }
    let mut parser = Parser::new();
    let mut events = Vec::new();
    for line in lines {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if value["conn"].as_u64() != Some(u64::from(conn)) {
            continue;
        }
        let bytes = if let Some(text) = value["chunk"].as_str() {
            text.as_bytes().to_vec()
        } else if let Some(encoded) = value["chunk_base64"].as_str() {
            match base64::engine::general_purpose::STANDARD.decode(encoded) {
                Ok(bytes) => bytes,
                Err(_) => continue,
            }
        } else {
            continue;
        };
        for frame in parser.feed(&bytes) {
            if let Ok(Frame::Event(event)) = frame {
                events.push(ReceivedEvent::from(event));
            }
        }
    }
    let _ = parser.finish();
    Ok(events)
}
