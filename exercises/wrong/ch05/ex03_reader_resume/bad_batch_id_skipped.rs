//! Second-reader wrong answer for ch05::ex03.
//! class: errors
//! Mistake: the filter is written as an iterator `filter` closure, where `?` does not fit, so an
//! entry whose id does not parse is quietly left out (`Ok(id) if id > last`) instead of the call
//! returning `Err(BadId(id))`.

pub use super::given::{BadId, Entry};

fn parse_part(part: &str) -> Option<u64> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn parse_id(id: &str) -> Result<(u64, u64), BadId> {
    let bad = || BadId(id.to_string());
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    Ok((parse_part(ms).ok_or_else(bad)?, parse_part(seq).ok_or_else(bad)?))
}

/// Which entries of `batch` a node's reader forwards to its subscribers after a reconnect.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    let last = last_forwarded.map(parse_id).transpose()?;
    Ok(batch
        .iter()
        .filter(|entry| matches!(parse_id(&entry.id), Ok(id) if last.map_or(true, |last| id > last)))
        .cloned()
        .collect())
}
