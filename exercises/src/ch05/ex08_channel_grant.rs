//! Exercise ch05::ex08: may this token read the channel? Book: Chapter 5 › Running many nodes ›
//! "ch05::ex08: May this token read the channel?". Stuck? `cargo course hint ch05::ex08`. Test:
//! `cargo test -p exercises --test ch05 ch05_ex08`.

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
    // TODO: `None` for a pattern that is none of the three; else whether it grants `channel`.
    todo!("does {pattern:?} grant {channel:?}?")
}
// ANCHOR_END: stub
