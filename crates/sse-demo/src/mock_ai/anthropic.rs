//! `POST /v1/messages`: Anthropic Messages. Named events from `message_start` to `message_stop`,
//! with a `ping`; errors as `{"type": "error", "error": {...}}`, in the stream and out of it.

use serde_json::{Map, Value};
use sse_ai::ApiError;
use sse_ai::anthropic::{
    BlockDelta, ContentBlock, MessageDeltaBody, MessageObject, MessageStart, StreamEvent, Usage,
};

use super::answer::{tool_fragments, tool_input};
use super::{Api, Piece, Request, Script, last_user_text, named, to_value};

/// Anthropic Messages.
pub(super) struct Anthropic;

/// The id of the mock's message, and of its tool use.
const MESSAGE_ID: &str = "msg_mock1";
const TOOL_USE_ID: &str = "toolu_mock1";

impl Api for Anthropic {
    const DEFAULT_MODEL: &'static str = "claude-sonnet-4-5";
    type Whole = MessageObject;

    fn prompt(body: &Value) -> String {
        last_user_text(&body["messages"])
    }

    fn error_body(error: ApiError) -> Value {
        to_value(&StreamEvent::Error { error })
    }

    fn status_error(status: u16) -> ApiError {
        let kind = match status {
            429 => "rate_limit_error",
            529 => "overloaded_error",
            _ => "api_error",
        };
        ApiError::new(format!("{kind} (mock)")).with_kind(kind)
    }

    fn whole(request: Request) -> MessageObject {
        // The whole message at once: the blocks the stream below builds, complete.
        let (_, final_usage) = usage(&request);
        let stop_reason = stop_reason(request.tool.is_some());
        let text = ContentBlock::Text {
            text: request.tokens().collect(),
        };
        let mut message = MessageObject::new()
            .with_id(MESSAGE_ID)
            .with_kind("message")
            .with_role("assistant")
            .with_model(request.model)
            .with_block(text);
        if let Some(name) = request.tool {
            message = message.with_block(ContentBlock::ToolUse {
                id: TOOL_USE_ID.into(),
                name,
                input: tool_input(&request.prompt),
            });
        }
        message
            .with_stop_reason(stop_reason)
            .with_usage(final_usage.to_map())
    }

    fn stream(request: Request) -> Script {
        let (start_usage, final_usage) = usage(&request);
        let stop_reason = stop_reason(request.tool.is_some());
        let message = MessageStart::new()
            .with_id(MESSAGE_ID)
            .with_kind("message")
            .with_role("assistant")
            .with_model(request.model.as_str())
            .with_content(Vec::<Value>::new())
            .with_usage(start_usage.to_map());
        let opening = vec![
            event(&StreamEvent::MessageStart { message }),
            event(&StreamEvent::ContentBlockStart {
                index: 0,
                content_block: ContentBlock::Text {
                    text: String::new(),
                },
            }),
            event(&StreamEvent::Ping),
        ];
        let error = vec![event(&StreamEvent::Error {
            error: ApiError::new("Overloaded").with_kind("overloaded_error"),
        })];
        let delta =
            |index: u32, delta: BlockDelta| event(&StreamEvent::ContentBlockDelta { index, delta });
        let answer = request
            .tokens()
            .map(move |text| delta(0, BlockDelta::TextDelta { text }));
        let (tool, prompt) = (request.tool, request.prompt);
        let closing = move || {
            let mut closing = vec![event(&StreamEvent::ContentBlockStop { index: 0 })];
            if let Some(name) = tool {
                closing.push(event(&StreamEvent::ContentBlockStart {
                    index: 1,
                    content_block: ContentBlock::ToolUse {
                        id: TOOL_USE_ID.into(),
                        name,
                        input: Value::Object(Map::new()),
                    },
                }));
                let partial_json = String::new();
                closing.push(delta(1, BlockDelta::InputJsonDelta { partial_json }));
                // At most 4 KiB of arguments, in 8-byte fragments: bounded.
                closing.extend(
                    tool_fragments(&prompt)
                        .map(|partial_json| delta(1, BlockDelta::InputJsonDelta { partial_json })),
                );
                closing.push(event(&StreamEvent::ContentBlockStop { index: 1 }));
            }
            closing.push(event(&StreamEvent::MessageDelta {
                delta: MessageDeltaBody::new().with_stop_reason(stop_reason),
                usage: Some(final_usage.to_map()),
            }));
            closing.push(event(&StreamEvent::MessageStop));
            closing
        };
        Script {
            opening,
            answer: Box::new(answer),
            closing: Box::new(closing),
            error,
        }
    }
}

/// `tool_use` when the request gave tools, else `end_turn`.
fn stop_reason(tool: bool) -> &'static str {
    if tool { "tool_use" } else { "end_turn" }
}

/// The usage of `message_start` (one output token so far) and the final one.
fn usage(request: &Request) -> (Usage, Usage) {
    let input_tokens = request.prompt_tokens();
    let output_tokens = request.tokens().count() as u64;
    (
        Usage::new(input_tokens, 1),
        Usage::new(input_tokens, output_tokens),
    )
}

/// A Messages event, named after its type as the API names them.
fn event(event: &StreamEvent) -> Piece {
    let name = match event {
        StreamEvent::MessageStart { .. } => "message_start",
        StreamEvent::ContentBlockStart { .. } => "content_block_start",
        StreamEvent::ContentBlockDelta { .. } => "content_block_delta",
        StreamEvent::ContentBlockStop { .. } => "content_block_stop",
        StreamEvent::MessageDelta { .. } => "message_delta",
        StreamEvent::MessageStop => "message_stop",
        StreamEvent::Ping => "ping",
        StreamEvent::Error { .. } => "error",
        // Never built here: the mock writes only the types above.
        _ => "unknown",
    };
    named(name, event)
}
