//! Independent reader's wrong answer for ch01::ex08.
//! class: spec
//! Mistake: leans on `str::parse::<u64>()` and only special-cases overflow, but Rust's integer
//! parsing accepts a leading `+`, so `"+15"` gives `Some(15)` where the spec ignores the field; the
//! student assumes `u64` parsing already rejects signs because it rejects `-`.

use std::num::IntErrorKind;

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
    match value.parse::<u64>() {
        Ok(ms) => Some(ms),
        // Only digits can overflow, so a too-long number is still a valid retry value.
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => Some(u64::MAX),
        // Empty, `-5`, `1.5`, ` 5`, `5s`, non-ASCII digits: ignore the field.
        Err(_) => None,
    }
}
// ANCHOR_END: stub
