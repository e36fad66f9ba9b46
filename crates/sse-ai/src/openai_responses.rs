//! OpenAI Responses (`POST /v1/responses` with `"stream": true`).
//!
//! Named events (`event: response.output_text.delta`, ...) whose JSON repeats the name in `type`
//! and numbers every event (`sequence_number`). Text deltas are keyed by `output_index` and
//! `content_index`; function calls are announced by `response.output_item.added` and their
//! arguments stream as `response.function_call_arguments.delta` keyed by `item_id`. The stream ends
//! with `response.completed`, `response.incomplete` or `response.failed` (no `[DONE]`). Errors come
//! as `event: error`, flat (`{"type":"error","code":…,"message":…}`, the spec) or nested
//! (`{"type":"error","error":{…}}`, observed): both are accepted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sse_format::MessageEvent;

use super::{Accumulate, AiError, ApiError, ToolCall, Update, lenient, parse};

/// The assembled response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Response {
    /// The output text of all message items, in output order.
    pub text: String,
    /// Function calls, in output order.
    pub tool_calls: Vec<ToolCall>,
    /// `completed`, `incomplete` or `failed` once finished.
    pub status: Option<String>,
    /// Token usage from the terminal event.
    pub usage: Option<Value>,
    /// The error, if the stream reported one.
    pub error: Option<ApiError>,
}

/// One Responses stream event. `type` names it and `sequence_number` numbers it; the other
/// fields are present as the type requires and left out when `None`:
///
/// | `type` | fields |
/// |---|---|
/// | `response.created`, `.in_progress`, `.completed`, `.incomplete`, `.failed` | `response` |
/// | `response.output_item.added`, `.done` | `output_index`, `item` |
/// | `response.content_part.added`, `.done` | `item_id`, `output_index`, `content_index`, `part` |
/// | `response.output_text.delta` | `item_id`, `output_index`, `content_index`, `delta`, `logprobs` |
/// | `response.output_text.done` | `item_id`, `output_index`, `content_index`, `text`, `logprobs` |
/// | `response.function_call_arguments.delta` | `item_id`, `output_index`, `delta` |
/// | `error` | `code`, `message`, `param` (the spec), or `error` (observed) |
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamEvent {
    /// The event type, the same as the SSE event name.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Position of the event in the stream, from 0.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub sequence_number: Option<u64>,
    /// The response, in the lifecycle events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseObject>,
    /// Which output item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_index: Option<u32>,
    /// Which content part of the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_index: Option<u32>,
    /// The item's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The item, when it is added or done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<OutputItem>,
    /// The content part, when it is added or done.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub part: Option<ContentPart>,
    /// A text or arguments delta.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// The finished text.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<String>,
    /// Log probabilities of a text delta (`[]` unless requested).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub logprobs: Option<Vec<Value>>,
    /// An `error` event's code (flat form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// An `error` event's message (flat form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// An `error` event's offending parameter (flat form).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub param: Option<String>,
    /// An `error` event's error (nested form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

impl StreamEvent {
    /// An event of this type with no fields yet.
    pub fn new(kind: impl Into<String>) -> Self {
        StreamEvent {
            kind: kind.into(),
            ..StreamEvent::default()
        }
    }

    with_number! {
        with_sequence_number => sequence_number: u64,
        with_output_index => output_index: u32,
        with_content_index => content_index: u32,
    }

    with! {
        with_response => response: ResponseObject,
        with_item_id => item_id: String,
        with_item => item: OutputItem,
        with_part => part: ContentPart,
        with_delta => delta: String,
        with_text => text: String,
        with_logprobs => logprobs: Vec<Value>,
        with_code => code: String,
        with_message => message: String,
        with_param => param: String,
        with_error => error: ApiError,
    }
}

/// The response object of the lifecycle events (and of a non-streamed response).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseObject {
    /// The response's id.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// `response`.
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
    pub created_at: Option<u64>,
    /// `in_progress`, `completed`, `incomplete`, `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The model that answered.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// The output items.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Vec<OutputItem>>,
    /// Token usage (see [`Usage`]), in the terminal events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
    /// Why the response failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

impl ResponseObject {
    /// An empty response object (`{}`).
    pub fn new() -> Self {
        Self::default()
    }

    with! {
        with_id => id: String,
        with_object => object: String,
        with_status => status: String,
        with_model => model: String,
        with_output => output: Vec<OutputItem>,
        with_usage => usage: Value,
        with_error => error: ApiError,
    }

    with_number! {
        with_created_at => created_at: u64,
    }
}

/// An output item: a `message` (with `content` parts) or a `function_call` (with `call_id`,
/// `name`, `arguments`); other types keep only their common fields here.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutputItem {
    /// The item's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `message`, `function_call`, `reasoning`, ...
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `in_progress`, `completed`, ...
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// `assistant`, for a message.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// A message's content parts.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<Vec<ContentPart>>,
    /// A function call's id, to send the result back with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// A function call's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A function call's arguments, complete in `response.output_item.done`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

impl OutputItem {
    /// An item of this type (`message`, `function_call`, ...) with no other fields yet.
    pub fn new(kind: impl Into<String>) -> Self {
        OutputItem {
            kind: kind.into(),
            ..OutputItem::default()
        }
    }

    with! {
        with_id => id: String,
        with_status => status: String,
        with_role => role: String,
        with_content => content: Vec<ContentPart>,
        with_call_id => call_id: String,
        with_name => name: String,
        with_arguments => arguments: String,
    }
}

/// A content part of a message: `output_text` with its `text` and `annotations`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentPart {
    /// `output_text`, `refusal`, ...
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Citations and the like (`[]` when there are none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Vec<Value>>,
}

impl ContentPart {
    /// A part of this type (`output_text`, ...) with no other fields yet.
    pub fn new(kind: impl Into<String>) -> Self {
        ContentPart {
            kind: kind.into(),
            ..ContentPart::default()
        }
    }

    with! {
        with_text => text: String,
        with_annotations => annotations: Vec<Value>,
    }
}

/// The `usage` object of a response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// Tokens in the input.
    pub input_tokens: u64,
    /// Of which served from the cache.
    pub input_tokens_details: InputTokensDetails,
    /// Tokens in the output.
    pub output_tokens: u64,
    /// Of which spent on reasoning.
    pub output_tokens_details: OutputTokensDetails,
    /// Their sum.
    pub total_tokens: u64,
}

