//! OpenAI Chat Completions (`POST /v1/chat/completions` with `"stream": true`).
//!
//! Data-only events: each is one `chat.completion.chunk` JSON object, and the stream ends with the
//! sentinel `data: [DONE]`, which is not JSON. Text arrives in `choices[].delta.content`; tool calls
//! arrive in fragments keyed by `tool_calls[].index`; `finish_reason` comes in its own chunk; with
//! `stream_options.include_usage` a last chunk with empty `choices` carries `usage`. An error
//! mid-stream arrives as `data: {"error": {...}}`.
//!
//! Without `"stream": true` the answer is one `chat.completion` JSON object instead:
//! [`CompletionObject`], whose choices carry the whole `message`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sse_format::MessageEvent;

use super::{Accumulate, AiError, ApiError, ToolCall, Update, lenient, parse};

/// The `object` of a streamed chunk.
pub const CHUNK_OBJECT: &str = "chat.completion.chunk";

/// One `chat.completion.chunk`. A client needs `choices`, `usage` and `error`; the metadata
/// (`id`, `object`, `created`, `model`, `system_fingerprint`) is read leniently and written
/// when set.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Chunk {
    /// The completion's id, the same in every chunk.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// [`CHUNK_OBJECT`].
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub object: Option<String>,
    /// Creation time, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<u64>,
    /// The model that answered.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// The backend configuration's fingerprint.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub system_fingerprint: Option<String>,
    /// The choices; empty in the usage chunk.
    #[serde(default)]
    pub choices: Vec<ChunkChoice>,
    /// Token usage: `null` in every chunk but the last with `include_usage` (write
    /// `Some(Value::Null)` for that `null`), absent without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
    /// A mid-stream error (then the chunk is [`ErrorChunk`]'s shape).
    #[serde(default, skip_serializing)]
    pub error: Option<ApiError>,
}

impl Chunk {
    /// A chunk of completion `id`, created at `created` (Unix seconds) by `model`, with `object`
    /// set to [`CHUNK_OBJECT`] and no choices yet.
    pub fn new(id: impl Into<String>, created: u64, model: impl Into<String>) -> Self {
        Chunk {
            id: Some(id.into()),
            object: Some(CHUNK_OBJECT.into()),
            created: Some(created),
            model: Some(model.into()),
            ..Chunk::default()
        }
    }

    /// Adds a choice.
    #[must_use]
    pub fn with_choice(mut self, choice: ChunkChoice) -> Self {
        self.choices.push(choice);
        self
    }

    with! {
        with_system_fingerprint => system_fingerprint: String,
        with_usage => usage: Value,
    }
}

/// A mid-stream error as the API sends it: `data: {"error": {...}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorChunk {
    /// The error.
    pub error: ApiError,
}

impl ErrorChunk {
    /// The chunk that reports `error`.
    pub fn new(error: ApiError) -> Self {
        ErrorChunk { error }
    }
}

/// One choice of a chunk.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// Which choice (with `n > 1`).
    #[serde(default)]
    pub index: u32,
    /// What this chunk adds.
    #[serde(default)]
    pub delta: Delta,
    /// Log probabilities, when requested (`null` otherwise, and written as `null`).
    #[serde(default, deserialize_with = "lenient")]
    pub logprobs: Option<Value>,
    /// Why generation stopped, in the last content chunk (`null` before, and written so).
    #[serde(default)]
    pub finish_reason: Option<String>,
}

impl ChunkChoice {
    /// Choice `index` adding `delta`, not finished.
    pub fn new(index: u32, delta: Delta) -> Self {
        ChunkChoice {
            index,
            delta,
            ..ChunkChoice::default()
        }
    }

    with! {
        with_finish_reason => finish_reason: String,
    }
}

/// The increment of a choice.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Delta {
    /// `assistant`, in the first chunk only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// More text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Tool-call fragments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// A refusal message, in the first chunk of a refused answer.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub refusal: Option<String>,
}

impl Delta {
    /// An empty delta (`{}`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a tool-call fragment.
    #[must_use]
    pub fn with_tool_call(mut self, call: ToolCallDelta) -> Self {
        self.tool_calls.get_or_insert_with(Vec::new).push(call);
        self
    }

    with! {
        with_role => role: String,
        with_content => content: String,
        with_refusal => refusal: String,
    }
}

