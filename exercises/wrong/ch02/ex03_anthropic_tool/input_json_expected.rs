//! The tempting mistake: parsing the joined `partial_json` fragments with `.expect(..)`, since
//! "the server always sends valid JSON"; a stream cut inside a tool call (or a broken server)
//! makes the client panic on the server's data instead of giving the input `null`.
//! class: errors

use std::collections::BTreeMap;

use serde_json::Value;
use sse_format::MessageEvent;

pub use super::given::{Assembled, ToolUse};

/// Assembles a Messages stream. Dispatch on `event.event_type()`; ignore `ping` and unknown events.
pub fn assemble_message(events: &[MessageEvent]) -> Assembled {
    let mut out = Assembled::default();
    // Tool blocks by content-block index: (id, name, JSON text so far).
    let mut tools: BTreeMap<u64, (String, String, String)> = BTreeMap::new();
    for event in events {
        let Ok(data) = serde_json::from_str::<Value>(event.data()) else {
            continue;
        };
        let index = data["index"].as_u64().unwrap_or_default();
        match event.event_type() {
            "content_block_start" if data["content_block"]["type"] == "tool_use" => {
                let block = &data["content_block"];
                let id = block["id"].as_str().unwrap_or_default().to_owned();
                let name = block["name"].as_str().unwrap_or_default().to_owned();
                tools.insert(index, (id, name, String::new()));
            }
            "content_block_delta" => {
                let delta = &data["delta"];
                match delta["type"].as_str() {
                    Some("text_delta") => out
                        .text
                        .push_str(delta["text"].as_str().unwrap_or_default()),
                    Some("input_json_delta") => {
                        if let Some((_, _, json)) = tools.get_mut(&index) {
                            json.push_str(delta["partial_json"].as_str().unwrap_or_default());
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                if let Some((id, name, json)) = tools.remove(&index) {
                    // Only the joined fragments are valid JSON, and "" means an empty input.
                    let input = if json.is_empty() { "{}" } else { json.as_str() };
                    // The server sends the fragments of one JSON object: parse them.
                    let input = serde_json::from_str(input).expect("tool input is JSON");
                    out.tools.push(ToolUse { id, name, input });
                }
            }
            "message_delta" => {
                if let Some(reason) = data["delta"]["stop_reason"].as_str() {
                    out.stop_reason = Some(reason.to_owned());
                }
                if let Some(tokens) = data["usage"]["output_tokens"].as_u64() {
                    out.output_tokens = Some(tokens); // cumulative: overwrite
                }
            }
            "message_stop" => break,
            _ => {} // message_start, ping, and event types added later
        }
    }
    out
}
