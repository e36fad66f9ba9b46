//! The tempting mistake: the `-` is read as a decimal point and the id compared as one number,
//! `ms.seq`; `1-10` becomes 1.1, smaller than `1-9` (1.9), and past 2^53 milliseconds neighbouring
//! ids round to the same `f64`.
//! class: spec

/// Whether `candidate` comes strictly after `last`.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let as_number = |text: &str| -> Option<f64> {
        let (ms, seq) = text.split_once('-')?;
        if ms.is_empty() || seq.is_empty() {
            return None;
        }
        if !ms.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        if ms.parse::<u64>().is_err() || seq.parse::<u64>().is_err() {
            return None;
        }
        format!("{ms}.{seq}").parse().ok()
    };
    match (as_number(candidate), as_number(last)) {
        (Some(candidate), Some(last)) => candidate > last,
        _ => false,
    }
}
