//! Second-reader wrong answer for ch01::ex05.
//! class: encoding
//! Mistake: each chunk is decoded with `String::from_utf8_lossy` as it arrives and the unfinished
//! line is kept as text, so a multi-byte character split between two chunks becomes two U+FFFD
//! instead of being decoded whole once its line is complete.

/// The first stage of a streaming parser: byte chunks in, complete lines out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// The text of the unfinished line.
    line: String,
    /// The last byte seen was a CR: an LF starting the next chunk completes that CRLF.
    after_cr: bool,
}

impl LineDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one chunk; returns the lines it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(chunk);
        let mut lines = Vec::new();
        for c in text.chars() {
            match c {
                '\n' if self.after_cr => self.after_cr = false,
                '\n' => lines.push(std::mem::take(&mut self.line)),
                '\r' => {
                    lines.push(std::mem::take(&mut self.line));
                    self.after_cr = true;
                }
                c => {
                    self.after_cr = false;
                    self.line.push(c);
                }
            }
        }
        lines
    }
}
