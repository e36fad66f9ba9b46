//! The server over real loopback HTTP, read with the project's own client and with raw reqwest.

use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use sse_client::{Error, EventSource, SourceEvent};
use sse_server::hub::HubConfig;
use sse_server::sse::Shutdown;
use sse_server::{AppState, Config, router};

struct Server {
    base: String,
    state: AppState,
    stop: sse_server::sse::Trigger,
    task: tokio::task::JoinHandle<()>,
}

async fn start(config: Config) -> Server {
    let (stop, shutdown) = Shutdown::new();
    let (app, state) = router(&config, shutdown.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut signal = shutdown;
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { signal.wait().await })
        .await
        .unwrap();
    });
    Server {
        base,
        state,
        stop,
        task,
    }
}

async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("timed out")
}

async fn next_message(source: &mut EventSource) -> sse_client::MessageEvent {
    loop {
        match within(source.next()).await {
            Some(Ok(SourceEvent::Message(event))) => return event,
            Some(Ok(_)) => continue,
            other => panic!("expected a message, got {other:?}"),
        }
    }
}

fn quick() -> Config {
    Config::default()
}

/// A quick server with this hub configuration.
async fn start_with_hub(hub: HubConfig) -> Server {
    start(quick().with_hub_config(hub)).await
}

async fn publish(base: &str, channel: &str, data: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{base}/publish/{channel}"))
        .json(&json!({"data": data}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn stream_headers_first_retry_and_keep_alive() {
    let mut config = quick();
    config.sse.keep_alive = Duration::from_millis(100);
    config.sse.retry = Duration::from_millis(2500);
    // Exactly the configured retry (each stream's jitter is tested on its own).
    config.sse.retry_jitter = Duration::ZERO;
    let server = start(config).await;
    let response = reqwest::get(format!("{}/events/quiet", server.base))
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["x-accel-buffering"], "no");
    assert!(headers.contains_key("x-sse-node"));
    let mut body = response.bytes_stream();
    let mut seen = Vec::new();
    while !seen.ends_with(b":\n\n:\n\n") {
        seen.extend_from_slice(&within(body.next()).await.unwrap().unwrap());
    }
    // The retry, the channel's head as an id-only block (so the first reconnect resumes), then
    // keep-alive comments.
    let seen = String::from_utf8(seen).unwrap();
    let head = seen
        .strip_prefix("retry: 2500\n\nid: ")
        .and_then(|rest| rest.strip_suffix("\n\n:\n\n:\n\n"))
        .unwrap_or_else(|| panic!("{seen:?}"));
    assert!(head.parse::<sse_server::hub::EventId>().is_ok(), "{head}");
}

#[tokio::test]
async fn published_events_arrive_in_order_with_increasing_ids() {
    let server = start(quick()).await;
    let mut source = EventSource::builder(format!("{}/events/news", server.base))
        .build()
        .unwrap();
    assert!(matches!(
        within(source.next()).await,
        Some(Ok(SourceEvent::Open))
    ));
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(publish(&server.base, "news", &format!("item {n}")).await);
    }
    let parsed: Vec<sse_server::hub::EventId> = ids.iter().map(|id| id.parse().unwrap()).collect();
    assert!(parsed.is_sorted(), "{ids:?}");
    for (n, id) in (1..=5).zip(&ids) {
        let event = next_message(&mut source).await;
        assert_eq!(
            (event.data(), event.last_event_id()),
            (format!("item {n}").as_str(), id.as_str())
        );
    }
}

#[tokio::test]
async fn resume_by_header_or_query_replays_exactly_what_was_missed() {
    let server = start(quick()).await;
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(publish(&server.base, "feed", &n.to_string()).await);
    }
    let mut by_header = EventSource::builder(format!("{}/events/feed", server.base))
        .last_event_id(ids[1].clone())
        .build()
        .unwrap();
    let mut by_query = EventSource::builder(format!(
        "{}/events/feed?lastEventId={}",
        server.base, ids[1]
    ))
    .build()
    .unwrap();
    for source in [&mut by_header, &mut by_query] {
        let got: Vec<String> = [
            next_message(source).await,
            next_message(source).await,
            next_message(source).await,
        ]
        .iter()
        .map(|e| e.data().to_owned())
        .collect();
        assert_eq!(got, ["3", "4", "5"]);
    }
    publish(&server.base, "feed", "6").await;
    assert_eq!(
        next_message(&mut by_header).await.data(),
        "6",
        "then live, without a gap"
    );
}

