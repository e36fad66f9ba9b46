//! Second-reader wrong answer for ch02::ex03.
//! class: boundaries
//! Mistake: remembers the tool's JSON as `Option<String>` and only defaults to `{}` when no
//! fragment arrived at all; a tool that got only empty `partial_json` fragments parses "" and ends up `Null`.

// ANCHOR: stub
use std::collections::HashMap;

use serde_json::{Value, json};
use sse_format::MessageEvent;

pub use super::given::{Assembled, ToolUse};

/// A tool block between its start and its stop.
struct OpenTool {
    id: String,
    name: String,
    /// The fragments so far; `None` until the first one arrives.
    json: Option<String>,
}

/// Assembles a Messages stream.
pub fn assemble_message(events: &[MessageEvent]) -> Assembled {
    let mut out = Assembled::default();
    let mut open: HashMap<u64, OpenTool> = HashMap::new();
    for event in events {
        let Ok(data) = serde_json::from_str::<Value>(event.data()) else {
            continue;
        };
        let index = data["index"].as_u64();
        match event.event_type() {
            "content_block_start" => {
                let block = &data["content_block"];
                match block["type"].as_str() {
                    Some("tool_use") => {
                        if let Some(index) = index {
                            open.insert(
                                index,
                                OpenTool {
                                    id: block["id"].as_str().unwrap_or_default().to_owned(),
                                    name: block["name"].as_str().unwrap_or_default().to_owned(),
                                    json: None,
                                },
                            );
                        }
                    }
                    Some("text") => {
                        if let Some(text) = block["text"].as_str() {
                            out.text.push_str(text);
                        }
                    }
                    _ => {}
                }
            }
            "content_block_delta" => {
                let delta = &data["delta"];
                match delta["type"].as_str() {
                    Some("text_delta") => {
                        if let Some(text) = delta["text"].as_str() {
                            out.text.push_str(text);
                        }
                    }
                    Some("input_json_delta") => {
                        let fragment = delta["partial_json"].as_str().unwrap_or_default();
                        if let Some(tool) = index.and_then(|i| open.get_mut(&i)) {
                            tool.json.get_or_insert_with(String::new).push_str(fragment);
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                if let Some(tool) = index.and_then(|i| open.remove(&i)) {
                    let input = match tool.json {
                        // No input at all: an empty object.
                        None => json!({}),
                        Some(text) => serde_json::from_str(&text).unwrap_or(Value::Null),
                    };
                    out.tools.push(ToolUse {
                        id: tool.id,
                        name: tool.name,
                        input,
                    });
                }
            }
            "message_delta" => {
                if let Some(reason) = data["delta"]["stop_reason"].as_str() {
                    out.stop_reason = Some(reason.to_owned());
                }
                // Cumulative: the last figure is the total.
                if let Some(tokens) = data["usage"]["output_tokens"].as_u64() {
                    out.output_tokens = Some(tokens);
                }
            }
            "message_stop" => break,
            _ => {}
        }
    }
    out
}
// ANCHOR_END: stub
