//! Solution to ch01::ex08: read a retry field.

// ANCHOR: solution
/// Returns the reconnection time in milliseconds that a `retry` field with this value sets, or
/// `None` if the field is to be ignored.
pub fn reconnection_time(value: &str) -> Option<u64> {
    // "Consists of only ASCII digits": at least one, and nothing else. `u8::is_ascii_digit` is
    // exactly `0`-`9`; `char::is_numeric` (or `str::parse`, which takes a `+`) would accept more.
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    // Read the digits ourselves, saturating: a peer may send more digits than a `u64` holds, and
    // the contract reads such a value as the longest possible time. Once at `u64::MAX`, the
    // value stays there. `digit - b'0'` cannot underflow: every byte was checked to be a digit.
    let millis = value.bytes().fold(0u64, |millis, digit| {
        millis
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    });
    Some(millis)
}
// ANCHOR_END: solution
