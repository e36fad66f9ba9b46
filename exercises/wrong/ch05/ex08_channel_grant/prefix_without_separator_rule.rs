//! The tempting mistake: any pattern ending in `*` is a prefix, separator or not. Then
//! `user.4*` grants `user.42` and `user.4`-anything: the issuer's typo grants more than it
//! meant, where the contract says such a pattern is no pattern at all.
//! class: spec
use super::given::MAX_CHANNEL_LEN;

/// Whether `pattern` grants `channel`; `None` when `pattern` is not a pattern.
pub fn grants(pattern: &str, channel: &str) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    match pattern.strip_suffix('*') {
        // A prefix: it keeps its separator, so `user.42.*` is `user.42.` and cannot reach
        // `user.420`; and the `*` stands for at least one character.
        Some(prefix) => {
            is_name(prefix)
                .then(|| channel.len() > prefix.len() && channel.starts_with(prefix))
        }
        // A name: the channel itself, byte for byte. A `*` inside makes it no name at all.
        None => is_name(pattern).then(|| channel == pattern),
    }
}

/// ch05::ex06's rule: 1 to 128 bytes of `A-Z a-z 0-9 _ . : -` (so no `*`).
fn is_name(name: &str) -> bool {
    (1..=MAX_CHANNEL_LEN).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}
