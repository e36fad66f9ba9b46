//! Second-reader wrong answer for ch05::ex03.
//! class: spec
//! Mistake: the ids are validated as `<ms>-<seq>` but then compared as the strings Redis handed
//! over; as text `"10-0" < "9-5"` and `"5-10" < "5-9"`, so new entries are dropped after a
//! millisecond or sequence number gains a digit, and old ones are forwarded again.

pub use super::given::{BadId, Entry};

fn check_id(id: &str) -> Result<&str, BadId> {
    let bad = || BadId(id.to_string());
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    for part in [ms, seq] {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse::<u64>().map_err(|_| bad())?;
    }
    Ok(id)
}

/// Which entries of `batch` a node's reader forwards to its subscribers after a reconnect.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    let last = last_forwarded.map(check_id).transpose()?;
    let mut forward = Vec::new();
    for entry in batch {
        let id = check_id(&entry.id)?;
        if last.map_or(true, |last| id > last) {
            forward.push(entry.clone());
        }
    }
    Ok(forward)
}
