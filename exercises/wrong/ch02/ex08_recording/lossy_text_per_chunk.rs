//! The tempting mistake: each chunk is turned into text on its own (`String::from_utf8_lossy` on
//! the decoded base64) and the texts are joined before parsing, so a character split between two
//! chunks becomes two replacement characters: exactly the split the recording kept.
//! class: encoding

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
    let mut body = String::new();
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
        let text = match (value.get("chunk"), value.get("chunk_base64")) {
            (Some(Value::String(text)), None) => text.clone(),
            (None, Some(Value::String(encoded))) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map_err(|_| RecordingError::BadBase64 { line: number })?;
                // Chunks are text, so make this one text too.
                String::from_utf8_lossy(&bytes).into_owned()
            }
            (None, None) => continue,
            _ => return Err(RecordingError::BadLine { line: number }),
        };
        if line_conn == conn {
            body.push_str(&text);
        }
    }
    let mut parser = Parser::new();
    let mut events = Vec::new();
    for frame in parser.feed(body.as_bytes()) {
        if let Ok(Frame::Event(event)) = frame {
            events.push(ReceivedEvent::from(event));
        }
    }
    let _ = parser.finish();
    Ok(events)
}
