//! The AI accumulators on real-format streams and on hand-made ones for each rule.

use serde_json::{Value, json};
use sse_ai::{Accumulate, AiError, Update, anthropic, assemble, openai_chat, openai_responses};
use sse_format::{Frame, MessageEvent};

fn events(stream: &str) -> Vec<MessageEvent> {
    sse_format::parse_all(stream.as_bytes())
        .into_iter()
        .filter_map(|f| match f.unwrap() {
            Frame::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// A stream of `event:`-named JSON events.
fn named(items: &[(&str, Value)]) -> Vec<MessageEvent> {
    items
        .iter()
        .map(|(name, data)| MessageEvent::new(*name, data.to_string(), ""))
        .collect()
}

/// A data-only stream, ending with `[DONE]`.
fn data_only(items: &[Value]) -> Vec<MessageEvent> {
    let mut out: Vec<_> = items
        .iter()
        .map(|d| MessageEvent::new("", d.to_string(), ""))
        .collect();
    out.push(MessageEvent::new("", "[DONE]", ""));
    out
}

#[test]
fn openai_example_assembles_as_expected() {
    let stream = include_str!("data/openai_chat_text.sse");
    let expected: Value =
        serde_json::from_str(include_str!("data/openai_chat_text.expected.json")).unwrap();
    let answer = assemble(openai_chat::ChatAccumulator::new(), events(stream)).unwrap();
    assert_eq!(serde_json::to_value(&answer).unwrap(), expected);
}

#[test]
fn anthropic_example_assembles_as_expected() {
    let stream = include_str!("data/anthropic_text.sse");
    let expected: Value =
        serde_json::from_str(include_str!("data/anthropic_text.expected.json")).unwrap();
    let answer = assemble(anthropic::MessageAccumulator::new(), events(stream)).unwrap();
    assert_eq!(serde_json::to_value(&answer).unwrap(), expected);
}

#[test]
fn examples_assemble_the_same_whatever_the_chunking() {
    for (stream, anthropic) in [
        (include_str!("data/openai_chat_text.sse"), false),
        (include_str!("data/anthropic_text.sse"), true),
    ] {
        let mut parser = sse_format::Parser::new();
        let mut text = String::new();
        let mut chat = openai_chat::ChatAccumulator::new();
        let mut message = anthropic::MessageAccumulator::new();
        for byte in stream.as_bytes().chunks(1) {
            for frame in parser.feed(byte) {
                let Ok(Frame::Event(event)) = frame else {
                    continue;
                };
                let update = if anthropic {
                    message.push(&event)
                } else {
                    chat.push(&event)
                };
                if let Update::Text(delta) = update.unwrap() {
                    text.push_str(&delta);
                }
            }
        }
        assert_eq!(
            text,
            "Server-sent events let servers push updates to clients over one HTTP response."
        );
    }
}

#[test]
fn openai_tool_calls_merge_by_index_and_usage_chunk_has_no_choices() {
    let chunk = |delta: Value, finish: Value| json!({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
    let stream = data_only(&[
        chunk(
            json!({"role": "assistant", "content": null, "tool_calls": [
            {"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather", "arguments": ""}}]}),
            Value::Null,
        ),
        chunk(
            json!({"tool_calls": [{"index": 1, "id": "call_b", "type": "function", "function": {"name": "time", "arguments": ""}}]}),
            Value::Null,
        ),
        chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"city\":"}}]}),
            Value::Null,
        ),
        chunk(
            json!({"tool_calls": [{"index": 1, "function": {"arguments": "{}"}}]}),
            Value::Null,
        ),
        chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": "\"Oslo\"}"}}]}),
            Value::Null,
        ),
        chunk(json!({}), json!("tool_calls")),
        json!({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 20, "total_tokens": 29}}),
    ]);
    let answer = assemble(openai_chat::ChatAccumulator::new(), stream).unwrap();
    assert_eq!(answer.finish_reason.as_deref(), Some("tool_calls"));
    let calls: Vec<_> = answer
        .tool_calls
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str(), c.arguments.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("call_a", "weather", "{\"city\":\"Oslo\"}"),
            ("call_b", "time", "{}")
        ]
    );
    assert_eq!(answer.usage.unwrap()["total_tokens"], 29);
}

