//! The tempting mistake: the last event ID is reset at dispatch along with the data and the event
//! type, so an event without its own `id:` line reports an empty id (a reconnecting client would
//! then replay the whole stream).
//! class: spec

pub use super::given::Output;

/// Assembles events from complete lines.
#[derive(Debug, Default)]
pub struct EventAssembler {
    data: String,
    event_type: String,
    id: String,
}

impl EventAssembler {
    /// A fresh assembler.
    pub fn new() -> Self {
        Self::default()
    }

    /// Processes one line; returns what it produced, if anything.
    pub fn process_line(&mut self, line: &str) -> Option<Output> {
        if line.is_empty() {
            let mut data = std::mem::take(&mut self.data);
            let event_type = std::mem::take(&mut self.event_type);
            // Start the next event from a clean slate.
            let id = std::mem::take(&mut self.id);
            if data.is_empty() {
                return None;
            }
            data.pop();
            let event_type = if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            };
            return Some(Output::Event {
                event_type,
                data,
                last_event_id: id,
            });
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
            "id" if !value.contains('\0') => self.id = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                return Some(Output::Retry(value.parse().unwrap_or(u64::MAX)));
            }
            _ => {}
        }
        None
    }
}
