//! Second-reader wrong answer for ch02::ex03.
//! class: spec
//! Mistake: gives each tool block its slot in the result when it STARTS (a Vec in order of
//! appearance, filled in at stop), so interleaved blocks come out in start order, not in the order they close.

// ANCHOR: stub
use serde_json::{Value, json};
use sse_format::MessageEvent;

pub use super::given::{Assembled, ToolUse};

/// A tool block, in the order the blocks appeared.
struct Slot {
    index: u64,
    tool: ToolUse,
    json: String,
    closed: bool,
}

/// Where the still open tool block number `index` sits in `slots`.
fn open_slot(slots: &[Slot], index: Option<u64>) -> Option<usize> {
    let index = index?;
    slots.iter().position(|s| s.index == index && !s.closed)
}

/// Assembles a Messages stream.
pub fn assemble_message(events: &[MessageEvent]) -> Assembled {
    let mut out = Assembled::default();
    let mut slots: Vec<Slot> = Vec::new();
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
                            slots.push(Slot {
                                index,
                                tool: ToolUse {
                                    id: block["id"].as_str().unwrap_or_default().to_owned(),
                                    name: block["name"].as_str().unwrap_or_default().to_owned(),
                                    input: json!({}),
                                },
                                json: String::new(),
                                closed: false,
                            });
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
                        if let Some(at) = open_slot(&slots, index) {
                            slots[at].json.push_str(fragment);
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                if let Some(at) = open_slot(&slots, index) {
                    let slot = &mut slots[at];
                    slot.tool.input = if slot.json.trim().is_empty() {
                        json!({})
                    } else {
                        serde_json::from_str(&slot.json).unwrap_or(Value::Null)
                    };
                    slot.closed = true;
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
    // Only the blocks that were closed became tools.
    out.tools = slots
        .into_iter()
        .filter(|slot| slot.closed)
        .map(|slot| slot.tool)
        .collect();
    out
}
// ANCHOR_END: stub
