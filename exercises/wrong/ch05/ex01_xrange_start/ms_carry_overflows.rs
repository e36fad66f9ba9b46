//! Second-reader wrong answer for ch05::ex01.
//! class: boundaries
//! Mistake: the carry after the largest sequence number is written as `ms + 1` with no check, so
//! the largest possible id `18446744073709551615-18446744073709551615` overflows (a panic in a
//! debug build, `0-0` in release) instead of giving `Ok(None)`.

pub use super::given::MalformedId;

fn parse_part(part: &str) -> Option<u64> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// The start of the `XRANGE` that replays everything a client has not seen yet.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    let malformed = || MalformedId(last_event_id.to_string());
    let (ms, seq) = match last_event_id.split_once('-') {
        Some((ms, seq)) => (ms, seq),
        None => (last_event_id, "0"),
    };
    let ms = parse_part(ms).ok_or_else(malformed)?;
    let seq = parse_part(seq).ok_or_else(malformed)?;
    let next = match seq.checked_add(1) {
        Some(seq) => format!("{ms}-{seq}"),
        None => format!("{}-0", ms + 1),
    };
    Ok(Some(next))
}
