//! The tempting mistake: the next id is always the next sequence number in the same millisecond,
//! `seq + 1`, forgetting that `seq` can be the largest `u64` (a panic in a debug build, a wrap to
//! `<ms>-0`, an id the client already has, in release) and that the next id is then in the next
//! millisecond.
//! class: boundaries

pub use super::given::MalformedId;

/// The start of the `XRANGE` that replays everything after `last_event_id`.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    let malformed = || MalformedId(last_event_id.to_owned());
    let (ms, seq) = last_event_id
        .split_once('-')
        .unwrap_or((last_event_id, "0"));
    if [ms, seq]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(malformed());
    }
    let ms: u64 = ms.parse().map_err(|_| malformed())?;
    let seq: u64 = seq.parse().map_err(|_| malformed())?;
    // Just the next sequence number in the same millisecond.
    Ok(Some(format!("{ms}-{}", seq + 1)))
}
