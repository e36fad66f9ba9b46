//! Solution to ch01::ex05: an incremental parser.

// ANCHOR: solution
/// A dispatched event (only the fields this exercise needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleEvent {
    pub event_type: String,
    pub data: String,
    pub id: String,
}

/// A parser that is fed the body in chunks as they arrive from the network.
#[derive(Debug, Default)]
pub struct ChunkedParser {
    data: String,
    event_type: String,
    id: String,
    /// Bytes of a line whose ending has not arrived yet. Bytes, not text: the line may end in
    /// the middle of a UTF-8 character that the next chunk completes.
    pending: Vec<u8>,
    /// The previous chunk ended with CR; an LF first in this chunk is part of that line ending.
    after_cr: bool,
}

impl ChunkedParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one chunk; returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SimpleEvent> {
        let mut events = Vec::new();
        let mut rest = chunk;
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        // Find each line ending; everything before it completes the pending line.
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.pending.extend_from_slice(&rest[..end]);
            let line = String::from_utf8_lossy(&self.pending).into_owned();
            self.pending.clear();
            events.extend(self.interpret_line(&line));
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
        events
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
// ANCHOR_END: solution