#[test]
fn openai_error_mid_stream_keeps_the_partial_text() {
    let stream = data_only(&[
        json!({"choices": [{"index": 0, "delta": {"content": "Half an"}, "finish_reason": null}]}),
        json!({"error": {"message": "The server had an error", "type": "server_error", "param": null, "code": null}}),
    ]);
    let failure = assemble(openai_chat::ChatAccumulator::new(), stream).unwrap_err();
    assert_eq!(failure.partial.text, "Half an");
    match failure.error {
        AiError::Api(error) => assert_eq!(error.kind.as_deref(), Some("server_error")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn openai_stream_without_done_is_incomplete() {
    let stream = vec![MessageEvent::new(
        "",
        json!({"choices": [{"index": 0, "delta": {"content": "cut"}}]}).to_string(),
        "",
    )];
    let failure = assemble(openai_chat::ChatAccumulator::new(), stream).unwrap_err();
    assert!(matches!(failure.error, AiError::Incomplete));
    assert_eq!(failure.partial.text, "cut");
}

#[test]
fn openai_malformed_json_is_an_error_not_a_panic() {
    let mut accumulator = openai_chat::ChatAccumulator::new();
    let error = accumulator
        .push(&MessageEvent::new("", "{not json", ""))
        .unwrap_err();
    assert!(
        error.to_string().starts_with("malformed message event"),
        "{error}"
    );
}

#[test]
fn anthropic_tool_use_and_cumulative_usage() {
    let stream = named(&[
        (
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_1", "content": [], "usage": {"input_tokens": 30, "output_tokens": 1}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Let me check."}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ),
        ("ping", json!({"type": "ping"})),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"location\": \"San Fra"}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "ncisco\"}"}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 1}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 40}}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {}, "usage": {"output_tokens": 45}}),
        ),
        (
            "future_event",
            json!({"type": "future_event", "whatever": true}),
        ),
        ("message_stop", json!({"type": "message_stop"})),
    ]);
    let answer = assemble(anthropic::MessageAccumulator::new(), stream).unwrap();
    assert_eq!(answer.text, "Let me check.");
    assert_eq!(answer.stop_reason.as_deref(), Some("tool_use"));
    assert_eq!(answer.tool_calls.len(), 1);
    assert_eq!(answer.tool_calls[0].name, "get_weather");
    assert_eq!(
        answer.tool_calls[0].input,
        json!({"location": "San Francisco"})
    );
    // Cumulative: the last value wins, input_tokens from message_start stays.
    assert_eq!(
        answer.usage.unwrap(),
        json!({"input_tokens": 30, "output_tokens": 45})
    );
}

#[test]
fn anthropic_overloaded_error_mid_stream() {
    let stream = named(&[
        (
            "message_start",
            json!({"type": "message_start", "message": {"usage": {"input_tokens": 5}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Partial"}}),
        ),
        (
            "error",
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ),
    ]);
    let failure = assemble(anthropic::MessageAccumulator::new(), stream).unwrap_err();
    assert_eq!(failure.partial.text, "Partial");
    assert_eq!(
        failure.error.to_string(),
        "the API reported an error mid-stream: overloaded_error: Overloaded"
    );
}

#[test]
fn responses_text_function_call_and_completion() {
    let stream = named(&[
        (
            "response.created",
            json!({"type": "response.created", "sequence_number": 0, "response": {"status": "in_progress"}}),
        ),
        (
            "response.output_item.added",
            json!({"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": {"id": "msg_1", "type": "message"}}),
        ),
        (
            "response.output_text.delta",
            json!({"type": "response.output_text.delta", "sequence_number": 2, "item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": "Hello"}),
        ),
        (
            "keepalive",
            json!({"type": "keepalive", "sequence_number": 3}),
        ),
        (
            "response.output_text.delta",
            json!({"type": "response.output_text.delta", "sequence_number": 4, "item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": " there"}),
        ),
        (
            "response.output_item.added",
            json!({"type": "response.output_item.added", "sequence_number": 5, "output_index": 1, "item": {"id": "fc_1", "type": "function_call", "call_id": "call_9", "name": "lookup", "arguments": ""}}),
        ),
        (
            "response.function_call_arguments.delta",
            json!({"type": "response.function_call_arguments.delta", "sequence_number": 6, "item_id": "fc_1", "output_index": 1, "delta": "{\"q\":"}),
        ),
        (
            "response.function_call_arguments.delta",
            json!({"type": "response.function_call_arguments.delta", "sequence_number": 7, "item_id": "fc_1", "output_index": 1, "delta": "1}"}),
        ),
        (
            "response.completed",
            json!({"type": "response.completed", "sequence_number": 8, "response": {"status": "completed", "usage": {"input_tokens": 3, "output_tokens": 9, "total_tokens": 12}}}),
        ),
    ]);
    let answer = assemble(openai_responses::ResponseAccumulator::new(), stream).unwrap();
    assert_eq!(answer.text, "Hello there");
    assert_eq!(answer.status.as_deref(), Some("completed"));
    assert_eq!(answer.tool_calls[0].id, "call_9");
    assert_eq!(answer.tool_calls[0].arguments, "{\"q\":1}");
    assert_eq!(answer.usage.unwrap()["total_tokens"], 12);
}

#[test]
fn responses_errors_flat_nested_and_failed() {
    let flat = named(&[(
        "error",
        json!({"type": "error", "code": "server_error", "message": "boom", "param": null, "sequence_number": 1}),
    )]);
    let failure = assemble(openai_responses::ResponseAccumulator::new(), flat).unwrap_err();
    assert!(
        matches!(&failure.error, AiError::Api(e) if e.code.as_deref() == Some("server_error") && e.message == "boom")
    );

    let nested = named(&[
        (
            "response.output_text.delta",
            json!({"type": "response.output_text.delta", "output_index": 0, "content_index": 0, "delta": "So far"}),
        ),
        (
            "error",
            json!({"type": "error", "sequence_number": 2, "error": {"type": "insufficient_quota", "code": "insufficient_quota", "message": "You exceeded your current quota"}}),
        ),
    ]);
    let failure = assemble(openai_responses::ResponseAccumulator::new(), nested).unwrap_err();
    assert_eq!(failure.partial.text, "So far");
    assert!(
        matches!(&failure.error, AiError::Api(e) if e.kind.as_deref() == Some("insufficient_quota"))
    );

    let failed = named(&[(
        "response.failed",
        json!({"type": "response.failed", "response": {"status": "failed", "error": {"code": "server_error", "message": "model crashed"}}}),
    )]);
    let failure = assemble(openai_responses::ResponseAccumulator::new(), failed).unwrap_err();
    assert_eq!(failure.partial.status.as_deref(), Some("failed"));
    assert!(failure.error.to_string().contains("model crashed"));
}

#[test]
fn anthropic_content_block_delta_index_4294967295_does_not_overflow() {
    let stream = named(&[
        (
            "content_block_delta",
            json!({"type":"content_block_delta","index":4294967295u32,"delta":{"type":"text_delta","text":"last"}}),
        ),
        (
            "content_block_delta",
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"first "}}),
        ),
        ("message_stop", json!({"type":"message_stop"})),
    ]);
    let message = assemble(anthropic::MessageAccumulator::new(), stream).unwrap();
    assert_eq!(
        message.text, "first last",
        "blocks are joined in index order"
    );
}

