//! Independent reader's wrong answer for ch02::ex11.
//! class: encoding
//! Mistake: Holds back a trailing sequence whenever its lead byte's bit pattern (110xxxxx, 1110xxxx, 11110xxx) announces more bytes than are present, without checking that the sequence could ever be valid; so `ED A0`, `E0 80`, `C0`/`C1` and `F5`..`F7` are held back forever. A student who learned "the lead byte says the length" writes exactly this.

// ANCHOR: stub
/// How many leading bytes of `buf` a client may decode now (book: Chapter 2 › Response bodies as
/// byte streams › A chunk-by-chunk reader, and what it loses). `buf` holds the bytes received so
/// far that are not decoded yet; more may arrive in the next chunk.
///
/// The contract, for any bytes:
/// - Everything is decodable now, except a trailing INCOMPLETE UTF-8 sequence: one to three bytes
///   at the very end that begin a character the buffer has not finished, and that the next chunk
///   could still complete into a valid character. Those must wait: the answer is where they start.
/// - Invalid bytes are not held back, wherever they are: the decoder reports them (as U+FFFD), and
///   holding them would wait forever. That includes a trailing sequence that can never become
///   valid, whatever follows (`ED A0`, the start of a surrogate; `E0 80`, an overlong form; `F5`).
/// - The answer counts BYTES, never exceeds `buf.len()`, and the function never panics.
///
/// Edge cases to think about: an empty buffer; `"é"` (`C3 A9`) whole and cut after its first
/// byte; `"😀"` (`F0 9F 98 80`) cut after one, two and three bytes; an invalid byte before an
/// unfinished character.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    let len = buf.len();
    // Only the last three bytes can start an unfinished character (a character is at most four
    // bytes). Walk back over continuation bytes to the lead byte, if there is one.
    let lowest = len.saturating_sub(3);
    let mut i = len;
    while i > lowest {
        i -= 1;
        let byte = buf[i];
        if byte & 0b1100_0000 == 0b1000_0000 {
            // A continuation byte: keep looking for its lead byte.
            continue;
        }
        let needed = if byte & 0b1110_0000 == 0b1100_0000 {
            2
        } else if byte & 0b1111_0000 == 0b1110_0000 {
            3
        } else if byte & 0b1111_1000 == 0b1111_0000 {
            4
        } else {
            // ASCII or a byte that never starts a character: nothing to wait for.
            return len;
        };
        let present = len - i;
        return if present < needed { i } else { len };
    }
    // No lead byte in the last three bytes: only continuation bytes (or nothing).
    len
}
// ANCHOR_END: stub
