//! Exercise ch05::ex04: is it a stream id? Book: Chapter 5 › The design › "ch05::ex04: Is it a
//! stream id?". Stuck? `cargo course hint ch05::ex04`. Test: `cargo test -p exercises --test ch05 ch05_ex04`.

// ANCHOR: stub
/// Reads a Redis stream id as the hub reads a `Last-Event-ID`: `Some((ms, seq))`, or `None` when
/// `text` is not an id.
///
/// An id is `<ms>-<seq>` (`1700000000000-41` is `(1700000000000, 41)`): two parts joined by one
/// `-`, each one or more ASCII digits (`0`-`9`, nothing else) whose decimal value fits in a
/// `u64`. As Redis reads an incomplete id, and as the hub's parser does, a bare `<ms>` with no
/// `-` at all is `(ms, 0)`: `"5"` is `(5, 0)`. Anything else is `None`, never a panic (the text
/// comes from the network): empty text or an empty part, a sign, a space or a line ending, a
/// digit from another script, a third part, a number past `u64::MAX`.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    // TODO: the id's two numbers, or `None` for text that is not an id.
    todo!("read {text:?} as <ms>-<seq>")
}
// ANCHOR_END: stub
