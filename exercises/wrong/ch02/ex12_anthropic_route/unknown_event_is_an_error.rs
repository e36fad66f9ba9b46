//! The tempting mistake: a `match` on the event name whose catch-all arm is an error, "because
//! an event we do not know means the stream is broken". Anthropic adds event types and asks
//! clients to handle unknown ones gracefully: this client fails on the first new one.
//! class: spec

use serde_json::Value;

pub use super::given::{BadEvent, Step};

/// What a client does with one event of an Anthropic Messages stream.
pub fn route(event: &str, data: &str) -> Result<Step, BadEvent> {
    let bad = || BadEvent {
        event: event.to_owned(),
    };
    let value: Value = serde_json::from_str(data).map_err(|_| bad())?;
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
        "ping" | "message_start" | "content_block_start" | "content_block_stop"
        | "message_delta" => Ok(Step::Skip),
        // Anything else is not an Anthropic event.
        _ => Err(bad()),
    }
}
