//! Independent reader's wrong answer for ch02::ex11.
//! class: errors
//! Mistake: Asks `std::str::from_utf8` about the whole buffer once and trusts its first error: an invalid byte anywhere earlier makes it answer "invalid, decode everything", so an unfinished character after that invalid byte is decoded too soon (and corrupted) instead of being held back.

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
    match std::str::from_utf8(buf) {
        // All valid: decode it all.
        Ok(_) => buf.len(),
        // The input ended in the middle of a character: everything before it is decodable, the
        // unfinished character waits for the next chunk.
        Err(error) if error.error_len().is_none() => error.valid_up_to(),
        // Invalid bytes: no chunk can mend them, so never hold anything back.
        Err(_) => buf.len(),
    }
}
// ANCHOR_END: stub
