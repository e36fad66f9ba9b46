//! Second-reader wrong answer for ch02::ex02.
//! class: spec
//! Mistake: reads `choices[0]` by its position in the array (as the lesson's JS does), which
//! survives the empty usage chunk but takes another choice's text when `n > 1` sends choices out of order.

// ANCHOR: stub
use serde_json::Value;
use sse_format::MessageEvent;

pub use super::given::ChatOutcome;

/// Assembles the text of choice 0 from Chat Completions events.
pub fn assemble_chat(events: &[MessageEvent]) -> ChatOutcome {
    let mut text = String::new();
    let mut finish_reason: Option<String> = None;
    for event in events {
        let data = event.data();
        if data == "[DONE]" {
            return ChatOutcome::Complete {
                text,
                finish_reason,
            };
        }
        let chunk: Value = match serde_json::from_str(data) {
            Ok(chunk) => chunk,
            Err(error) => {
                return ChatOutcome::Error {
                    partial_text: text,
                    message: format!("chunk is not JSON: {error}"),
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
        // Indexing a Value never panics: the usage chunk's empty `choices` gives Null here.
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
// ANCHOR_END: stub
