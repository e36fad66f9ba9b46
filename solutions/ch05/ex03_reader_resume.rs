//! Solution to ch05::ex03: resume a node's reader without duplicates.

// ANCHOR: solution
pub use super::given::{BadId, Entry};

/// The entries of `batch` strictly after `last_forwarded`.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    // As text, "10-0" < "9-0" and "5-10" < "5-9": ids must be compared as numbers. A tuple
    // `(ms, seq)` compares field by field, which is exactly the stream order.
    let after = last_forwarded.map(parse).transpose()?;
    let mut forward = Vec::new();
    for entry in batch {
        let id = parse(&entry.id)?;
        // Strictly after: the boundary entry itself was forwarded before the outage.
        if after.is_none_or(|after| id > after) {
            forward.push(entry.clone());
        }
    }
    Ok(forward)
}

/// `<ms>-<seq>` as a pair of numbers that orders like Redis.
fn parse(id: &str) -> Result<(u64, u64), BadId> {
    let bad = || BadId(id.to_owned());
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    let number = |part: &str| {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse::<u64>().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    Ok((number(ms)?, number(seq)?))
}
// ANCHOR_END: solution
