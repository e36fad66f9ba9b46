//! The tempting mistake: the hub always writes `<ms>-<seq>`, so an id must contain a `-`; a bare
//! `<ms>`, which the contract (like Redis and the hub) reads as `(ms, 0)`, is rejected.
//! class: boundaries

/// Reads `<ms>-<seq>` as two numbers.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    let (ms, seq) = text.split_once('-')?;
    let part = |p: &str| {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse::<u64>().ok()
    };
    Some((part(ms)?, part(seq)?))
}
