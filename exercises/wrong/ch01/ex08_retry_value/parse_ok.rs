//! The tempting mistake: after checking that the value is all ASCII digits, it is read with
//! `value.parse::<u64>().ok()`, so a value too large for a `u64` is ignored instead of being the
//! longest possible time (`u64::MAX`) as the contract says.
//! class: boundaries

/// Returns the reconnection time in milliseconds that a `retry` field with this value sets, or
/// `None` if the field is to be ignored.
pub fn reconnection_time(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    value.parse::<u64>().ok()
}
