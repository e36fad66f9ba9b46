//! Second-reader wrong answer for ch02::ex02.
//! class: errors
//! Mistake: skips data that does not parse as JSON ("be lenient, ignore what you do not
//! understand"), so a garbled chunk is silently dropped instead of ending the stream with `Error`.

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
        // Vendors add things without notice: anything that is not a JSON chunk is ignored.
        let Ok(chunk) = serde_json::from_str::<Value>(data) else {
            continue;
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
        let Some(choices) = chunk["choices"].as_array() else {
            continue;
        };
        for choice in choices.iter().filter(|c| c["index"].as_u64() == Some(0)) {
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
// ANCHOR_END: stub
