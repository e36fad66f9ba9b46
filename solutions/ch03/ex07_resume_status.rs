//! Solution to ch03::ex07: the status for a refused resume.

// ANCHOR: solution
pub use super::given::ResumeFrom;

/// Every resume is answered with a stream: `200 OK`. A gap is told inside the stream (a
/// `replay-gap` event), because any other status would end a browser's `EventSource` for good.
const STREAM: u16 = 200;

/// The HTTP status and the starting point of the stream for a client that sent `last_event_id`,
/// when the buffer keeps the ids `oldest_kept..=newest`.
pub fn resume_status(
    last_event_id: Option<&str>,
    oldest_kept: u64,
    newest: u64,
) -> (u16, ResumeFrom) {
    let Some(text) = last_event_id else {
        return (STREAM, ResumeFrom::Live);
    };
    let from = match parse_id(text) {
        // N was given out here, and the first event the client is missing (N + 1) is still
        // kept. Written as `N >= oldest_kept - 1` (saturating: `oldest_kept` may be 0) so that
        // N = u64::MAX cannot overflow.
        Some(n) if n <= newest && n >= oldest_kept.saturating_sub(1) => ResumeFrom::After(n),
        // Events after N are gone, N is in the future, or the text is not an id at all.
        _ => ResumeFrom::Gap {
            first_available: oldest_kept,
        },
    };
    (STREAM, from)
}

/// An id as the server writes it: ASCII digits only. `u64::from_str` alone would also take
/// `+5`, which no server wrote; a number too large for a `u64` is `None` too.
fn parse_id(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
// ANCHOR_END: solution
