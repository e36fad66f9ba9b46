//! Round trips, one per API: the mock's script, built from `sse_client::ai`'s wire types, served
//! on loopback; the real `sse-client` `EventSource` reading it; the API's accumulator assembling
//! it. The assembled answer must be `mock_answer(prompt)` exactly, for several prompts (empty,
//! spaced out, non-ASCII, past the word limit), with the tool call and usage the mock sends, and
//! a mid-stream fault must leave a partial answer that is a prefix of it. Without `"stream": true`
//! each API's whole answer must read back into its `sse_client::ai` type with the same text, tool
//! call and usage.

use std::time::Duration;

use serde_json::{Value, json};
use sse_client::ai::{Accumulate, AiError, Update, anthropic, openai_chat, openai_responses};
use sse_client::{EventSource, SourceEvent};
use sse_demo::mock_ai::mock_answer;

mod common;
use common::{Running, quick, start};

/// The mock on loopback, unpaced; stops when dropped.
async fn mock() -> Running {
    let (config, demo) = quick();
    start(config, demo).await
}

fn prompts() -> Vec<String> {
    let long: Vec<String> = (1..=250).map(|n| format!("w{n}")).collect();
    vec![
        "What is SSE?".into(),
        String::new(),
        "  spaced   out\n\tprompt ".into(),
        "Zürich → 東京, \"quoted\" 😀".into(),
        long.join(" "),
    ]
}

/// What the client saw: how the stream ended, the assembled answer, and how many text updates
/// (one per token event) arrived.
struct Seen<T> {
    result: Result<(), AiError>,
    output: T,
    text_updates: u64,
}

async fn stream<A: Accumulate>(
    base: &str,
    path: &str,
    body: Value,
    mut answer: A,
) -> Seen<A::Output>
where
    A::Output: Clone,
{
    let mut source = EventSource::builder(format!("{base}{path}"))
        .post_json(&body)
        .max_retries(0)
        .build()
        .unwrap();
    let mut text_updates = 0;
    let result = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(item) = source.next().await {
            let Ok(SourceEvent::Message(event)) = item else {
                continue;
            };
            match answer.push(&event) {
                Ok(Update::Text(_)) => text_updates += 1,
                Ok(_) => {}
                Err(error) => return Err(error),
            }
            if answer.is_done() {
                return Ok(());
            }
        }
        Err(AiError::Incomplete)
    })
    .await
    .expect("the stream ended in time");
    Seen {
        result,
        output: answer.output().clone(),
        text_updates,
    }
}

fn count(value: &Option<Value>, field: &str) -> u64 {
    value
        .as_ref()
        .and_then(|u| u[field].as_u64())
        .unwrap_or_else(|| {
            panic!("usage.{field} in {value:?}");
        })
}

