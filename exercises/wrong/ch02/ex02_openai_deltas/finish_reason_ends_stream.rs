//! The tempting mistake: taking choice 0's `finish_reason` as the end of the stream ("the model
//! said stop, so the answer is complete") and returning `Complete` there, without waiting for the
//! `[DONE]` sentinel. A stream cut after the finish reason, or an error object after it, then
//! passes for a complete answer.
//! class: protocol

use serde_json::Value;
use sse_format::MessageEvent;

pub use super::given::ChatOutcome;

/// Assembles the text of choice 0 from Chat Completions events (data-only chunks).
pub fn assemble_chat(events: &[MessageEvent]) -> ChatOutcome {
    let mut text = String::new();
    for event in events {
        if event.data() == "[DONE]" {
            return ChatOutcome::Complete {
                text,
                finish_reason: None,
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
                // The model has finished: the answer is complete.
                return ChatOutcome::Complete {
                    text,
                    finish_reason: Some(reason.to_owned()),
                };
            }
        }
    }
    ChatOutcome::Cut { partial_text: text }
}
