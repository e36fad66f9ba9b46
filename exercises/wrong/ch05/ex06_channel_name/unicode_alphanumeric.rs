//! The tempting mistake: "letters and digits" checked with `char::is_alphanumeric`, which is
//! Unicode's; `café`, `Жук` and `٣` pass although only ASCII letters and digits are allowed.
//! class: encoding

pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name` may name a channel.
pub fn is_channel_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_CHANNEL_LEN
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}
