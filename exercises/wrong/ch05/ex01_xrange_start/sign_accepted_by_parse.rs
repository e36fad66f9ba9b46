//! Second-reader wrong answer for ch05::ex01.
//! class: spec
//! Mistake: each part is checked with `str::parse::<u64>()` alone, trusting it to mean "ASCII
//! digits only"; it also accepts a leading `+` (`+5-0`, `5-+1`), so a header that is not an id
//! the hub issued is answered with a replay start instead of `MalformedId`.

pub use super::given::MalformedId;

/// The start of the `XRANGE` that replays everything a client has not seen yet.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    let malformed = || MalformedId(last_event_id.to_string());
    let (ms, seq) = match last_event_id.split_once('-') {
        Some((ms, seq)) => (ms, seq),
        None => (last_event_id, "0"),
    };
    let ms: u64 = ms.parse().map_err(|_| malformed())?;
    let seq: u64 = seq.parse().map_err(|_| malformed())?;
    let next = match seq.checked_add(1) {
        Some(seq) => Some((ms, seq)),
        None => ms.checked_add(1).map(|ms| (ms, 0)),
    };
    Ok(next.map(|(ms, seq)| format!("{ms}-{seq}")))
}
