//! Solution to ch01::ex05: an incremental line decoder.

// ANCHOR: solution
/// The first stage of a streaming parser: bytes in, complete lines of text out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// Bytes of a line whose ending has not arrived yet. Bytes, not text: the line may end in
    /// the middle of a UTF-8 character that the next chunk completes.
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
        let mut rest = chunk;
        // Only a byte can answer "was that CR the first half of a CRLF?": an empty chunk cannot,
        // so it leaves the flag alone.
        if !rest.is_empty() && std::mem::take(&mut self.after_cr) && rest[0] == b'\n' {
            rest = &rest[1..];
        }
        // Find each line ending; everything before it completes the pending line.
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.pending.extend_from_slice(&rest[..end]);
            // The line is complete, so any character split across chunks is whole again.
            lines.push(String::from_utf8_lossy(&self.pending).into_owned());
            self.pending.clear();
            let mut skip = end + 1;
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    Some(b'\n') => skip += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            rest = &rest[skip..];
        }
        self.pending.extend_from_slice(rest);
        lines
    }
}
// ANCHOR_END: solution