#[test]
fn non_streamed_vendor_bodies_read_into_the_types() {
    // Chat Completions as the API sends it, with fields the types do not name, and one field of
    // another shape (`system_fingerprint`), which reads as `None` instead of failing the body.
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1764804634,
        "model": "gpt-4o-mini-2024-07-18", "system_fingerprint": 7, "service_tier": "default",
        "choices": [
            {"index": 0, "logprobs": null, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": null, "refusal": null, "annotations": [],
                "tool_calls": [
                    {"id": "call_a", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Oslo\"}"}},
                    {"id": "call_b", "type": "function", "function": {"name": "time", "arguments": "{}"}}
                ]}},
            {"index": 1, "logprobs": null, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi."}}
        ],
        "usage": {"prompt_tokens": 19, "completion_tokens": 14, "total_tokens": 33,
                  "prompt_tokens_details": {"cached_tokens": 0}}
    });
    let completion: openai_chat::CompletionObject = serde_json::from_value(body).unwrap();
    assert_eq!(
        completion.object.as_deref(),
        Some(openai_chat::COMPLETION_OBJECT)
    );
    assert_eq!(
        completion.system_fingerprint, None,
        "a number is not a fingerprint"
    );
    let first = &completion.choices[0];
    assert_eq!(first.message.content, None);
    let calls = first.message.tool_calls.as_deref().unwrap();
    let names: Vec<_> = calls
        .iter()
        .map(|c| (c.id.as_str(), c.function.name.as_str()))
        .collect();
    assert_eq!(names, [("call_a", "weather"), ("call_b", "time")]);
    assert_eq!(calls[0].function.arguments, r#"{"city":"Oslo"}"#);
    assert_eq!(
        completion.choices[1].message.content.as_deref(),
        Some("Hi.")
    );
    assert_eq!(completion.choices[1].finish_reason.as_deref(), Some("stop"));
    let usage: openai_chat::Usage = serde_json::from_value(completion.usage.unwrap()).unwrap();
    assert_eq!((usage.prompt_tokens, usage.total_tokens), (19, 33));

    // A Messages `message` with a block type the types do not know and extra usage fields.
    let body = json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [
            {"type": "thinking", "thinking": "...", "signature": "abc"},
            {"type": "text", "text": "Let me look."},
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Oslo"}}
        ],
        "stop_reason": "tool_use", "stop_sequence": null,
        "usage": {"input_tokens": 18, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                  "cache_creation": {"ephemeral_5m_input_tokens": 0}, "output_tokens": 17,
                  "service_tier": "standard"}
    });
    let message: anthropic::MessageObject = serde_json::from_value(body).unwrap();
    assert_eq!(
        message.content,
        [
            anthropic::ContentBlock::Other,
            anthropic::ContentBlock::Text {
                text: "Let me look.".into()
            },
            anthropic::ContentBlock::ToolUse {
                id: "toolu_1".into(),
                name: "weather".into(),
                input: json!({"city": "Oslo"}),
            },
        ]
    );
    assert_eq!(message.stop_reason.as_deref(), Some("tool_use"));
    let usage = message.usage.unwrap();
    assert_eq!(usage["output_tokens"], 17);
    assert_eq!(
        usage["service_tier"], "standard",
        "extra usage fields are kept"
    );
}
