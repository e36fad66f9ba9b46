//! The tempting mistake: `serde_json::from_str(data).unwrap()`, "the API always sends valid
//! JSON". A stream cut or mangled by a proxy, or a server bug, sends something else, and one bad
//! event panics the whole client instead of returning an error.
//! class: errors

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
    let value: Value = serde_json::from_str(data).unwrap();
    if !value.is_object() {
        return Err(bad());
    }
    let text = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    match event {
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
