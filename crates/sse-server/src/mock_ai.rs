//! Offline stand-ins for the OpenAI and Anthropic streaming APIs, byte-compatible with their
//! formats, so the course (and any OpenAI/Anthropic SDK) works without a key or a network.
//!
//! - `POST /v1/chat/completions`: OpenAI Chat Completions (`stream` true or false,
//!   `stream_options.include_usage`, a tool call when `tools` are given).
//! - `POST /v1/responses`: OpenAI Responses events.
//! - `POST /v1/messages`: Anthropic Messages events, with a `ping`.
//!
//! The answer is deterministic: it restates the prompt and explains SSE, one word per event.
//! Pacing: `x-mock-token-delay-ms: N` (default from the server config). Faults, for teaching
//! error handling, by header `x-mock-fault: NAME` or by writing `[fault:NAME]` in the prompt:
//!
//! | fault | effect |
//! |---|---|
//! | `429` | HTTP 429 with `Retry-After: 1` and the vendor's error body |
//! | `500`, `503`, `529` | that status with the vendor's error body |
//! | `midstream-error` | three tokens, then the vendor's in-stream error event |
//! | `drop` | three tokens, then the connection is cut |

use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde_json::{Value, json};
use sse_format::Event;

use crate::AppState;
use crate::sse::sse_headers;

/// Settings of the mock endpoints.
#[derive(Clone, Copy, Debug)]
pub struct MockConfig {
    /// Pause between tokens unless the request says otherwise.
    pub token_delay: Duration,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            token_delay: Duration::from_millis(40),
        }
    }
}

/// A fault to inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Status(u16),
    MidstreamError,
    Drop,
}

struct Request {
    prompt: String,
    model: String,
    stream: bool,
    include_usage: bool,
    tool: Option<String>,
    delay: Duration,
    fault: Option<Fault>,
}

fn parse_fault(name: &str) -> Option<Fault> {
    match name.trim() {
        "midstream-error" => Some(Fault::MidstreamError),
        "drop" => Some(Fault::Drop),
        code => code
            .parse()
            .ok()
            .filter(|c| (400..600).contains(c))
            .map(Fault::Status),
    }
}

fn read_request(
    state: &AppState,
    headers: &HeaderMap,
    body: &Value,
    prompt: String,
    default_model: &str,
) -> Request {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let fault = header("x-mock-fault").and_then(parse_fault).or_else(|| {
        let start = prompt.find("[fault:")? + "[fault:".len();
        let end = prompt[start..].find(']')? + start;
        parse_fault(&prompt[start..end])
    });
    let delay = header("x-mock-token-delay-ms")
        .and_then(|v| v.parse().ok())
        .map_or(state.mock.token_delay, Duration::from_millis);
    let tool = body["tools"]
        .as_array()
        .and_then(|tools| tools.first())
        .and_then(|t| {
            // OpenAI Chat nests the name under "function"; Responses and Anthropic do not.
            t["function"]["name"]
                .as_str()
                .or(t["name"].as_str())
                .map(str::to_owned)
        });
    Request {
        prompt,
        model: body["model"].as_str().unwrap_or(default_model).to_owned(),
        stream: body["stream"].as_bool().unwrap_or(false),
        include_usage: body["stream_options"]["include_usage"]
            .as_bool()
            .unwrap_or(false),
        tool,
        delay,
        fault,
    }
}

/// The deterministic answer, as tokens (each a word with its leading space).
fn answer_tokens(prompt: &str) -> Vec<String> {
    let prompt: String = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = format!(
        "You asked: \"{prompt}\". Server-sent events let a server push updates to a client over one long HTTP response."
    );
    let mut tokens = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        tokens.push(if i == 0 {
            word.to_owned()
        } else {
            format!(" {word}")
        });
    }
    tokens
}

/// Tool arguments, split into fragments the way models stream them.
fn tool_fragments(prompt: &str) -> Vec<String> {
    let arguments = json!({ "query": prompt }).to_string();
    let mut fragments = Vec::new();
    let mut rest = arguments.as_str();
    while !rest.is_empty() {
        let mut cut = rest.len().min(8);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        fragments.push(rest[..cut].to_owned());
        rest = &rest[cut..];
    }
    fragments
}

