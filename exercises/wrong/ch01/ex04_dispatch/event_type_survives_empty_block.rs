//! Second-reader wrong answer for ch01::ex04.
//! class: spec
//! Mistake: on a blank line the code returns early when there is no data, before the buffers are
//! cleared, so an `event:` set in a block without data leaks into the next event (whose type
//! should be `message`).

pub use super::given::Output;

/// Assembles events from complete lines, one line at a time, with the spec's rules.
#[derive(Debug, Default)]
pub struct EventAssembler {
    /// The data lines of the current event; `None` before its first `data` line.
    data: Option<String>,
    event_type: Option<String>,
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
            let data = self.data.take()?;
            let event_type = self
                .event_type
                .take()
                .filter(|event_type| !event_type.is_empty())
                .unwrap_or_else(|| "message".to_string());
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
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event_type = Some(value.to_string()),
            "id" => {
                if !value.contains('\0') {
                    self.last_event_id = value.to_string();
                }
            }
            "retry" => {
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    let millis = value.bytes().fold(0u64, |acc, b| {
                        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
                    });
                    return Some(Output::Retry(millis));
                }
            }
            _ => {}
        }
        None
    }
}
