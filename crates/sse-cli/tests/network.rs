//! `sse listen` and `sse chat` as programs, against a real axum server on loopback.

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::StreamExt;
use serde_json::json;

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn sse(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"));
    command
        .args(args)
        .env_remove("OPENAI_API_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("ANTHROPIC_BASE_URL");
    command.envs(env.iter().copied()).kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .expect("sse finished in time")
        .unwrap()
}

/// Runs `sse` like [`sse`] and fails the test, showing its stderr, unless it exited with success.
async fn sse_ok(args: &[&str], env: &[(&str, &str)]) -> Output {
    let output = sse(args, env).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    output
}

/// Fails the test, showing the whole stderr, unless `sse` wrote `needle` there.
fn assert_stderr_contains(output: &Output, needle: &str) {
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(needle),
        "{needle:?} not in stderr: {stderr}"
    );
}

/// The text of the answer in the recorded streams `openai_chat_text.sse` and `anthropic_text.sse`.
const FIXTURE_ANSWER: &str =
    "Server-sent events let servers push updates to clients over one HTTP response.\n";

fn stream(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_prints_events_reconnects_with_the_last_id_and_exits_on_204() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/events",
        get(move |headers: HeaderMap| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                let last = headers
                    .get("last-event-id")
                    .map(|v| v.to_str().unwrap().to_owned());
                match (n, last.as_deref()) {
                    (0, Some("start")) => {
                        stream("retry: 10\nid: 1\ndata: one\n\nevent: tick\nid: 2\ndata: two\n\n")
                    }
                    (1, Some("2")) => StatusCode::NO_CONTENT.into_response(),
                    _ => (StatusCode::BAD_REQUEST, "unexpected request").into_response(),
                }
            }
        }),
    );
    let url = serve(app).await;
    let output = sse_ok(
        &[
            "listen",
            "--json",
            "--last-event-id",
            "start",
            &format!("{url}/events"),
        ],
        &[],
    )
    .await;
    assert_eq!(
        text(&output.stdout),
        "{\"data\":\"one\",\"event\":\"message\",\"id\":\"1\"}\n{\"data\":\"two\",\"event\":\"tick\",\"id\":\"2\"}\n"
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("reconnecting in") && stderr.contains("Last-Event-ID \"2\""),
        "{stderr}"
    );
    assert!(stderr.contains("closed the stream for good"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_fails_clearly_on_a_404() {
    let app = Router::new().route(
        "/events",
        get(|| async { (StatusCode::NOT_FOUND, "no such stream") }),
    );
    let url = serve(app).await;
    let output = sse(&["listen", &format!("{url}/nothing")], &[]).await;
    assert_eq!(output.status.code(), Some(1));
    assert_stderr_contains(&output, "HTTP 404");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_streams_an_openai_answer_and_sends_the_key() {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(|headers: HeaderMap, body: String| async move {
            let request: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(request["stream"], true);
            assert_eq!(request["messages"][0]["content"], "What is SSE?");
            if headers
                .get(header::AUTHORIZATION)
                .map(|v| v.to_str().unwrap())
                != Some("Bearer sk-test")
            {
                return (StatusCode::UNAUTHORIZED, "missing key").into_response();
            }
            stream(include_str!("../../sse-ai/tests/data/openai_chat_text.sse"))
        }),
    );
    let url = serve(app).await;
    let output = sse_ok(
        &["chat", "--base-url", &url, "What is SSE?"],
        &[("OPENAI_API_KEY", "sk-test")],
    )
    .await;
    assert_eq!(text(&output.stdout), FIXTURE_ANSWER);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_streams_an_anthropic_answer_with_its_headers() {
    let app = Router::new().route(
        "/v1/messages",
        post(|headers: HeaderMap| async move {
            let key = headers
                .get("x-api-key")
                .map(|v| v.to_str().unwrap().to_owned());
            let version = headers
                .get("anthropic-version")
                .map(|v| v.to_str().unwrap().to_owned());
            if key.as_deref() != Some("sk-ant") || version.as_deref() != Some("2023-06-01") {
                return (StatusCode::UNAUTHORIZED, "bad headers").into_response();
            }
            stream(include_str!("../../sse-ai/tests/data/anthropic_text.sse"))
        }),
    );
    let url = serve(app).await;
    let output = sse_ok(
        &["chat", "--provider", "anthropic", "--base-url", &url, "hi"],
        &[("ANTHROPIC_API_KEY", "sk-ant")],
    )
    .await;
    assert_eq!(text(&output.stdout), FIXTURE_ANSWER);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_reports_a_mid_stream_error_and_exits_non_zero() {
    let app = Router::new().route(
        "/v1/messages",
        post(|| async {
            stream(concat!(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Partial answer\"}}\n\n",
                "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n",
            ))
        }),
    );
    let url = serve(app).await;
    let output = sse(
        &["chat", "--provider", "anthropic", "--base-url", &url, "hi"],
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "Partial answer\n");
    assert_stderr_contains(&output, "overloaded_error: Overloaded");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_reports_http_errors_with_the_body() {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(|| async {
            let body = r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#;
            Response::builder().status(401).header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap()
        }),
    );
    let url = serve(app).await;
    let output = sse(&["chat", "--base-url", &url, "hi"], &[]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "nothing but the answer on stdout");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("HTTP 401") && stderr.contains("Incorrect API key"),
        "{stderr}"
    );
    assert!(stderr.contains("set OPENAI_API_KEY"), "{stderr}");
}

// ---- issue 10 ---------------------------------------------------------------------------------

/// The in-repo mock endpoints (`sse serve`'s router: the library with sse-demo), without token
/// delays. Keep the trigger: dropping it shuts the streams.
async fn mock_server() -> (String, sse_server::sse::Trigger) {
    let config = sse_server::Config::default();
    let mut demo = sse_demo::DemoConfig::default();
    demo.mock.token_delay = Duration::ZERO;
    let (trigger, shutdown) = sse_server::sse::Shutdown::new();
    let (app, _) =
        sse_server::router_with(&config, shutdown, |state| sse_demo::router(state, &demo));
    (serve(app).await, trigger)
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_base_url_with_or_without_v1_and_the_sdk_environment_variables() {
    let (url, _trigger) = mock_server().await;
    let with_v1 = format!("{url}/v1");
    let with_slash = format!("{url}/v1/");
    for provider in ["openai", "openai-responses", "anthropic"] {
        let (env_name, env_value) = if provider == "anthropic" {
            ("ANTHROPIC_BASE_URL", url.as_str())
        } else {
            ("OPENAI_BASE_URL", with_v1.as_str())
        };
        type Run<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);
        let runs: [Run; 4] = [
            (vec!["--base-url", &url], vec![]),
            (vec!["--base-url", &with_v1], vec![]),
            (vec!["--base-url", &with_slash], vec![]),
            (vec![], vec![(env_name, env_value)]),
        ];
        for (flags, env) in runs {
            let mut args = vec!["chat", "--provider", provider];
            args.extend(flags.iter().copied());
            args.push("hi");
            let output = sse(&args, &env).await;
            assert!(
                output.status.success(),
                "{provider} {flags:?} {env:?}: {}",
                text(&output.stderr)
            );
            assert!(
                text(&output.stdout).starts_with("You asked: \"hi\". Server-sent events"),
                "{provider} {flags:?} {env:?}: {}",
                text(&output.stdout)
            );
        }
    }
}

const OPENAI_TOOL_STREAM: &str = concat!(
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me check.\"}}]}\n\n",
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}\n\n",
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n",
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}}]}\n\n",
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}}\n\n",
    "data: [DONE]\n\n",
);

