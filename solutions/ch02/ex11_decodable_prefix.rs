//! Solution to ch02::ex11: where a chunk may be decoded.

// ANCHOR: solution
/// How many leading bytes of `buf` a client may decode now: all of them except a trailing
/// incomplete UTF-8 sequence, which waits for the next chunk.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    // A UTF-8 character is at most four bytes, so an unfinished one is at most three: only the
    // last three bytes can be one. Try each place it could start, the earliest first.
    let earliest = buf.len().saturating_sub(3);
    for start in earliest..buf.len() {
        // `get` instead of indexing: no index here can panic, even if the loop were changed.
        let Some(tail) = buf.get(start..) else {
            continue;
        };
        // The tail is an unfinished character when the decoder finds nothing valid in it
        // (`valid_up_to() == 0`) and says the input merely ENDED too soon (`error_len() == None`).
        // `error_len() == Some(_)` means the bytes are invalid whatever follows: the decoder will
        // report them now, so they are not held back.
        if let Err(error) = std::str::from_utf8(tail)
            && error.valid_up_to() == 0
            && error.error_len().is_none()
        {
            return start;
        }
    }
    // No unfinished character at the end: decode everything, invalid bytes included.
    buf.len()
}
// ANCHOR_END: solution
