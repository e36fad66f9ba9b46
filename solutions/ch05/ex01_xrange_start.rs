//! Solution to ch05::ex01: the first id after `Last-Event-ID`.

// ANCHOR: solution
pub use super::given::MalformedId;

/// The start of the `XRANGE` that replays everything after `last_event_id`.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    let malformed = || MalformedId(last_event_id.to_owned());
    // `split_once` takes the first `-`; a second one stays in `seq` and fails the digit check.
    // A bare `<ms>` is `<ms>-0`, as Redis reads an incomplete start id.
    let (ms, seq) = last_event_id
        .split_once('-')
        .unwrap_or((last_event_id, "0"));
    let ms = parse_part(ms).ok_or_else(malformed)?;
    let seq = parse_part(seq).ok_or_else(malformed)?;
    // The successor of (ms, seq) in the order Redis uses: the next seq in the same
    // millisecond, or, after the largest seq, the first seq of the next millisecond.
    let next = match seq.checked_add(1) {
        Some(seq) => Some((ms, seq)),
        None => ms.checked_add(1).map(|ms| (ms, 0)),
    };
    Ok(next.map(|(ms, seq)| format!("{ms}-{seq}")))
}

/// One part of an id: ASCII digits only (`u64::from_str` alone would accept a leading `+`),
/// within `u64`.
fn parse_part(part: &str) -> Option<u64> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}
// ANCHOR_END: solution
