//! The tempting mistake: the id is "a timestamp", so only the milliseconds are compared; two
//! events published in the same millisecond (`5-1` after `5-0`) are then never newer.
//! class: spec

/// Whether `candidate` comes strictly after `last`.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let ms = |text: &str| -> Option<u64> {
        let (ms, seq) = text.split_once('-')?;
        let part = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse::<u64>().ok()
        };
        part(seq)?;
        part(ms)
    };
    match (ms(candidate), ms(last)) {
        (Some(candidate), Some(last)) => candidate > last,
        _ => false,
    }
}
