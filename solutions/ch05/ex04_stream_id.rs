//! Solution to ch05::ex04: is it a stream id?

// ANCHOR: solution
/// Reads `<ms>-<seq>` (or a bare `<ms>`, meaning `<ms>-0`) as two numbers.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    // `split_once` takes the first `-`; a second one stays in `seq` and fails the digit check.
    // No `-` at all is a bare `<ms>`, which Redis (and the hub) read as sequence 0.
    let (ms, seq) = text.split_once('-').unwrap_or((text, "0"));
    Some((part(ms)?, part(seq)?))
}

/// One part: one or more ASCII digits, within `u64`.
fn part(digits: &str) -> Option<u64> {
    // Check the characters first: `u64::from_str` alone would accept a leading `+`.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Only digits now, so the one error left is a number past `u64::MAX`: `None`, not a panic.
    digits.parse().ok()
}
// ANCHOR_END: solution
