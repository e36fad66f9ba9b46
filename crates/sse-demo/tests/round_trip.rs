//! Round trips, one per API: the mock's script, built from `sse_client::ai`'s wire types, served
//! on loopback; the real `sse-client` `EventSource` reading it; the API's accumulator assembling
//! it. The assembled answer must be `mock_answer(prompt)` exactly, for several prompts (empty,
//! spaced out, non-ASCII, past the word limit), with the tool call and usage the mock sends, and
//! a mid-stream fault must leave a partial answer that is a prefix of it.

use std::time::Duration;

use serde_json::{Value, json};
use sse_client::ai::{Accumulate, AiError, Update, anthropic, openai_chat, openai_responses};
use sse_client::{EventSource, SourceEvent};
use sse_demo::DemoConfig;
use sse_demo::mock_ai::mock_answer;

/// The mock on loopback, unpaced; stops when the returned sender is dropped.
async fn mock() -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut demo = DemoConfig {
        demo_channels: false,
        ..DemoConfig::default()
    };
    demo.mock.token_delay = Duration::ZERO;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = async {
        let _ = stopped.await;
    };
    tokio::spawn(sse_server::serve_with(
        listener,
        sse_server::Config::default(),
        signal,
        sse_demo::mount(demo),
    ));
    (base, stop)
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
    let (base, _stop) = mock().await;
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
    let (base, _stop) = mock().await;
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
    let (base, _stop) = mock().await;
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
    let (base, _stop) = mock().await;
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
