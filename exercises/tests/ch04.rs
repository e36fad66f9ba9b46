//! Chapter 4 tests: `cargo test -p exercises --test ch04` (one exercise: add `ch04_ex03`).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use exercises::ch04::*;
use sse_server::hub::{Hub, HubConfig};

async fn within<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("timed out")
}

// ---------------------------------------------------------------- ex01: long poll

#[tokio::test]
async fn ch04_ex01_long_polls_lose_nothing_under_concurrent_publishing() {
    use ex01_long_poll::EventLog;
    for round in 0..20 {
        let log = Arc::new(EventLog::default());
        let publisher = log.clone();
        let publishing = tokio::spawn(async move {
            for n in 0..50 {
                publisher.publish(&format!("{round}-{n}"));
                // Vary the pace so publishes land at every point of a poll.
                if n % (round % 5 + 1) == 0 {
                    tokio::task::yield_now().await;
                }
            }
        });
        let mut cursor = 0;
        let mut got = Vec::new();
        while got.len() < 50 {
            let batch = within(log.wait_after(cursor, Duration::from_secs(5))).await;
            assert!(
                !batch.is_empty(),
                "round {round}: a poll slept through a publish"
            );
            for (id, data) in batch {
                assert_eq!(id, cursor + 1, "round {round}: ids in order, none skipped");
                cursor = id;
                got.push(data);
            }
        }
        publishing.await.unwrap();
        assert_eq!(
            got,
            (0..50).map(|n| format!("{round}-{n}")).collect::<Vec<_>>()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn ch04_ex01_a_quiet_poll_times_out_empty_and_a_late_event_wakes_it() {
    use ex01_long_poll::EventLog;
    let log = Arc::new(EventLog::default());
    let start = tokio::time::Instant::now();
    assert!(log.wait_after(0, Duration::from_secs(25)).await.is_empty());
    assert!(start.elapsed() >= Duration::from_secs(25));
    let late = log.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        late.publish("late");
    });
    let start = tokio::time::Instant::now();
    assert_eq!(
        log.wait_after(0, Duration::from_secs(25)).await,
        [(1, "late".to_owned())]
    );
    assert_eq!(
        start.elapsed().as_secs(),
        3,
        "answered as soon as it was published"
    );
}

// ---------------------------------------------------------------- ex02: polling client

#[tokio::test]
async fn ch04_ex02_polls_everything_once_in_order() {
    let hub = Hub::new(HubConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = sse_longpoll::router(hub.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let publishing = tokio::spawn(async move {
        for n in 1..=30 {
            hub.publish("prices", sse_format::Event::new().data(format!("p{n}")))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(7)).await;
        }
    });
    let got = within(ex02_polling_client::poll_all(
        &base,
        "prices",
        30,
        Duration::from_millis(20),
    ))
    .await
    .unwrap();
    publishing.await.unwrap();
    assert_eq!(got, (1..=30).map(|n| format!("p{n}")).collect::<Vec<_>>());
}

// ---------------------------------------------------------------- ex03: overhead bytes

#[test]
fn ch04_ex03_overhead_table() {
    use ex03_overhead::*;
    let mut out = String::from(
        "payload | SSE event | + HTTP chunk | WebSocket frame (server) | WebSocket frame (client, masked)\n",
    );
    for len in [0, 5, 64, 125, 126, 1000, 65535, 65536] {
        let data = "x".repeat(len);
        let event = sse_event_bytes(1234, &data);
        writeln!(
            out,
            "{len} | {event} | {} | {} | {}",
            chunk_bytes(event),
            websocket_frame_bytes(len, false),
            websocket_frame_bytes(len, true)
        )
        .unwrap();
    }
    insta::assert_snapshot!("ch04_ex03_overhead", out);
}

#[test]
fn ch04_ex03_matches_the_real_encoders() {
    for data in ["x", "hello", "{\"price\": 101.5}"] {
        let wire = sse_format::Event::new()
            .id("42")
            .data(data)
            .to_bytes()
            .unwrap();
        assert_eq!(
            ex03_overhead::sse_event_bytes(42, data),
            wire.len(),
            "{data:?}"
        );
    }
}

// ---------------------------------------------------------------- ex04: WebSocket forward

#[tokio::test]
async fn ch04_ex04_forwards_the_hub_over_websocket() {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let hub = Hub::new(HubConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = ex04_ws_forward::router(hub.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (mut socket, _) = within(tokio_tungstenite::connect_async(format!(
        "ws://{addr}/ws/news"
    )))
    .await
    .unwrap();
    // The subscription starts after the handshake: publish until messages arrive.
    let publisher = hub.clone();
    let publishing = tokio::spawn(async move {
        for n in 1.. {
            publisher
                .publish("news", sse_format::Event::new().data(format!("n{n}")))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    let mut texts = Vec::new();
    while texts.len() < 3 {
        if let Message::Text(text) = within(socket.next()).await.unwrap().unwrap() {
            texts.push(text.to_string());
        }
    }
    publishing.abort();
    let parsed: Vec<(sse_server::hub::EventId, u64)> = texts
        .iter()
        .map(|t| {
            let (id, data) = t.split_once(':').expect("id:data");
            let n = data
                .strip_prefix('n')
                .expect("the event's data")
                .parse()
                .unwrap();
            (id.parse().expect("the hub's id"), n)
        })
        .collect();
    assert!(
        parsed[0].0 < parsed[1].0 && parsed[1].0 < parsed[2].0,
        "ids in order: {texts:?}"
    );
    assert_eq!(parsed[1].1, parsed[0].1 + 1, "no event skipped: {texts:?}");
    assert_eq!(parsed[2].1, parsed[1].1 + 1, "no event skipped: {texts:?}");
}