/// One piece of a mock stream: an event, or a broken connection.
enum Piece {
    Event(Event),
    Cut,
}

/// Paces the pieces and turns them into a streaming SSE response.
fn paced(pieces: Vec<Piece>, delay: Duration) -> Response {
    let body = futures::stream::iter(pieces).then(move |piece| async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match piece {
            Piece::Event(event) => Ok(Bytes::from(
                event.to_bytes().expect("mock events are valid"),
            )),
            Piece::Cut => {
                // Let what was sent reach the client first: hyper discards unsent bytes when a
                // body fails, and a drop is meant to happen mid-answer.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "mock fault: drop",
                ))
            }
        }
    });
    (sse_headers(), Body::from_stream(stop_after_error(body))).into_response()
}

/// Ends the stream after its first error (the error itself is passed on, which cuts the
/// connection).
fn stop_after_error<S: Stream<Item = Result<Bytes, std::io::Error>>>(
    body: S,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    body.scan(false, |failed, item| {
        if *failed {
            return futures::future::ready(None);
        }
        *failed = item.is_err();
        futures::future::ready(Some(item))
    })
}

fn data(value: Value) -> Piece {
    Piece::Event(Event::new().data(value.to_string()))
}

fn named(kind: &str, value: Value) -> Piece {
    Piece::Event(Event::new().event(kind).data(value.to_string()))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn status_error(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, "1".parse().expect("valid header"));
    }
    response
}

fn openai_error(status: u16) -> Response {
    let (kind, code, message) = match status {
        429 => (
            "requests",
            "rate_limit_exceeded",
            "Rate limit reached (mock). Please try again in 1s.",
        ),
        _ => (
            "server_error",
            "server_error",
            "The server had an error while processing your request (mock).",
        ),
    };
    status_error(
        status,
        json!({"error": {"message": message, "type": kind, "param": null, "code": code}}),
    )
}

fn anthropic_error(status: u16) -> Response {
    let kind = match status {
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
    status_error(
        status,
        json!({"type": "error", "error": {"type": kind, "message": format!("{kind} (mock)")}, "request_id": "req_mock"}),
    )
}

/// The text of the last user message (a string or an array of text parts).
fn last_user_text(messages: &Value) -> String {
    let Some(last) = messages
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
    else {
        return String::new();
    };
    match &last["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

// ANCHOR: chat_completions
/// `POST /v1/chat/completions`.
pub async fn chat_completions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let request = read_request(
        &state,
        &headers,
        &body,
        last_user_text(&body["messages"]),
        "gpt-4o-mini",
    );
    if let Some(Fault::Status(status)) = request.fault {
        return openai_error(status);
    }
    let id = format!("chatcmpl-mock{:08x}", now() % 0xffff_ffff);
    let created = now();
    let tokens = answer_tokens(&request.prompt);
    let usage = json!({"prompt_tokens": request.prompt.split_whitespace().count(), "completion_tokens": tokens.len(),
                       "total_tokens": request.prompt.split_whitespace().count() + tokens.len()});
    if !request.stream {
        let message = match &request.tool {
            Some(name) => {
                json!({"role": "assistant", "content": null, "tool_calls": [{"id": "call_mock1", "type": "function",
                "function": {"name": name, "arguments": tool_fragments(&request.prompt).concat()}}]})
            }
            None => json!({"role": "assistant", "content": tokens.concat()}),
        };
        let finish = if request.tool.is_some() {
            "tool_calls"
        } else {
            "stop"
        };
        return Json(json!({"id": id, "object": "chat.completion", "created": created, "model": request.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage})).into_response();
    }
    let chunk = |delta: Value, finish: Value| {
        let mut chunk = json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": request.model,
            "system_fingerprint": "fp_mock", "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]});
        if request.include_usage {
            chunk["usage"] = Value::Null;
        }
        data(chunk)
    };
    let mut pieces = Vec::new();
    match &request.tool {
        Some(name) => {
            pieces.push(chunk(json!({"role": "assistant", "content": null, "tool_calls": [{"index": 0, "id": "call_mock1",
                "type": "function", "function": {"name": name, "arguments": ""}}], "refusal": null}), Value::Null));
            for fragment in tool_fragments(&request.prompt) {
                pieces.push(chunk(
                    json!({"tool_calls": [{"index": 0, "function": {"arguments": fragment}}]}),
                    Value::Null,
                ));
            }
            pieces.push(chunk(json!({}), json!("tool_calls")));
        }
        None => {
            pieces.push(chunk(
                json!({"role": "assistant", "content": "", "refusal": null}),
                Value::Null,
            ));
            for (i, token) in tokens.iter().enumerate() {
                if i == 3 && request.fault == Some(Fault::MidstreamError) {
                    pieces.push(data(json!({"error": {"message": "The server had an error while processing your request (mock).",
                        "type": "server_error", "param": null, "code": null}})));
                    pieces.push(Piece::Event(Event::new().data("[DONE]")));
                    return paced(pieces, request.delay);
                }
                if i == 3 && request.fault == Some(Fault::Drop) {
                    pieces.push(Piece::Cut);
                    return paced(pieces, request.delay);
                }
                pieces.push(chunk(json!({"content": token}), Value::Null));
            }
            pieces.push(chunk(json!({}), json!("stop")));
        }
    }
    if request.include_usage {
        pieces.push(data(json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": request.model,
            "choices": [], "usage": usage})));
    }
    pieces.push(Piece::Event(Event::new().data("[DONE]")));
    paced(pieces, request.delay)
}
// ANCHOR_END: chat_completions

