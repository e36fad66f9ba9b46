//! The tempting mistake: the buffer is walked with `chars().enumerate()` and the character count
//! is used to slice the `&str`, which takes byte offsets; with non-ASCII text before a line ending
//! the slices are cut in the wrong place (or inside a character, which panics).
//! class: encoding

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
        if buffer.is_empty() {
            return (Vec::new(), buffer);
        }
        let mut lines = Vec::new();
        let mut start = 0;
        let mut skip_lf = std::mem::take(&mut self.after_cr);
        let count = buffer.chars().count();
        for (i, c) in buffer.chars().enumerate() {
            let after_cr = std::mem::take(&mut skip_lf);
            match c {
                '\n' if after_cr => start = i + 1,
                '\n' => {
                    lines.push(&buffer[start..i]);
                    start = i + 1;
                }
                '\r' => {
                    lines.push(&buffer[start..i]);
                    start = i + 1;
                    skip_lf = true;
                    if i + 1 == count {
                        self.after_cr = true;
                    }
                }
                _ => {}
            }
        }
        (lines, &buffer[start..])
    }
}
