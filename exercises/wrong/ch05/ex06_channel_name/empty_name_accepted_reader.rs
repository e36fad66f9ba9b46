//! Independent reader's wrong answer for ch05::ex06.
//! class: boundaries
//! Mistake: Checks only the upper length bound and the characters; `all` over no characters is
//! vacuously true, so the empty name `""` is accepted as a channel name.

// ANCHOR: stub
pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name`, as a client sent it, may name a channel.
///
/// A channel name is 1 to [`MAX_CHANNEL_LEN`] (128) bytes long, and every character is an ASCII
/// letter (`A`-`Z`, `a`-`z`), an ASCII digit (`0`-`9`) or one of `_`, `.`, `:` and `-`. Anything
/// else is `false`: empty text, a 129th byte, a space, a `/`, a `*`, a control character, a
/// letter or digit from outside ASCII (`é`, `Ж`, `٣`).
pub fn is_channel_name(name: &str) -> bool {
    name.len() <= MAX_CHANNEL_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}
// ANCHOR_END: stub
