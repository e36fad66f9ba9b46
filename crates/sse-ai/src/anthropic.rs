//! Anthropic Messages (`POST /v1/messages` with `"stream": true`).
//!
//! Named events whose JSON repeats the name in `type`: `message_start`, then per content block
//! `content_block_start`, `content_block_delta`s (`text_delta`, `input_json_delta`, ...) and
//! `content_block_stop`; then `message_delta` (stop reason, *cumulative* usage) and `message_stop`.
//! Any number of `ping`s may come in between; `event: error` reports an error mid-stream (such as
//! `overloaded_error`). There is no `[DONE]`.
//!
//! Without `"stream": true` the answer is one JSON object instead: [`MessageObject`], the message
//! of `message_start` with all its content blocks, its stop reason and its final usage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sse_format::MessageEvent;

use super::{Accumulate, AiError, ApiError, Update, lenient, parse};

/// A `tool_use` block assembled from its `input_json_delta` fragments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
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
#[non_exhaustive]
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

/// One Messages stream event, tagged by `type` (the same as the SSE event name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StreamEvent {
    /// The message, with no content yet, and its usage so far.
    MessageStart {
        /// The message.
        message: MessageStart,
    },
    /// A content block begins at `index`.
    ContentBlockStart {
        /// The block's position.
        index: u32,
        /// The block, empty.
        content_block: ContentBlock,
    },
    /// More of block `index`.
    ContentBlockDelta {
        /// The block's position.
        index: u32,
        /// What it adds.
        delta: BlockDelta,
    },
    /// Block `index` is complete.
    ContentBlockStop {
        /// The block's position.
        index: u32,
    },
    /// The stop reason, and the usage so far (cumulative counts).
    MessageDelta {
        /// The stop reason.
        #[serde(default)]
        delta: MessageDeltaBody,
        /// The usage (see [`Usage`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        usage: Option<Map<String, Value>>,
    },
    /// The end of the stream.
    MessageStop,
    /// Nothing; may come at any point.
    Ping,
    /// An error mid-stream, such as `overloaded_error`.
    Error {
        /// The error.
        error: ApiError,
    },
    /// An event type added after this was written (read only; ignored).
    #[serde(other)]
    Unknown,
}

/// The message of `message_start`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageStart {
    /// The message's id.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// `message`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// `assistant`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// The model that answers.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// The content so far: empty.
    #[serde(default, deserialize_with = "lenient")]
    pub content: Option<Vec<Value>>,
    /// `null` until `message_delta` (written as `null`).
    #[serde(default, deserialize_with = "lenient")]
    pub stop_reason: Option<String>,
    /// `null` until `message_delta` (written as `null`).
    #[serde(default, deserialize_with = "lenient")]
    pub stop_sequence: Option<String>,
    /// Usage so far (see [`Usage`]).
    #[serde(default)]
    pub usage: Option<Map<String, Value>>,
}

impl MessageStart {
    /// An empty message (`stop_reason` and `stop_sequence` written as `null`).
    pub fn new() -> Self {
        Self::default()
    }

    with! {
        with_id => id: String,
        with_kind => kind: String,
        with_role => role: String,
        with_model => model: String,
        with_content => content: Vec<Value>,
        with_stop_reason => stop_reason: String,
        with_stop_sequence => stop_sequence: String,
        with_usage => usage: Map<String, Value>,
    }
}

/// A whole message: the answer to a request without `"stream": true`. The shape of
/// [`MessageStart`]'s message, with its content blocks, stop reason and final usage filled in;
/// the metadata is read leniently and written when set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageObject {
    /// The message's id.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// `message`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// `assistant`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// The model that answered.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// The content blocks, in order (text and tool uses; other types read as
    /// [`ContentBlock::Other`]).
    #[serde(default)]
    pub content: Vec<ContentBlock>,
    /// `end_turn`, `max_tokens`, `tool_use`, ...
    #[serde(default)]
    pub stop_reason: Option<String>,
    /// The stop sequence that ended the message, if one did (written as `null` otherwise).
    #[serde(default, deserialize_with = "lenient")]
    pub stop_sequence: Option<String>,
    /// The usage (see [`Usage`]); kept as a JSON object, like [`MessageStart::usage`], so the
    /// vendor's extra fields survive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Map<String, Value>>,
}

impl MessageObject {
    /// An empty message (no content blocks; `stop_reason` and `stop_sequence` written as `null`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a content block.
    #[must_use]
    pub fn with_block(mut self, block: ContentBlock) -> Self {
        self.content.push(block);
        self
    }

