//! Exercise ch05::ex06: is it a channel name? Book: Chapter 5 › The design › "ch05::ex06: Is it a
//! channel name?". Stuck? `cargo course hint ch05::ex06`. Test: `cargo test -p exercises --test ch05 ch05_ex06`.

// ANCHOR: stub
pub use super::given::MAX_CHANNEL_LEN;

/// Whether `name`, as a client sent it, may name a channel.
///
/// A channel name is 1 to [`MAX_CHANNEL_LEN`] (128) bytes long, and every character is an ASCII
/// letter (`A`-`Z`, `a`-`z`), an ASCII digit (`0`-`9`) or one of `_`, `.`, `:` and `-`. Anything
/// else is `false`: empty text, a 129th byte, a space, a `/`, a `*`, a control character, a
/// letter or digit from outside ASCII (`é`, `Ж`, `٣`).
pub fn is_channel_name(name: &str) -> bool {
    // TODO: `true` when `name` is a valid channel name, `false` otherwise.
    todo!("may {name:?} name a channel?")
}
// ANCHOR_END: stub
