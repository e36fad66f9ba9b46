//! The tempting mistake: adding up `output_tokens` over the `message_delta` events, as if each
//! reported an increment; they report the running total, so the sum counts tokens twice.
//! class: spec

use std::collections::HashMap;

use serde_json::Value;
use sse_format::MessageEvent;

pub use super::given::{Assembled, ToolUse};

/// Assembles a Messages stream.
pub fn assemble_message(events: &[MessageEvent]) -> Assembled {
    let mut out = Assembled::default();
    let mut open: HashMap<u64, (String, String, String)> = HashMap::new();
    for event in events {
        let Ok(data) = serde_json::from_str::<Value>(event.data()) else {
            continue;
        };
        let index = data["index"].as_u64().unwrap_or(0);
        match event.event_type() {
            "content_block_start" => {
                let block = &data["content_block"];
                if block["type"] == "tool_use" {
                    let id = block["id"].as_str().unwrap_or("").to_string();
                    let name = block["name"].as_str().unwrap_or("").to_string();
                    open.insert(index, (id, name, String::new()));
                }
            }
            "content_block_delta" => {
                let delta = &data["delta"];
                if delta["type"] == "text_delta" {
                    out.text += delta["text"].as_str().unwrap_or("");
                } else if let Some(tool) = open.get_mut(&index) {
                    tool.2 += delta["partial_json"].as_str().unwrap_or("");
                }
            }
            "content_block_stop" => {
                if let Some((id, name, json)) = open.remove(&index) {
                    let input = if json.is_empty() {
                        serde_json::json!({})
                    } else {
                        serde_json::from_str(&json).unwrap_or(Value::Null)
                    };
                    out.tools.push(ToolUse { id, name, input });
                }
            }
            "message_delta" => {
                if let Some(reason) = data["delta"]["stop_reason"].as_str() {
                    out.stop_reason = Some(reason.to_string());
                }
                if let Some(tokens) = data["usage"]["output_tokens"].as_u64() {
                    // Count the tokens of each delta.
                    out.output_tokens = Some(out.output_tokens.unwrap_or(0) + tokens);
                }
            }
            "message_stop" => break,
            _ => {}
        }
    }
    out
}
