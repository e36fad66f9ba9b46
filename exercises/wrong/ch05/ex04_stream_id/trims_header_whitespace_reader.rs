//! Independent reader's wrong answer for ch05::ex04.
//! class: encoding
//! Mistake: trims the text first, as one habitually does with an HTTP header value, so `" 5-1"`,
//! `"5-1\r\n"` or `"5-1 "` are read as ids although a space or a line ending makes the text not
//! an id (the digit check itself is correct).

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
    fn part(digits: &str) -> Option<u64> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }

    // Header values arrive with optional surrounding whitespace (and sometimes the CRLF).
    let text = text.trim();
    match text.split_once('-') {
        Some((ms, seq)) => Some((part(ms)?, part(seq)?)),
        None => Some((part(text)?, 0)),
    }
}
// ANCHOR_END: stub
