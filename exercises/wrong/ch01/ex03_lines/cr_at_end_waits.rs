//! The tempting mistake: a CR at the very end of the buffer is held back in the rest "in case an
//! LF follows", so its line waits for the next piece of text (in a real stream: the next event or
//! keep-alive), where the contract says a CR ends its line at once.
//! class: spec

/// Splits text that arrives piece by piece into lines.
#[derive(Debug, Default)]
pub struct LineSplitter {}

impl LineSplitter {
    /// A splitter at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the complete lines in `buffer` and the rest.
    pub fn split<'a>(&mut self, buffer: &'a str) -> (Vec<&'a str>, &'a str) {
        let bytes = buffer.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(&buffer[start..i]);
                    start = i + 1;
                }
                b'\r' => {
                    if i + 1 == bytes.len() {
                        // Maybe half a CRLF: wait for more text before deciding.
                        break;
                    }
                    lines.push(&buffer[start..i]);
                    if bytes[i + 1] == b'\n' {
                        i += 1;
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        (lines, &buffer[start..])
    }
}
