//! Anthropic Messages (`POST /v1/messages` with `"stream": true`).
//!
//! Named events whose JSON repeats the name in `type`: `message_start`, then per content block
//! `content_block_start`, `content_block_delta`s (`text_delta`, `input_json_delta`, ...) and
//! `content_block_stop`; then `message_delta` (stop reason, *cumulative* usage) and `message_stop`.
//! Any number of `ping`s may come in between; `event: error` reports an error mid-stream (such as
//! `overloaded_error`). There is no `[DONE]`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sse_format::MessageEvent;

use super::{Accumulate, AiError, ApiError, Update, parse};

/// A `tool_use` block assembled from its `input_json_delta` fragments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ToolUse {
    /// The tool use id.
    pub id: String,
    /// The tool name.
    pub name: String,
    /// The input, parsed once the block stopped (`null` if the JSON was invalid).
    pub input: Value,
    /// The input JSON text as streamed.
    pub input_json: String,
}

/// The assembled message.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Message {
    /// The text of all text blocks, in block order.
    pub text: String,
    /// The tool uses, in block order.
    pub tool_calls: Vec<ToolUse>,
    /// `end_turn`, `max_tokens`, `tool_use`, ...
    pub stop_reason: Option<String>,
    /// Usage: from `message_start`, overwritten field by field by each `message_delta` (the counts
    /// there are cumulative: never add them up).
    pub usage: Option<Value>,
    /// The mid-stream error, if one arrived.
    pub error: Option<ApiError>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Wire {
    MessageStart {
        message: StartMessage,
    },
    ContentBlockStart {
        index: u32,
        content_block: Block,
    },
    ContentBlockDelta {
        index: u32,
        delta: BlockDelta,
    },
    ContentBlockStop {
        index: u32,
    },
    MessageDelta {
        #[serde(default)]
        delta: MessageDeltaBody,
        #[serde(default)]
        usage: Option<Map<String, Value>>,
    },
    MessageStop,
    Ping,
    Error {
        error: ApiError,
    },
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Deserialize)]
struct StartMessage {
    #[serde(default)]
    usage: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Block {
    Text {
        #[serde(default)]
        text: String,
    },
    ToolUse {
        id: String,
        name: String,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum BlockDelta {
    TextDelta {
        text: String,
    },
    InputJsonDelta {
        partial_json: String,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Default, Deserialize)]
struct MessageDeltaBody {
    #[serde(default)]
    stop_reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Tool,
    Other,
}

/// Assembles a [`Message`] from Messages events.
#[derive(Clone, Debug, Default)]
pub struct MessageAccumulator {
    output: Message,
    /// Block index to kind; text lives in `texts`, tool uses in `output.tool_calls`.
    blocks: BTreeMap<u32, Kind>,
    texts: BTreeMap<u32, String>,
    done: bool,
}

impl MessageAccumulator {
    /// A new, empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Position of block `index`'s tool use in `output.tool_calls` (tools are kept in block order).
    fn tool_position(&self, index: u32) -> usize {
        self.blocks
            .range(..index)
            .filter(|(_, k)| **k == Kind::Tool)
            .count()
    }

    fn append_text(&mut self, index: u32, more: &str) {
        self.texts.entry(index).or_default().push_str(more);
        // `index + 1` would overflow for index u32::MAX (the server chooses it): an excluded
        // bound says "after index" without arithmetic.
        let after = (std::ops::Bound::Excluded(index), std::ops::Bound::Unbounded);
        if self.texts.range(after).next().is_none() {
            // The usual case: the delta extends the last text block.
            self.output.text.push_str(more);
        } else {
            self.output.text = self.texts.values().map(String::as_str).collect();
        }
    }
}

impl Accumulate for MessageAccumulator {
    type Output = Message;

    fn push(&mut self, event: &MessageEvent) -> Result<Update, AiError> {
        if self.done {
            return Ok(Update::Nothing);
        }
        // Dispatch on the SSE event name, as the SDKs do; the JSON's `type` says the same.
        let known = matches!(
            event.event_type(),
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
            return Ok(Update::Nothing);
        }
        match parse::<Wire>(event)? {
            Wire::MessageStart { message } => {
                self.output.usage = message.usage.map(Value::Object);
            }
            Wire::ContentBlockStart {
                index,
                content_block,
            } => match content_block {
                Block::Text { text } => {
                    self.blocks.insert(index, Kind::Text);
                    self.append_text(index, &text);
                }
                Block::ToolUse { id, name } => {
                    let at = self.tool_position(index);
                    self.blocks.insert(index, Kind::Tool);
                    let tool = ToolUse {
                        id,
                        name,
                        ..ToolUse::default()
                    };
                    self.output.tool_calls.insert(at, tool);
                }
                Block::Other => {
                    self.blocks.insert(index, Kind::Other);
                }
            },
            Wire::ContentBlockDelta { index, delta } => match delta {
                BlockDelta::TextDelta { text } => {
                    self.blocks.entry(index).or_insert(Kind::Text);
                    self.append_text(index, &text);
                    return Ok(Update::Text(text));
                }
                BlockDelta::InputJsonDelta { partial_json } => {
                    if self.blocks.get(&index) != Some(&Kind::Tool) {
                        // A delta without its start: keep the data rather than drop it.
                        let at = self.tool_position(index);
                        self.blocks.insert(index, Kind::Tool);
                        self.output.tool_calls.insert(at, ToolUse::default());
                    }
                    let at = self.tool_position(index);
                    self.output.tool_calls[at]
                        .input_json
                        .push_str(&partial_json);
                }
                BlockDelta::Other => {}
            },
            Wire::ContentBlockStop { index } => {
                if self.blocks.get(&index) == Some(&Kind::Tool) {
                    let at = self.tool_position(index);
                    let tool = &mut self.output.tool_calls[at];
                    // An empty input streams no fragments: it means `{}`.
                    let json = if tool.input_json.trim().is_empty() {
                        "{}"
                    } else {
                        &tool.input_json
                    };
                    tool.input = serde_json::from_str(json).unwrap_or(Value::Null);
                }
            }
            Wire::MessageDelta { delta, usage } => {
                if delta.stop_reason.is_some() {
                    self.output.stop_reason = delta.stop_reason;
                }
                if let Some(update) = usage {
                    let mut merged = match self.output.usage.take() {
                        Some(Value::Object(map)) => map,
                        _ => Map::new(),
                    };
                    merged.extend(update); // cumulative counts: overwrite
                    self.output.usage = Some(Value::Object(merged));
                }
            }
            Wire::MessageStop => {
                self.done = true;
                return Ok(Update::Done);
            }
            Wire::Error { error } => {
                self.output.error = Some(error.clone());
                return Err(AiError::Api(error));
            }
            Wire::Ping | Wire::Unknown => {}
        }
        Ok(Update::Nothing)
    }

    fn output(&self) -> &Message {
        &self.output
    }

    fn is_done(&self) -> bool {
        self.done
    }
}

/// The request body for a streamed message answering one user prompt.
pub fn request_body(model: &str, prompt: &str, max_tokens: u32) -> Value {
    serde_json::json!({
        "model": model,
        "max_tokens": max_tokens,
        "stream": true,
        "messages": [{"role": "user", "content": prompt}],
    })
}
