//! Solution to ch01::ex04: the dispatch rules.

// ANCHOR: solution
pub use super::given::Output;

/// Assembles events from complete lines (line endings already removed), one line at a time.
#[derive(Debug, Default)]
pub struct EventAssembler {
    data: String,
    event_type: String,
    last_event_id: String,
}

impl EventAssembler {
    /// A fresh assembler: all buffers empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Processes one line; returns what it produced, if anything.
    pub fn process_line(&mut self, line: &str) -> Option<Output> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => self.event_type = value.to_owned(),
            // An id with NUL is ignored entirely (it does not even reset the buffer).
            "id" if !value.contains('\0') => self.last_event_id = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Saturate instead of failing on absurdly long digit strings.
                let millis = value.parse().unwrap_or(u64::MAX);
                return Some(Output::Retry(millis));
            }
            _ => {} // unknown fields, and the invalid values above, are ignored
        }
        None
    }

    fn dispatch(&mut self) -> Option<Output> {
        // `take` both resets the buffers and hands over their contents without copying.
        let mut data = std::mem::take(&mut self.data);
        let event_type = std::mem::take(&mut self.event_type);
        if data.is_empty() {
            return None;
        }
        if data.ends_with('\n') {
            data.pop();
        }
        Some(Output::Event {
            event_type: if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            },
            data,
            // The id buffer is copied, not taken: it persists into later events.
            last_event_id: self.last_event_id.clone(),
        })
    }
}
// ANCHOR_END: solution
