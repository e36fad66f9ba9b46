//! Tests against real parts: the official OpenAI and Anthropic Python SDKs stream from the mock
//! endpoints through the recording proxy; each recorded connection is then replayed, alone, to
//! the SDKs again and to `sse chat`, and all of them must assemble the same text, tool calls and
//! finish reasons as the SDKs did live.
//!
//! Why here, in sse-cli's tests: only this crate's tests get the `sse` binary
//! (`env!("CARGO_BIN_EXE_sse")`), and sse-cli already depends on everything else the test needs
//! (sse-server and sse-demo for the mock endpoints, sse-record for the proxy and the replay). So
//! one recording, made in the test itself, feeds both clients: no committed fixture that could
//! drift from the mock, and no dev-dependency between the library crates. The SDK script lives
//! next to the other one in `crates/sse-demo/tests/sdk/`.
//!
//! Real parts only: axum servers on loopback (the mock, the proxy, one replay per connection), the
//! SDKs from PyPI in a `python3` child, and the `sse` binary. Every wait is bounded. Needs
//! `python3` with the `openai` and `anthropic` packages: without them the test prints one line and
//! passes, unless `CI` is set, where it fails.

use std::io::Write;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sse_record::{Recording, ReplayConfig, What};

/// Recognisable fake keys: the SDKs send them, the recording must not keep them.
const OPENAI_KEY: &str = "sk-test-never-recorded-openai-5e11";
const ANTHROPIC_KEY: &str = "sk-ant-test-never-recorded-anthropic-5e11";

/// The script's steps in the order it runs them (one request, so one connection, each), the path
/// each one posts to, and the `sse chat --provider` that speaks the same API.
const STEPS: [(&str, &str, &str); 5] = [
    ("openai_chat", "/v1/chat/completions", "openai"),
    ("openai_tool", "/v1/chat/completions", "openai"),
    ("openai_responses", "/v1/responses", "openai-responses"),
    ("anthropic", "/v1/messages", "anthropic"),
    ("anthropic_tool", "/v1/messages", "anthropic"),
];

/// The Python packages (or `python3` itself) that are missing.
fn missing_sdks() -> Vec<&'static str> {
    let imports = |module: &str| {
        std::process::Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .map(|o| o.status.success())
    };
    match imports("sys") {
        Ok(true) => ["openai", "anthropic"]
            .into_iter()
            .filter(|module| !imports(module).unwrap_or(false))
            .collect(),
        _ => vec!["python3"],
    }
}

/// Where the proxy records: a buffer the test reads back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The mock OpenAI/Anthropic endpoints, as `sse serve` mounts them, with a 1 ms token delay so
/// that the answers arrive in many chunks.
async fn mock_server() -> String {
    let mut demo = sse_demo::DemoConfig::default();
    demo.mock.token_delay = Duration::from_millis(1);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sse_server::serve_with(
        listener,
        sse_server::Config::default(),
        std::future::pending(),
        sse_demo::mount(demo),
    ));
    base
}