/// A fragment of a tool call.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallDelta {
    /// Which call this fragment belongs to: merge by this, not by array position.
    pub index: u32,
    /// The call id (first fragment only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `function` (first fragment only).
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// The function name and an arguments fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionDelta>,
}

impl ToolCallDelta {
    /// A fragment of call `index`, with nothing in it yet.
    pub fn new(index: u32) -> Self {
        ToolCallDelta {
            index,
            ..ToolCallDelta::default()
        }
    }

    with! {
        with_id => id: String,
        with_kind => kind: String,
        with_function => function: FunctionDelta,
    }
}

/// A function fragment.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDelta {
    /// The name (first fragment only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A piece of the arguments JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

impl FunctionDelta {
    /// An empty fragment.
    pub fn new() -> Self {
        Self::default()
    }

    with! {
        with_name => name: String,
        with_arguments => arguments: String,
    }
}

/// The `usage` object (of the last chunk with `include_usage`, and of a whole completion).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// Tokens in the prompt.
    pub prompt_tokens: u64,
    /// Tokens in the answer.
    pub completion_tokens: u64,
    /// Their sum.
    pub total_tokens: u64,
}

impl Usage {
    /// The usage of a prompt and an answer of these sizes (`total_tokens` is their sum).
    pub fn new(prompt_tokens: u64, completion_tokens: u64) -> Self {
        Usage {
            prompt_tokens,
            completion_tokens,
            total_tokens: prompt_tokens + completion_tokens,
        }
    }

    /// As the JSON object the chunks and completions carry ([`Chunk::usage`]).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default() // numbers only: always encodes
    }
}

/// The `object` of a whole (non-streamed) completion.
pub const COMPLETION_OBJECT: &str = "chat.completion";

/// A whole `chat.completion`: the answer to a request without `"stream": true`. The metadata is
/// read leniently and written when set, as in [`Chunk`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionObject {
    /// The completion's id.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// [`COMPLETION_OBJECT`].
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub object: Option<String>,
    /// Creation time, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<u64>,
    /// The model that answered.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// The backend configuration's fingerprint.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub system_fingerprint: Option<String>,
    /// The choices, one per `n`.
    #[serde(default)]
    pub choices: Vec<CompletionChoice>,
    /// Token usage (see [`Usage`]); kept as JSON, like [`Chunk::usage`], so the vendor's extra
    /// detail fields survive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
}

impl CompletionObject {
    /// Completion `id`, created at `created` (Unix seconds) by `model`, with `object` set to
    /// [`COMPLETION_OBJECT`] and no choices yet.
    pub fn new(id: impl Into<String>, created: u64, model: impl Into<String>) -> Self {
        CompletionObject {
            id: Some(id.into()),
            object: Some(COMPLETION_OBJECT.into()),
            created: Some(created),
            model: Some(model.into()),
            ..CompletionObject::default()
        }
    }

    /// Adds a choice.
    #[must_use]
    pub fn with_choice(mut self, choice: CompletionChoice) -> Self {
        self.choices.push(choice);
        self
    }

    with! {
        with_system_fingerprint => system_fingerprint: String,
        with_usage => usage: Value,
    }
}

/// One choice of a whole completion.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionChoice {
    /// Which choice (with `n > 1`).
    #[serde(default)]
    pub index: u32,
    /// The answer.
    #[serde(default)]
    pub message: CompletionMessage,
    /// Log probabilities, when requested (`null` otherwise, and written as `null`).
    #[serde(default, deserialize_with = "lenient")]
    pub logprobs: Option<Value>,
    /// Why generation stopped: `stop`, `length`, `tool_calls`, `content_filter`, ...
    #[serde(default)]
    pub finish_reason: Option<String>,
}

impl CompletionChoice {
    /// Choice `index` with this message.
    pub fn new(index: u32, message: CompletionMessage) -> Self {
        CompletionChoice {
            index,
            message,
            ..CompletionChoice::default()
        }
    }

    with! {
        with_finish_reason => finish_reason: String,
    }
}

/// The assistant message of a choice: the whole of what the [`Delta`]s of a stream add up to.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionMessage {
    /// `assistant`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// The text; `null` when the model only calls tools (and written as `null`).
    #[serde(default)]
    pub content: Option<String>,
    /// The tool calls, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<MessageToolCall>>,
    /// A refusal message, when the model refused.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub refusal: Option<String>,
}

