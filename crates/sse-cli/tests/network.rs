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
        .env_remove("ANTHROPIC_API_KEY");
    command.envs(env.iter().copied()).kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .expect("sse finished in time")
        .unwrap()
}

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
    let output = sse(
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
    assert!(output.status.success(), "{}", text(&output.stderr));
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
    assert!(
        text(&output.stderr).contains("HTTP 404"),
        "{}",
        text(&output.stderr)
    );
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
            stream(include_str!(
                "../../sse-client/tests/data/openai_chat_text.sse"
            ))
        }),
    );
    let url = serve(app).await;
    let output = sse(
        &["chat", "--base-url", &url, "What is SSE?"],
        &[("OPENAI_API_KEY", "sk-test")],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "Server-sent events let servers push updates to clients over one HTTP response.\n"
    );
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
            stream(include_str!(
                "../../sse-client/tests/data/anthropic_text.sse"
            ))
        }),
    );
    let url = serve(app).await;
    let output = sse(
        &["chat", "--provider", "anthropic", "--base-url", &url, "hi"],
        &[("ANTHROPIC_API_KEY", "sk-ant")],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "Server-sent events let servers push updates to clients over one HTTP response.\n"
    );
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
    assert!(
        text(&output.stderr).contains("overloaded_error: Overloaded"),
        "{}",
        text(&output.stderr)
    );
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
