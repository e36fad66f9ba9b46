//! The tempting mistake: each chunk is decoded to text on its own as it arrives (the lesson's
//! bug), so a character split across two chunks becomes two U+FFFD. The line endings are handled
//! right.
//! class: encoding

/// The first stage of a streaming parser: bytes in, complete lines of text out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    pending: String,
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
        let mut rest: &str = &text;
        let mut lines = Vec::new();
        if !rest.is_empty() && std::mem::take(&mut self.after_cr) && rest.starts_with('\n') {
            rest = &rest[1..];
        }
        while let Some(end) = rest.find(['\n', '\r']) {
            self.pending.push_str(&rest[..end]);
            lines.push(std::mem::take(&mut self.pending));
            let mut skip = end + 1;
            if rest.as_bytes()[end] == b'\r' {
                match rest.as_bytes().get(end + 1) {
                    Some(b'\n') => skip += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            rest = &rest[skip..];
        }
        self.pending.push_str(rest);
        lines
    }
}
