//! The tempting mistake: each part is parsed as an `i64`, the usual integer type for a
//! timestamp; ids past `i64::MAX` (up to `u64::MAX`, which Redis allows) fail to parse and are
//! treated as not ids, so they are never newer.
//! class: boundaries

/// Whether `candidate` comes strictly after `last`.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let parse = |text: &str| -> Option<(i64, i64)> {
        let (ms, seq) = text.split_once('-')?;
        let part = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse::<i64>().ok()
        };
        Some((part(ms)?, part(seq)?))
    };
    match (parse(candidate), parse(last)) {
        (Some(candidate), Some(last)) => candidate > last,
        _ => false,
    }
}
