//! Solution to ch02::ex02: OpenAI content deltas.

// ANCHOR: solution
use serde_json::Value;
use sse_format::MessageEvent;

pub use super::given::ChatOutcome;

/// Assembles the text of choice 0 from Chat Completions events (data-only chunks).
pub fn assemble_chat(events: &[MessageEvent]) -> ChatOutcome {
    let mut text = String::new();
    let mut finish_reason = None;
    for event in events {
        if event.data() == "[DONE]" {
            return ChatOutcome::Complete {
                text,
                finish_reason,
            };
        }
        let chunk: Value = match serde_json::from_str(event.data()) {
            Ok(chunk) => chunk,
            Err(error) => {
                let message = format!("malformed chunk: {error}");
                return ChatOutcome::Error {
                    partial_text: text,
                    message,
                };
            }
        };
        if let Some(error) = chunk.get("error") {
            let message = error["message"]
                .as_str()
                .unwrap_or("unknown error")
                .to_owned();
            return ChatOutcome::Error {
                partial_text: text,
                message,
            };
        }
        // `as_array` + `iter` handles the usage chunk (empty choices) without indexing [0].
        let choices = chunk["choices"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for choice in choices.iter().filter(|c| c["index"] == 0) {
            if let Some(content) = choice["delta"]["content"].as_str() {
                text.push_str(content);
            }
            if let Some(reason) = choice["finish_reason"].as_str() {
                finish_reason = Some(reason.to_owned());
            }
        }
    }
    ChatOutcome::Cut { partial_text: text }
}
// ANCHOR_END: solution
