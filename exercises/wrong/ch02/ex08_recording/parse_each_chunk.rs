//! The tempting mistake: each chunk is parsed on its own (`sse_format::parse_all` per chunk), as
//! if a chunk were a message, so a line, a CR and its LF, or a character split between two
//! chunks is lost: the recording kept those boundaries precisely so that this shows.
//! class: encoding

use base64::Engine as _;
use serde_json::Value;
use sse_format::Frame;

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
    let mut events = Vec::new();
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
        let bytes = match (value.get("chunk"), value.get("chunk_base64")) {
            (Some(Value::String(text)), None) => text.as_bytes().to_vec(),
            (None, Some(Value::String(encoded))) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|_| RecordingError::BadBase64 { line: number })?,
            (None, None) => continue,
            _ => return Err(RecordingError::BadLine { line: number }),
        };
        if line_conn != conn {
            continue;
        }
        // Each chunk is a piece of the stream: parse it.
        for frame in sse_format::parse_all(&bytes) {
            if let Ok(Frame::Event(event)) = frame {
                events.push(ReceivedEvent::from(event));
            }
        }
    }
    Ok(events)
}
