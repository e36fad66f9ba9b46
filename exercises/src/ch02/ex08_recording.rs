//! Exercise ch02::ex08: events from a recording. Book: Chapter 2 › Exercises › "ch02::ex08".
//! Stuck? `cargo course hint ch02::ex08`. Test: `cargo test -p exercises --test ch02 ch02_ex08`.

// ANCHOR: stub
use base64::Engine as _;
use serde_json::Value;
use sse_format::{Frame, Parser};

pub use super::given::{ReceivedEvent, RecordingError};

/// The events a client received on connection `conn` of a recording made by `sse record`:
/// each recorded chunk fed, as it arrived, to an incremental parser (book: Chapter 2 › Recording
/// a stream, and turning it into a test).
///
/// A recording is JSON Lines. The contract:
/// - Lines are numbered from 1, blank ones included; blank lines (empty or only whitespace) are
///   skipped everywhere. The first non-blank line must be the version line, a JSON object whose
///   `"sse_recording"` is 1: otherwise, or if there is no such line,
///   [`RecordingError::NotARecording`].
/// - Every other non-blank line is a JSON object with `"ms"`, `"conn"` (the connection: a whole
///   number that fits a `u32`) and one of `"request"`, `"response"`, `"chunk"`, `"chunk_base64"`,
///   `"end"`. A line that is not JSON, not an object, has no such `conn`, or has a `chunk` or
///   `chunk_base64` that is not a string (or both) is [`RecordingError::BadLine`] with its number.
///   A `chunk_base64` that is not valid base64 (standard alphabet, `+` and `/`, padded with `=`)
///   is [`RecordingError::BadBase64`]. Every line is checked, whichever connection it belongs
///   to, and an error is the answer, not the events before it. Nothing else is checked: a line
///   with neither `chunk` nor `chunk_base64` carries no events, whatever else it holds.
/// - Only the lines of connection `conn` count. `chunk` is text: its bytes are the string's
///   UTF-8. `chunk_base64` is the base64 of bytes that need not be UTF-8 on their own (a
///   character split between two chunks). `request`, `response` and `end` carry no events.
/// - The events are the ones an `sse_format::Parser` dispatches when fed the connection's chunks
///   in order (one new parser; `ReceivedEvent::from` converts what it dispatches; `retry` frames
///   are not events). An event the connection's end cut off was never received: it is not one.
///
/// Edge cases to think about: a chunk that ends between the bytes of `é`, or between a CR and
/// its LF; another connection's chunk between two halves of an event; an empty chunk; a `conn`
/// of 4294967297.
pub fn events_of(recording: &str, conn: u32) -> Result<Vec<ReceivedEvent>, RecordingError> {
    // TODO: check the version line, read every line, and feed connection `conn`'s chunks to a
    // parser.
    todo!("the events of connection {conn}")
}
// ANCHOR_END: stub
