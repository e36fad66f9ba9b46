//! The tempting mistake: "plain" read as printable ASCII, `is_ascii_graphic` (no space, no
//! control character); `/`, `*`, `?`, `%` and the other marks pass, though only `_ . : -` are
//! allowed besides letters and digits.
//! class: spec

pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name` may name a channel.
pub fn is_channel_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= MAX_CHANNEL_LEN && name.bytes().all(|b| b.is_ascii_graphic())
}
