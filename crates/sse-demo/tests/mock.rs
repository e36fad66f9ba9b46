//! The mock AI endpoints over real loopback HTTP (`sse_server::serve_with` with the demo
//! mounted, as `sse serve` runs them), read with the project's own client and accumulators:
//! answers, tool calls, faults, and hostile requests (oversized, slow, without the token, past
//! the per-client stream limit). Every test is bounded in time.

use std::time::Duration;

use serde_json::{Value, json};
use sse_client::ai::{Accumulate, AiError, anthropic, openai_chat, openai_responses};
use sse_client::{Error, EventSource, SourceEvent};

mod common;
use common::{quick, start, within};

async fn run_ai<A: Accumulate>(
    source: EventSource,
    mut answer: A,
) -> (Result<(), AiError>, A::Output)
where
    A::Output: Clone,
{
    let mut source = source;
    while let Some(item) = within(source.next()).await {
        let Ok(SourceEvent::Message(event)) = item else {
            continue;
        };
        if let Err(error) = answer.push(&event) {
            return (Err(error), answer.output().clone());
        }
    }
    let result = if answer.is_done() {
        Ok(())
    } else {
        Err(AiError::Incomplete)
    };
    (result, answer.output().clone())
}

fn ai_source(base: &str, path: &str, body: Value) -> EventSource {
    EventSource::builder(format!("{base}{path}"))
        .post_json(&body)
        .build()
        .unwrap()
}

#[tokio::test]
async fn mock_openai_chat_streams_the_answer_with_usage() {
    let (config, demo) = quick();
    let server = start(config, demo).await;
    let mut body = openai_chat::request_body("gpt-test", "What is SSE?", true);
    body["stream_options"] = json!({"include_usage": true});
    let (result, answer) = run_ai(
        ai_source(&server.base, "/v1/chat/completions", body),
        openai_chat::ChatAccumulator::new(),
    )
    .await;
    result.unwrap();
    assert_eq!(answer.text, sse_demo::mock_ai::mock_answer("What is SSE?"));
    assert_eq!(answer.finish_reason.as_deref(), Some("stop"));
    assert!(answer.usage.unwrap()["total_tokens"].as_u64().unwrap() > 10);
}

