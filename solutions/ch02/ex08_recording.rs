//! Solution to ch02::ex08: events from a recording.

// ANCHOR: solution
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sse_format::{Frame, Parser};

pub use super::given::{ReceivedEvent, RecordingError};

/// The events a client received on connection `conn` of a recording made by `sse record`.
pub fn events_of(recording: &str, conn: u32) -> Result<Vec<ReceivedEvent>, RecordingError> {
    // Numbered as an editor shows them: from 1, blank lines included (`lines` also drops the CR
    // of a recording saved with CRLF line endings).
    let mut lines = recording
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim().is_empty());

    // The version line first: anything else is not a recording at all.
    let version = lines.next().and_then(|(_, line)| json_object(line));
    if version.and_then(|header| header.get("sse_recording")?.as_u64()) != Some(1) {
        return Err(RecordingError::NotARecording);
    }

    // One parser for the connection's whole body: it keeps half a line, a CR that may be half of
    // a CRLF and the first bytes of a split character from one chunk to the next. Decoding each
    // chunk to text on its own would turn a split `é` into two replacement characters.
    let mut parser = Parser::new();
    let mut events = Vec::new();
    for (number, line) in lines {
        // Every line is checked before its connection is looked at: a broken line could belong
        // to any connection, and a broken recording is an error whichever one is asked for.
        let bytes = chunk_bytes(line, number)?;
        let Some((line_conn, bytes)) = bytes else {
            continue;
        };
        if line_conn != conn {
            continue;
        }
        for frame in parser.feed(&bytes) {
            // `retry` frames are not events; a parse error (a limit broken) already discarded
            // its event.
            if let Ok(Frame::Event(event)) = frame {
                events.push(ReceivedEvent::from(event));
            }
        }
    }
    // Whatever the parser still holds was cut off by the connection's end (or the end of the
    // recording): the spec discards it, so it was never received.
    let _cut_off = parser.finish();
    Ok(events)
}

/// The line as a JSON object, if it is one.
fn json_object(line: &str) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_str(line) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    }
}

/// Checks one line (number `number`) and returns its connection and the bytes of its chunk, or
/// `None` for the lines that carry no events (`request`, `response`, `end`).
fn chunk_bytes(line: &str, number: usize) -> Result<Option<(u32, Vec<u8>)>, RecordingError> {
    let bad_line = RecordingError::BadLine { line: number };
    let object = json_object(line).ok_or(bad_line)?;
    // `try_from`, not `as u32`: 4294967297 `as u32` would be connection 1.
    let conn = object
        .get("conn")
        .and_then(Value::as_u64)
        .and_then(|conn| u32::try_from(conn).ok())
        .ok_or(bad_line)?;
    let bytes = match (object.get("chunk"), object.get("chunk_base64")) {
        (Some(Value::String(text)), None) => text.as_bytes().to_vec(),
        (None, Some(Value::String(encoded))) => STANDARD
            .decode(encoded)
            .map_err(|_| RecordingError::BadBase64 { line: number })?,
        (None, None) => return Ok(None),
        // A chunk that is not a string, or a line with both kinds of chunk.
        _ => return Err(bad_line),
    };
    Ok(Some((conn, bytes)))
}
// ANCHOR_END: solution
