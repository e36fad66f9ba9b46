//! Solution to ch05::ex06: is it a channel name?

// ANCHOR: solution
pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name` may name a channel: 1 to 128 bytes of `A-Z a-z 0-9 _ . : -`.
pub fn is_channel_name(name: &str) -> bool {
    // `str::len` counts bytes, the unit of the limit. The limit is inclusive: exactly 128 bytes
    // is a name, 129 is not.
    let length_ok = !name.is_empty() && name.len() <= MAX_CHANNEL_LEN;
    // Every allowed character is one ASCII byte, so checking bytes is exact: a non-ASCII
    // character is two to four bytes of 0x80 and above, none of them allowed. `is_ascii_*`, not
    // `char::is_alphanumeric`, which also takes `é` and `٣`.
    length_ok
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}
// ANCHOR_END: solution