    with! {
        with_id => id: String,
        with_kind => kind: String,
        with_role => role: String,
        with_model => model: String,
        with_stop_reason => stop_reason: String,
        with_stop_sequence => stop_sequence: String,
        with_usage => usage: Map<String, Value>,
    }
}

/// A content block: as `content_block_start` announces it (empty), or whole in a
/// [`MessageObject`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContentBlock {
    /// Text, usually empty at the start of a stream.
    Text {
        /// The text so far (all of it in a [`MessageObject`]).
        #[serde(default)]
        text: String,
    },
    /// A tool use; in a stream, its input follows as `input_json_delta`s.
    ToolUse {
        /// The tool use id.
        id: String,
        /// The tool name.
        name: String,
        /// `{}` at the start of a stream; the whole input in a [`MessageObject`].
        #[serde(default)]
        input: Value,
    },
    /// Another block type (thinking, ...; read only; ignored).
    #[serde(other)]
    Other,
}

/// What a `content_block_delta` adds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockDelta {
    /// More text.
    TextDelta {
        /// The text.
        text: String,
    },
    /// A fragment of a tool use's input JSON.
    InputJsonDelta {
        /// The fragment.
        partial_json: String,
    },
    /// Another delta type (read only; ignored).
    #[serde(other)]
    Other,
}

/// The `delta` of `message_delta`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageDeltaBody {
    /// `end_turn`, `max_tokens`, `tool_use`, ...
    #[serde(default)]
    pub stop_reason: Option<String>,
    /// The stop sequence that ended the message, if one did.
    #[serde(default, deserialize_with = "lenient")]
    pub stop_sequence: Option<String>,
}

impl MessageDeltaBody {
    /// A delta that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    with! {
        with_stop_reason => stop_reason: String,
        with_stop_sequence => stop_sequence: String,
    }
}

/// The usage object (of `message_start`, `message_delta` and a whole [`MessageObject`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// Tokens in the input.
    pub input_tokens: u64,
    /// Input tokens written to the cache.
    pub cache_creation_input_tokens: u64,
    /// Input tokens read from the cache.
    pub cache_read_input_tokens: u64,
    /// Tokens in the output so far.
    pub output_tokens: u64,
}

impl Usage {
    /// The usage of an input and an output of these sizes (nothing written to or read from the
    /// cache).
    pub fn new(input_tokens: u64, output_tokens: u64) -> Self {
        Usage {
            input_tokens,
            output_tokens,
            ..Usage::default()
        }
    }

    /// Sets `cache_creation_input_tokens`.
    #[must_use]
    pub fn with_cache_creation_input_tokens(mut self, tokens: u64) -> Self {
        self.cache_creation_input_tokens = tokens;
        self
    }

    /// Sets `cache_read_input_tokens`.
    #[must_use]
    pub fn with_cache_read_input_tokens(mut self, tokens: u64) -> Self {
        self.cache_read_input_tokens = tokens;
        self
    }

    /// As the JSON object the events carry.
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(), // a struct of numbers always serializes to an object
        }
    }
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
        match parse::<StreamEvent>(event)? {
            StreamEvent::MessageStart { message } => {
                self.output.usage = message.usage.map(Value::Object);
            }
            StreamEvent::ContentBlockStart {
                index,
                content_block,
            } => match content_block {
                ContentBlock::Text { text } => {
                    self.blocks.insert(index, Kind::Text);
                    self.append_text(index, &text);
                }
                ContentBlock::ToolUse { id, name, .. } => {
                    let at = self.tool_position(index);
                    self.blocks.insert(index, Kind::Tool);
                    let tool = ToolUse {
                        id,
                        name,
                        ..ToolUse::default()
                    };
                    self.output.tool_calls.insert(at, tool);
                }
                ContentBlock::Other => {
                    self.blocks.insert(index, Kind::Other);
                }
            },
            StreamEvent::ContentBlockDelta { index, delta } => match delta {
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
            StreamEvent::ContentBlockStop { index } => {
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
            StreamEvent::MessageDelta { delta, usage } => {
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
            StreamEvent::MessageStop => {
                self.done = true;
                return Ok(Update::Done);
            }
            StreamEvent::Error { error } => {
                self.output.error = Some(error.clone());
                return Err(AiError::Api(error));
            }
            StreamEvent::Ping | StreamEvent::Unknown => {}
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
