//! The WebSocket transport over real loopback sockets.

use std::time::Duration;

use sse_format::Event;
use sse_server::hub::{Hub, HubConfig};

async fn start(hub: Hub) -> (String, tokio::sync::watch::Sender<u64>) {
    let (drops, drops_rx) = tokio::sync::watch::channel(0);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("ws://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, sse_ws::router(hub, drops_rx))
            .await
            .unwrap()
    });
    (base, drops)
}

async fn within<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("timed out")
}

#[tokio::test]
async fn forwards_published_events_as_json_messages() {
    let hub = Hub::new(HubConfig::default());
    let (base, _drops) = start(hub.clone()).await;
    let mut subscription = within(sse_ws::subscribe(&format!("{base}/ws/news"), None))
        .await
        .unwrap();
    // The subscription is taken after the handshake: publish until the first one arrives.
    let publisher = hub.clone();
    let publishing = tokio::spawn(async move {
        for n in 0.. {
            publisher
                .publish("news", Event::new().data(format!("item {n}")))
                .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    let first = within(subscription.next()).await.unwrap().unwrap();
    let second = within(subscription.next()).await.unwrap().unwrap();
    publishing.abort();
    assert_eq!(second.id, first.id + 1, "in order, no gap");
    assert!(second.data.starts_with("item "));
}

#[tokio::test]
async fn after_replays_from_the_buffer() {
    let hub = Hub::new(HubConfig::default());
    for n in 1..=5 {
        hub.publish("feed", Event::new().data(n.to_string()))
            .unwrap();
    }
    let (base, _drops) = start(hub.clone()).await;
    let mut subscription = within(sse_ws::subscribe(&format!("{base}/ws/feed"), Some(2)))
        .await
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(within(subscription.next()).await.unwrap().unwrap());
    }
    let ids: Vec<u64> = got.iter().map(|m| m.id).collect();
    assert_eq!(ids, [3, 4, 5]);
    assert_eq!(got[0].data, "3");
}

#[tokio::test]
async fn a_drop_closes_every_socket() {
    let hub = Hub::new(HubConfig::default());
    let (base, drops) = start(hub.clone()).await;
    let mut subscription = within(sse_ws::subscribe(&format!("{base}/ws/x"), Some(0)))
        .await
        .unwrap();
    hub.publish("x", Event::new().data("before")).unwrap();
    assert_eq!(
        within(subscription.next()).await.unwrap().unwrap().data,
        "before"
    );
    drops.send_modify(|g| *g += 1);
    // The connection ends: cleanly or with an error, but it ends.
    assert!(!matches!(within(subscription.next()).await, Ok(Some(_))));
}
