//! The tempting mistake: the `retry` value is checked with `char::is_numeric`, which is true for
//! every Unicode digit (`٣`, `²`, `Ⅻ`), not only the ASCII `0`-`9` the spec names; such a value is
//! then taken as a number (the parse fails, and the failure is read as "too large") instead of
//! being ignored.
//! class: encoding

pub use super::given::Output;

/// Assembles events from complete lines, one line at a time, with the spec's rules.
#[derive(Debug, Default)]
pub struct EventAssembler {
    data: String,
    event_type: String,
    last_event_id: String,
}

impl EventAssembler {
    /// A fresh assembler: no data, no event type, an empty last event ID.
    pub fn new() -> Self {
        Self::default()
    }

    /// Processes one line; returns what it produced, if anything.
    pub fn process_line(&mut self, line: &str) -> Option<Output> {
        if line.is_empty() {
            let mut data = std::mem::take(&mut self.data);
            let event_type = std::mem::take(&mut self.event_type);
            if data.is_empty() {
                return None;
            }
            data.pop();
            return Some(Output::Event {
                event_type: if event_type.is_empty() {
                    "message".to_owned()
                } else {
                    event_type
                },
                data,
                last_event_id: self.last_event_id.clone(),
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
            "id" if !value.contains('\0') => self.last_event_id = value.to_owned(),
            "retry" if !value.is_empty() && value.chars().all(char::is_numeric) => {
                // Only digits, so the only way parsing can fail is a number too large.
                return Some(Output::Retry(value.parse().unwrap_or(u64::MAX)));
            }
            _ => {}
        }
        None
    }
}
