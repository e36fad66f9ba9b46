//! The tempting mistake: routing only the events that carry the answer and skipping the rest,
//! `error` included, "because errors come as an HTTP status". After `200 OK` an overload arrives
//! as `event: error`: this client skips it, and the stream "just ends" with half an answer and no
//! error for the caller.
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
    );
    if !known {
        return Ok(Step::Skip);
    }
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(data) else {
        return Err(bad());
    };
    match event {
        "content_block_delta" => {
            let delta = object.get("delta").ok_or_else(bad)?;
            let field = |key: &str| {
                delta
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(bad)
            };
            match field("type")?.as_str() {
                "text_delta" => Ok(Step::Text(field("text")?)),
                "input_json_delta" => Ok(Step::ToolJson(field("partial_json")?)),
                _ => Ok(Step::Skip),
            }
        }
        "message_stop" => Ok(Step::Done),
        _ => Ok(Step::Skip),
    }
}
