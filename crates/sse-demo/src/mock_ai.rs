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
//!
//! Every streamed event is built from `sse_client::ai`'s wire types ([`chat::Chunk`],
//! [`responses::StreamEvent`], [`anthropic::StreamEvent`]), the same types the client's
//! accumulators read, so the two cannot drift apart unnoticed; so is every non-streamed answer
//! ([`chat::CompletionObject`], [`responses::ResponseObject`], [`anthropic::MessageObject`]).
//! `tests/round_trip.rs` streams several prompts through each accumulator and reads each
//! non-streamed answer back into its type, and expects exactly [`mock_answer`]. Each streamed
//! answer is a script of pieces (opening, answer tokens, closing) that goes through one fault
//! step, `script`, whichever the API.
//!
//! Bounded by construction, since anyone who can reach the server can call these endpoints: the
//! answer is produced lazily, one event when the client is ready for it (never the whole answer in
//! memory); the request body is at most [`MAX_BODY`]; a `model` longer than
//! [`MockConfig::max_model_len`] and a delay above [`MockConfig::max_token_delay`] are refused with
//! `400`; the prompt is restated up to [`MockConfig::max_prompt_words`] words (then `…`). With a
//! token configured the endpoints require it (`Authorization: Bearer`, or `x-api-key` as the
//! Anthropic SDKs send it), and a streamed answer takes one of the client's stream slots.
//!
//! [`crate::router`] mounts these endpoints with the rest of the demo. What each of them answers:
//!
//! ```
//! use sse_demo::mock_ai::mock_answer;
//!
//! // The same text from all three APIs, one word per event.
//! let answer = mock_answer("What   is\nSSE?");
//! assert!(answer.starts_with("You asked: \"What is SSE?\". Server-sent events"));
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde::Serialize;
use serde_json::{Map, Value};
use sse_client::ai::ApiError;
use sse_client::ai::anthropic;
use sse_client::ai::openai_chat as chat;
use sse_client::ai::openai_responses as responses;
use sse_format::Event;

use sse_server::limit::StreamSlot;
use sse_server::sse::sse_headers;

use crate::DemoState;

/// Largest request body the mock endpoints read.
pub const MAX_BODY: usize = 256 * 1024;

/// Tokens sent before an injected `midstream-error` or `drop`.
const FAULT_AFTER: usize = 3;

/// Settings of the mock endpoints.
#[derive(Clone, Copy, Debug)]
pub struct MockConfig {
    /// Pause between tokens unless the request says otherwise.
    pub token_delay: Duration,
    /// Largest `x-mock-token-delay-ms` accepted.
    pub max_token_delay: Duration,
    /// Longest `model` accepted, in bytes (it is repeated in every chunk).
    pub max_model_len: usize,
    /// Prompt words restated in the answer; the rest is shown as `…`. This bounds the answer's
    /// length, and so how long a paced answer can hold a connection.
    pub max_prompt_words: usize,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            token_delay: Duration::from_millis(40),
            max_token_delay: Duration::from_millis(1000),
            max_model_len: 256,
            max_prompt_words: 200,
        }
    }
}

/// The three endpoints, with the body limit. [`crate::router`] mounts them behind the token check.
pub fn routes() -> Router<DemoState> {
    Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/responses", post(responses))
        .route("/v1/messages", post(messages))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// A fault to inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Status(u16),
    MidstreamError,
    Drop,
}

/// Which API's shapes the errors take.
#[derive(Clone, Copy, Debug)]
enum Vendor {
    OpenAi,
    Anthropic,
}

