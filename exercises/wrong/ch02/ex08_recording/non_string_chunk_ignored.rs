//! Independent reader's wrong answer for ch02::ex08.
//! class: errors
//! Mistake: the chunk fields are read with `get(..).and_then(Value::as_str)`, so a `chunk` or
//! `chunk_base64` that is present but not a string (a number, `null`, an array) is silently taken
//! as "no chunk" instead of being a `BadLine`.

// ANCHOR: stub
use base64::Engine as _;
use serde_json::Value;
use sse_format::{Frame, Parser};

pub use super::given::{ReceivedEvent, RecordingError};

/// The events a client received on connection `conn` of a recording made by `sse record`.
pub fn events_of(recording: &str, conn: u32) -> Result<Vec<ReceivedEvent>, RecordingError> {
    let mut lines = recording
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim().is_empty());

    // The version line.
    let (_, first) = lines.next().ok_or(RecordingError::NotARecording)?;
    let version: Value = serde_json::from_str(first).map_err(|_| RecordingError::NotARecording)?;
    if version.get("sse_recording").and_then(Value::as_u64) != Some(1) {
        return Err(RecordingError::NotARecording);
    }

    let mut parser = Parser::new();
    let mut events = Vec::new();
    for (number, line) in lines {
        let bad = RecordingError::BadLine { line: number };
        let value: Value = serde_json::from_str(line).map_err(|_| bad)?;
        let object = value.as_object().ok_or(bad)?;
        let line_conn = object
            .get("conn")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(bad)?;

        let text = object.get("chunk").and_then(Value::as_str);
        let encoded = object.get("chunk_base64").and_then(Value::as_str);
        let bytes: Option<Vec<u8>> = match (text, encoded) {
            (Some(_), Some(_)) => return Err(bad),
            (Some(text), None) => Some(text.as_bytes().to_vec()),
            (None, Some(encoded)) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map_err(|_| RecordingError::BadBase64 { line: number })?,
            ),
            // request, response, end: no events.
            (None, None) => None,
        };

        if line_conn != conn {
            continue;
        }
        if let Some(bytes) = bytes {
            for frame in parser.feed(&bytes) {
                if let Ok(Frame::Event(event)) = frame {
                    events.push(ReceivedEvent::from(event));
                }
            }
        }
    }
    // Whatever is left was cut off by the connection's end.
    let _ = parser.finish();
    Ok(events)
}
// ANCHOR_END: stub