fn words(prompt: &str) -> u64 {
    prompt.split_whitespace().count() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_completions_round_trip() {
    let server = mock().await;
    let base = server.base.clone();
    for prompt in prompts() {
        let body = openai_chat::request_body("gpt-test", &prompt, true);
        let seen = stream(
            &base,
            "/v1/chat/completions",
            body,
            openai_chat::ChatAccumulator::new(),
        )
        .await;
        seen.result.unwrap();
        let answer = seen.output;
        assert_eq!(
            answer.text,
            mock_answer(&prompt),
            "prompt {prompt:?}: left = assembled, right = mock_answer"
        );
        assert_eq!(answer.finish_reason.as_deref(), Some("stop"), "{prompt:?}");
        assert!(
            answer.tool_calls.is_empty() && answer.error.is_none(),
            "{prompt:?}"
        );
        // Usage: the prompt's words in, one token per text event out.
        assert_eq!(
            count(&answer.usage, "prompt_tokens"),
            words(&prompt),
            "{prompt:?}"
        );
        assert_eq!(
            count(&answer.usage, "completion_tokens"),
            seen.text_updates,
            "{prompt:?}"
        );
        assert_eq!(
            count(&answer.usage, "total_tokens"),
            words(&prompt) + seen.text_updates
        );

        // With a tool: the call assembled from its fragments, arguments `{"query": prompt}`.
        let mut body = openai_chat::request_body("gpt-test", &prompt, false);
        body["tools"] = json!([{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]);
        let seen = stream(
            &base,
            "/v1/chat/completions",
            body,
            openai_chat::ChatAccumulator::new(),
        )
        .await;
        seen.result.unwrap();
        let answer = seen.output;
        assert_eq!(
            answer.finish_reason.as_deref(),
            Some("tool_calls"),
            "{prompt:?}"
        );
        assert_eq!(answer.tool_calls.len(), 1, "{prompt:?}");
        let call = &answer.tool_calls[0];
        assert_eq!(
            (call.id.as_str(), call.name.as_str()),
            ("call_mock1", "search")
        );
        let arguments: Value = serde_json::from_str(&call.arguments).unwrap();
        assert_eq!(
            arguments,
            json!({"query": prompt}),
            "arguments for {prompt:?}"
        );
        assert_eq!(answer.usage, None, "no usage without include_usage");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_round_trip() {
    let server = mock().await;
    let base = server.base.clone();
    for prompt in prompts() {
        let body = openai_responses::request_body("gpt-test", &prompt);
        let seen = stream(
            &base,
            "/v1/responses",
            body,
            openai_responses::ResponseAccumulator::new(),
        )
        .await;
        seen.result.unwrap();
        let answer = seen.output;
        assert_eq!(
            answer.text,
            mock_answer(&prompt),
            "prompt {prompt:?}: left = assembled, right = mock_answer"
        );
        assert_eq!(answer.status.as_deref(), Some("completed"), "{prompt:?}");
        assert!(
            answer.tool_calls.is_empty() && answer.error.is_none(),
            "{prompt:?}"
        );
        assert_eq!(
            count(&answer.usage, "input_tokens"),
            words(&prompt),
            "{prompt:?}"
        );
        assert_eq!(
            count(&answer.usage, "output_tokens"),
            seen.text_updates,
            "{prompt:?}"
        );
        assert_eq!(
            count(&answer.usage, "total_tokens"),
            words(&prompt) + seen.text_updates
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_round_trip() {
    let server = mock().await;
    let base = server.base.clone();
    for prompt in prompts() {
        let body = anthropic::request_body("claude-test", &prompt, 1024);
        let seen = stream(
            &base,
            "/v1/messages",
            body,
            anthropic::MessageAccumulator::new(),
        )
        .await;
        seen.result.unwrap();
        let answer = seen.output;
        assert_eq!(
            answer.text,
            mock_answer(&prompt),
            "prompt {prompt:?}: left = assembled, right = mock_answer"
        );
        assert_eq!(
            answer.stop_reason.as_deref(),
            Some("end_turn"),
            "{prompt:?}"
        );
        assert!(
            answer.tool_calls.is_empty() && answer.error.is_none(),
            "{prompt:?}"
        );
        // message_delta's cumulative usage overwrote message_start's.
        assert_eq!(
            count(&answer.usage, "input_tokens"),
            words(&prompt),
            "{prompt:?}"
        );
        assert_eq!(
            count(&answer.usage, "output_tokens"),
            seen.text_updates,
            "{prompt:?}"
        );

        // With a tool: the text block, then a tool_use block whose input streams as JSON.
        let mut body = anthropic::request_body("claude-test", &prompt, 1024);
        body["tools"] = json!([{"name": "lookup", "input_schema": {"type": "object"}}]);
        let seen = stream(
            &base,
            "/v1/messages",
            body,
            anthropic::MessageAccumulator::new(),
        )
        .await;
        seen.result.unwrap();
        let answer = seen.output;
        assert_eq!(answer.text, mock_answer(&prompt), "{prompt:?}");
        assert_eq!(
            answer.stop_reason.as_deref(),
            Some("tool_use"),
            "{prompt:?}"
        );
        assert_eq!(answer.tool_calls.len(), 1, "{prompt:?}");
        let tool = &answer.tool_calls[0];
        assert_eq!(
            (tool.id.as_str(), tool.name.as_str()),
            ("toolu_mock1", "lookup")
        );
        assert_eq!(tool.input, json!({"query": prompt}), "input for {prompt:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fault_step_leaves_a_prefix_of_the_answer_in_every_api() {
    let server = mock().await;
    let base = server.base.clone();
    for prompt in [
        "hello there [fault:midstream-error]",
        "[fault:midstream-error] a b c d e",
    ] {
        let full = mock_answer(prompt);
        let chat = stream(
            &base,
            "/v1/chat/completions",
            openai_chat::request_body("m", prompt, false),
            openai_chat::ChatAccumulator::new(),
        )
        .await;
        let responses = stream(
            &base,
            "/v1/responses",
            openai_responses::request_body("m", prompt),
            openai_responses::ResponseAccumulator::new(),
        )
        .await;
        let messages = stream(
            &base,
            "/v1/messages",
            anthropic::request_body("m", prompt, 100),
            anthropic::MessageAccumulator::new(),
        )
        .await;
        let partials = [
            ("chat", chat.result, chat.output.text, chat.text_updates),
            (
                "responses",
                responses.result,
                responses.output.text,
                responses.text_updates,
            ),
            (
                "messages",
                messages.result,
                messages.output.text,
                messages.text_updates,
            ),
        ];
        for (api, result, text, updates) in partials {
            assert!(matches!(result, Err(AiError::Api(_))), "{api}: {result:?}");
            assert_eq!(updates, 3, "{api}: three tokens before the fault");
            assert!(
                full.starts_with(&text) && !text.is_empty(),
                "{api}: {text:?} of {full:?}"
            );
        }
    }
}

/// A non-streamed answer: the body's raw JSON and the body read into `T`.
async fn whole<T: serde::de::DeserializeOwned>(base: &str, path: &str, body: &Value) -> (Value, T) {
    let response = tokio::time::timeout(Duration::from_secs(20), async {
        reqwest::Client::new()
            .post(format!("{base}{path}"))
            .json(body)
            .send()
            .await
            .unwrap()
    })
    .await
    .expect("the answer came in time");
    assert_eq!(response.status(), 200, "{path}");
    let bytes = response.bytes().await.unwrap();
    let raw: Value = serde_json::from_slice(&bytes).unwrap();
    let typed = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{path}: {e} in {}", String::from_utf8_lossy(&bytes)));
    (raw, typed)
}

/// The same request without `"stream": true`.
fn unstreamed(mut body: Value) -> Value {
    body["stream"] = json!(false);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_streamed_answers_read_back_into_the_shared_types() {
    let server = mock().await;
    let base = server.base.clone();
    for prompt in prompts() {
        let answer = mock_answer(&prompt);

        // Chat Completions: one `chat.completion`, the same text and usage as the stream.
        let body = openai_chat::request_body("gpt-test", &prompt, true);
        let streamed = stream(
            &base,
            "/v1/chat/completions",
            body.clone(),
            openai_chat::ChatAccumulator::new(),
        )
        .await
        .output;
        let (_, completion): (_, openai_chat::CompletionObject) =
            whole(&base, "/v1/chat/completions", &unstreamed(body)).await;
        assert_eq!(
            completion.object.as_deref(),
            Some(openai_chat::COMPLETION_OBJECT)
        );
        assert_eq!(completion.model.as_deref(), Some("gpt-test"));
        assert_eq!(completion.choices.len(), 1, "{prompt:?}");
        let choice = &completion.choices[0];
        assert_eq!(
            choice.message.content.as_deref(),
            Some(answer.as_str()),
            "prompt {prompt:?}: left = non-streamed, right = mock_answer"
        );
        assert_eq!(choice.message.role.as_deref(), Some("assistant"));
        assert_eq!(choice.message.tool_calls, None, "{prompt:?}");
        assert_eq!(choice.finish_reason.as_deref(), Some("stop"), "{prompt:?}");
        let usage: openai_chat::Usage =
            serde_json::from_value(completion.usage.clone().unwrap()).unwrap();
        assert_eq!(usage.prompt_tokens, words(&prompt), "{prompt:?}");
        assert_eq!(
            completion.usage, streamed.usage,
            "{prompt:?}: left = non-streamed usage, right = streamed"
        );

        // With a tool: `content: null` and the whole call.
        let mut body = unstreamed(openai_chat::request_body("gpt-test", &prompt, false));
        body["tools"] = json!([{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]);
        let (raw, completion): (_, openai_chat::CompletionObject) =
            whole(&base, "/v1/chat/completions", &body).await;
        let choice = &completion.choices[0];
        assert_eq!(
            raw["choices"][0]["message"].get("content"),
            Some(&Value::Null),
            "content is written as null beside tool calls"
        );
        assert_eq!(
            choice.finish_reason.as_deref(),
            Some("tool_calls"),
            "{prompt:?}"
        );
        let calls = choice.message.tool_calls.as_deref().unwrap_or_default();
        assert_eq!(calls.len(), 1, "{prompt:?}");
        assert_eq!(
            (
                calls[0].id.as_str(),
                calls[0].kind.as_deref(),
                calls[0].function.name.as_str()
            ),
            ("call_mock1", Some("function"), "search")
        );
        let arguments: Value = serde_json::from_str(&calls[0].function.arguments).unwrap();
        assert_eq!(
            arguments,
            json!({"query": prompt}),
            "arguments for {prompt:?}"
        );

        // Responses: one `response` object with the message item.
        let body = unstreamed(openai_responses::request_body("gpt-test", &prompt));
        let (_, response): (_, openai_responses::ResponseObject) =
            whole(&base, "/v1/responses", &body).await;
        assert_eq!(response.status.as_deref(), Some("completed"));
        let output = response.output.unwrap_or_default();
        let text = output[0].content.as_deref().unwrap_or_default()[0]
            .text
            .as_deref();
        assert_eq!(
            text,
            Some(answer.as_str()),
            "prompt {prompt:?}: left = non-streamed, right = mock_answer"
        );

        // Messages: one `message`, the same text and usage as the stream.
        let body = anthropic::request_body("claude-test", &prompt, 1024);
        let streamed = stream(
            &base,
            "/v1/messages",
            body.clone(),
            anthropic::MessageAccumulator::new(),
        )
        .await
        .output;
        let (raw, message): (_, anthropic::MessageObject) =
            whole(&base, "/v1/messages", &unstreamed(body)).await;
        assert_eq!(message.kind.as_deref(), Some("message"));
        assert_eq!(message.role.as_deref(), Some("assistant"));
        assert_eq!(message.model.as_deref(), Some("claude-test"));
        assert_eq!(
            message.content,
            [anthropic::ContentBlock::Text {
                text: answer.clone()
            }],
            "prompt {prompt:?}: left = non-streamed, right = mock_answer"
        );
        assert_eq!(
            message.stop_reason.as_deref(),
            Some("end_turn"),
            "{prompt:?}"
        );
        assert_eq!(raw.get("stop_sequence"), Some(&Value::Null));
        let usage: anthropic::Usage =
            serde_json::from_value(Value::Object(message.usage.clone().unwrap())).unwrap();
        assert_eq!(usage.input_tokens, words(&prompt), "{prompt:?}");
        assert_eq!(
            message.usage.map(Value::Object),
            streamed.usage,
            "{prompt:?}: left = non-streamed usage, right = streamed"
        );

        // With a tool: the text block, then the tool_use block with its whole input.
        let mut body = unstreamed(anthropic::request_body("claude-test", &prompt, 1024));
        body["tools"] = json!([{"name": "lookup", "input_schema": {"type": "object"}}]);
        let (_, message): (_, anthropic::MessageObject) = whole(&base, "/v1/messages", &body).await;
        assert_eq!(
            message.content,
            [
                anthropic::ContentBlock::Text {
                    text: answer.clone()
                },
                anthropic::ContentBlock::ToolUse {
                    id: "toolu_mock1".into(),
                    name: "lookup".into(),
                    input: json!({"query": prompt}),
                },
            ],
            "prompt {prompt:?}: left = non-streamed, right = expected"
        );
        assert_eq!(
            message.stop_reason.as_deref(),
            Some("tool_use"),
            "{prompt:?}"
        );
    }
}
