//! The tempting mistake: each part becomes an `f64`, as a JavaScript client would hold it
//! (`Number(ms)`); past 2^53 neighbouring integers round to the same `f64`, so `9007199254740993-0`
//! is not newer than `9007199254740992-0`.
//! class: boundaries

/// Whether `candidate` comes strictly after `last`.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let parse = |text: &str| -> Option<(f64, f64)> {
        let (ms, seq) = text.split_once('-')?;
        let part = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // Checked against u64 so that the range is right; then kept as a number.
            p.parse::<u64>().ok()?;
            p.parse::<f64>().ok()
        };
        Some((part(ms)?, part(seq)?))
    };
    match (parse(candidate), parse(last)) {
        (Some((ms, seq)), Some((last_ms, last_seq))) => {
            ms > last_ms || (ms == last_ms && seq > last_seq)
        }
        _ => false,
    }
}
