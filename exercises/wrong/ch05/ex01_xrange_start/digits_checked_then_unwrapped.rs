//! The tempting mistake: once every character is an ASCII digit the parse "cannot fail", so it is
//! unwrapped; twenty digits do not fit in a `u64`, and a header from the network panics the
//! handler instead of being answered with `MalformedId`.
//! class: errors

pub use super::given::MalformedId;

/// The start of the `XRANGE` that replays everything after `last_event_id`.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    let (ms, seq) = last_event_id
        .split_once('-')
        .unwrap_or((last_event_id, "0"));
    for part in [ms, seq] {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MalformedId(last_event_id.to_owned()));
        }
    }
    // Digits only: these parses cannot fail.
    let ms: u64 = ms.parse().unwrap();
    let seq: u64 = seq.parse().unwrap();
    let next = match seq.checked_add(1) {
        Some(seq) => Some((ms, seq)),
        None => ms.checked_add(1).map(|ms| (ms, 0)),
    };
    Ok(next.map(|(ms, seq)| format!("{ms}-{seq}")))
}
