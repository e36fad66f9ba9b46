//! Exercise ch01::ex08: read a retry field. Book: Chapter 1 › Fields and dispatch › "ch01::ex08:
//! Read a retry field". Stuck? `cargo course hint ch01::ex08`. Test: `cargo test -p exercises --test ch01 ch01_ex08`.

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
    // TODO: decide whether `value` is a valid retry value, and if it is, return its number.
    todo!("read the retry value {value:?}")
}
// ANCHOR_END: stub
