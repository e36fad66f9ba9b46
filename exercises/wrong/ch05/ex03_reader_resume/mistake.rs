//! The tempting mistake for ch05::ex03: ids compared as text, where "10-0" < "9-0".

/// One stream entry as the Redis client hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub data: String,
}

/// An id that is not `<ms>-<seq>` with two `u64` parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId(pub String);

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
