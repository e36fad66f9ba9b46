//! The mock endpoints against the official OpenAI and Anthropic Python SDKs (from PyPI): a real
//! client nobody here wrote, streamed and non-streamed. The project's own accumulators must agree
//! with the SDKs.
//!
//! Needs `python3` with the `openai` and `anthropic` packages; required when `CI` is set.

use std::time::Duration;

use serde_json::{Value, json};
use sse_client::ai::{Accumulate, anthropic, openai_chat, openai_responses};
use sse_client::{EventSource, SourceEvent};

fn sdks_available() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import openai, anthropic"])
        .output()
        .is_ok_and(|o| o.status.success())
}

async fn ours<A: Accumulate>(url: String, body: Value, mut answer: A) -> A::Output
where
    A::Output: Clone,
{
    let mut source = EventSource::builder(url).post_json(&body).build().unwrap();
    while let Some(item) = source.next().await {
        if let SourceEvent::Message(event) = item.unwrap() {
            answer.push(&event).unwrap();
        }
    }
    assert!(answer.is_done());
    answer.output().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn official_sdks_stream_from_the_mock_endpoints_and_agree_with_our_accumulators() {
    if !sdks_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the openai and anthropic Python packages"
        );
        eprintln!("skipping: python3 with the openai and anthropic packages is not installed");
        return;
    }
    let config = sse_server::Config::default();
    let mut demo = sse_demo::DemoConfig::default();
    demo.mock.token_delay = Duration::from_millis(1);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let signal = std::future::pending();
    tokio::spawn(sse_server::serve_with(
        listener,
        config,
        signal,
        sse_demo::mount(demo),
    ));

    let prompt = "How do AI APIs stream tokens?";
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/stream_with_sdks.py");
    let output = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new("python3")
            .args([script, &base, prompt])
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the SDK script finished in time")
    .unwrap();
    assert!(
        output.status.success(),
        "SDK script failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sdk: Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = sse_demo::mock_ai::mock_answer(prompt);

    // What the SDKs assembled.
    assert_eq!(sdk["openai_chat"]["text"], expected);
    assert_eq!(sdk["openai_chat"]["finish_reason"], "stop");
    assert!(sdk["openai_chat"]["total_tokens"].as_u64().unwrap() > 0);
    assert_eq!(
        sdk["openai_tool"],
        json!({"name": "search", "arguments": {"query": prompt}})
    );
    assert_eq!(
        sdk["openai_responses"],
        json!({"text": expected, "status": "completed"})
    );
    assert_eq!(sdk["anthropic"]["text"], expected);
    assert_eq!(sdk["anthropic"]["final_text"], expected);
    assert_eq!(sdk["anthropic"]["stop_reason"], "end_turn");
    // The non-streamed answers, as the SDKs' models read them.
    assert_eq!(sdk["openai_whole"]["text"], expected);
    assert_eq!(sdk["openai_whole"]["finish_reason"], "stop");
    assert_eq!(
        sdk["openai_whole"]["total_tokens"], sdk["openai_chat"]["total_tokens"],
        "left = non-streamed usage, right = streamed"
    );
    assert_eq!(
        sdk["openai_whole"]["tool"],
        json!({"content": null, "finish_reason": "tool_calls", "name": "search",
            "arguments": {"query": prompt}})
    );
    assert_eq!(sdk["anthropic_whole"]["text"], expected);
    assert_eq!(sdk["anthropic_whole"]["stop_reason"], "end_turn");
    assert_eq!(
        sdk["anthropic_whole"]["output_tokens"], sdk["anthropic"]["output_tokens"],
        "left = non-streamed usage, right = streamed"
    );
    assert_eq!(
        sdk["anthropic_whole"]["tool"],
        json!({"types": ["text", "tool_use"], "stop_reason": "tool_use", "name": "lookup",
            "input": {"query": prompt}})
    );
    // Each SDK raises on the injected faults.
    assert_eq!(sdk["faults"]["openai_midstream"], "APIError");
    assert!(
        sdk["faults"]["anthropic_midstream"].is_string(),
        "{}",
        sdk["faults"]
    );
    assert_eq!(sdk["faults"]["openai_429"], "RateLimitError");

    // Our accumulators agree with the SDKs on the same endpoints.
    let chat = ours(
        format!("{base}/v1/chat/completions"),
        openai_chat::request_body("m", prompt, true),
        openai_chat::ChatAccumulator::new(),
    )
    .await;
    assert_eq!(chat.text, sdk["openai_chat"]["text"].as_str().unwrap());
    assert_eq!(
        chat.usage.unwrap()["total_tokens"],
        sdk["openai_chat"]["total_tokens"]
    );
    let responses = ours(
        format!("{base}/v1/responses"),
        openai_responses::request_body("m", prompt),
        openai_responses::ResponseAccumulator::new(),
    )
    .await;
    assert_eq!(
        responses.text,
        sdk["openai_responses"]["text"].as_str().unwrap()
    );
    let message = ours(
        format!("{base}/v1/messages"),
        anthropic::request_body("m", prompt, 256),
        anthropic::MessageAccumulator::new(),
    )
    .await;
    assert_eq!(message.text, sdk["anthropic"]["text"].as_str().unwrap());
    assert_eq!(
        message.usage.unwrap()["output_tokens"],
        sdk["anthropic"]["output_tokens"]
    );
}
