//! Exercise ch01::ex05: an incremental parser. Book: Chapter 1 › Exercises › "ex05: Survive any
//! chunk split". Stuck? `cargo course hint ch01::ex05`. Test: `cargo test -p exercises --test ch01 ch01_ex05`.

// ANCHOR: stub
/// A dispatched event (only the fields this exercise needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleEvent {
    pub event_type: String,
    pub data: String,
    pub id: String,
}

/// A parser that is fed the body in chunks as they arrive from the network.
///
/// Chunks can end anywhere: in the middle of a line, between the CR and LF of a CRLF, or in the
/// middle of a multi-byte UTF-8 character. Whatever the split, `feed` must produce the same events
/// as feeding the whole body at once.
#[derive(Debug, Default)]
pub struct ChunkedParser {
    // Given: the event being assembled (used by `interpret_line` below).
    data: String,
    event_type: String,
    id: String,
    // TODO: add what you need to carry between chunks.
}

impl ChunkedParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one chunk; returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SimpleEvent> {
        // TODO: keep the bytes of an unfinished line until its line ending arrives. Work on BYTES:
        //       decoding a chunk on its own breaks a character split across chunks.
        // TODO: a line ends at LF, CR, or CRLF. If a chunk ends with CR, an LF at the start of the
        //       next chunk belongs to that CR.
        // TODO: decode each complete line (String::from_utf8_lossy) and pass it to `interpret_line`.
        todo!("feed {} bytes", chunk.len())
    }

    /// Given: applies one complete line (without its ending) and returns an event if it dispatched one.
    fn interpret_line(&mut self, line: &str) -> Option<SimpleEvent> {
        if line.is_empty() {
            let data = std::mem::take(&mut self.data);
            let event_type = std::mem::take(&mut self.event_type);
            let data = data.strip_suffix('\n')?.to_owned();
            let event_type = if event_type.is_empty() {
                "message".into()
            } else {
                event_type
            };
            return Some(SimpleEvent {
                event_type,
                data,
                id: self.id.clone(),
            });
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => self.event_type = value.to_owned(),
            "id" if !value.contains('\0') => self.id = value.to_owned(),
            _ => {}
        }
        None
    }
}
// ANCHOR_END: stub
