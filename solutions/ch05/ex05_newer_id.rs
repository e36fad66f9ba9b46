//! Solution to ch05::ex05: which id is newer?

// ANCHOR: solution
/// Whether `candidate` comes strictly after `last` in Redis's order.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    // Compare numbers, never the text: as text "10-0" < "9-0" and "5-10" < "5-9".
    match (stream_id(candidate), stream_id(last)) {
        // A tuple compares its first fields, and only on a tie its second: `ms`, then `seq`,
        // exactly Redis's order. Both are `u64`, so every id the hub issues fits.
        (Some(candidate), Some(last)) => candidate > last,
        // Not an id: it cannot be "newer" than anything, and it never panics.
        _ => false,
    }
}

/// `<ms>-<seq>` as the pair `(ms, seq)`, or `None` when the text is not an id.
fn stream_id(text: &str) -> Option<(u64, u64)> {
    // The first `-` splits; a second one stays in `seq` and fails the digit check below.
    let (ms, seq) = text.split_once('-')?;
    Some((part(ms)?, part(seq)?))
}

/// One part: one or more ASCII digits within `u64`; `None` otherwise.
fn part(digits: &str) -> Option<u64> {
    // `u64::from_str` alone would also take a leading `+`, so check the bytes first.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Only digits left, so the one possible error is a number past `u64::MAX`.
    digits.parse().ok()
}
// ANCHOR_END: solution
