//! The tempting mistake: a CR that is the last byte of a chunk is kept with the unfinished bytes
//! until the next chunk says whether an LF follows; that needs no flag, but the line (and the
//! event its blank line dispatches) waits for the next chunk, maybe a keep-alive 15 s later,
//! where the contract returns it as soon as its ending has arrived.
//! class: spec

/// The first stage of a streaming parser: byte chunks in, complete lines out.
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// The bytes not yet returned as a line (a CR at the end included).
    pending: Vec<u8>,
}

impl LineDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one chunk; returns the lines it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        self.pending.extend_from_slice(chunk);
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        let bytes = &self.pending;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
                    start = i + 1;
                }
                b'\r' => {
                    if i + 1 == bytes.len() {
                        // Half a CRLF, maybe: decide when the next chunk comes.
                        break;
                    }
                    lines.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
                    if bytes[i + 1] == b'\n' {
                        i += 1;
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        self.pending.drain(..start);
        lines
    }
}
