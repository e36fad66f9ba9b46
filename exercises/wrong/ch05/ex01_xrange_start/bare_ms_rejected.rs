//! The tempting mistake: the hub always issues `<ms>-<seq>`, so the id must contain a `-`; a bare
//! `<ms>`, which the contract accepts as `<ms>-0` (as Redis reads it), is rejected as malformed.
//! class: boundaries

pub use super::given::MalformedId;

/// The start of the `XRANGE` that replays everything after `last_event_id`.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    let malformed = || MalformedId(last_event_id.to_owned());
    let (ms, seq) = last_event_id.split_once('-').ok_or_else(malformed)?;
    let part = |p: &str| -> Result<u64, MalformedId> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed());
        }
        p.parse().map_err(|_| malformed())
    };
    let (ms, seq) = (part(ms)?, part(seq)?);
    let next = match seq.checked_add(1) {
        Some(seq) => Some((ms, seq)),
        None => ms.checked_add(1).map(|ms| (ms, 0)),
    };
    Ok(next.map(|(ms, seq)| format!("{ms}-{seq}")))
}
