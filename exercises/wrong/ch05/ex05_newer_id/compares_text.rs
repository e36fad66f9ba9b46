//! The tempting mistake: both ids are checked to be `<ms>-<seq>`, then the strings themselves are
//! compared, since Redis hands ids over as text and they look sorted; as text `"10-0" < "9-0"` and
//! `"5-10" < "5-9"`, so every id with one more digit reads as older.
//! class: encoding

/// Whether `candidate` comes strictly after `last`.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let is_id = |text: &str| {
        text.split_once('-').is_some_and(|(ms, seq)| {
            ms.parse::<u64>().is_ok()
                && seq.parse::<u64>().is_ok()
                && !ms.starts_with('+')
                && !seq.starts_with('+')
        })
    };
    is_id(candidate) && is_id(last) && candidate > last
}
