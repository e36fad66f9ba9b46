//! The tempting mistake: "every character is an ASCII digit" is checked with `all`, which is true
//! for an empty value, so `retry:` with nothing after it sets a reconnection time of 0 instead of
//! being ignored ("one or more" digits).
//! class: boundaries

/// Returns the reconnection time in milliseconds that a `retry` field with this value sets, or
/// `None` if the field is to be ignored.
pub fn reconnection_time(value: &str) -> Option<u64> {
    if !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let millis = value.bytes().fold(0u64, |millis, digit| {
        millis
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    });
    Some(millis)
}