struct Request {
    prompt: Arc<str>,
    model: String,
    stream: bool,
    include_usage: bool,
    tool: Option<String>,
    delay: Duration,
    fault: Option<Fault>,
    max_words: usize,
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

/// Reads the common fields, or says why the request is refused (a `400`).
fn read_request(
    state: &DemoState,
    headers: &HeaderMap,
    body: &Value,
    prompt: String,
    default_model: &str,
) -> Result<Request, String> {
    let mock = state.mock;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let fault = header("x-mock-fault").and_then(parse_fault).or_else(|| {
        let start = prompt.find("[fault:")? + "[fault:".len();
        let end = prompt[start..].find(']')? + start;
        parse_fault(&prompt[start..end])
    });
    let delay = match header("x-mock-token-delay-ms") {
        None => mock.token_delay,
        Some(value) => match value.trim().parse::<u64>().map(Duration::from_millis) {
            Ok(delay) if delay <= mock.max_token_delay => delay,
            _ => {
                let message = format!(
                    "x-mock-token-delay-ms must be a whole number of milliseconds up to {}",
                    mock.max_token_delay.as_millis()
                );
                return Err(message);
            }
        },
    };
    let model = body["model"].as_str().unwrap_or(default_model);
    if model.len() > mock.max_model_len {
        let message = format!(
            "model is {} bytes long; the mock accepts at most {}",
            model.len(),
            mock.max_model_len
        );
        return Err(message);
    }
    let tool = body["tools"]
        .as_array()
        .and_then(|tools| tools.first())
        .and_then(|t| {
            // OpenAI Chat nests the name under "function"; Responses and Anthropic do not.
            t["function"]["name"]
                .as_str()
                .or(t["name"].as_str())
                .map(|name| truncate(name, mock.max_model_len).to_owned())
        });
    Ok(Request {
        prompt: Arc::from(prompt),
        model: model.to_owned(),
        stream: body["stream"].as_bool().unwrap_or(false),
        include_usage: body["stream_options"]["include_usage"]
            .as_bool()
            .unwrap_or(false),
        tool,
        delay,
        fault,
        max_words: mock.max_prompt_words,
    })
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    let mut cut = text.len().min(max);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

const ANSWER_END: &str =
    "Server-sent events let a server push updates to a client over one long HTTP response.";

/// The deterministic answer, token by token (each a word with its leading space), produced on
/// demand from the prompt: `You asked: "<prompt>". Server-sent events let ...`, the prompt's
/// whitespace collapsed and cut after `max_words` words.
#[derive(Clone, Debug)]
struct Tokens {
    prompt: Arc<str>,
    /// Byte offset of the rest of the prompt, or of the rest of [`ANSWER_END`].
    at: usize,
    words_left: usize,
    stage: Stage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    You,
    Asked,
    Prompt { first: bool },
    Ellipsis,
    End,
    Done,
}

/// The next whitespace-separated word of `text` from `*at`, moving `*at` past it.
fn next_word<'a>(text: &'a str, at: &mut usize) -> Option<&'a str> {
    let rest = &text[*at..];
    let start = rest.find(|c: char| !c.is_whitespace())?;
    let len = rest[start..]
        .find(char::is_whitespace)
        .unwrap_or(rest.len() - start);
    *at += start + len;
    Some(&rest[start..start + len])
}

impl Tokens {
    fn new(prompt: Arc<str>, max_words: usize) -> Self {
        Tokens {
            prompt,
            at: 0,
            words_left: max_words.max(1),
            stage: Stage::You,
        }
    }
}

impl Iterator for Tokens {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        match self.stage {
            Stage::You => {
                self.stage = Stage::Asked;
                Some("You".into())
            }
            Stage::Asked => {
                self.stage = Stage::Prompt { first: true };
                Some(" asked:".into())
            }
            Stage::Prompt { first } => {
                let open = if first { "\"" } else { "" };
                let Some(word) = next_word(&self.prompt, &mut self.at) else {
                    self.stage = Stage::End;
                    self.at = 0;
                    return Some(" \"\".".into());
                };
                self.words_left -= 1;
                let more = self.prompt[self.at..].chars().any(|c| !c.is_whitespace());
                let token = if !more {
                    self.stage = Stage::End;
                    format!(" {open}{word}\".")
                } else if self.words_left == 0 {
                    self.stage = Stage::Ellipsis;
                    format!(" {open}{word}")
                } else {
                    self.stage = Stage::Prompt { first: false };
                    format!(" {open}{word}")
                };
                if self.stage == Stage::End {
                    self.at = 0;
                }
                Some(token)
            }
            Stage::Ellipsis => {
                self.stage = Stage::End;
                self.at = 0;
                Some(" …\".".into())
            }
            Stage::End => match next_word(ANSWER_END, &mut self.at) {
                Some(word) => Some(format!(" {word}")),
                None => {
                    self.stage = Stage::Done;
                    None
                }
            },
            Stage::Done => None,
        }
    }
}

