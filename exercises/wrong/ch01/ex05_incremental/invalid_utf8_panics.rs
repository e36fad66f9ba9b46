//! The tempting mistake: a complete line is turned into text with `String::from_utf8(..)
//! .expect(..)` ("the stream is UTF-8, the spec says so"); one invalid byte from a peer then
//! panics the client, where the spec decodes it as U+FFFD.
//! class: errors

/// The first stage of a streaming parser: byte chunks in, complete lines out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// The bytes of the unfinished line.
    pending: Vec<u8>,
    /// The last byte seen was a CR: an LF first in the next chunk is part of that line ending.
    after_cr: bool,
}

impl LineDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one chunk; returns the lines it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        for &byte in chunk {
            let after_cr = std::mem::take(&mut self.after_cr);
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    let line = std::mem::take(&mut self.pending);
                    lines.push(String::from_utf8(line).expect("an event stream is UTF-8"));
                    self.after_cr = byte == b'\r';
                }
                _ => self.pending.push(byte),
            }
        }
        lines
    }
}