#[tokio::test]
async fn an_empty_last_event_id_is_no_id() {
    let server = start(quick()).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(publish(&server.base, "feed", &n.to_string()).await);
    }
    // An empty header falls back to the query, and an empty query parameter is no id: neither
    // is a malformed id answered with a replay-gap.
    let client = reqwest::Client::new();
    for (url, expect) in [
        (
            format!("{}/events/feed?lastEventId={}", server.base, ids[0]),
            "data: 2\n\n",
        ),
        (format!("{}/events/feed?lastEventId=", server.base), "\n\n:"),
    ] {
        let response = within(client.get(&url).header("Last-Event-ID", "").send())
            .await
            .unwrap();
        let mut body = response.bytes_stream();
        let mut seen = Vec::new();
        while !String::from_utf8_lossy(&seen).contains(expect) {
            seen.extend_from_slice(&within(body.next()).await.unwrap().unwrap());
        }
        let seen = String::from_utf8(seen).unwrap();
        assert!(!seen.contains("replay-gap"), "{url}: {seen:?}");
    }
}

#[tokio::test]
async fn evicted_events_are_announced_with_a_replay_gap_event() {
    let server = start_with_hub(HubConfig::default().with_replay_count(3)).await;
    let mut ids = Vec::new();
    for n in 1..=10 {
        ids.push(publish(&server.base, "feed", &n.to_string()).await);
    }
    let mut source = EventSource::builder(format!("{}/events/feed", server.base))
        .last_event_id(ids[0].clone())
        .build()
        .unwrap();
    let gap = next_message(&mut source).await;
    assert_eq!(gap.event_type(), "replay-gap");
    assert_eq!(
        serde_json::from_str::<Value>(gap.data()).unwrap(),
        json!({"last_event_id": ids[0], "first_available": ids[7]})
    );
    assert_eq!(next_message(&mut source).await.data(), "8");
}

