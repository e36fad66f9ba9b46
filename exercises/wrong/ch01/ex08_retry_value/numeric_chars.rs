//! The tempting mistake: digits are checked with `char::is_numeric`, which is true for every
//! Unicode digit (`١`, `１`, `²`), not only the ASCII `0`-`9` the spec names; `parse` then fails
//! on such a value and the failure is read as "too large", so it sets `u64::MAX` instead of being
//! ignored.
//! class: encoding

/// Returns the reconnection time in milliseconds that a `retry` field with this value sets, or
/// `None` if the field is to be ignored.
pub fn reconnection_time(value: &str) -> Option<u64> {
    if value.is_empty() || !value.chars().all(char::is_numeric) {
        return None;
    }
    // Only digits, so the parse can only fail because the number is too large.
    Some(value.parse::<u64>().unwrap_or(u64::MAX))
}
