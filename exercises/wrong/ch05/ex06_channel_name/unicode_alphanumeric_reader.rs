//! Independent reader's wrong answer for ch05::ex06.
//! class: encoding
//! Mistake: Uses `char::is_alphanumeric` for "letter or digit", which is Unicode-wide, so names
//! like `café`, `Жurnal` or `٣` pass although only ASCII letters and digits are allowed.

// ANCHOR: stub
pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name`, as a client sent it, may name a channel.
///
/// A channel name is 1 to [`MAX_CHANNEL_LEN`] (128) bytes long, and every character is an ASCII
/// letter (`A`-`Z`, `a`-`z`), an ASCII digit (`0`-`9`) or one of `_`, `.`, `:` and `-`. Anything
/// else is `false`: empty text, a 129th byte, a space, a `/`, a `*`, a control character, a
/// letter or digit from outside ASCII (`é`, `Ж`, `٣`).
pub fn is_channel_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_CHANNEL_LEN
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}
// ANCHOR_END: stub
