//! Chapter 3 tests: `cargo test -p exercises --test ch03` (one exercise: add `ch03_ex02`).
//!
//! The server exercises run your router on 127.0.0.1 and read it with the course's own client.

use std::fmt::Write as _;
use std::time::Duration;

use exercises::ch03::*;
use sse_client::{EventSource, SourceEvent};

/// Serves `app` on a free loopback port; returns its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Every event of a stream that ends, as "type|data|id" lines.
async fn read_all(url: &str, token: Option<&str>) -> Result<String, sse_client::Error> {
    let mut builder = EventSource::builder(url).reconnect(false);
    if let Some(token) = token {
        builder = builder.bearer_auth(token);
    }
    let mut source = builder.build()?;
    let mut out = String::new();
    let read = async {
        while let Some(item) = source.next().await {
            if let SourceEvent::Message(e) = item? {
                writeln!(out, "{}|{}|{}", e.event_type(), e.data(), e.last_event_id()).unwrap();
            }
        }
        Ok::<_, sse_client::Error>(())
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("the stream ended in time")?;
    Ok(out)
}

// ---------------------------------------------------------------- ex01: countdown

#[tokio::test]
async fn ch03_ex01_countdown_streams_ticks_then_done() {
    let base = serve(ex01_countdown::router()).await;
    let mut out = String::new();
    for from in [3, 1, 0] {
        writeln!(
            out,
            "from={from}\n{}",
            read_all(&format!("{base}/countdown?from={from}"), None)
                .await
                .unwrap()
        )
        .unwrap();
    }
    writeln!(
        out,
        "default\n{}",
        read_all(&format!("{base}/countdown"), None).await.unwrap()
    )
    .unwrap();
    insta::assert_snapshot!("ch03_ex01_countdown", out);
}

#[tokio::test]
async fn ch03_ex01_countdown_headers() {
    let base = serve(ex01_countdown::router()).await;
    let response = reqwest::get(format!("{base}/countdown?from=1"))
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert_eq!(response.headers()["cache-control"], "no-cache");
}

// ---------------------------------------------------------------- ex02: keep-alive

#[tokio::test(start_paused = true)]
async fn ch03_ex02_comments_fill_the_silences() {
    use futures::StreamExt;
    // Events at 10 s, 12 s and 50 s, then the end; keep-alive every 15 s.
    let events =
        futures::stream::iter([(10, "a"), (2, "b"), (38, "c")]).then(|(wait, data)| async move {
            tokio::time::sleep(Duration::from_secs(wait)).await;
            bytes::Bytes::from(format!("data: {data}\n\n"))
        });
    let start = tokio::time::Instant::now();
    let stream = ex02_keep_alive::with_keep_alive(Box::pin(events), Duration::from_secs(15));
    let timeline: Vec<String> = stream
        .map(|bytes| {
            format!(
                "{:>3}s {:?}",
                start.elapsed().as_secs(),
                String::from_utf8_lossy(&bytes)
            )
        })
        .collect()
        .await;
    insta::assert_snapshot!("ch03_ex02_keep_alive", timeline.join("\n"));
}

// ---------------------------------------------------------------- ex03: replay

#[test]
fn ch03_ex03_resume_decisions() {
    use ex03_replay::ReplayBuffer;
    let mut buffer = ReplayBuffer::new(3);
    let ids: Vec<u64> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|d| buffer.push(d))
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let mut out = String::new();
    for last in [
        None,
        Some("5"),
        Some("4"),
        Some("2"),
        Some("1"),
        Some("0"),
        Some("9"),
        Some("x"),
    ] {
        writeln!(out, "{last:?} => {:?}", buffer.resume(last)).unwrap();
    }
    let empty = ReplayBuffer::new(3);
    writeln!(out, "empty, Some(\"0\") => {:?}", empty.resume(Some("0"))).unwrap();
    insta::assert_snapshot!("ch03_ex03_resume", out);
}

// ---------------------------------------------------------------- ex04: OpenAI chunks

#[test]
fn ch03_ex04_wire_bytes() {
    let wire = ex04_openai_chunks::chat_stream("chatcmpl-1", "tiny", &["Hi", " there"]);
    insta::assert_snapshot!("ch03_ex04_wire", String::from_utf8(wire).unwrap());
}

#[tokio::test]
async fn ch03_ex04_the_course_client_assembles_it_over_http() {
    use sse_client::ai::{Accumulate, openai_chat::ChatAccumulator};
    let tokens = ["Server", "-sent", " events", " \u{1f680}", " done."];
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move || async move {
            let wire = ex04_openai_chunks::chat_stream("chatcmpl-2", "tiny", &tokens);
            (
                [(axum::http::header::CONTENT_TYPE, "text/event-stream")],
                wire,
            )
        }),
    );
    let base = serve(app).await;
    let mut source = EventSource::builder(format!("{base}/v1/chat/completions"))
        .post_json(&serde_json::json!({"model": "tiny", "stream": true}))
        .build()
        .unwrap();
    let mut answer = ChatAccumulator::new();
    while let Some(item) = tokio::time::timeout(Duration::from_secs(20), source.next())
        .await
        .unwrap()
    {
        if let SourceEvent::Message(event) = item.unwrap() {
            answer.push(&event).unwrap();
        }
    }
    assert!(answer.is_done(), "the stream ends with [DONE]");
    assert_eq!(answer.output().text, tokens.concat());
    assert_eq!(answer.output().finish_reason.as_deref(), Some("stop"));
}

// ---------------------------------------------------------------- ex05: auth

#[tokio::test]
async fn ch03_ex05_unauthorised_requests_get_401_before_any_stream() {
    let base = serve(ex05_auth::router("open-sesame".into())).await;
    let url = format!("{base}/private");
    let client = reqwest::Client::new();
    for request in [
        client.get(&url),
        client.get(&url).bearer_auth("wrong"),
        client.get(&url).header("authorization", "open-sesame"),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_ne!(
            response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap()),
            Some("text/event-stream")
        );
    }
    // The course client reports it as a failure, without retrying.
    let error = read_all(&url, Some("wrong")).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn ch03_ex05_the_right_token_gets_the_stream() {
    let base = serve(ex05_auth::router("open-sesame".into())).await;
    let got = read_all(&format!("{base}/private"), Some("open-sesame"))
        .await
        .unwrap();
    assert_eq!(got, "message|welcome|\n");
    let other = serve(ex05_auth::router("another".into())).await;
    assert!(
        read_all(&format!("{other}/private"), Some("open-sesame"))
            .await
            .is_err(),
        "the token is the router's own"
    );
}
