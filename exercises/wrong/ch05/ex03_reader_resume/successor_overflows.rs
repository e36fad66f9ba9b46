//! The tempting mistake: as in ch05::ex01, "strictly after" becomes "at or after the next id",
//! computed with a carry into the next millisecond, but the carry itself (`ms + 1`) is unchecked:
//! a reader whose last forwarded id is the largest possible one panics (or, in release, wraps to
//! `0-0` and forwards everything again).
//! class: boundaries

pub use super::given::{BadId, Entry};

/// The entries of `batch` strictly after `last_forwarded`.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    // The first id still to forward: the one just after the last forwarded.
    let first = match last_forwarded.map(parse).transpose()? {
        None => (0, 0),
        Some((ms, u64::MAX)) => (ms + 1, 0),
        Some((ms, seq)) => (ms, seq + 1),
    };
    let mut forward = Vec::new();
    for entry in batch {
        if parse(&entry.id)? >= first {
            forward.push(entry.clone());
        }
    }
    Ok(forward)
}

fn parse(id: &str) -> Result<(u64, u64), BadId> {
    let bad = || BadId(id.to_owned());
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    let number = |part: &str| {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse::<u64>().map_err(|_| bad())
    };
    Ok((number(ms)?, number(seq)?))
}
