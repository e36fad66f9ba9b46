//! Independent reader's wrong answer for ch05::ex03.
//! class: errors
//! Mistake: with no `last_forwarded` the whole batch is returned as is, a shortcut that skips parsing,
//! so a malformed id in the batch is forwarded instead of stopping the reader with `BadId`.

pub use super::given::{BadId, Entry};

fn parse_id(id: &str) -> Result<(u64, u64), BadId> {
    let bad = || BadId(id.to_owned());
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    let part = |p: &str| {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse::<u64>().map_err(|_| bad())
    };
    Ok((part(ms)?, part(seq)?))
}

/// Which entries of `batch` a node's reader forwards to its subscribers after a reconnect.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    let Some(last) = last_forwarded else {
        // Nothing forwarded yet: everything in the batch is new.
        return Ok(batch.to_vec());
    };
    let last = parse_id(last)?;
    let mut forward = Vec::new();
    for entry in batch {
        if parse_id(&entry.id)? > last {
            forward.push(entry.clone());
        }
    }
    Ok(forward)
}
