//! Independent reader's wrong answer for ch05::ex04.
//! class: spec
//! Mistake: relies on `str::parse::<u64>` alone to validate each part, which rejects empty text,
//! spaces, other scripts' digits and overflow but also accepts a leading `+`, so `"+5"` and
//! `"5-+3"` are read as ids although a part must be ASCII digits only.

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
    // u64's parser refuses empty text, '-', whitespace, non-ASCII digits and values past
    // u64::MAX, so it does the validation for us.
    match text.split_once('-') {
        Some((ms, seq)) => Some((ms.parse::<u64>().ok()?, seq.parse::<u64>().ok()?)),
        None => Some((text.parse::<u64>().ok()?, 0)),
    }
}
// ANCHOR_END: stub
