//! `sse_server::serve` itself (not `axum::serve`): its shutdown path, and `serve_with`'s extra
//! routes.

mod support;

use std::time::Duration;

use futures::StreamExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_ends_open_streams_and_returns_after_its_signal() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = sse_server::Config::default();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_with_mounts_extra_routes_behind_the_library_checks_and_ends_their_tasks() {
    use axum::Router;
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use sse_server::access::AllowedHosts;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut config = sse_server::Config::default().with_auth_token("s3cret");
    config.access.allowed_hosts = AllowedHosts::Auto;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (ended, publisher_ended) = tokio::sync::oneshot::channel::<()>();
    let signal = async {
        let _ = stopped.await;
    };
    let server = tokio::spawn(sse_server::serve_with(listener, config, signal, |state| {
        let publisher = state.clone();
        tokio::spawn(async move {
            support::publish_counter(publisher, Duration::from_millis(20)).await;
            let _ = ended.send(());
        });
        let closed = Router::new()
            .route("/closed", get(|| async { "closed" }))
            .route_layer(from_fn_with_state(state.clone(), sse_server::require_auth));
        Router::new()
            .route("/open", get(|| async { "open" }))
            .merge(closed)
    }));

    let client = reqwest::Client::new();
    let get_status = |path: &str, token: Option<&str>, host: Option<&str>| {
        let mut request = client.get(format!("{base}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(host) = host {
            request = request.header("host", host);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    // An extra route is served; one behind `require_auth` needs the token, like the library's.
    assert_eq!(get_status("/open", None, None).await, 200);
    assert_eq!(get_status("/closed", None, None).await, 401);
    assert_eq!(get_status("/closed", Some("guess"), None).await, 401);
    assert_eq!(get_status("/closed", Some("s3cret"), None).await, 200);
    assert_eq!(get_status("/events/counter", None, None).await, 401);
    // The Host check covers the extra routes too.
    assert_eq!(
        get_status("/open", None, Some("rebind.evil.example")).await,
        421
    );
    // The library's routes are still there, and the task `extra` spawned publishes on its hub.
    let response = client
        .get(format!("{base}/events/counter"))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        while !String::from_utf8_lossy(&seen).contains("data: ") {
            seen.extend_from_slice(&body.next().await.unwrap().unwrap());
        }
    })
    .await
    .expect("the publisher's events arrived");

    // At the signal, the spawned task ends on the state's shutdown and serve returns.
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), publisher_ended)
        .await
        .expect("the task ended at shutdown")
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve returned")
        .unwrap()
        .unwrap();
}
