//! Exercise ch01::ex06: encode safely. Book: Chapter 1 › Exercises › "ex06: An encoder that refuses
//! injection". Stuck? `cargo course hint ch01::ex06`. Test: `cargo test -p exercises --test ch01 ch01_ex06`.

// ANCHOR: stub
/// An event a server wants to send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingEvent {
    pub event: Option<String>,
    pub id: Option<String>,
    pub data: String,
}

/// Why an event cannot be encoded safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("the event type contains a line break")]
    LineBreakInEvent,
    #[error("the id contains a line break")]
    LineBreakInId,
    #[error("the id contains NUL, which receivers ignore")]
    NulInId,
}

/// Writes `event` in the wire format: `event:` (if set), `id:` (if set), one `data:` line per line
/// of data, then the blank line that dispatches it. Always write one space after the colon.
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    // TODO: refuse an event type or id containing '\r' or '\n' (they would end the line early, and
    //       the rest would be read as new fields), and an id containing '\0'.
    // TODO: split the data on every kind of line ending (CRLF, LF and CR) into `data: ` lines.
    // TODO: end with an empty line.
    todo!("encode {event:?}")
}
// ANCHOR_END: stub
