//! `sse_server::serve` itself (not `axum::serve`): its shutdown path.

use std::time::Duration;

use futures::StreamExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_ends_open_streams_and_returns_after_its_signal() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = sse_server::Config {
        counter_every: Duration::from_millis(50),
        ..Default::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sse_server::serve(listener, config, async {
        let _ = stopped.await;
    }));

    // Two open streams, and an idle keep-alive connection from another request.
    let client = reqwest::Client::new();
    let mut streams = Vec::new();
    for channel in ["counter", "quiet"] {
        let response = client
            .get(format!("{base}/events/{channel}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        streams.push(response.bytes_stream());
    }
    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(health.contains("\"hub\":\"memory\""), "{health}");
    // The counter is live.
    let first = tokio::time::timeout(Duration::from_secs(5), streams[0].next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(first.starts_with(b"retry:"));

    stop.send(()).unwrap();
    // Every stream ends cleanly (no error: the body is complete) ...
    for mut stream in streams {
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(chunk) = stream.next().await {
                chunk.expect("a clean end, not a cut");
            }
        })
        .await;
        assert!(ended.is_ok(), "the stream ended at shutdown");
    }
    // ... and serve returns, well before its 10 s drain bound.
    let returned = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve returned")
        .unwrap();
    returned.unwrap();
    // Nothing listens any more.
    assert!(client.get(format!("{base}/health")).send().await.is_err());
}