/// The arguments of the mock's tool call: `{"query": <the prompt's first 4 KiB>}`.
#[derive(Serialize)]
struct ToolArguments<'a> {
    query: &'a str,
}

/// Tool arguments as JSON text.
fn tool_arguments(prompt: &str) -> String {
    let arguments = ToolArguments {
        query: truncate(prompt, 4096),
    };
    serde_json::to_string(&arguments).unwrap_or_default() // a struct of one string always encodes
}

/// Tool arguments as a JSON value (Anthropic's `input`).
fn tool_input(prompt: &str) -> Value {
    let arguments = ToolArguments {
        query: truncate(prompt, 4096),
    };
    serde_json::to_value(arguments).unwrap_or_default() // a struct of one string always encodes
}

/// Tool arguments split into fragments of about 8 bytes, the way models stream them.
fn tool_fragments(prompt: &str) -> impl Iterator<Item = String> + Send + 'static {
    let arguments = tool_arguments(prompt);
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = &arguments[at..];
        if rest.is_empty() {
            return None;
        }
        let mut cut = rest.len().min(8);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        at += cut;
        Some(rest[..cut].to_owned())
    })
}

/// One piece of a mock stream: an event, or a broken connection.
enum Piece {
    Event(Event),
    /// A Responses event, numbered by [`with_sequence_numbers`] on its way out.
    Response(Box<responses::StreamEvent>),
    Cut,
}

/// Pieces produced on demand.
type Pieces = Box<dyn Iterator<Item = Piece> + Send>;

/// The one fault step of every streamed answer: the opening pieces, then the answer's pieces and
/// its closing ones; or, with a `midstream-error` or `drop` fault, [`FAULT_AFTER`] answer pieces
/// and then the vendor's error pieces or a cut.
fn script(
    opening: Vec<Piece>,
    answer: impl Iterator<Item = Piece> + Send + 'static,
    closing: impl FnOnce() -> Vec<Piece> + Send + 'static,
    fault: Option<Fault>,
    error: Vec<Piece>,
) -> Pieces {
    let opening = opening.into_iter();
    match fault {
        Some(Fault::MidstreamError) => {
            Box::new(opening.chain(answer.take(FAULT_AFTER)).chain(error))
        }
        Some(Fault::Drop) => Box::new(
            opening
                .chain(answer.take(FAULT_AFTER))
                .chain(std::iter::once(Piece::Cut)),
        ),
        _ => Box::new(
            opening
                .chain(answer)
                .chain(std::iter::once_with(closing).flatten()),
        ),
    }
}

