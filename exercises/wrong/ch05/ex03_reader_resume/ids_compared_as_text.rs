//! The tempting mistake: every id is validated, then compared as the text Redis sent, where
//! "10-0" < "9-0" and "5-10" < "5-9": the representation (decimal text) stands in for the value.
//! class: encoding

pub use super::given::{BadId, Entry};

/// The entries of `batch` strictly after `last_forwarded`.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    for id in last_forwarded
        .into_iter()
        .chain(batch.iter().map(|e| e.id.as_str()))
    {
        // Every id is checked...
        let valid = id.split_once('-').is_some_and(|(ms, seq)| {
            [ms, seq]
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u64>().is_ok())
        });
        if !valid {
            return Err(BadId(id.to_owned()));
        }
    }
    Ok(batch
        .iter()
        // ...but compared as the text Redis sent.
        .filter(|e| last_forwarded.is_none_or(|last| e.id.as_str() > last))
        .cloned()
        .collect())
}
