//! The tempting mistake: trimming each text delta "to clean it up". Whitespace is content: the
//! model sends `" world"` after `"Hello"`, and a lone `"\n"` between paragraphs, so trimmed deltas
//! glue words together and lose line breaks (and a tool fragment's spaces are part of its JSON).
//! class: encoding

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
            .ok_or_else(bad)
    };
    match event {
        "content_block_delta" => match text("/delta/type")? {
            "text_delta" => Ok(Step::Text(text("/delta/text")?.trim().to_owned())),
            "input_json_delta" => Ok(Step::ToolJson(text("/delta/partial_json")?.trim().to_owned())),
            _ => Ok(Step::Skip),
        },
        "message_stop" => Ok(Step::Done),
        "error" => Ok(Step::Failed {
            kind: text("/error/type")?.to_owned(),
            message: text("/error/message")?.to_owned(),
        }),
        _ => Ok(Step::Skip),
    }
}