/// Paces the pieces and turns them into a streaming SSE response; `slot` (the client's stream
/// slot) is held until the stream ends.
fn paced(pieces: Pieces, delay: Duration, slot: Option<StreamSlot>) -> Response {
    let body = futures::stream::iter(pieces).then(move |piece| async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match piece {
            Piece::Event(event) => Ok(Bytes::from(
                event.to_bytes().expect("mock events are valid"),
            )),
            Piece::Response(event) => Ok(Bytes::from(
                Event::new()
                    .event(event.kind.as_str())
                    .data(to_json(&event))
                    .to_bytes()
                    .expect("mock events are valid"),
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
    let body = stop_after_error(body).map(move |item| {
        let _ = &slot;
        item
    });
    (sse_headers(), Body::from_stream(body)).into_response()
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

/// JSON text of a wire type: the `sse_client::ai` types hold strings, numbers and JSON values
/// only, which always encode.
fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A data-only event (Chat Completions).
fn data(value: &impl Serialize) -> Piece {
    Piece::Event(Event::new().data(to_json(value)))
}

/// A named event (Responses, Messages: the name is the JSON's `type`).
fn named(kind: &str, value: &impl Serialize) -> Piece {
    Piece::Event(Event::new().event(kind).data(to_json(value)))
}

/// Chat Completions' `data: [DONE]`.
fn done() -> Piece {
    Piece::Event(Event::new().data("[DONE]"))
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

impl Vendor {
    /// The vendor's error body: `{"error": {...}}` (OpenAI) or `{"type": "error", "error":
    /// {...}}` (Anthropic), the same shapes as their in-stream errors.
    fn error_body(self, kind: &str, code: Option<&str>, message: String) -> Value {
        let error = ApiError {
            kind: Some(kind.into()),
            code: code.map(str::to_owned),
            message,
        };
        let body = match self {
            Vendor::OpenAi => serde_json::to_value(chat::ErrorChunk { error }),
            Vendor::Anthropic => serde_json::to_value(anthropic::StreamEvent::Error { error }),
        };
        body.unwrap_or_default() // strings only: always encodes
    }

    /// The vendor's error response for an injected status fault.
    fn error(self, status: u16) -> Response {
        let body = match self {
            Vendor::OpenAi => match status {
                429 => self.error_body(
                    "requests",
                    Some("rate_limit_exceeded"),
                    "Rate limit reached (mock). Please try again in 1s.".into(),
                ),
                _ => self.error_body(
                    "server_error",
                    Some("server_error"),
                    "The server had an error while processing your request (mock).".into(),
                ),
            },
            Vendor::Anthropic => {
                let kind = match status {
                    429 => "rate_limit_error",
                    529 => "overloaded_error",
                    _ => "api_error",
                };
                self.error_body(kind, None, format!("{kind} (mock)"))
            }
        };
        status_error(status, body)
    }

    /// `400` in the vendor's shape.
    fn invalid(self, message: &str) -> Response {
        let body = self.error_body("invalid_request_error", None, message.to_owned());
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    }

    /// A stream slot for the client (none to take when served without peer addresses), or the
    /// vendor's `429` when the client has all its streams open.
    fn slot(
        self,
        state: &DemoState,
        peer: Option<Extension<ConnectInfo<SocketAddr>>>,
        headers: &HeaderMap,
    ) -> Result<Option<StreamSlot>, Box<Response>> {
        let Some(Extension(ConnectInfo(peer))) = peer else {
            return Ok(None);
        };
        let server = &state.server;
        match server.limit.acquire(server.client_ip(peer, headers)) {
            Some(slot) => Ok(Some(slot)),
            None => Err(Box::new(self.error(429))),
        }
    }
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
    State(state): State<DemoState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let vendor = Vendor::OpenAi;
    let prompt = last_user_text(&body["messages"]);
    let request = match read_request(&state, &headers, &body, prompt, "gpt-4o-mini") {
        Ok(request) => request,
        Err(message) => return vendor.invalid(&message),
    };
    if let Some(Fault::Status(status)) = request.fault {
        return vendor.error(status);
    }
    let id = format!("chatcmpl-mock{:08x}", now() % 0xffff_ffff);
    let created = now();
    let tokens = Tokens::new(request.prompt.clone(), request.max_words);
    let prompt_tokens = request.prompt.split_whitespace().count() as u64;
    let completion_tokens = tokens.clone().count() as u64;
    let usage = chat::Usage {
        prompt_tokens,
        completion_tokens,
        total_tokens: prompt_tokens + completion_tokens,
    };
    if !request.stream {
        // The whole answer at once: what the stream below adds up to.
        let (message, finish) = match &request.tool {
            Some(name) => {
                let call = chat::MessageToolCall {
                    id: "call_mock1".into(),
                    kind: Some("function".into()),
                    function: chat::FunctionCall {
                        name: name.clone(),
                        arguments: tool_arguments(&request.prompt),
                    },
                };
                let message = chat::CompletionMessage {
                    role: Some("assistant".into()),
                    content: None,
                    tool_calls: Some(vec![call]),
                    refusal: None,
                };
                (message, "tool_calls")
            }
            None => {
                let message = chat::CompletionMessage {
                    role: Some("assistant".into()),
                    content: Some(tokens.collect()),
                    ..chat::CompletionMessage::default()
                };
                (message, "stop")
            }
        };
        let completion = chat::CompletionObject {
            id: Some(id),
            object: Some(chat::COMPLETION_OBJECT.into()),
            created: Some(created),
            model: Some(request.model),
            system_fingerprint: Some("fp_mock".into()),
            choices: vec![chat::CompletionChoice {
                index: 0,
                message,
                logprobs: None,
                finish_reason: Some(finish.into()),
            }],
            usage: serde_json::to_value(usage).ok(),
        };
        return Json(completion).into_response();
    }
    let slot = match vendor.slot(&state, peer, &headers) {
        Ok(slot) => slot,
        Err(refused) => return *refused,
    };
    let (model, include_usage) = (Arc::<str>::from(request.model), request.include_usage);
    // Every chunk of the answer: the same metadata, one choice with this delta.
    let chunk = {
        let id = id.clone();
        let model = model.clone();
        move |delta: chat::Delta, finish: Option<&str>| {
            data(&chat::Chunk {
                id: Some(id.clone()),
                object: Some(chat::CHUNK_OBJECT.into()),
                created: Some(created),
                model: Some(model.to_string()),
                system_fingerprint: Some("fp_mock".into()),
                choices: vec![chat::ChunkChoice {
                    index: 0,
                    delta,
                    logprobs: None,
                    finish_reason: finish.map(str::to_owned),
                }],
                // With include_usage, every chunk says `"usage": null` until the last.
                usage: include_usage.then_some(Value::Null),
                error: None,
            })
        }
    };
    let error = vec![
        data(&chat::ErrorChunk {
            error: ApiError {
                kind: Some("server_error".into()),
                code: None,
                message: "The server had an error while processing your request (mock).".into(),
            },
        }),
        done(),
    ];
    let (opening, answer, finish): (_, Pieces, _) = match &request.tool {
        Some(name) => {
            let call = chat::ToolCallDelta {
                index: 0,
                id: Some("call_mock1".into()),
                kind: Some("function".into()),
                function: Some(chat::FunctionDelta {
                    name: Some(name.clone()),
                    arguments: Some(String::new()),
                }),
            };
            let opening = chat::Delta {
                role: Some("assistant".into()),
                tool_calls: Some(vec![call]),
                ..chat::Delta::default()
            };
            let fragment = chunk.clone();
            let answer = tool_fragments(&request.prompt).map(move |arguments| {
                let call = chat::ToolCallDelta {
                    index: 0,
                    function: Some(chat::FunctionDelta {
                        name: None,
                        arguments: Some(arguments),
                    }),
                    ..chat::ToolCallDelta::default()
                };
                let delta = chat::Delta {
                    tool_calls: Some(vec![call]),
                    ..chat::Delta::default()
                };
                fragment(delta, None)
            });
            (chunk(opening, None), Box::new(answer), "tool_calls")
        }
        None => {
            let opening = chat::Delta {
                role: Some("assistant".into()),
                content: Some(String::new()),
                ..chat::Delta::default()
            };
            let token = chunk.clone();
            let answer = tokens.map(move |text| {
                let delta = chat::Delta {
                    content: Some(text),
                    ..chat::Delta::default()
                };
                token(delta, None)
            });
            (chunk(opening, None), Box::new(answer), "stop")
        }
    };
    let closing = move || {
        let mut closing = vec![chunk(chat::Delta::default(), Some(finish))];
        if include_usage {
            closing.push(data(&chat::Chunk {
                id: Some(id),
                object: Some(chat::CHUNK_OBJECT.into()),
                created: Some(created),
                model: Some(model.to_string()),
                usage: serde_json::to_value(usage).ok(),
                ..chat::Chunk::default()
            }));
        }
        closing.push(done());
        closing
    };
    let pieces = script(vec![opening], answer, closing, request.fault, error);
    paced(pieces, request.delay, slot)
}
// ANCHOR_END: chat_completions

/// `POST /v1/responses`.
pub async fn responses(
    State(state): State<DemoState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let vendor = Vendor::OpenAi;
    let prompt = match &body["input"] {
        Value::String(text) => text.clone(),
        input => last_user_text(input),
    };
    let request = match read_request(&state, &headers, &body, prompt, "gpt-4o-mini") {
        Ok(request) => request,
        Err(message) => return vendor.invalid(&message),
    };
    if let Some(Fault::Status(status)) = request.fault {
        return vendor.error(status);
    }
    let tokens = Tokens::new(request.prompt.clone(), request.max_words);
    let response_id = format!("resp_mock{:08x}", now() % 0xffff_ffff);
    let input_tokens = request.prompt.split_whitespace().count() as u64;
    let output_tokens = tokens.clone().count() as u64;
    let usage = serde_json::to_value(responses::Usage {
        input_tokens,
        output_tokens,
        total_tokens: input_tokens + output_tokens,
        ..responses::Usage::default()
    })
    .ok();
    let model = Arc::<str>::from(request.model);
    let response = move |status: &str, output: Vec<responses::OutputItem>, usage: Option<Value>| {
        responses::ResponseObject {
            id: Some(response_id.clone()),
            object: Some("response".into()),
            created_at: Some(now()),
            status: Some(status.into()),
            model: Some(model.to_string()),
            output: Some(output),
            usage,
            error: None,
        }
    };
    let message = |status: &str, content: Vec<responses::ContentPart>| responses::OutputItem {
        id: Some(MESSAGE_ID.into()),
        kind: "message".into(),
        status: Some(status.into()),
        role: Some("assistant".into()),
        content: Some(content),
        ..responses::OutputItem::default()
    };
    let part = |text: &str| responses::ContentPart {
        kind: "output_text".into(),
        text: Some(text.into()),
        annotations: Some(Vec::new()),
    };
    if !request.stream {
        let text: String = tokens.collect();
        let done = response(
            "completed",
            vec![message("completed", vec![part(&text)])],
            usage,
        );
        return Json(done).into_response();
    }
    let slot = match vendor.slot(&state, peer, &headers) {
        Ok(slot) => slot,
        Err(refused) => return *refused,
    };
    let lifecycle = |kind: &str, response: responses::ResponseObject| {
        let mut event = responses::StreamEvent::new(kind);
        event.response = Some(response);
        Piece::Response(Box::new(event))
    };
    let item = |kind: &str, item: responses::OutputItem| {
        let mut event = responses::StreamEvent::new(kind);
        event.output_index = Some(0);
        event.item = Some(item);
        Piece::Response(Box::new(event))
    };
    let opening = vec![
        lifecycle(
            "response.created",
            response("in_progress", Vec::new(), None),
        ),
        lifecycle(
            "response.in_progress",
            response("in_progress", Vec::new(), None),
        ),
        item(
            "response.output_item.added",
            message("in_progress", Vec::new()),
        ),
        Piece::Response(Box::new(responses::StreamEvent {
            part: Some(part("")),
            ..in_message("response.content_part.added")
        })),
    ];
    let mut error = responses::StreamEvent::new("error");
    error.code = Some("server_error".into());
    error.message = Some("The server had an error (mock).".into());
    let error = vec![
        Piece::Response(Box::new(error)),
        lifecycle("response.failed", response("failed", Vec::new(), None)),
    ];
    let answer = tokens.clone().map(|token| {
        Piece::Response(Box::new(responses::StreamEvent {
            delta: Some(token),
            logprobs: Some(Vec::new()),
            ..in_message("response.output_text.delta")
        }))
    });
    let closing = move || {
        // The finished text, once, at the end: bounded by `max_prompt_words`.
        let text: String = tokens.collect();
        vec![
            Piece::Response(Box::new(responses::StreamEvent {
                text: Some(text.clone()),
                logprobs: Some(Vec::new()),
                ..in_message("response.output_text.done")
            })),
            Piece::Response(Box::new(responses::StreamEvent {
                part: Some(part(&text)),
                ..in_message("response.content_part.done")
            })),
            item(
                "response.output_item.done",
                message("completed", vec![part(&text)]),
            ),
            lifecycle(
                "response.completed",
                response(
                    "completed",
                    vec![message("completed", vec![part(&text)])],
                    usage,
                ),
            ),
        ]
    };
    let pieces = script(opening, answer, closing, request.fault, error);
    paced(with_sequence_numbers(pieces), request.delay, slot)
}

/// The id of the mock's one output message.
const MESSAGE_ID: &str = "msg_mock1";

/// A Responses event about the first content part of the mock's message.
fn in_message(kind: &str) -> responses::StreamEvent {
    responses::StreamEvent {
        item_id: Some(MESSAGE_ID.into()),
        output_index: Some(0),
        content_index: Some(0),
        ..responses::StreamEvent::new(kind)
    }
}

/// Numbers every Responses event (`sequence_number`), counted over what is sent.
fn with_sequence_numbers(pieces: Pieces) -> Pieces {
    let mut seq = 0u64;
    Box::new(pieces.map(move |piece| match piece {
        Piece::Response(mut event) => {
            event.sequence_number = Some(seq);
            seq += 1;
            Piece::Response(event)
        }
        other => other,
    }))
}

/// `POST /v1/messages`.
pub async fn messages(
    State(state): State<DemoState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let vendor = Vendor::Anthropic;
    let prompt = last_user_text(&body["messages"]);
    let request = match read_request(&state, &headers, &body, prompt, "claude-sonnet-4-5") {
        Ok(request) => request,
        Err(message) => return vendor.invalid(&message),
    };
    if let Some(Fault::Status(status)) = request.fault {
        return vendor.error(status);
    }
    let tokens = Tokens::new(request.prompt.clone(), request.max_words);
    let input_tokens = request.prompt.split_whitespace().count() as u64;
    let output_tokens = tokens.clone().count() as u64;
    let start_usage = anthropic::Usage {
        input_tokens,
        output_tokens: 1,
        ..anthropic::Usage::default()
    };
    let final_usage = anthropic::Usage {
        input_tokens,
        output_tokens,
        ..anthropic::Usage::default()
    };
    let stop_reason = if request.tool.is_some() {
        "tool_use"
    } else {
        "end_turn"
    };
    if !request.stream {
        // The whole message at once: the blocks the stream below builds, complete.
        let mut content = vec![anthropic::ContentBlock::Text {
            text: tokens.collect(),
        }];
        if let Some(name) = request.tool {
            content.push(anthropic::ContentBlock::ToolUse {
                id: "toolu_mock1".into(),
                name,
                input: tool_input(&request.prompt),
            });
        }
        let message = anthropic::MessageObject {
            id: Some("msg_mock1".into()),
            kind: Some("message".into()),
            role: Some("assistant".into()),
            model: Some(request.model),
            content,
            stop_reason: Some(stop_reason.into()),
            stop_sequence: None,
            usage: Some(final_usage.to_map()),
        };
        return Json(message).into_response();
    }
    let slot = match vendor.slot(&state, peer, &headers) {
        Ok(slot) => slot,
        Err(refused) => return *refused,
    };
    use anthropic::{BlockDelta, ContentBlock, StreamEvent};
    let opening = vec![
        message_event(&StreamEvent::MessageStart {
            message: anthropic::MessageStart {
                id: Some("msg_mock1".into()),
                kind: Some("message".into()),
                role: Some("assistant".into()),
                model: Some(request.model),
                content: Some(Vec::new()),
                stop_reason: None,
                stop_sequence: None,
                usage: Some(start_usage.to_map()),
            },
        }),
        message_event(&StreamEvent::ContentBlockStart {
            index: 0,
            content_block: ContentBlock::Text {
                text: String::new(),
            },
        }),
        message_event(&StreamEvent::Ping),
    ];
    let error = vec![message_event(&StreamEvent::Error {
        error: ApiError {
            kind: Some("overloaded_error".into()),
            code: None,
            message: "Overloaded".into(),
        },
    })];
    let text_delta = |index: u32, delta: BlockDelta| {
        message_event(&StreamEvent::ContentBlockDelta { index, delta })
    };
    let answer = tokens.map(move |text| text_delta(0, BlockDelta::TextDelta { text }));
    let (tool, prompt) = (request.tool, request.prompt);
    let closing = move || {
        let mut closing = vec![message_event(&StreamEvent::ContentBlockStop { index: 0 })];
        if let Some(name) = tool {
            closing.push(message_event(&StreamEvent::ContentBlockStart {
                index: 1,
                content_block: ContentBlock::ToolUse {
                    id: "toolu_mock1".into(),
                    name,
                    input: Value::Object(Map::new()),
                },
            }));
            let partial_json = String::new();
            closing.push(text_delta(1, BlockDelta::InputJsonDelta { partial_json }));
            // At most 4 KiB of arguments, in 8-byte fragments: bounded.
            closing
                .extend(tool_fragments(&prompt).map(|partial_json| {
                    text_delta(1, BlockDelta::InputJsonDelta { partial_json })
                }));
            closing.push(message_event(&StreamEvent::ContentBlockStop { index: 1 }));
        }
        closing.push(message_event(&StreamEvent::MessageDelta {
            delta: anthropic::MessageDeltaBody {
                stop_reason: Some(stop_reason.into()),
                stop_sequence: None,
            },
            usage: Some(final_usage.to_map()),
        }));
        closing.push(message_event(&StreamEvent::MessageStop));
        closing
    };
    let pieces = script(opening, answer, closing, request.fault, error);
    paced(pieces, request.delay, slot)
}

/// A Messages event, named after its type as the API names them.
fn message_event(event: &anthropic::StreamEvent) -> Piece {
    use anthropic::StreamEvent as E;
    let name = match event {
        E::MessageStart { .. } => "message_start",
        E::ContentBlockStart { .. } => "content_block_start",
        E::ContentBlockDelta { .. } => "content_block_delta",
        E::ContentBlockStop { .. } => "content_block_stop",
        E::MessageDelta { .. } => "message_delta",
        E::MessageStop => "message_stop",
        E::Ping => "ping",
        E::Error { .. } => "error",
        // Never built here: the mock writes only the types above.
        E::Unknown => "unknown",
    };
    named(name, event)
}

/// The answer the mock gives to `prompt`, for tests and docs (with the default word limit).
pub fn mock_answer(prompt: &str) -> String {
    Tokens::new(Arc::from(prompt), MockConfig::default().max_prompt_words).collect()
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
        let fragments: Vec<String> = tool_fragments("weather in Zürich?").collect();
        assert!(fragments.len() > 2);
        let joined: Value = serde_json::from_str(&fragments.concat()).unwrap();
        assert_eq!(joined["query"], "weather in Zürich?");
    }

    #[test]
    fn answer_restates_the_prompt() {
        assert!(mock_answer("What   is\nSSE?").starts_with("You asked: \"What is SSE?\"."));
        assert!(mock_answer("").starts_with("You asked: \"\". Server-sent"));
        assert!(mock_answer("  one  ").starts_with("You asked: \"one\". Server-sent"));
        assert!(mock_answer("a b").ends_with("over one long HTTP response."));
    }

    #[test]
    fn tokens_are_words_with_their_leading_space() {
        let tokens: Vec<String> = Tokens::new(Arc::from("hi there"), 10).collect();
        assert_eq!(
            tokens[..5],
            ["You", " asked:", " \"hi", " there\".", " Server-sent"]
        );
        assert_eq!(tokens.len(), 4 + ANSWER_END.split(' ').count());
    }

    #[test]
    fn long_prompts_are_cut_after_the_word_limit() {
        let prompt = "word ".repeat(20_000);
        let tokens: Vec<String> = Tokens::new(Arc::from(prompt.as_str()), 200).collect();
        // You, asked:, 200 words, the ellipsis, and the fixed end.
        assert_eq!(tokens.len(), 2 + 200 + 1 + ANSWER_END.split(' ').count());
        assert_eq!(tokens[202], " …\".");
        // Exactly at the limit: no ellipsis.
        let exact: String = Tokens::new(Arc::from("a b c"), 3).collect();
        assert!(exact.starts_with("You asked: \"a b c\". Server"), "{exact}");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate("Zürich", 2), "Z");
        assert_eq!(truncate("Zürich", 3), "Zü");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
