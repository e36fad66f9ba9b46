//! `POST /v1/chat/completions`: OpenAI Chat Completions. Data-only chunks ending with
//! `data: [DONE]`; the OpenAI error shape, `{"error": {...}}`, which the Responses API shares.

use std::sync::Arc;

use serde_json::Value;
use sse_ai::ApiError;
use sse_ai::openai_chat::{
    Chunk, ChunkChoice, CompletionChoice, CompletionMessage, CompletionObject, Delta, ErrorChunk,
    FunctionCall, FunctionDelta, MessageToolCall, ToolCallDelta, Usage,
};
use sse_format::Event;

use super::answer::{tool_arguments, tool_fragments};
use super::{Api, Piece, Pieces, Request, Script, last_user_text, now, to_json, to_value};

/// OpenAI Chat Completions.
pub(super) struct OpenAiChat;

// ANCHOR: chat_completions
impl Api for OpenAiChat {
    const DEFAULT_MODEL: &'static str = "gpt-4o-mini";
    type Whole = CompletionObject;

    fn prompt(body: &Value) -> String {
        last_user_text(&body["messages"])
    }

    fn error_body(error: ApiError) -> Value {
        to_value(&ErrorChunk::new(error))
    }

    fn status_error(status: u16) -> ApiError {
        match status {
            429 => ApiError::new("Rate limit reached (mock). Please try again in 1s.")
                .with_kind("requests")
                .with_code("rate_limit_exceeded"),
            _ => ApiError::new("The server had an error while processing your request (mock).")
                .with_kind("server_error")
                .with_code("server_error"),
        }
    }

    fn whole(request: Request) -> CompletionObject {
        // The whole answer at once: what the stream below adds up to.
        let (message, finish) = match &request.tool {
            Some(name) => {
                let function = FunctionCall::new(name.clone(), tool_arguments(&request.prompt));
                let call = MessageToolCall::new("call_mock1", function).with_kind("function");
                let message = CompletionMessage::new()
                    .with_role("assistant")
                    .with_tool_call(call);
                (message, "tool_calls")
            }
            None => {
                let message = CompletionMessage::new()
                    .with_role("assistant")
                    .with_content(request.tokens().collect::<String>());
                (message, "stop")
            }
        };
        let usage = usage(&request);
        CompletionObject::new(completion_id(), now(), request.model)
            .with_system_fingerprint("fp_mock")
            .with_choice(CompletionChoice::new(0, message).with_finish_reason(finish))
            .with_usage(usage.to_value())
    }

    fn stream(request: Request) -> Script {
        let (id, created) = (completion_id(), now());
        let usage = usage(&request);
        let tokens = request.tokens();
        let (model, include_usage) = (Arc::<str>::from(request.model), request.include_usage);
        // Every chunk of the answer: the same metadata, one choice with this delta.
        let chunk = {
            let id = id.clone();
            let model = model.clone();
            move |delta: Delta, finish: Option<&str>| {
                let mut choice = ChunkChoice::new(0, delta);
                if let Some(finish) = finish {
                    choice = choice.with_finish_reason(finish);
                }
                let mut chunk = Chunk::new(id.as_str(), created, &*model)
                    .with_system_fingerprint("fp_mock")
                    .with_choice(choice);
                if include_usage {
                    // With include_usage, every chunk says `"usage": null` until the last.
                    chunk = chunk.with_usage(Value::Null);
                }
                data(&chunk)
            }
        };
        let error = ApiError::new("The server had an error while processing your request (mock).")
            .with_kind("server_error");
        let error = vec![data(&ErrorChunk::new(error)), done()];
        let (opening, answer, finish): (_, Pieces, _) = match &request.tool {
            Some(name) => {
                let function = FunctionDelta::new()
                    .with_name(name.clone())
                    .with_arguments(String::new());
                let call = ToolCallDelta::new(0)
                    .with_id("call_mock1")
                    .with_kind("function")
                    .with_function(function);
                let opening = Delta::new().with_role("assistant").with_tool_call(call);
                let fragment = chunk.clone();
                let answer = tool_fragments(&request.prompt).map(move |arguments| {
                    let function = FunctionDelta::new().with_arguments(arguments);
                    let call = ToolCallDelta::new(0).with_function(function);
                    fragment(Delta::new().with_tool_call(call), None)
                });
                (chunk(opening, None), Box::new(answer), "tool_calls")
            }
            None => {
                let opening = Delta::new()
                    .with_role("assistant")
                    .with_content(String::new());
                let token = chunk.clone();
                let answer = tokens.map(move |text| token(Delta::new().with_content(text), None));
                (chunk(opening, None), Box::new(answer), "stop")
            }
        };
        let closing = move || {
            let mut closing = vec![chunk(Delta::new(), Some(finish))];
            if include_usage {
                closing.push(data(
                    &Chunk::new(id, created, &*model).with_usage(usage.to_value()),
                ));
            }
            closing.push(done());
            closing
        };
        Script {
            opening: vec![opening],
            answer,
            closing: Box::new(closing),
            error,
        }
    }
}
// ANCHOR_END: chat_completions

/// The completion's id, the same in every chunk.
fn completion_id() -> String {
    format!("chatcmpl-mock{:08x}", now() % 0xffff_ffff)
}

/// One token per word of the prompt and per answer token.
fn usage(request: &Request) -> Usage {
    Usage::new(request.prompt_tokens(), request.tokens().count() as u64)
}

/// A data-only event.
fn data(value: &impl serde::Serialize) -> Piece {
    Piece::Event(Event::new().data(to_json(value)))
}

/// `data: [DONE]`.
fn done() -> Piece {
    Piece::Event(Event::new().data("[DONE]"))
}