const ANTHROPIC_TOOL_STREAM: &str = concat!(
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"search\",\"input\":{}}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": \\\"sse\\\"}\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":12}}\n\n",
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
);

fn json_of(output: &Output) -> serde_json::Value {
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "one JSON object, once: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_json_prints_the_assembled_answer_once_with_tool_calls_usage_and_reason() {
    let app = Router::new()
        .route(
            "/v1/chat/completions",
            post(|| async { stream(OPENAI_TOOL_STREAM) }),
        )
        .route(
            "/v1/messages",
            post(|| async { stream(ANTHROPIC_TOOL_STREAM) }),
        );
    let url = serve(app).await;

    let output = sse_ok(&["chat", "--json", "--base-url", &url, "weather?"], &[]).await;
    let answer = json_of(&output);
    assert_eq!(answer["text"], "Let me check.");
    assert_eq!(answer["tool_calls"][0]["id"], "call_1");
    assert_eq!(answer["tool_calls"][0]["name"], "get_weather");
    assert_eq!(
        answer["tool_calls"][0]["arguments"],
        json!({"city": "Paris"})
    );
    assert_eq!(answer["finish_reason"], "tool_calls");
    assert_eq!(answer["usage"]["total_tokens"], 14);
    assert_eq!(answer["error"], serde_json::Value::Null);

    let output = sse_ok(
        &[
            "chat",
            "--json",
            "--provider",
            "anthropic",
            "--base-url",
            &url,
            "search",
        ],
        &[],
    )
    .await;
    let answer = json_of(&output);
    assert_eq!(answer["text"], "Checking.");
    assert_eq!(answer["tool_calls"][0]["name"], "search");
    assert_eq!(answer["tool_calls"][0]["arguments"], json!({"q": "sse"}));
    assert_eq!(answer["finish_reason"], "tool_use");
    assert_eq!(answer["usage"]["output_tokens"], 12);

    // Without --json the tool call is shown after the text.
    let output = sse(&["chat", "--base-url", &url, "weather?"], &[]).await;
    assert_eq!(
        text(&output.stdout),
        "Let me check.\n[tool call call_1 get_weather({\"city\":\"Paris\"})]\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_json_reports_errors_in_the_object_and_keeps_the_exit_code() {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(|| async { (StatusCode::UNAUTHORIZED, "Incorrect API key provided") }),
    );
    let url = serve(app).await;
    let output = sse(&["chat", "--json", "--base-url", &url, "hi"], &[]).await;
    assert_eq!(output.status.code(), Some(1));
    let answer = json_of(&output);
    assert!(
        answer["error"].as_str().unwrap().contains("HTTP 401"),
        "{answer}"
    );
    assert_eq!(answer["text"], "");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_api_key_ending_in_cr_is_not_printed() {
    let output = sse(
        &["chat", "--base-url", "http://127.0.0.1:9/", "hi"],
        &[("OPENAI_API_KEY", "sk-SECRET-KEY\r")],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("SECRET"), "{stderr}");
    assert!(
        stderr.contains("authorization"),
        "names the header: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_escapes_terminal_control_characters_in_the_answer() {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(|| async {
            stream(concat!(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"red \\u001b[31malert\\u001b]0;owned\\u0007\\nline 2\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: [DONE]\n\n",
            ))
        }),
    );
    let url = serve(app).await;
    let output = sse_ok(&["chat", "--base-url", &url, "hi"], &[]).await;
    assert_eq!(
        text(&output.stdout),
        "red \\u{1b}[31malert\\u{1b}]0;owned\\u{7}\nline 2\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_escapes_terminal_control_characters() {
    let app = Router::new().route(
        "/events",
        get(|| async {
            stream(
                "event: x\x1b[2J\nid: 1\x1b[31m\ndata: a\x1b]0;owned\x07b\ndata: \u{9b}31m\r\n\r\n",
            )
        }),
    );
    let url = serve(app).await;
    let output = sse_ok(&["listen", "--count", "1", &format!("{url}/events")], &[]).await;
    let stdout = text(&output.stdout);
    assert_eq!(
        stdout,
        "event: x\\u{1b}[2J  (last event id \"1\\u{1b}[31m\")\n  | a\\u{1b}]0;owned\\u{7}b\n  | \\u{9b}31m\n"
    );
    // JSON mode: serde escapes them.
    let output = sse(
        &["listen", "--json", "--count", "1", &format!("{url}/events")],
        &[],
    )
    .await;
    assert!(!text(&output.stdout).contains('\x1b'));
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_max_event_size_skips_large_events_and_goes_on() {
    let big: &'static str =
        Box::leak(format!("data: {}\n\ndata: small\n\n", "x".repeat(5000)).into_boxed_str());
    let app = Router::new().route("/events", get(move || async move { stream(big) }));
    let url = serve(app).await;
    let output = sse_ok(
        &[
            "listen",
            "--max-event-size",
            "1000",
            "--count",
            "1",
            &format!("{url}/events"),
        ],
        &[],
    )
    .await;
    assert_eq!(text(&output.stdout), "event: message\n  | small\n");
    assert_stderr_contains(&output, "skipped an event");
    let refused = sse(&["listen", "--max-event-size", "0", &url], &[]).await;
    assert_eq!(
        refused.status.code(),
        Some(2),
        "0 bytes is refused by the argument parser"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_idle_timeout_is_reset_by_keepalive_comments() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/events",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async {
                // An event, a comment every 300 ms for 3 s, then a last event.
                let mut parts: Vec<(u64, &'static str)> = vec![(0, "data: first\n\n")];
                parts.extend((0..10).map(|_| (300, ":\n\n")));
                parts.push((0, "data: last\n\n"));
                let body = futures::stream::iter(parts).then(|(pause, part)| async move {
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                    Ok::<_, std::convert::Infallible>(part)
                });
                (
                    [(header::CONTENT_TYPE, "text/event-stream")],
                    Body::from_stream(body),
                )
                    .into_response()
            }
        }),
    );
    let url = serve(app).await;
    let output = sse_ok(
        &[
            "listen",
            "--idle-timeout",
            "1",
            "--count",
            "2",
            &format!("{url}/events"),
        ],
        &[],
    )
    .await;
    assert_eq!(
        text(&output.stdout),
        "event: message\n  | first\nevent: message\n  | last\n"
    );
    assert!(
        !text(&output.stderr).contains("reconnecting"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "one connection for the whole stream"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_survives_retry_after_ms_1e300() {
    let app = Router::new().route(
        "/events",
        get(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [("retry-after-ms", "1e300")],
                "busy",
            )
                .into_response()
        }),
    );
    let url = serve(app).await;
    let output = sse(
        &["listen", "--max-retries", "0", &format!("{url}/events")],
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_stderr_contains(&output, "gave up");
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_never_prints_a_url_password() {
    let app = Router::new().route("/events", get(|| async { stream("data: x\n\n") }));
    let url = serve(app).await;
    let with_password = url.replace("http://", "http://user:hunter2@");
    let output = sse_ok(
        &["listen", "--count", "1", &format!("{with_password}/events")],
        &[],
    )
    .await;
    let stderr = text(&output.stderr);
    assert!(stderr.contains("user:***@"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