impl CompletionMessage {
    /// An empty message (`content` written as `null`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a tool call.
    #[must_use]
    pub fn with_tool_call(mut self, call: MessageToolCall) -> Self {
        self.tool_calls.get_or_insert_with(Vec::new).push(call);
        self
    }

    with! {
        with_role => role: String,
        with_content => content: String,
        with_refusal => refusal: String,
    }
}

/// A whole tool call of a [`CompletionMessage`] (a stream sends it as [`ToolCallDelta`]s).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageToolCall {
    /// The call id, to send the result back with.
    #[serde(default)]
    pub id: String,
    /// `function`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// The function called.
    #[serde(default)]
    pub function: FunctionCall,
}

impl MessageToolCall {
    /// Call `id` of this function.
    pub fn new(id: impl Into<String>, function: FunctionCall) -> Self {
        MessageToolCall {
            id: id.into(),
            kind: None,
            function,
        }
    }

    with! {
        with_kind => kind: String,
    }
}

/// The function of a whole tool call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCall {
    /// The function name.
    #[serde(default)]
    pub name: String,
    /// The arguments as the JSON text the model wrote (it may be invalid JSON).
    #[serde(default)]
    pub arguments: String,
}

impl FunctionCall {
    /// Function `name` called with `arguments` (JSON text).
    pub fn new(name: impl Into<String>, arguments: impl Into<String>) -> Self {
        FunctionCall {
            name: name.into(),
            arguments: arguments.into(),
        }
    }
}

/// The assembled answer (of choice 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChatCompletion {
    /// The text.
    pub text: String,
    /// Tool calls, in `index` order.
    pub tool_calls: Vec<ToolCall>,
    /// `stop`, `length`, `tool_calls`, `content_filter`, ...
    pub finish_reason: Option<String>,
    /// Token usage, if requested with `stream_options.include_usage`.
    pub usage: Option<Value>,
    /// The mid-stream error, if one arrived.
    pub error: Option<ApiError>,
}

/// Assembles a [`ChatCompletion`] from Chat Completions events.
#[derive(Clone, Debug, Default)]
pub struct ChatAccumulator {
    output: ChatCompletion,
    calls: BTreeMap<u32, ToolCall>,
    done: bool,
}

impl ChatAccumulator {
    /// A new, empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Accumulate for ChatAccumulator {
    type Output = ChatCompletion;

    fn push(&mut self, event: &MessageEvent) -> Result<Update, AiError> {
        if self.done {
            return Ok(Update::Nothing);
        }
        // The sentinel is not JSON; compare the whole data, not a prefix.
        if event.data() == "[DONE]" {
            self.done = true;
            return Ok(Update::Done);
        }
        let chunk: Chunk = parse(event)?;
        if let Some(error) = chunk.error {
            self.output.error = Some(error.clone());
            return Err(AiError::Api(error));
        }
        if chunk.usage.as_ref().is_some_and(|u| !u.is_null()) {
            self.output.usage = chunk.usage;
        }
        let mut text = String::new();
        // Never index choices[0]: the usage chunk has none.
        for choice in chunk.choices.into_iter().filter(|c| c.index == 0) {
            if let Some(content) = choice.delta.content {
                text.push_str(&content);
            }
            for fragment in choice.delta.tool_calls.unwrap_or_default() {
                let call = self.calls.entry(fragment.index).or_default();
                if let Some(id) = fragment.id {
                    call.id = id;
                }
                if let Some(function) = fragment.function {
                    if let Some(name) = function.name {
                        call.name = name;
                    }
                    call.arguments
                        .push_str(function.arguments.as_deref().unwrap_or_default());
                }
                self.output.tool_calls = self.calls.values().cloned().collect();
            }
            if choice.finish_reason.is_some() {
                self.output.finish_reason = choice.finish_reason;
            }
        }
        self.output.text.push_str(&text);
        Ok(if text.is_empty() {
            Update::Nothing
        } else {
            Update::Text(text)
        })
    }

    fn output(&self) -> &ChatCompletion {
        &self.output
    }

    fn is_done(&self) -> bool {
        self.done
    }
}

/// The request body for a streamed chat completion of one user message.
pub fn request_body(model: &str, prompt: &str, include_usage: bool) -> Value {
    let mut body = serde_json::json!({
        "model": model,
        "stream": true,
        "messages": [{"role": "user", "content": prompt}],
    });
    if include_usage {
        body["stream_options"] = serde_json::json!({"include_usage": true});
    }
    body
}
