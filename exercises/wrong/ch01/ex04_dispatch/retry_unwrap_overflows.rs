//! The tempting mistake: once the `retry` value is known to be ASCII digits only, it is parsed with
//! `parse::<u64>().unwrap()` ("digits always parse"); a peer that sends more digits than a `u64`
//! holds makes the client panic, where the contract reads it as `u64::MAX`.
//! class: errors

pub use super::given::Output;

/// Assembles events from complete lines, one line at a time, with the spec's rules.
#[derive(Debug, Default)]
pub struct EventAssembler {
    data: Option<String>,
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
            let event_type = std::mem::take(&mut self.event_type);
            let data = self.data.take()?;
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
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "event" => self.event_type = value.to_owned(),
            "id" if !value.contains('\0') => self.last_event_id = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                return Some(Output::Retry(value.parse().unwrap()));
            }
            _ => {}
        }
        None
    }
}
