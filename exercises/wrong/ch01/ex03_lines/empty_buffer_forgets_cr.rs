//! Second-reader wrong answer for ch01::ex03.
//! class: boundaries
//! Mistake: the "last buffer ended with CR" flag is consumed at the start of every call and then
//! recomputed from the end of this buffer, so an empty buffer in between (`"a\r"`, `""`, `"\n"`)
//! forgets the pending CR and the LF of the CRLF comes out as an extra empty line.

/// Splits text that arrives piece by piece into lines, on CRLF, LF and a lone CR.
#[derive(Debug, Default)]
pub struct LineSplitter {
    /// The previous buffer ended with CR: an LF starting the next one belongs to it.
    after_cr: bool,
}

impl LineSplitter {
    /// A splitter at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the complete lines in `buffer`, without their line endings, and the rest.
    pub fn split<'a>(&mut self, buffer: &'a str) -> (Vec<&'a str>, &'a str) {
        let bytes = buffer.as_bytes();
        let mut lines = Vec::new();
        let mut i = 0;
        if std::mem::take(&mut self.after_cr) && bytes.first() == Some(&b'\n') {
            i = 1;
        }
        let mut start = i;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(&buffer[start..i]);
                    i += 1;
                    start = i;
                }
                b'\r' => {
                    lines.push(&buffer[start..i]);
                    i += 1;
                    if i == bytes.len() {
                        self.after_cr = true;
                    } else if bytes[i] == b'\n' {
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
