//! Second-reader wrong answer for ch01::ex05.
//! class: boundaries
//! Mistake: "the previous chunk ended with CR" is recomputed from the last byte of every chunk,
//! so an empty chunk (`b"data: a\r"`, `b""`, `b"\n"`) resets it and the LF of the CRLF then
//! ends an extra empty line, which dispatches the event a line early.

/// The first stage of a streaming parser: byte chunks in, complete lines out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// The bytes of the unfinished line.
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF starting this chunk completes that CRLF.
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
        let mut rest = chunk;
        if self.after_cr {
            if let Some((b'\n', tail)) = rest.split_first() {
                rest = tail;
            }
        }
        self.after_cr = chunk.last() == Some(&b'\r');
        let mut i = 0;
        while i < rest.len() {
            match rest[i] {
                b'\n' | b'\r' => {
                    self.line.extend_from_slice(&rest[..i]);
                    lines.push(String::from_utf8_lossy(&self.line).into_owned());
                    self.line.clear();
                    let crlf = rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n');
                    rest = &rest[i + if crlf { 2 } else { 1 }..];
                    i = 0;
                }
                _ => i += 1,
            }
        }
        self.line.extend_from_slice(rest);
        lines
    }
}
