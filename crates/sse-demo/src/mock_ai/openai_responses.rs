//! `POST /v1/responses`: OpenAI Responses. Named events numbered by `sequence_number`, from
//! `response.created` to `response.completed`; errors in the OpenAI shape of
//! [`OpenAiChat`](super::openai_chat::OpenAiChat).

use std::sync::Arc;

use serde_json::Value;
use sse_ai::ApiError;
use sse_ai::openai_responses::{ContentPart, OutputItem, ResponseObject, StreamEvent, Usage};
use sse_format::Event;

use super::openai_chat::OpenAiChat;
use super::{Api, Piece, Request, Script, last_user_text, now, to_json};

/// OpenAI Responses.
pub(super) struct OpenAiResponses;

/// The id of the mock's one output message.
const MESSAGE_ID: &str = "msg_mock1";

impl Api for OpenAiResponses {
    const DEFAULT_MODEL: &'static str = "gpt-4o-mini";
    type Whole = ResponseObject;

    fn prompt(body: &Value) -> String {
        match &body["input"] {
            Value::String(text) => text.clone(),
            input => last_user_text(input),
        }
    }

    fn error_body(error: ApiError) -> Value {
        OpenAiChat::error_body(error)
    }

    fn status_error(status: u16) -> ApiError {
        OpenAiChat::status_error(status)
    }

    fn whole(request: Request) -> ResponseObject {
        let text: String = request.tokens().collect();
        let usage = usage(&request);
        let response = response_object(response_id(), request.model.into());
        response(
            "completed",
            vec![message("completed", vec![part(&text)])],
            Some(usage),
        )
    }

    fn stream(request: Request) -> Script {
        let tokens = request.tokens();
        let usage = usage(&request);
        let response = response_object(response_id(), request.model.into());
        let lifecycle = |kind: &str, response: ResponseObject| {
            numbered(StreamEvent::new(kind).with_response(response))
        };
        let item = |kind: &str, item: OutputItem| {
            numbered(StreamEvent::new(kind).with_output_index(0).with_item(item))
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
            numbered(in_message("response.content_part.added").with_part(part(""))),
        ];
        let error = StreamEvent::new("error")
            .with_code("server_error")
            .with_message("The server had an error (mock).");
        let error = vec![
            numbered(error),
            lifecycle("response.failed", response("failed", Vec::new(), None)),
        ];
        let answer = tokens.clone().map(|token| {
            numbered(
                in_message("response.output_text.delta")
                    .with_delta(token)
                    .with_logprobs(Vec::<Value>::new()),
            )
        });
        let closing = move || {
            // The finished text, once, at the end: bounded by `max_prompt_words`.
            let text: String = tokens.collect();
            vec![
                numbered(
                    in_message("response.output_text.done")
                        .with_text(text.clone())
                        .with_logprobs(Vec::<Value>::new()),
                ),
                numbered(in_message("response.content_part.done").with_part(part(&text))),
                item(
                    "response.output_item.done",
                    message("completed", vec![part(&text)]),
                ),
                lifecycle(
                    "response.completed",
                    response(
                        "completed",
                        vec![message("completed", vec![part(&text)])],
                        Some(usage),
                    ),
                ),
            ]
        };
        Script {
            opening,
            answer: Box::new(answer),
            closing: Box::new(closing),
            error,
        }
    }
}

fn response_id() -> String {
    format!("resp_mock{:08x}", now() % 0xffff_ffff)
}

/// One token per word of the prompt and per answer token.
fn usage(request: &Request) -> Value {
    Usage::new(request.prompt_tokens(), request.tokens().count() as u64).to_value()
}

/// The response object, in a status, with these output items and usage.
fn response_object(
    id: String,
    model: Arc<str>,
) -> impl Fn(&str, Vec<OutputItem>, Option<Value>) -> ResponseObject {
    move |status, output, usage| {
        let response = ResponseObject::new()
            .with_id(id.as_str())
            .with_object("response")
            .with_created_at(now())
            .with_status(status)
            .with_model(&*model)
            .with_output(output);
        match usage {
            Some(usage) => response.with_usage(usage),
            None => response,
        }
    }
}

/// The mock's one message item.
fn message(status: &str, content: Vec<ContentPart>) -> OutputItem {
    OutputItem::new("message")
        .with_id(MESSAGE_ID)
        .with_status(status)
        .with_role("assistant")
        .with_content(content)
}

/// An `output_text` part.
fn part(text: &str) -> ContentPart {
    ContentPart::new("output_text")
        .with_text(text)
        .with_annotations(Vec::<Value>::new())
}

/// An event about the first content part of the mock's message.
fn in_message(kind: &str) -> StreamEvent {
    StreamEvent::new(kind)
        .with_item_id(MESSAGE_ID)
        .with_output_index(0)
        .with_content_index(0)
}

/// A Responses event, named after its type and numbered (`sequence_number`) on its way out.
fn numbered(event: StreamEvent) -> Piece {
    Piece::Numbered(Box::new(move |sequence_number| {
        let event = event.with_sequence_number(sequence_number);
        Event::new()
            .event(event.kind.as_str())
            .data(to_json(&event))
    }))
}
