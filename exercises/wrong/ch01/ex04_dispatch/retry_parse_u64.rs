//! Second-reader wrong answer for ch01::ex04.
//! class: boundaries
//! Mistake: `retry` is validated with `value.parse::<u64>()`, the obvious Rust check for "a
//! number"; it accepts `+15` (not ASCII digits only) and ignores an all-digit value too large for
//! a `u64` instead of taking it as the longest possible time.

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
            let data = std::mem::take(&mut self.data);
            let event_type = std::mem::take(&mut self.event_type);
            if data.is_empty() {
                return None;
            }
            let data = data.strip_suffix('\n').unwrap_or(&data).to_string();
            let event_type = if event_type.is_empty() {
                "message".to_string()
            } else {
                event_type
            };
            return Some(Output::Event {
                event_type,
                data,
                last_event_id: self.last_event_id.clone(),
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match name {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => self.event_type = value.to_string(),
            "id" => {
                if !value.contains('\0') {
                    self.last_event_id = value.to_string();
                }
            }
            "retry" => {
                if let Ok(millis) = value.parse::<u64>() {
                    return Some(Output::Retry(millis));
                }
            }
            _ => {}
        }
        None
    }
}
