//! The tempting mistake: each part is validated by `str::parse::<u64>()` alone, trusting it to
//! mean "digits only"; it also takes a leading `+`, so an id that is not `<ms>-<seq>` in digits
//! (`+5-4`, `5-+4`) is forwarded instead of stopping the reader with `BadId`.
//! class: spec

pub use super::given::{BadId, Entry};

/// The entries of `batch` strictly after `last_forwarded`.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    let after = last_forwarded.map(parse).transpose()?;
    let mut forward = Vec::new();
    for entry in batch {
        let id = parse(&entry.id)?;
        if after.is_none_or(|after| id > after) {
            forward.push(entry.clone());
        }
    }
    Ok(forward)
}

fn parse(id: &str) -> Result<(u64, u64), BadId> {
    let bad = || BadId(id.to_owned());
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    Ok((
        ms.parse().map_err(|_| bad())?,
        seq.parse().map_err(|_| bad())?,
    ))
}