impl Usage {
    /// The usage of an input and an output of these sizes (`total_tokens` is their sum; no
    /// cached or reasoning tokens).
    pub fn new(input_tokens: u64, output_tokens: u64) -> Self {
        Usage {
            input_tokens,
            output_tokens,
            total_tokens: input_tokens + output_tokens,
            ..Usage::default()
        }
    }

    /// Sets the details of the input tokens.
    #[must_use]
    pub fn with_input_tokens_details(mut self, details: InputTokensDetails) -> Self {
        self.input_tokens_details = details;
        self
    }

    /// Sets the details of the output tokens.
    #[must_use]
    pub fn with_output_tokens_details(mut self, details: OutputTokensDetails) -> Self {
        self.output_tokens_details = details;
        self
    }

    /// As the JSON object the responses carry ([`ResponseObject::usage`]).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default() // numbers only: always encodes
    }
}

/// Details of [`Usage::input_tokens`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputTokensDetails {
    /// Input tokens served from the prompt cache.
    pub cached_tokens: u64,
}

impl InputTokensDetails {
    /// `cached_tokens` of the input served from the cache.
    pub fn new(cached_tokens: u64) -> Self {
        InputTokensDetails { cached_tokens }
    }
}

/// Details of [`Usage::output_tokens`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutputTokensDetails {
    /// Output tokens spent on reasoning.
    pub reasoning_tokens: u64,
}

impl OutputTokensDetails {
    /// `reasoning_tokens` of the output spent on reasoning.
    pub fn new(reasoning_tokens: u64) -> Self {
        OutputTokensDetails { reasoning_tokens }
    }
}

