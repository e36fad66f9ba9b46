//! Independent reader's wrong answer for ch01::ex08.
//! class: boundaries
//! Mistake: validates the ASCII digits correctly but then uses `parse::<u64>().ok()`, so a value
//! longer than a `u64` (e.g. 30 digits) is ignored (`None`) instead of saturating to
//! `Some(u64::MAX)`; the student reads "no value may make this function panic" as the whole rule.

// ANCHOR: stub
/// Returns the reconnection time, in milliseconds, that a `retry` field with this value sets, or
/// `None` if the spec says to ignore the field (book: Chapter 1 › Fields and dispatch).
///
/// `value` is the field's value as the line was split: after the first colon, with the one
/// optional space already removed.
///
/// - `Some(ms)` if `value` is one or more ASCII digits `0`-`9` and nothing else, read as a base-ten
///   number (leading zeros allowed: `"0042"` is 42).
/// - `None` for anything else: an empty value, a sign, a space anywhere, a decimal point, a unit,
///   digits from other scripts (`١٥`, `１５`).
/// - A number too large for a `u64` saturates: it is `Some(u64::MAX)`, the longest possible time.
///   The value comes from the server, so no value may make this function panic.
pub fn reconnection_time(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Only ASCII digits are left, so parsing cannot panic; a failure just means "ignore it".
    value.parse::<u64>().ok()
}
// ANCHOR_END: stub
