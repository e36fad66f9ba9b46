//! Second-reader wrong answer for ch01::ex03.
//! class: spec
//! Mistake: a CR that is the last character of the buffer is left in the rest "until we know
//! whether an LF follows", which needs no state across calls but holds a complete line back
//! until the next piece arrives (the contract says a CR ends its line at once).

/// Splits text that arrives piece by piece into lines, on CRLF, LF and a lone CR.
#[derive(Debug, Default)]
pub struct LineSplitter {}

impl LineSplitter {
    /// A splitter at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the complete lines in `buffer`, without their line endings, and the rest.
    pub fn split<'a>(&mut self, buffer: &'a str) -> (Vec<&'a str>, &'a str) {
        let bytes = buffer.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(&buffer[start..i]);
                    i += 1;
                    start = i;
                }
                b'\r' => {
                    if i + 1 == bytes.len() {
                        // Cannot tell yet whether this is a lone CR or the start of a CRLF:
                        // keep it with the rest and decide when the next piece arrives.
                        break;
                    }
                    lines.push(&buffer[start..i]);
                    i += 1;
                    if bytes[i] == b'\n' {
                        i += 1;
                    }
                    start = i;
                }
                _ => i += 1,
            }
        }
        (lines, &buffer[start..])
    }
}
