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
//! One generic handler, `handle`, serves all three: the token check's stream slot, reading the
//! request and its limits, the fault step, pacing and the streaming response. What differs per API
//! (where the prompt is, the events, the error shapes) is an `Api`, one file each:
//! `openai_chat.rs`, `openai_responses.rs`, `anthropic.rs`.
//!
//! Every streamed event is built from `sse_ai`'s wire types ([`sse_ai::openai_chat::Chunk`],
//! [`sse_ai::openai_responses::StreamEvent`], [`sse_ai::anthropic::StreamEvent`]), the same types
//! the client's accumulators read, so the two cannot drift apart unnoticed; so is every
//! non-streamed answer ([`sse_ai::openai_chat::CompletionObject`],
//! [`sse_ai::openai_responses::ResponseObject`], [`sse_ai::anthropic::MessageObject`]).
//! `tests/round_trip.rs` streams several prompts through each accumulator and reads each
//! non-streamed answer back into its type, and expects exactly [`mock_answer`]. Each streamed
//! answer is a `Script` of pieces (opening, answer tokens, closing) that goes through one fault
//! step, `Script::run`, whichever the API.
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

mod answer;
mod anthropic;
mod openai_chat;
mod openai_responses;

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
use serde_json::Value;
use sse_ai::ApiError;
use sse_format::Event;

use sse_server::limit::StreamSlot;
use sse_server::sse::sse_headers;

use crate::DemoState;
use answer::{Tokens, truncate};

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
        .route(
            "/v1/chat/completions",
            post(handle::<openai_chat::OpenAiChat>),
        )
        .route(
            "/v1/responses",
            post(handle::<openai_responses::OpenAiResponses>),
        )
        .route("/v1/messages", post(handle::<anthropic::Anthropic>))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// The answer the mock gives to `prompt`, for tests and docs (with the default word limit).
pub fn mock_answer(prompt: &str) -> String {
    Tokens::new(Arc::from(prompt), MockConfig::default().max_prompt_words).collect()
}

/// What differs between the APIs; [`handle`] does the rest.
trait Api {
    /// The model when the request names none.
    const DEFAULT_MODEL: &'static str;
    /// The answer to a request without `"stream": true`.
    type Whole: Serialize;
    /// The prompt: the text of the request's last user input.
    fn prompt(body: &Value) -> String;
    /// The vendor's error body for `error`, the same shape as its in-stream error.
    fn error_body(error: ApiError) -> Value;
    /// What an injected status fault reports.
    fn status_error(status: u16) -> ApiError;
    /// The whole answer at once: what [`Api::stream`] adds up to.
    fn whole(request: Request) -> Self::Whole;
    /// The streamed answer.
    fn stream(request: Request) -> Script;
}

// ANCHOR: handle
/// `POST` to any of the three endpoints: what every API does the same way.
async fn handle<A: Api>(
    State(state): State<DemoState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let prompt = A::prompt(&body);
    let request = match read_request(&state, &headers, &body, prompt, A::DEFAULT_MODEL) {
        Ok(request) => request,
        Err(message) => return invalid::<A>(&message),
    };
    if let Some(Fault::Status(status)) = request.fault {
        return status_error::<A>(status);
    }
    if !request.stream {
        return Json(A::whole(request)).into_response();
    }
    let slot = match slot::<A>(&state, peer, &headers) {
        Ok(slot) => slot,
        Err(refused) => return *refused,
    };
    let (delay, fault) = (request.delay, request.fault);
    paced(A::stream(request).run(fault), delay, slot)
}
// ANCHOR_END: handle

/// A fault to inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Status(u16),
    MidstreamError,
    Drop,
}

/// A request, read: what the APIs' answers are made of.
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

impl Request {
    /// The answer's tokens, from the start.
    fn tokens(&self) -> Tokens {
        Tokens::new(self.prompt.clone(), self.max_words)
    }

    /// Tokens in the prompt (one per word).
    fn prompt_tokens(&self) -> u64 {
        self.prompt.split_whitespace().count() as u64
    }
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

/// The vendor's error response for an injected status fault (`Retry-After: 1` with 429 and 503).
fn status_error<A: Api>(status: u16) -> Response {
    let body = A::error_body(A::status_error(status));
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, "1".parse().expect("valid header"));
    }
    response
}

/// `400` in the vendor's shape.
fn invalid<A: Api>(message: &str) -> Response {
    let error = ApiError::new(message).with_kind("invalid_request_error");
    (StatusCode::BAD_REQUEST, Json(A::error_body(error))).into_response()
}

/// A stream slot for the client (none to take when served without peer addresses), or the
/// vendor's `429` when the client has all its streams open.
fn slot<A: Api>(
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
        None => Err(Box::new(status_error::<A>(429))),
    }
}

/// One piece of a mock stream: an event, or a broken connection.
enum Piece {
    Event(Event),
    /// An event built once its number among the numbered events actually sent is known
    /// (Responses' `sequence_number`).
    Numbered(Box<dyn FnOnce(u64) -> Event + Send>),
    Cut,
}

/// Pieces produced on demand.
type Pieces = Box<dyn Iterator<Item = Piece> + Send>;

/// A streamed answer: the opening pieces, the answer's pieces (one per token, produced on
/// demand), the closing pieces (built only if the answer ends normally), and the vendor's
/// in-stream error pieces.
struct Script {
    opening: Vec<Piece>,
    answer: Pieces,
    closing: Box<dyn FnOnce() -> Vec<Piece> + Send>,
    error: Vec<Piece>,
}

impl Script {
    /// The one fault step of every streamed answer: the opening pieces, then the answer's pieces
    /// and its closing ones; or, with a `midstream-error` or `drop` fault, [`FAULT_AFTER`] answer
    /// pieces and then the vendor's error pieces or a cut.
    fn run(self, fault: Option<Fault>) -> Pieces {
        let Script {
            opening,
            answer,
            closing,
            error,
        } = self;
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
}

/// Paces the pieces and turns them into a streaming SSE response; `slot` (the client's stream
/// slot) is held until the stream ends.
fn paced(pieces: Pieces, delay: Duration, slot: Option<StreamSlot>) -> Response {
    let body = futures::stream::iter(numbered(pieces)).then(move |event| async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match event {
            Some(event) => Ok(Bytes::from(
                event.to_bytes().expect("mock events are valid"),
            )),
            None => {
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

/// The events to send (`None` for the cut), each [`Piece::Numbered`] one built with its number,
/// counted from 0 over what is sent.
fn numbered(pieces: Pieces) -> impl Iterator<Item = Option<Event>> + Send {
    let mut next = 0u64;
    pieces.map(move |piece| match piece {
        Piece::Event(event) => Some(event),
        Piece::Numbered(build) => {
            next += 1;
            Some(build(next - 1))
        }
        Piece::Cut => None,
    })
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

/// JSON text of a wire type: the `sse_ai` types hold strings, numbers and JSON values only,
/// which always encode.
fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// JSON value of a wire type (an error body), as [`to_json`].
fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// A named event (Responses, Messages: the name is the JSON's `type`).
fn named(kind: &str, value: &impl Serialize) -> Piece {
    Piece::Event(Event::new().event(kind).data(to_json(value)))
}

/// Now, in Unix seconds.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
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
}
