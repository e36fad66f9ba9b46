//! Independent reader's wrong answer for ch05::ex08.
//! class: errors
//! Mistake: A wildcard's prefix is only checked for shape (ends in `.` or `:`, no other `*`), not validated as a channel name, on the reasoning that a prefix with a space, a `/` or 129 bytes can never start a valid channel anyway, so `Some(false)` is as safe as `None`. The contract wants `None` for such a pattern (`user 42.*`, `a/b.*`, an over-long prefix), so the token gets refused rather than quietly matching nothing.

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
    if let Some(prefix) = pattern.strip_suffix('*') {
        // The star must come right after a separator, and be the only one:
        // `user.4*`, `user.**` and `*.news.*` are typos, not patterns.
        let ends_in_separator = prefix.ends_with('.') || prefix.ends_with(':');
        if !ends_in_separator || prefix.contains('*') {
            return None;
        }
        // The channel is valid, so a prefix with characters no channel has simply
        // matches nothing: the strict prefix test settles it.
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
