//! Exercise ch02::ex11: where a chunk may be decoded. Book: Chapter 2 › Response bodies as byte streams.
//! Stuck? `cargo course hint ch02::ex11`. Test: `cargo test -p exercises --test ch02 ch02_ex11`.

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
    // TODO: follow the contract above.
    todo!("the decodable prefix of {} bytes", buf.len())
}
// ANCHOR_END: stub
