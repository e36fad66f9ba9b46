//! Independent reader's wrong answer for ch01::ex05.
//! class: boundaries
//! Mistake: the "chunk ended with CR" flag is cleared only when the next chunk does start with LF; if
//! it starts with anything else the flag stays set, and a later chunk that starts with LF has that LF
//! swallowed, so two lines are merged (`"a\r"`, `"b"`, `"\nc\n"` gives `a`, `bc`).

/// The first stage of a streaming parser: byte chunks in, complete lines out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// The bytes of a line whose ending has not arrived yet.
    partial: Vec<u8>,
    /// The last chunk ended with CR: an LF at the start of the next chunk belongs to it.
    after_cr: bool,
}

impl LineDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    fn finish_line(&mut self, lines: &mut Vec<String>) {
        lines.push(String::from_utf8_lossy(&self.partial).into_owned());
        self.partial.clear();
    }

    /// Feeds one chunk; returns the lines it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        let mut bytes = chunk;
        if self.after_cr {
            if let Some((b'\n', rest)) = bytes.split_first() {
                bytes = rest;
                self.after_cr = false;
            }
        }
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => self.finish_line(&mut lines),
                b'\r' => {
                    self.finish_line(&mut lines);
                    match bytes.get(i + 1) {
                        Some(b'\n') => i += 1,
                        Some(_) => {}
                        None => self.after_cr = true,
                    }
                }
                b => self.partial.push(b),
            }
            i += 1;
        }
        lines
    }
}
