//! Independent reader's wrong answer for ch05::ex03.
//! class: spec
//! Mistake: the id parser is reused from ch05::ex01, which accepts a bare `<ms>` as `<ms>-0` the way
//! Redis does for a range bound; here an id must have both parts, so `"5"` should be `BadId`.

pub use super::given::{BadId, Entry};

fn parse_part(part: &str) -> Option<u64> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse::<u64>().ok()
}

/// Parses `<ms>-<seq>` (or `<ms>`, read as `<ms>-0`) into a pair ordered as Redis orders ids.
fn parse_id(id: &str) -> Result<(u64, u64), BadId> {
    let parsed = match id.split_once('-') {
        Some((ms, seq)) => parse_part(ms).zip(parse_part(seq)),
        None => parse_part(id).map(|ms| (ms, 0)),
    };
    parsed.ok_or_else(|| BadId(id.to_owned()))
}

/// Which entries of `batch` a node's reader forwards to its subscribers after a reconnect.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    let last = last_forwarded.map(parse_id).transpose()?;
    let mut forward = Vec::new();
    for entry in batch {
        let id = parse_id(&entry.id)?;
        if last.is_none_or(|last| id > last) {
            forward.push(entry.clone());
        }
    }
    Ok(forward)
}
