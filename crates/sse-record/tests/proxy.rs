//! `sse proxy`'s library part between a real client and a real axum upstream on loopback: streams
//! pass unbuffered (the first event arrives while the upstream still holds the second back), the
//! path prefix, query and body reach the upstream, every event is seen and recorded with secrets
//! redacted, and the bounds answer 413, 503 and 502. Every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::routing::{get, post};
use futures::StreamExt;
use sse_record::{ProxyConfig, Recording, What};
use tokio::sync::Notify;

async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: not done within 30 s"))
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// An upstream whose `/v1/events` sends one event, then holds the second until `go`.
fn upstream(go: Arc<Notify>) -> Router {
    Router::new()
        .route(
            "/v1/events",
            get(move |headers: HeaderMap| {
                let go = go.clone();
                async move {
                    assert_eq!(headers["authorization"], "Bearer sk-proxy-secret");
                    let first = futures::stream::once(async {
                        Ok::<_, std::io::Error>(Bytes::from_static(b"id: 1\ndata: first\n\n"))
                    });
                    let second = futures::stream::once(async move {
                        go.notified().await;
                        Ok(Bytes::from_static(b"id: 2\ndata: second \xc3\xa9\n\n"))
                    });
                    (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        Body::from_stream(first.chain(second)),
                    )
                }
            }),
        )
        .route(
            "/v1/chat/completions",
            post(|uri: Uri, body: String| async move {
                (
                    [(header::CONTENT_TYPE, "text/event-stream")],
                    format!("data: {}|{}\n\ndata: [DONE]\n\n", uri, body),
                )
            }),
        )
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn streams_pass_unbuffered_and_every_event_is_seen_and_recorded() {
    let go = Arc::new(Notify::new());
    let upstream_url = serve(upstream(go.clone())).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let events = seen.clone();
    let file = Shared::default();
    let config = ProxyConfig::new(format!("{upstream_url}/v1/").parse().unwrap())
        .with_on_event(Arc::new(move |conn, event| {
            events.lock().unwrap().push(format!(
                "{conn}:{}:{}",
                event.last_event_id(),
                event.data()
            ));
        }))
        .with_recording(Box::new(file.clone()))
        .unwrap();
    let proxy = serve(sse_record::proxy::router(config).unwrap()).await;

    let response = within(
        "the response head through the proxy",
        reqwest::Client::new()
            .get(format!("{proxy}/events"))
            .bearer_auth("sk-proxy-secret")
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.bytes_stream();
    // The upstream holds the second event until `go`: the first must get through before that.
    let first = within("the first event, unbuffered", body.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&first[..], b"id: 1\ndata: first\n\n");
    go.notify_one();
    let second = within("the second event", body.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&second[..], "id: 2\ndata: second \u{e9}\n\n".as_bytes());
    assert!(within("the end", body.next()).await.is_none());

    assert_eq!(
        *seen.lock().unwrap(),
        ["1:1:first", "1:2:second \u{e9}"],
        "each event, with its connection"
    );
    let text = String::from_utf8(file.0.lock().unwrap().clone()).unwrap();
    assert!(!text.contains("sk-proxy-secret"), "{text}");
    let recording = Recording::read(text.as_bytes()).unwrap();
    let kinds: Vec<&str> = recording
        .lines
        .iter()
        .map(|l| match &l.what {
            What::Request(_) => "request",
            What::Response(_) => "response",
            What::Chunk(_) | What::ChunkBase64(_) => "chunk",
            What::End(end) => end.as_str(),
        })
        .collect();
    assert_eq!(
        kinds,
        ["request", "response", "chunk", "chunk", "eof"],
        "{text}"
    );
}

#[tokio::test]
async fn path_prefix_query_and_body_reach_the_upstream() {
    let upstream_url = serve(upstream(Arc::new(Notify::new()))).await;
    let config = ProxyConfig::new(format!("{upstream_url}/v1").parse().unwrap());
    let proxy = serve(sse_record::proxy::router(config).unwrap()).await;
    let text = within("a POST through the proxy", async {
        reqwest::Client::new()
            .post(format!("{proxy}/chat/completions?stream=true"))
            .body("{\"stream\":true}")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    })
    .await;
    assert_eq!(
        text,
        "data: /v1/chat/completions?stream=true|{\"stream\":true}\n\ndata: [DONE]\n\n"
    );
}

#[tokio::test]
async fn the_bounds_answer_413_503_and_502() {
    let go = Arc::new(Notify::new());
    let upstream_url = serve(upstream(go.clone())).await;
    let config = ProxyConfig::new(format!("{upstream_url}/v1").parse().unwrap())
        .with_max_connections(1)
        .with_max_request_body(16);
    let proxy = serve(sse_record::proxy::router(config).unwrap()).await;
    let client = reqwest::Client::new();

    let big = within(
        "an oversized body",
        client
            .post(format!("{proxy}/chat/completions"))
            .body("x".repeat(17))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // One stream held open takes the only slot: the next request is refused, not queued.
    let held = within(
        "the held stream",
        client
            .get(format!("{proxy}/events"))
            .bearer_auth("sk-proxy-secret")
            .send(),
    )
    .await
    .unwrap();
    let refused = within(
        "a second connection",
        client.get(format!("{proxy}/events")).send(),
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    go.notify_one();
    let _ = within("the held stream's end", held.bytes()).await;

    // An upstream that is not there: 502 with the cause.
    let nowhere = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let config = ProxyConfig::new(format!("http://{nowhere}/").parse().unwrap());
    let proxy = serve(sse_record::proxy::router(config).unwrap()).await;
    let down = within(
        "an upstream that is down",
        client.get(format!("{proxy}/x")).send(),
    )
    .await
    .unwrap();
    assert_eq!(down.status(), StatusCode::BAD_GATEWAY);
}
