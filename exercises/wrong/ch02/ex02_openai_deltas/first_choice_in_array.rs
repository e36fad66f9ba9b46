//! The tempting mistake: reading `choices[0]`, the first choice in the array, instead of the
//! choice whose `"index"` is 0 (the lesson's JavaScript does so). With several choices per chunk
//! the text mixes answers.
//! class: spec

use serde_json::Value;
use sse_format::MessageEvent;

pub use super::given::ChatOutcome;

/// Assembles the text of choice 0 from Chat Completions events.
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
        let Ok(chunk) = serde_json::from_str::<Value>(event.data()) else {
            return ChatOutcome::Error {
                partial_text: text,
                message: "not JSON".into(),
            };
        };
        if let Some(error) = chunk.get("error") {
            return ChatOutcome::Error {
                partial_text: text,
                message: error["message"].as_str().unwrap_or("unknown error").into(),
            };
        }
        let choice = &chunk["choices"][0];
        if let Some(content) = choice["delta"]["content"].as_str() {
            text.push_str(content);
        }
        if let Some(reason) = choice["finish_reason"].as_str() {
            finish_reason = Some(reason.to_owned());
        }
    }
    ChatOutcome::Cut { partial_text: text }
}
