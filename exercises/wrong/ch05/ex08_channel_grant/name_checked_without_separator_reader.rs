//! Independent reader's wrong answer for ch05::ex08.
//! class: spec
//! Mistake: For `prefix.*` / `prefix:*` it strips the separator together with the star and checks that the part before the separator is a valid name, reading "name part" as the name without its separator. So `.*` and `:*` are rejected as `None` (their part before `.`/`:` is empty), though `.` and `:` are valid names; and a 128-byte name plus `.*` is accepted as `Some(false)`, though the part kept, 129 bytes with the separator, is too long.

// ANCHOR: stub
/// Whether one channel pattern from a token's `subscribe` (or `publish`) list grants `channel`.
///
/// `channel` is a valid channel name (ch05::ex06's rule: 1 to 128 bytes of `A-Z a-z 0-9 _ . : -`).
/// A pattern is one of three things, and grants exactly what it says, comparing bytes as they
/// are (`News` is not `news`):
///
/// - a channel name (`news`): that channel only;
/// - a channel name that ends in `.` or `:`, then `*` (`user.42.*`): every channel that starts
///   with the whole part before the `*`, separator included, and has at least one more character
///   (`user.42.inbox`, `user.42.inbox.urgent`; not `user.42`, `user.42.` or `user.420`);
/// - `*` alone: every channel.
///
/// Anything else is not a pattern and is answered `None`, whatever the channel: a `*` anywhere
/// else (`user.4*`, `*.news`, `a.*.b`, `user.**`), or a name part that is not a valid channel
/// name (empty, too long, a space, a `/`). An issuer's typo must not grant more than it meant.
/// Otherwise `Some(true)` or `Some(false)`.
pub fn grants(pattern: &str, channel: &str) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    // `user.42.*` or `user.42:*`: the name, then a separator, then the star.
    let wildcard = pattern
        .strip_suffix(".*")
        .or_else(|| pattern.strip_suffix(":*"));
    if let Some(name) = wildcard {
        if !is_name(name) {
            return None;
        }
        // Keep the separator: `user.42.` must not match `user.420`.
        let prefix = &pattern[..pattern.len() - 1];
        return Some(channel.len() > prefix.len() && channel.starts_with(prefix));
    }
    // A plain name; a `*` anywhere in it fails the character test.
    if !is_name(pattern) {
        return None;
    }
    Some(pattern == channel)
}
// ANCHOR_END: stub

const MAX_LEN: usize = 128;

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}