/// Assembles a [`Response`] from Responses events.
#[derive(Clone, Debug, Default)]
pub struct ResponseAccumulator {
    output: Response,
    texts: BTreeMap<(u32, u32), String>,
    /// Function calls by output index, with their item id for routing argument deltas.
    calls: BTreeMap<u32, (String, ToolCall)>,
    done: bool,
}

impl ResponseAccumulator {
    /// A new, empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    fn sync_calls(&mut self) {
        self.output.tool_calls = self.calls.values().map(|(_, call)| call.clone()).collect();
    }
}

impl Accumulate for ResponseAccumulator {
    type Output = Response;

    fn push(&mut self, event: &MessageEvent) -> Result<Update, AiError> {
        if self.done {
            return Ok(Update::Nothing);
        }
        let kind = event.event_type();
        let interesting = matches!(
            kind,
            "response.output_text.delta"
                | "response.output_item.added"
                | "response.output_item.done"
                | "response.function_call_arguments.delta"
                | "response.completed"
                | "response.incomplete"
                | "response.failed"
                | "error"
        );
        if !interesting {
            // Lifecycle events, `keepalive`, and event types added after this was written.
            return Ok(Update::Nothing);
        }
        let wire: StreamEvent = parse(event)?;
        match kind {
            "response.output_text.delta" => {
                let delta = wire.delta.unwrap_or_default();
                let key = (
                    wire.output_index.unwrap_or_default(),
                    wire.content_index.unwrap_or_default(),
                );
                self.texts.entry(key).or_default().push_str(&delta);
                if self.texts.range(key..).nth(1).is_none() {
                    self.output.text.push_str(&delta);
                } else {
                    self.output.text = self.texts.values().map(String::as_str).collect();
                }
                return Ok(if delta.is_empty() {
                    Update::Nothing
                } else {
                    Update::Text(delta)
                });
            }
            "response.output_item.added" | "response.output_item.done" => {
                if let Some(item) = wire.item.filter(|i| i.kind == "function_call") {
                    let index = wire.output_index.unwrap_or_default();
                    let (item_id, call) = self.calls.entry(index).or_default();
                    *item_id = item.id.unwrap_or_default();
                    call.id = item.call_id.unwrap_or_default();
                    call.name = item.name.unwrap_or_default();
                    if let Some(arguments) = item.arguments.filter(|a| !a.is_empty()) {
                        call.arguments = arguments; // `done` carries the complete arguments
                    }
                    self.sync_calls();
                }
            }
            "response.function_call_arguments.delta" => {
                let target = wire.item_id.as_deref();
                let call = self
                    .calls
                    .iter_mut()
                    .find(|(_, (id, _))| Some(id.as_str()) == target)
                    .map(|(_, (_, call))| call);
                if let Some(call) = call {
                    call.arguments
                        .push_str(wire.delta.as_deref().unwrap_or_default());
                    self.sync_calls();
                }
            }
            "error" => {
                let error = wire.error.unwrap_or(ApiError {
                    kind: Some("error".into()),
                    code: wire.code,
                    message: wire.message.unwrap_or_default(),
                });
                self.output.error = Some(error.clone());
                return Err(AiError::Api(error));
            }
            _ => {
                // response.completed / .incomplete / .failed
                self.done = true;
                let response = wire.response.unwrap_or_default();
                self.output.status = response
                    .status
                    .or_else(|| kind.strip_prefix("response.").map(str::to_owned));
                self.output.usage = response.usage.filter(|u| !u.is_null());
                if kind == "response.failed" {
                    let error = response.error.unwrap_or(ApiError {
                        kind: Some("response.failed".into()),
                        code: None,
                        message: "the response failed".into(),
                    });
                    self.output.error = Some(error.clone());
                    return Err(AiError::Api(error));
                }
                return Ok(Update::Done);
            }
        }
        Ok(Update::Nothing)
    }

    fn output(&self) -> &Response {
        &self.output
    }

    fn is_done(&self) -> bool {
        self.done
    }
}

/// The request body for a streamed response to one prompt.
pub fn request_body(model: &str, prompt: &str) -> Value {
    serde_json::json!({ "model": model, "input": prompt, "stream": true })
}
