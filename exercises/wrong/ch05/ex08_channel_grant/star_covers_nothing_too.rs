//! The tempting mistake: reading the `*` as "anything, or nothing", as a shell glob does, so
//! `user.42.*` also grants `user.42.` itself. The contract's `*` stands for at least one more
//! character.
//! class: boundaries
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
            let separated = prefix.ends_with('.') || prefix.ends_with(':');
            (separated && is_name(prefix))
                .then(|| channel.starts_with(prefix))
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
