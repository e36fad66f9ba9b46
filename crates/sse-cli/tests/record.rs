//! `sse record` and `sse replay` as programs: record a live stream from an axum server on
//! loopback, replay it with cuts after every few events, and `sse listen` keeps up (issue 19).
//! Every wait is bounded; `sse replay` runs as a child killed on drop.

use std::process::Stdio;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The live stream: `retry: 20`, then `count` events with ids (a few of them multi-byte).
fn live(count: u64) -> String {
    let mut body = String::from("retry: 20\n\n");
    for k in 1..=count {
        body.push_str(&format!("id: {k}\ndata: event {k} \u{e9}\n\n"));
    }
    body
}

async fn sse(args: &[&str]) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"));
    command.args(args).kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("sse finished in time")
        .unwrap()
}

/// Starts `sse replay FILE ARGS --addr 127.0.0.1:0` and returns it with the URL it serves.
async fn replay(file: &std::path::Path, args: &[&str]) -> (tokio::process::Child, String) {
    let mut all = vec!["replay", file.to_str().unwrap()];
    all.extend_from_slice(args);
    start(&all).await
}

/// Starts `sse ARGS --addr 127.0.0.1:0` (a server) and returns it with the URL it prints first.
async fn start(args: &[&str]) -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
        .args(args)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("sse replay started in time")
        .unwrap()
        .expect("sse replay says where it serves");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();
    (child, url)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recorded_stream_replayed_with_cuts_reaches_listen_whole_and_in_order() {
    const EVENTS: u64 = 300;
    let app = Router::new().route(
        "/events",
        get(|headers: HeaderMap| async move {
            assert_eq!(headers["authorization"], "Bearer sk-secret-token");
            ([(header::CONTENT_TYPE, "text/event-stream")], live(EVENTS)).into_response()
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stream.jsonl");
    let recorded = sse(&[
        "record",
        &format!("http://{addr}/events"),
        "-o",
        file.to_str().unwrap(),
        "-H",
        "Authorization: Bearer sk-secret-token",
        "--count",
        &EVENTS.to_string(),
    ])
    .await;
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("{\"sse_recording\":1}\n"), "{text}");
    assert!(!text.contains("sk-secret"), "the token is not recorded");

    // A server that cuts every connection after 7 events and honours Last-Event-ID, with
    // `retry: 20`: each connection brings new events, so `sse listen` never backs off and
    // receives all 300, each once, in order.
    let (_replay, url) = replay(&file, &["--no-delay", "--cut-after-events", "7"]).await;
    let listened = sse(&[
        "listen",
        "--json",
        &format!("{url}/events"),
        "--count",
        &EVENTS.to_string(),
    ])
    .await;
    assert!(
        listened.status.success(),
        "{}",
        String::from_utf8_lossy(&listened.stderr)
    );
    let stdout = String::from_utf8(listened.stdout).unwrap();
    let received: Vec<(String, String)> = stdout
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                event["id"].as_str().unwrap().to_owned(),
                event["data"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = (1..=EVENTS)
        .map(|k| (k.to_string(), format!("event {k} \u{e9}")))
        .collect();
    assert_eq!(received, expected, "every event once, in order");
    let stderr = String::from_utf8_lossy(&listened.stderr);
    assert!(
        !stderr.contains("(attempt 2)"),
        "no reconnection after new events counts as a failed attempt:\n{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proxy_prints_each_event_and_records_what_passes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upstream.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"sse_recording\":1}}\n\
             {{\"ms\":0.0,\"conn\":1,\"response\":{{\"status\":200,\"headers\":[[\"content-type\",\"text/event-stream\"]]}}}}\n\
             {{\"ms\":1.0,\"conn\":1,\"chunk\":{}}}\n\
             {{\"ms\":2.0,\"conn\":1,\"end\":\"eof\"}}\n",
            serde_json::to_string(&live(3)).unwrap()
        ),
    )
    .unwrap();
    let (_upstream, upstream_url) = replay(&file, &["--no-delay"]).await;
    let recorded = dir.path().join("through-proxy.jsonl");
    let (mut proxy, proxy_url) = start(&[
        "proxy",
        "--json",
        "--upstream",
        &upstream_url,
        "-o",
        recorded.to_str().unwrap(),
    ])
    .await;
    let listened = sse(&[
        "listen",
        "--json",
        &format!("{proxy_url}/events"),
        "--count",
        "3",
        "-H",
        "x-api-key: sk-never-recorded",
    ])
    .await;
    assert!(
        listened.status.success(),
        "{}",
        String::from_utf8_lossy(&listened.stderr)
    );
    assert_eq!(
        String::from_utf8(listened.stdout).unwrap().lines().count(),
        3
    );
    // The proxy printed each event as it passed, with its connection number.
    let mut printed = BufReader::new(proxy.stdout.take().unwrap()).lines();
    for k in 1..=3 {
        let line = tokio::time::timeout(Duration::from_secs(30), printed.next_line())
            .await
            .expect("the proxy printed the event in time")
            .unwrap()
            .expect("a line per event");
        let event: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(event["conn"], 1, "{line}");
        assert_eq!(event["id"], k.to_string(), "{line}");
        assert_eq!(event["data"], format!("event {k} \u{e9}"), "{line}");
    }
    let text = std::fs::read_to_string(&recorded).unwrap();
    assert!(text.contains("\"x-api-key\",\"[redacted]\""), "{text}");
    assert!(!text.contains("sk-never-recorded"), "{text}");
    assert!(text.contains("\"chunk\""), "{text}");
}
