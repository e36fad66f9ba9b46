//! The tempting mistake: "a delta that is not a tool fragment is text", reading the delta's
//! string payload whatever its type. A `thinking_delta`'s reasoning (and a `signature_delta`'s
//! signature) then leaks into the answer the user sees.
//! class: protocol

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
    let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str);
    match event {
        "content_block_delta" => match text("/delta/type") {
            None => Err(bad()),
            Some("input_json_delta") => text("/delta/partial_json")
                .map(|json| Step::ToolJson(json.to_owned()))
                .ok_or_else(bad),
            // Text, thinking, ...: whichever string the delta carries is what the model wrote.
            Some(_) => text("/delta/text")
                .or_else(|| text("/delta/thinking"))
                .or_else(|| text("/delta/signature"))
                .map(|t| Step::Text(t.to_owned()))
                .ok_or_else(bad),
        },
        "message_stop" => Ok(Step::Done),
        "error" => match (text("/error/type"), text("/error/message")) {
            (Some(kind), Some(message)) => Ok(Step::Failed {
                kind: kind.to_owned(),
                message: message.to_owned(),
            }),
            _ => Err(bad()),
        },
        _ => Ok(Step::Skip),
    }
}