/// `POST /v1/responses`.
pub async fn responses(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let prompt = match &body["input"] {
        Value::String(text) => text.clone(),
        input => last_user_text(input),
    };
    let request = read_request(&state, &headers, &body, prompt, "gpt-4o-mini");
    if let Some(Fault::Status(status)) = request.fault {
        return openai_error(status);
    }
    let tokens = answer_tokens(&request.prompt);
    let text = tokens.concat();
    let response_id = format!("resp_mock{:08x}", now() % 0xffff_ffff);
    let usage = json!({"input_tokens": request.prompt.split_whitespace().count(), "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": tokens.len(), "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": request.prompt.split_whitespace().count() + tokens.len()});
    let response = |status: &str, output: Value, usage: Value| {
        json!({"id": response_id, "object": "response",
        "created_at": now(), "status": status, "model": request.model, "output": output, "usage": usage})
    };
    let message = |status: &str, content: Value| json!({"id": "msg_mock1", "type": "message", "status": status, "role": "assistant", "content": content});
    let part = |text: &str| json!({"type": "output_text", "annotations": [], "text": text});
    if !request.stream {
        return Json(response(
            "completed",
            json!([message("completed", json!([part(&text)]))]),
            usage,
        ))
        .into_response();
    }
    let mut seq = 0;
    let mut event = |kind: &str, mut value: Value| {
        value["type"] = json!(kind);
        value["sequence_number"] = json!(seq);
        seq += 1;
        named(kind, value)
    };
    let mut pieces = vec![
        event(
            "response.created",
            json!({"response": response("in_progress", json!([]), Value::Null)}),
        ),
        event(
            "response.in_progress",
            json!({"response": response("in_progress", json!([]), Value::Null)}),
        ),
        event(
            "response.output_item.added",
            json!({"output_index": 0, "item": message("in_progress", json!([]))}),
        ),
        event(
            "response.content_part.added",
            json!({"item_id": "msg_mock1", "output_index": 0, "content_index": 0, "part": part("")}),
        ),
    ];
    for (i, token) in tokens.iter().enumerate() {
        if i == 3 && request.fault == Some(Fault::MidstreamError) {
            pieces.push(event("error", json!({"code": "server_error", "message": "The server had an error (mock).", "param": null})));
            pieces.push(event(
                "response.failed",
                json!({"response": response("failed", json!([]), Value::Null)}),
            ));
            return paced(pieces, request.delay);
        }
        if i == 3 && request.fault == Some(Fault::Drop) {
            pieces.push(Piece::Cut);
            return paced(pieces, request.delay);
        }
        pieces.push(event(
            "response.output_text.delta",
            json!({"item_id": "msg_mock1", "output_index": 0, "content_index": 0,
            "delta": token, "logprobs": []}),
        ));
    }
    pieces.push(event("response.output_text.done", json!({"item_id": "msg_mock1", "output_index": 0, "content_index": 0, "text": text, "logprobs": []})));
    pieces.push(event(
        "response.content_part.done",
        json!({"item_id": "msg_mock1", "output_index": 0, "content_index": 0, "part": part(&text)}),
    ));
    pieces.push(event(
        "response.output_item.done",
        json!({"output_index": 0, "item": message("completed", json!([part(&text)]))}),
    ));
    pieces.push(event("response.completed", json!({"response": response("completed", json!([message("completed", json!([part(&text)]))]), usage)})));
    paced(pieces, request.delay)
}

