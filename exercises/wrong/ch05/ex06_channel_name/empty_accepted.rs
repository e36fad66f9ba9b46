//! The tempting mistake: only the upper bound is checked, and `all` over no characters is `true`;
//! the empty name (a request for `/events/`) passes as a channel.
//! class: boundaries

pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name` may name a channel.
pub fn is_channel_name(name: &str) -> bool {
    name.len() <= MAX_CHANNEL_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}
