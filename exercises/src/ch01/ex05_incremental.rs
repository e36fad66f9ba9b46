//! Exercise ch01::ex05: an incremental line decoder. Book: Chapter 1 › Exercises › "ex05: Survive
//! any chunk split". Stuck? `cargo course hint ch01::ex05`. Test: `cargo test -p exercises --test ch01 ch01_ex05`.

// ANCHOR: stub
/// The first stage of a streaming parser: it is fed the body in chunks of BYTES, as they arrive
/// from the network, and hands out complete lines of text (book: Chapter 1 › Line endings, chunks and UTF-8).
/// What the lines mean is the next stage's business (you wrote that one in ch01::ex04); the tests
/// run your lines through the course's reference parser and compare the events.
///
/// Chunks can end anywhere: in the middle of a line, between the CR and the LF of a CRLF, in the
/// middle of a multi-byte UTF-8 character, and a chunk can even be empty. Whatever the split, the
/// lines must be exactly those of the whole body fed at once.
#[derive(Debug, Default)]
pub struct LineDecoder {
    // TODO: whatever must be carried from one chunk to the next.
}

impl LineDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one chunk; returns the lines it completed, in order.
    ///
    /// The contract:
    /// - A line ends at LF, at CR, or at CRLF (one line ending). Lines are returned without their
    ///   ending.
    /// - A line is returned as soon as its ending has arrived. That includes a line ended by a CR
    ///   that is the last byte of the chunk; an LF at the start of the next non-empty chunk is
    ///   then the rest of that CRLF and produces nothing.
    /// - Each line is decoded from UTF-8 once it is complete; an invalid sequence becomes U+FFFD
    ///   (as `String::from_utf8_lossy` does).
    /// - The bytes after the last line ending wait for the next chunk.
    ///
    /// Edge cases to think about: `"é"` split between its two bytes; `b"data: a\r"`, then `b""`,
    /// then `b"\n"`; a body fed one byte at a time.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        // TODO: return the lines this chunk completed, following the contract above.
        todo!("feed {} bytes", chunk.len())
    }
}
// ANCHOR_END: stub
