//! Solution to ch01::ex03: line endings.

// ANCHOR: solution
/// Splits text that arrives piece by piece into lines, on CRLF, LF and a lone CR.
#[derive(Debug, Default)]
pub struct LineSplitter {
    /// The previous buffer ended with CR: an LF at the start of this one is the rest of a CRLF.
    after_cr: bool,
}

impl LineSplitter {
    /// A splitter at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the complete lines in `buffer`, without their line endings, and the rest.
    pub fn split<'a>(&mut self, buffer: &'a str) -> (Vec<&'a str>, &'a str) {
        // An empty buffer cannot say whether an LF follows the CR: keep the flag as it is.
        if buffer.is_empty() {
            return (Vec::new(), buffer);
        }
        let bytes = buffer.as_bytes();
        let mut start = 0; // where the current line begins
        if std::mem::take(&mut self.after_cr) && bytes[0] == b'\n' {
            start = 1; // the second half of a CRLF whose line already went out
        }
        let mut lines = Vec::new();
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(&buffer[start..i]);
                    start = i + 1;
                }
                b'\r' => {
                    // A CR ends its line now, wherever it is: never hold a complete line back.
                    lines.push(&buffer[start..i]);
                    match bytes.get(i + 1) {
                        Some(b'\n') => i += 1, // CRLF is one line ending
                        Some(_) => {}
                        None => self.after_cr = true, // the LF may come with the next buffer
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        // Slicing at `start` is safe: it is 0 or just after an ASCII CR or LF.
        (lines, &buffer[start..])
    }
}
// ANCHOR_END: solution
