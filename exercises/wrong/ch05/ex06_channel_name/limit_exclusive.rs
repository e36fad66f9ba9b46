//! The tempting mistake: "at most 128" written as `len < MAX_CHANNEL_LEN`, the way a loop bound
//! is written; a name of exactly 128 bytes, which the contract allows, is refused.
//! class: boundaries

pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name` may name a channel.
pub fn is_channel_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() < MAX_CHANNEL_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}
