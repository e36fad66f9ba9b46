//! Solution to ch02::ex12: route an Anthropic event.

// ANCHOR: solution
use serde_json::{Map, Value};

pub use super::given::{BadEvent, Step};

/// What a client does with one event of an Anthropic Messages stream.
pub fn route(event: &str, data: &str) -> Result<Step, BadEvent> {
    // Every failure below is the same answer: this event's data is not what its name promises.
    let bad = || BadEvent {
        event: event.to_owned(),
    };
    // The event name decides. An unknown name is skipped BEFORE its data is read: we cannot know
    // what a future event carries, so its data can be anything.
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
    // A known event carries a JSON object. `from_str` allows the padding spaces Anthropic sends,
    // and reports bad JSON as an error rather than panicking.
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(data) else {
        return Err(bad());
    };
    // The string at `key` of `object`, if there is one.
    let string = |object: &Map<String, Value>, key: &str| -> Result<String, BadEvent> {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    match event {
        "content_block_delta" => {
            let Some(Value::Object(delta)) = object.get("delta") else {
                return Err(bad());
            };
            match string(delta, "type")?.as_str() {
                // Exactly as sent: a leading space or a lone "\n" is part of the answer.
                "text_delta" => Ok(Step::Text(string(delta, "text")?)),
                "input_json_delta" => Ok(Step::ToolJson(string(delta, "partial_json")?)),
                // Thinking, signatures, citations and whatever comes next: not answer text.
                _ => Ok(Step::Skip),
            }
        }
        "message_stop" => Ok(Step::Done),
        "error" => {
            let Some(Value::Object(error)) = object.get("error") else {
                return Err(bad());
            };
            Ok(Step::Failed {
                kind: string(error, "type")?,
                message: string(error, "message")?,
            })
        }
        // ping, message_start, content_block_start, content_block_stop, message_delta.
        _ => Ok(Step::Skip),
    }
}
// ANCHOR_END: solution
