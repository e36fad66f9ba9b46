//! The tempting mistake: cutting at `Utf8Error::valid_up_to()` whatever the error, without asking
//! `error_len()`. An INVALID byte anywhere stops the decoding there, and everything after it is
//! held back, chunk after chunk, forever: the buffer grows without bound and nothing more is shown.
//! class: resources

/// How many leading bytes of `buf` a client may decode now.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    match std::str::from_utf8(buf) {
        Ok(_) => buf.len(),
        // Decode what is valid; the rest waits for the next chunk.
        Err(error) => error.valid_up_to(),
    }
}