/// The recording proxy in front of `upstream`, recording into `out`.
async fn proxy(upstream: &str, out: Shared) -> String {
    let config = sse_record::ProxyConfig::new(url::Url::parse(upstream).unwrap())
        .with_recording(Box::new(out))
        .unwrap();
    let app = sse_record::proxy::router(config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// Runs the SDK script with `steps` (`step=base_url`) and returns what each SDK assembled.
async fn sdks(prompt: &str, steps: &[String]) -> Value {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../sse-demo/tests/sdk/stream_steps_with_sdks.py"
    );
    let output = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new("python3")
            .arg(script)
            .arg(prompt)
            .args(steps)
            .env("OPENAI_API_KEY", OPENAI_KEY)
            .env("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
            .env_remove("ANTHROPIC_AUTH_TOKEN")
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the SDK script finished in time")
    .unwrap();
    assert!(
        output.status.success(),
        "SDK script failed ({steps:?}):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs `sse chat --json --provider PROVIDER --base-url BASE` and returns the answer it printed.
async fn sse_chat(provider: &str, base: &str) -> Value {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"));
    command
        .args(["chat", "--json", "--provider", provider, "--base-url", base])
        .arg("a prompt the replay does not read")
        .env_remove("OPENAI_API_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("ANTHROPIC_BASE_URL")
        .kill_on_drop(true);
    let output: Output = tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .expect("sse chat finished in time")
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "sse chat --provider {provider} failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "one JSON object: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

/// The connection numbers of `recording`, in the order they first appear.
fn connections(recording: &Recording) -> Vec<u32> {
    let mut order = Vec::new();
    for line in &recording.lines {
        if !order.contains(&line.conn) {
            order.push(line.conn);
        }
    }
    order
}

/// Waits (bounded) until every connection in the recording has ended: the SDKs may stop reading at
/// `[DONE]` or `message_stop` a moment before the proxy sees the upstream's end of body.
async fn whole_recording(out: &Shared, connections: usize) -> Recording {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let recording = Recording::read(out.text().as_bytes()).unwrap();
        let ended = recording
            .lines
            .iter()
            .filter(|line| matches!(line.what, What::End(_)))
            .count();
        if ended >= connections || tokio::time::Instant::now() >= deadline {
            return recording;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sdk_streams_recorded_through_the_proxy_replay_the_same_to_the_sdks_and_to_sse_chat() {
    let missing = missing_sdks();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install python3 with the openai and anthropic packages; missing: {}",
            missing.join(", ")
        );
        eprintln!(
            "skipping: missing {} (python3 -m pip install openai anthropic)",
            missing.join(", ")
        );
        return;
    }
    let prompt = "How do AI APIs stream tokens?";
    let expected_text = sse_demo::mock_ai::mock_answer(prompt);

    // Live: every SDK request goes through the proxy to the mock, and is recorded.
    let upstream = mock_server().await;
    let out = Shared::default();
    let proxy_url = proxy(&upstream, out.clone()).await;
    let steps: Vec<String> = STEPS
        .iter()
        .map(|(step, _, _)| format!("{step}={proxy_url}"))
        .collect();
    let live = sdks(prompt, &steps).await;

    // The SDKs got the mock's answer through the proxy.
    assert_eq!(
        live["openai_chat"],
        json!({"text": expected_text, "finish_reason": "stop",
            "total_tokens": live["openai_chat"]["total_tokens"]})
    );
    assert!(live["openai_chat"]["total_tokens"].as_u64().unwrap() > 0);
    assert_eq!(
        live["openai_tool"],
        json!({"text": null, "finish_reason": "tool_calls", "tool_calls": [
            {"id": "call_mock1", "name": "search", "arguments": {"query": prompt}}]})
    );
    assert_eq!(
        live["openai_responses"],
        json!({"text": expected_text, "status": "completed"})
    );
    assert_eq!(live["anthropic"]["text"], expected_text);
    assert_eq!(live["anthropic"]["final_text"], expected_text);
    assert_eq!(live["anthropic"]["stop_reason"], "end_turn");
    assert_eq!(live["anthropic"]["tool_calls"], json!([]));
    assert_eq!(live["anthropic_tool"]["text"], expected_text);
    assert_eq!(live["anthropic_tool"]["stop_reason"], "tool_use");
    assert_eq!(
        live["anthropic_tool"]["tool_calls"],
        json!([{"id": "toolu_mock1", "name": "lookup", "arguments": {"query": prompt}}])
    );

    // The recording: one whole connection per step, in order, each a 200 event stream, and no key.
    let recording = whole_recording(&out, STEPS.len()).await;
    let text = out.text();
    for key in [OPENAI_KEY, ANTHROPIC_KEY] {
        assert!(!text.contains(key), "the API key {key} is in the recording");
    }
    let conns = connections(&recording);
    assert_eq!(conns.len(), STEPS.len(), "one connection per SDK request");
    for (&conn, (step, path, _)) in conns.iter().zip(STEPS) {
        let lines: Vec<&What> = recording
            .lines
            .iter()
            .filter(|line| line.conn == conn)
            .map(|line| &line.what)
            .collect();
        let What::Request(request) = lines[0] else {
            panic!("{step}: connection {conn} starts with {:?}", lines[0]);
        };
        assert!(
            request.url.ends_with(path),
            "{step}: {} is not {path}",
            request.url
        );
        // The key went out (as `Authorization: Bearer`, or as `x-api-key`, which some Anthropic
        // SDK versions send instead) and was recorded redacted.
        let credentials: Vec<&(String, String)> = request
            .headers
            .iter()
            .filter(|(name, _)| name == "authorization" || name == "x-api-key")
            .collect();
        assert!(
            !credentials.is_empty()
                && credentials
                    .iter()
                    .all(|(_, value)| value == sse_record::format::REDACTED),
            "{step}: the key is not recorded redacted: {:?}",
            request.headers
        );
        let Some(What::Response(response)) = lines.get(1) else {
            panic!("{step}: connection {conn} has no response head: {lines:?}");
        };
        assert_eq!(response.status, 200, "{step}");
        assert!(
            response
                .headers
                .iter()
                .any(|(name, value)| name == "content-type"
                    && value.starts_with("text/event-stream")),
            "{step}: {:?}",
            response.headers
        );
        let chunks = lines
            .iter()
            .filter(|what| matches!(what, What::Chunk(_) | What::ChunkBase64(_)))
            .count();
        assert!(
            chunks > 1,
            "{step}: the answer arrived in {chunks} chunk(s)"
        );
        assert_eq!(
            lines.last(),
            Some(&&What::End("eof".into())),
            "{step}: the recorded connection ended whole"
        );
    }

    // Replay: each recorded connection alone, at full speed, to the SDK step that made it.
    let mut replays = Vec::new();
    for &conn in &conns {
        let alone = Recording {
            lines: recording
                .lines
                .iter()
                .filter(|line| line.conn == conn)
                .cloned()
                .collect(),
        };
        let replay = sse_record::serve(alone, ReplayConfig::default().with_speed(0.0))
            .await
            .unwrap();
        replays.push(replay);
    }
    let steps: Vec<String> = STEPS
        .iter()
        .zip(&replays)
        .map(|((step, _, _), replay)| format!("{step}={}", replay.url))
        .collect();
    let replayed = sdks(prompt, &steps).await;
    assert_eq!(
        replayed, live,
        "left = the SDKs on the replays, right = the SDKs live"
    );

    // The same replays to `sse chat`: the same text, tool calls and finish reasons as the SDKs.
    for ((step, _, provider), replay) in STEPS.iter().zip(&replays) {
        let sdk = &live[step];
        let chat = sse_chat(provider, &replay.url).await;
        assert_eq!(chat["error"], Value::Null, "{step}: {chat}");
        let calls: Vec<Value> = chat["tool_calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|call| json!({"id": call["id"], "name": call["name"], "arguments": call["arguments"]}))
            .collect();
        let (text, finish, sdk_calls) = match *step {
            "openai_chat" => {
                assert_eq!(
                    chat["usage"]["total_tokens"], sdk["total_tokens"],
                    "{step}: left = sse chat, right = the SDK"
                );
                (sdk["text"].clone(), sdk["finish_reason"].clone(), json!([]))
            }
            // The SDK's message content is null when the answer is only a tool call.
            "openai_tool" => (
                json!(""),
                sdk["finish_reason"].clone(),
                sdk["tool_calls"].clone(),
            ),
            "openai_responses" => (sdk["text"].clone(), sdk["status"].clone(), json!([])),
            _ => {
                assert_eq!(
                    chat["usage"]["output_tokens"], sdk["output_tokens"],
                    "{step}: left = sse chat, right = the SDK"
                );
                (
                    sdk["text"].clone(),
                    sdk["stop_reason"].clone(),
                    sdk["tool_calls"].clone(),
                )
            }
        };
        assert_eq!(
            chat["text"], text,
            "{step}: left = sse chat, right = the SDK"
        );
        assert_eq!(
            chat["finish_reason"], finish,
            "{step}: left = sse chat, right = the SDK"
        );
        assert_eq!(
            Value::from(calls),
            sdk_calls,
            "{step}: left = sse chat, right = the SDK"
        );
    }
}