#[tokio::test]
async fn mock_openai_chat_tool_call_and_non_streaming() {
    let (config, demo) = quick();
    let server = start(config, demo).await;
    let tools = json!([{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]);
    let mut body = openai_chat::request_body("gpt-test", "find SSE docs", false);
    body["tools"] = tools.clone();
    let (result, answer) = run_ai(
        ai_source(&server.base, "/v1/chat/completions", body),
        openai_chat::ChatAccumulator::new(),
    )
    .await;
    result.unwrap();
    assert_eq!(answer.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(answer.tool_calls[0].name, "search");
    assert_eq!(
        serde_json::from_str::<Value>(&answer.tool_calls[0].arguments).unwrap(),
        json!({"query": "find SSE docs"})
    );

    let plain = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions", server.base))
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(plain["object"], "chat.completion");
    assert_eq!(
        plain["choices"][0]["message"]["content"],
        sse_demo::mock_ai::mock_answer("hi")
    );
}

#[tokio::test]
async fn mock_responses_and_messages_stream_the_answer() {
    let (config, demo) = quick();
    let server = start(config, demo).await;
    let (result, answer) = run_ai(
        ai_source(
            &server.base,
            "/v1/responses",
            openai_responses::request_body("m", "Explain SSE"),
        ),
        openai_responses::ResponseAccumulator::new(),
    )
    .await;
    result.unwrap();
    assert_eq!(
        (answer.text.as_str(), answer.status.as_deref()),
        (
            sse_demo::mock_ai::mock_answer("Explain SSE").as_str(),
            Some("completed")
        )
    );

    let mut body = anthropic::request_body("claude-test", "Explain SSE", 100);
    body["tools"] = json!([{"name": "lookup", "input_schema": {"type": "object"}}]);
    let (result, answer) = run_ai(
        ai_source(&server.base, "/v1/messages", body),
        anthropic::MessageAccumulator::new(),
    )
    .await;
    result.unwrap();
    assert_eq!(answer.text, sse_demo::mock_ai::mock_answer("Explain SSE"));
    assert_eq!(answer.stop_reason.as_deref(), Some("tool_use"));
    assert_eq!(answer.tool_calls[0].input, json!({"query": "Explain SSE"}));
}

#[tokio::test]
async fn mock_faults_429_midstream_error_and_drop() {
    let (config, demo) = quick();
    let server = start(config, demo).await;
    // 429 with Retry-After, by header.
    let response = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions", server.base))
        .header("x-mock-fault", "429")
        .json(&openai_chat::request_body("m", "hi", false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"]["code"],
        "rate_limit_exceeded"
    );

    // A mid-stream error, by prompt marker, for each API.
    let prompt = "hello there [fault:midstream-error]";
    let (result, partial) = run_ai(
        ai_source(
            &server.base,
            "/v1/chat/completions",
            openai_chat::request_body("m", prompt, false),
        ),
        openai_chat::ChatAccumulator::new(),
    )
    .await;
    assert!(matches!(result, Err(AiError::Api(e)) if e.kind.as_deref() == Some("server_error")));
    assert!(!partial.text.is_empty());
    let (result, _) = run_ai(
        ai_source(
            &server.base,
            "/v1/messages",
            anthropic::request_body("m", prompt, 10),
        ),
        anthropic::MessageAccumulator::new(),
    )
    .await;
    assert!(
        matches!(result, Err(AiError::Api(e)) if e.kind.as_deref() == Some("overloaded_error"))
    );
    let (result, _) = run_ai(
        ai_source(
            &server.base,
            "/v1/responses",
            openai_responses::request_body("m", prompt),
        ),
        openai_responses::ResponseAccumulator::new(),
    )
    .await;
    assert!(matches!(result, Err(AiError::Api(_))));

    // A dropped connection: the client reports it (POST streams are not retried).
    let mut source = ai_source(
        &server.base,
        "/v1/chat/completions",
        openai_chat::request_body("m", "[fault:drop]", false),
    );
    let mut error = None;
    while let Some(item) = within(source.next()).await {
        if let Err(e) = item {
            error = Some(e);
        }
    }
    assert!(
        matches!(
            error,
            Some(Error::Transport(_)) | Some(Error::EndOfStream { mid_event: true })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn bearer_scheme_in_any_case_and_mock_endpoints_obey_the_token() {
    let (mut config, demo) = quick();
    config.auth_token = Some("s3cret".into());
    let server = start(config, demo).await;
    let client = reqwest::Client::new();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = client
            .get(format!("{}/events/news", server.base))
            .header("authorization", format!("{scheme} s3cret"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "scheme {scheme}");
    }
    let chat =
        json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    let without = client
        .post(format!("{}/v1/chat/completions", server.base))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(
        without.status(),
        401,
        "the mock endpoints need the token too"
    );
    let with = client
        .post(format!("{}/v1/chat/completions", server.base))
        .bearer_auth("s3cret")
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 200);
    // Anthropic's SDKs send the key as x-api-key.
    let messages = json!({"model": "m", "max_tokens": 10, "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    let anthropic = client
        .post(format!("{}/v1/messages", server.base))
        .header("x-api-key", "s3cret")
        .json(&messages)
        .send()
        .await
        .unwrap();
    assert_eq!(anthropic.status(), 200);
    server.stop().await;
}

#[tokio::test]
async fn hostile_mock_request_60kb_is_refused_or_bounded() {
    let (config, demo) = quick();
    let server = start(config, demo).await;
    let client = reqwest::Client::new();
    let words = "word ".repeat(20_000);
    let chat = |model: &str| json!({"model": model, "stream": true, "messages": [{"role": "user", "content": words}]});

    // The 20,000-character model name: refused, in the vendor's error shape.
    let long_model = "m".repeat(20_000);
    for path in ["/v1/chat/completions", "/v1/responses", "/v1/messages"] {
        let mut body = chat(&long_model);
        body["input"] = json!("hi");
        let response = client
            .post(format!("{}{path}", server.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let error: Value = response.json().await.unwrap();
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("at most 256"), "{path}: {error}");
    }

    // 20,000 words with an ordinary model: the answer restates 200 words, then stops.
    let response = client
        .post(format!("{}/v1/chat/completions", server.base))
        .json(&chat("gpt-4o-mini"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = tokio::time::timeout(Duration::from_secs(10), response.text())
        .await
        .unwrap()
        .unwrap();
    let content_chunks = body.matches("\"content\":\"").count();
    assert!(
        (200..=230).contains(&content_chunks),
        "{content_chunks} content chunks for a 20,000-word prompt"
    );
    assert!(body.contains("…\\\"."), "the cut is shown");
    assert!(body.len() < 200_000, "{} bytes", body.len());

    // A token delay above the cap is refused instead of holding the connection for hours.
    for delay in ["1001", "99999999999", "-1", "soon"] {
        let response = client
            .post(format!("{}/v1/chat/completions", server.base))
            .header("x-mock-token-delay-ms", delay)
            .json(&json!({"model": "m", "stream": true, "messages": []}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "delay {delay}");
    }
    // A body past the limit never reaches the handler.
    let huge = "x".repeat(sse_demo::mock_ai::MAX_BODY + 1);
    let response = client
        .post(format!("{}/v1/chat/completions", server.base))
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": huge}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    server.stop().await;
}

#[tokio::test]
async fn mock_streams_take_a_per_client_stream_slot() {
    let (mut config, mut demo) = quick();
    config.max_streams_per_client = 1;
    demo.mock.token_delay = Duration::from_millis(50);
    let server = start(config, demo).await;
    let client = reqwest::Client::new();
    let held = client
        .get(format!("{}/events/news", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 200);
    let chat =
        json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    let refused = client
        .post(format!("{}/v1/chat/completions", server.base))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "rate_limit_exceeded");
    drop(held);
    server.stop().await;
}