/// `POST /v1/messages`.
pub async fn messages(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let request = read_request(
        &state,
        &headers,
        &body,
        last_user_text(&body["messages"]),
        "claude-sonnet-4-5",
    );
    if let Some(Fault::Status(status)) = request.fault {
        return anthropic_error(status);
    }
    let tokens = answer_tokens(&request.prompt);
    let input_tokens = request.prompt.split_whitespace().count();
    let start_usage = json!({"input_tokens": input_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 1});
    let final_usage = json!({"input_tokens": input_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": tokens.len()});
    let stop_reason = if request.tool.is_some() {
        "tool_use"
    } else {
        "end_turn"
    };
    if !request.stream {
        let mut content = vec![json!({"type": "text", "text": tokens.concat()})];
        if let Some(name) = &request.tool {
            content.push(json!({"type": "tool_use", "id": "toolu_mock1", "name": name, "input": {"query": request.prompt}}));
        }
        return Json(json!({"id": "msg_mock1", "type": "message", "role": "assistant", "model": request.model,
            "content": content, "stop_reason": stop_reason, "stop_sequence": null, "usage": final_usage})).into_response();
    }
    let mut pieces = vec![
        named(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_mock1", "type": "message", "role": "assistant",
            "model": request.model, "content": [], "stop_reason": null, "stop_sequence": null, "usage": start_usage}}),
        ),
        named(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        // Anthropic's pings use Python-style separators; a JSON parser does not care.
        Piece::Event(Event::new().event("ping").data("{\"type\": \"ping\"}")),
    ];
    for (i, token) in tokens.iter().enumerate() {
        if i == 3 && request.fault == Some(Fault::MidstreamError) {
            pieces.push(Piece::Event(Event::new().event("error").data(
                "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}",
            )));
            return paced(pieces, request.delay);
        }
        if i == 3 && request.fault == Some(Fault::Drop) {
            pieces.push(Piece::Cut);
            return paced(pieces, request.delay);
        }
        pieces.push(named("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": token}})));
    }
    pieces.push(named(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    if let Some(name) = &request.tool {
        pieces.push(named(
            "content_block_start",
            json!({"type": "content_block_start", "index": 1,
            "content_block": {"type": "tool_use", "id": "toolu_mock1", "name": name, "input": {}}}),
        ));
        pieces.push(named("content_block_delta", json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": ""}})));
        for fragment in tool_fragments(&request.prompt) {
            pieces.push(named(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": fragment}}),
            ));
        }
        pieces.push(named(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 1}),
        ));
    }
    pieces.push(named("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": null}, "usage": final_usage})));
    pieces.push(named("message_stop", json!({"type": "message_stop"})));
    paced(pieces, request.delay)
}

/// The answer the mock gives to `prompt`, for tests and docs.
pub fn mock_answer(prompt: &str) -> String {
    answer_tokens(prompt).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse() {
        assert_eq!(parse_fault("429"), Some(Fault::Status(429)));
        assert_eq!(parse_fault("drop"), Some(Fault::Drop));
        assert_eq!(parse_fault("midstream-error"), Some(Fault::MidstreamError));
        assert_eq!(parse_fault("200"), None);
        assert_eq!(parse_fault("nonsense"), None);
    }

    #[test]
    fn tool_fragments_join_to_valid_json() {
        let fragments = tool_fragments("weather in Zürich?");
        assert!(fragments.len() > 2);
        let joined: Value = serde_json::from_str(&fragments.concat()).unwrap();
        assert_eq!(joined["query"], "weather in Zürich?");
    }

    #[test]
    fn answer_restates_the_prompt() {
        assert!(mock_answer("What   is\nSSE?").starts_with("You asked: \"What is SSE?\"."));
    }
}
