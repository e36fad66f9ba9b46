//! The tempting mistake: the digits are checked, then read with `parse::<u64>().unwrap()` ("it is
//! all digits, so it parses"); a value longer than a `u64` holds, which a server may send, makes
//! it panic.
//! class: errors

/// Returns the reconnection time in milliseconds that a `retry` field with this value sets, or
/// `None` if the field is to be ignored.
pub fn reconnection_time(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some(value.parse::<u64>().unwrap())
}
