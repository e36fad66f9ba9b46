//! Exercise ch01::ex06: encode safely. Book: Chapter 1 › Exercises › "ex06: An encoder that refuses
//! injection". Stuck? `cargo course hint ch01::ex06`. Test: `cargo test -p exercises --test ch01 ch01_ex06`.

// The types this exercise uses are given: exercises/src/ch01/given.rs.
pub use super::given::{EncodeError, OutgoingEvent};

// ANCHOR: stub
/// Writes `event` in the wire format (book: Chapter 1 › Encoding events safely): an `event:` line
/// (if set), an `id:` line (if set), one `data:` line per line of the data, then the blank line
/// that dispatches the event. Every line ends with `\n`, and one space follows each colon.
///
/// A receiver that parses the result must get back exactly this event: the same event type, the
/// same id, and the same data (with every line break in it read as `\n`).
///
/// Errors, checked before anything is written, in this order (the first that applies is
/// returned):
/// - an event type containing CR or LF: [`EncodeError::LineBreakInEvent`] (the text after the
///   break would be read as a new field: an injection);
/// - an id containing CR or LF: [`EncodeError::LineBreakInId`];
/// - an id containing NUL: [`EncodeError::NulInId`] (a receiver ignores such an id).
///
/// Edge cases to think about: data with a lone CR, data ending with a line break, empty data, an
/// empty id (valid: it resets the receiver's last event ID).
pub fn encode_event(event: &OutgoingEvent) -> Result<String, EncodeError> {
    // TODO: validate, then write the lines described above.
    todo!("encode {event:?}")
}
// ANCHOR_END: stub
