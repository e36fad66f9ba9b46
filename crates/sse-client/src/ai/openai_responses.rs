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

use super::{Accumulate, AiError, ApiError, ToolCall, Update, parse};

/// The assembled response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
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

#[derive(Debug, Default, Deserialize)]
struct Wire {
    #[serde(default)]
    output_index: u32,
    #[serde(default)]
    content_index: u32,
    #[serde(default)]
    item_id: Option<String>,
    #[serde(default)]
    delta: Option<String>,
    #[serde(default)]
    item: Option<Item>,
    #[serde(default)]
    response: Option<TerminalResponse>,
    // Error events, flat or nested.
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error: Option<ApiError>,
}

#[derive(Debug, Default, Deserialize)]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    call_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct TerminalResponse {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    error: Option<ApiError>,
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
        let wire: Wire = parse(event)?;
        match kind {
            "response.output_text.delta" => {
                let delta = wire.delta.unwrap_or_default();
                let key = (wire.output_index, wire.content_index);
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
                    let (item_id, call) = self.calls.entry(wire.output_index).or_default();
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