#[tokio::test]
async fn a_slow_subscriber_is_disconnected_and_the_others_keep_up() {
    let server = start_with_hub(HubConfig::default().with_subscriber_queue(8)).await;
    // The slow client connects and then stops reading.
    let slow = reqwest::get(format!("{}/events/firehose", server.base))
        .await
        .unwrap();
    let mut fast = EventSource::builder(format!("{}/events/firehose", server.base))
        .build()
        .unwrap();
    assert!(matches!(
        within(fast.next()).await,
        Some(Ok(SourceEvent::Open))
    ));
    within(async {
        while server.state.hub.subscriber_count("firehose") < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    let payload = "x".repeat(4096);
    let reader = async {
        let mut last = sse_server::hub::EventId::ZERO;
        for _ in 1..=2000u64 {
            let event = next_message(&mut fast).await;
            let id: sse_server::hub::EventId = event.last_event_id().parse().unwrap();
            assert!(id > last, "in order");
            last = id;
        }
    };
    let writer = async {
        for _ in 0..2000 {
            server
                .state
                .hub
                .publish("firehose", sse_format::Event::new().data(payload.clone()))
                .await
                .unwrap();
            tokio::task::yield_now().await;
        }
    };
    // The fast subscriber got all 2000 while the slow one was stalled: it was never held back.
    within(futures::future::join(reader, writer)).await;
    // When the slow client reads again, it finds what was in flight, intact, and then the end of
    // its stream: it fell more than `subscriber_queue` events behind. (It would reconnect and
    // resume from the replay buffer.) The server never queued more than that for it.
    let bytes = within(slow.bytes()).await.unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut blocks = text.split("\n\n");
    // The default retry, 3 s, plus this stream's jitter of up to 1 s.
    let retry: u64 = blocks
        .next()
        .and_then(|block| block.strip_prefix("retry: "))
        .and_then(|ms| ms.parse().ok())
        .expect("a retry first");
    assert!((3000..=4000).contains(&retry), "retry: {retry}");
    assert!(blocks.next().unwrap().starts_with("id: "), "the head");
    assert!(
        blocks.next().unwrap().contains("\ndata: xxx"),
        "then the events, intact"
    );
    assert!(
        bytes.len() < 2000 * 4096,
        "it did not get everything: {} bytes",
        bytes.len()
    );
    assert_eq!(
        server.state.hub.subscriber_count("firehose"),
        1,
        "the slow one was let go"
    );
}

#[tokio::test]
async fn shutdown_ends_streams_cleanly_and_refuses_new_connections() {
    let server = start(quick()).await;
    let mut source = EventSource::builder(format!("{}/events/news", server.base))
        .reconnection_time(Duration::from_millis(50))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(matches!(
        within(source.next()).await,
        Some(Ok(SourceEvent::Open))
    ));
    server.stop.fire();
    match within(source.next()).await {
        Some(Err(Error::RetriesExhausted { last, .. })) => {
            assert!(
                matches!(*last, Error::EndOfStream { mid_event: false }),
                "a clean end: {last}"
            )
        }
        other => panic!("{other:?}"),
    }
    within(server.task).await.unwrap();
    assert!(
        reqwest::get(format!("{}/health", server.base))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn auth_is_checked_before_any_stream() {
    let mut config = quick();
    config.auth_token = Some("s3cret".into());
    let server = start(config).await;
    let client = reqwest::Client::new();
    let url = format!("{}/events/private", server.base);
    let denied = client.get(&url).send().await.unwrap();
    assert_eq!(denied.status(), 401);
    assert_eq!(denied.headers()["www-authenticate"], "Bearer");
    assert_ne!(
        denied
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap()),
        Some("text/event-stream")
    );
    let wrong = client.get(&url).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let bearer = client.get(&url).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(bearer.status(), 200);
    let cookie = client
        .get(&url)
        .header("cookie", "theme=dark; sse_token=s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(cookie.status(), 200);
    let publish = client
        .post(format!("{}/publish/private", server.base))
        .json(&json!({"data": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(publish.status(), 401);
    // Health stays open (a load balancer has no token).
    let health = client.get(format!("{}/health", server.base));
    assert_eq!(health.send().await.unwrap().status(), 200);
    // The library mounts nothing else: no page, no mock endpoints (they are sse-demo's).
    for path in ["/", "/v1/chat/completions", "/book/"] {
        let status = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "{path}");
    }
}

#[tokio::test]
async fn cors_allows_the_configured_origins() {
    let mut config = quick();
    config.cors_origins = vec!["http://course.example".into()];
    let server = start(config).await;
    let client = reqwest::Client::new();
    let allowed = client
        .get(format!("{}/health", server.base))
        .header("origin", "http://course.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://course.example"
    );
    let other = client
        .get(format!("{}/health", server.base))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn concurrent_streams_per_client_are_limited() {
    let mut config = quick();
    config.max_streams_per_client = 2;
    let server = start(config).await;
    let url = format!("{}/events/a", server.base);
    let first = reqwest::get(&url).await.unwrap();
    let second = reqwest::get(&url).await.unwrap();
    let third = reqwest::get(&url).await.unwrap();
    assert_eq!(
        (first.status(), second.status(), third.status().as_u16()),
        (200.try_into().unwrap(), 200.try_into().unwrap(), 429)
    );
    assert!(third.headers().contains_key("retry-after"));
    drop(first);
    // The slot is freed when the stream ends (the server notices the closed connection).
    within(async {
        loop {
            if reqwest::get(&url).await.unwrap().status() == 200 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn health_names_the_node_and_its_hub() {
    let mut config = quick();
    config.node_name = "node-a".into();
    let server = start(config).await;
    let health = reqwest::get(format!("{}/health", server.base))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<Value>().await.unwrap(),
        json!({"node": "node-a", "hub": "memory"})
    );
    let stream = reqwest::get(format!("{}/events/x", server.base))
        .await
        .unwrap();
    assert_eq!(stream.headers()["x-sse-node"], "node-a");
}

#[tokio::test]
async fn publishing_refuses_bad_channels_reserved_names_and_past_the_channel_cap() {
    let server = start_with_hub(HubConfig::default().with_max_channels(2)).await;
    let client = reqwest::Client::new();
    let post = |channel: &str, body: Value| {
        client
            .post(format!("{}/publish/{channel}", server.base))
            .json(&body)
            .send()
    };
    let bad = post("a%20b", json!({"data": "x"})).await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("channel name"));
    let reserved = post("a", json!({"event": "replay-gap", "data": "{}"}))
        .await
        .unwrap();
    assert_eq!(reserved.status(), 400);
    assert!(reserved.text().await.unwrap().contains("reserved"));
    assert_eq!(post("a", json!({"data": "x"})).await.unwrap().status(), 200);
    assert_eq!(post("b", json!({"data": "x"})).await.unwrap().status(), 200);
    let full = post("c", json!({"data": "x"})).await.unwrap();
    assert_eq!(full.status(), 429);
    assert!(full.headers().contains_key("retry-after"));
    assert!(full.text().await.unwrap().contains("too many channels"));
    let stream = reqwest::get(format!("{}/events/d", server.base))
        .await
        .unwrap();
    assert_eq!(stream.status(), 429, "subscribing to a new channel too");
}

async fn publish_with_key(
    base: &str,
    channel: &str,
    data: &str,
    key: &[u8],
) -> (reqwest::StatusCode, Option<String>, String) {
    let response = reqwest::Client::new()
        .post(format!("{base}/publish/{channel}"))
        .header(
            "idempotency-key",
            reqwest::header::HeaderValue::from_bytes(key).unwrap(),
        )
        .json(&json!({"data": data}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.text().await.unwrap())
}

#[tokio::test]
async fn publish_with_an_idempotency_key_answers_a_retry_with_the_first_id() {
    let server = start(quick()).await;
    let base = &server.base;
    let (status, _, body) = within(publish_with_key(base, "orders", "42", b"order-42")).await;
    assert_eq!(status, 200, "{body}");
    let first: Value = serde_json::from_str(&body).unwrap();
    assert!(
        first.get("duplicate").is_none(),
        "a first publish keeps the {{\"id\"}} shape: {body}"
    );
    for _ in 0..2 {
        let (status, _, body) = within(publish_with_key(base, "orders", "42", b"order-42")).await;
        assert_eq!(status, 200, "{body}");
        let retry: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(retry, json!({"id": first["id"], "duplicate": true}));
    }
    let other = publish(base, "orders", "43").await;
    assert_ne!(Some(other.as_str()), first["id"].as_str());
    // One event per key in what a client reads.
    let polled: Vec<String> = server
        .state
        .hub
        .events_after("orders", None)
        .await
        .unwrap()
        .events
        .iter()
        .map(|p| p.data.to_string())
        .collect();
    assert_eq!(polled, ["42", "43"]);
}

#[tokio::test]
async fn a_bad_idempotency_key_is_refused_with_400_and_nothing_is_published() {
    let server = start(quick()).await;
    let long = vec![b'k'; 129];
    for bad in [&b""[..], b"a b", b"tab\tkey", b"\xc3\xa9", &long] {
        let (status, _, body) = within(publish_with_key(&server.base, "orders", "x", bad)).await;
        assert_eq!(status, 400, "key {bad:?}: {body}");
        assert!(body.contains("idempotency key"), "{body}");
    }
    let after = server.state.hub.events_after("orders", None).await.unwrap();
    assert!(after.events.is_empty(), "nothing was published");
    let (status, _, _) = within(publish_with_key(&server.base, "orders", "x", &long[..128])).await;
    assert_eq!(status, 200, "128 bytes is the limit, inclusive");
}

// The finding over HTTP: the 503 of a publish that timed out while Redis was paused now says the
// outcome is unknown, and the retry with the same key answers the first id instead of
// publishing twice.
#[tokio::test]
async fn publish_retried_after_a_paused_redis_is_not_duplicated_over_http() {
    use sse_server::hub::redis::RedisConfig;
    use sse_server::hub::{Hub, HubConfig};
    use test_kit::redis::LocalRedis;

    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let mut settings = RedisConfig::new(redis.url());
    settings.timeout = Duration::from_millis(300);
    let config = quick().with_hub(Hub::redis(HubConfig::default(), settings).unwrap());
    let server = start(config).await;
    let base = &server.base;
    // The connection is up; the first keyed publish is the one that meets the pause.
    within(publish(base, "orders", "41")).await;
    redis
        .command(&["CLIENT", "PAUSE", "1500", "ALL"])
        .await
        .unwrap();
    let (status, retry_after, body) =
        within(publish_with_key(base, "orders", "42", b"order-42")).await;
    assert_eq!(status, 503, "{body}");
    assert!(retry_after.is_some(), "503 says when to retry");
    assert!(
        body.contains("outcome is unknown") && body.contains("same Idempotency-Key"),
        "{body}"
    );
    let plain = within(
        reqwest::Client::new()
            .post(format!("{base}/publish/orders"))
            .json(&json!({"data": "no key"}))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(plain.status(), 503);
    let body = plain.text().await.unwrap();
    assert!(
        body.contains("may have been published") && body.contains("Idempotency-Key"),
        "without a key, the 503 says a retry may duplicate: {body}"
    );
    let retried = within(async {
        loop {
            let (status, _, body) = publish_with_key(base, "orders", "42", b"order-42").await;
            if status == 200 {
                return body;
            }
            assert_eq!(status, 503, "{body}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let retried: Value = serde_json::from_str(&retried).unwrap();
    assert_eq!(retried["duplicate"], true, "{retried}");
    let polled: Vec<(String, String)> = server
        .state
        .hub
        .events_after("orders", None)
        .await
        .unwrap()
        .events
        .iter()
        .map(|p| (p.id.to_string(), p.data.to_string()))
        .collect();
    assert_eq!(polled.len(), 2, "stored once: {polled:?}");
    assert_eq!(
        polled[1],
        (retried["id"].as_str().unwrap().to_owned(), "42".to_owned())
    );
}
