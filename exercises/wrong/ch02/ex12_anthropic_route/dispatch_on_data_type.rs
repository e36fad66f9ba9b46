//! The tempting mistake: dispatching on the data's `"type"` instead of the event name ("the JSON
//! says the same"). The contract, like the official SDKs, lets the name decide: data without a
//! `"type"` is still a delta, and a `message_stop` payload under another name is not the end.
//! class: spec

use serde_json::Value;

pub use super::given::{BadEvent, Step};

/// What a client does with one event of an Anthropic Messages stream.
pub fn route(event: &str, data: &str) -> Result<Step, BadEvent> {
    let bad = || BadEvent {
        event: event.to_owned(),
    };
    let known = matches!(
        event,
        "message_start"
            | "content_block_start"
            | "content_block_delta"
            | "content_block_stop"
            | "message_delta"
            | "message_stop"
            | "ping"
            | "error"
    );
    if !known {
        return Ok(Step::Skip);
    }
    let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(data) else {
        return Err(bad());
    };
    let text = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    // The data names its own type: trust it.
    match value.get("type").and_then(Value::as_str).unwrap_or(event) {
        "content_block_delta" => match text("/delta/type")?.as_str() {
            "text_delta" => Ok(Step::Text(text("/delta/text")?)),
            "input_json_delta" => Ok(Step::ToolJson(text("/delta/partial_json")?)),
            _ => Ok(Step::Skip),
        },
        "message_stop" => Ok(Step::Done),
        "error" => Ok(Step::Failed {
            kind: text("/error/type")?,
            message: text("/error/message")?,
        }),
        _ => Ok(Step::Skip),
    }
}
