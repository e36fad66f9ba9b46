//! The tempting mistake: the hub issued these ids, so the split and the parse "cannot fail" and
//! are unwrapped; an id from a client that is not one (`6`, `x-0`, a part past `u64::MAX`)
//! panics instead of being answered `false`.
//! class: errors

/// Whether `candidate` comes strictly after `last`.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let parse = |text: &str| -> (u64, u64) {
        let (ms, seq) = text.split_once('-').unwrap();
        (ms.parse().unwrap(), seq.parse().unwrap())
    };
    parse(candidate) > parse(last)
}
