//! The WebSocket transport over real loopback sockets.

use std::time::Duration;

use sse_format::Event;
use sse_hub::{Hub, HubConfig};

async fn start(hub: Hub) -> (String, tokio::sync::watch::Sender<u64>) {
    let (drops, drops_rx) = tokio::sync::watch::channel(0);
    let addr = test_kit::server::spawn_router(sse_ws::router(hub, drops_rx)).await;
    (format!("ws://{addr}"), drops)
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
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    let first = within(subscription.next()).await.unwrap().unwrap();
    let second = within(subscription.next()).await.unwrap().unwrap();
    publishing.abort();
    assert!(second.id > first.id, "in order");
    let n = |m: &sse_ws::Message| m.data["item ".len()..].parse::<u64>().unwrap();
    assert_eq!(n(&second), n(&first) + 1, "no gap");
    assert!(second.data.starts_with("item "));
}

#[tokio::test]
async fn after_replays_from_the_buffer() {
    let hub = Hub::new(HubConfig::default());
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(
            hub.publish("feed", Event::new().data(n.to_string()))
                .await
                .unwrap(),
        );
    }
    let (base, _drops) = start(hub.clone()).await;
    let mut subscription = within(sse_ws::subscribe(&format!("{base}/ws/feed"), Some(ids[1])))
        .await
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(within(subscription.next()).await.unwrap().unwrap());
    }
    let got_ids: Vec<_> = got.iter().map(|m| m.id).collect();
    assert_eq!(got_ids, ids[2..]);
    assert_eq!(got[0].data, "3");
}

#[tokio::test]
async fn a_drop_closes_every_socket() {
    let hub = Hub::new(HubConfig::default());
    let (base, drops) = start(hub.clone()).await;
    let mut subscription = within(sse_ws::subscribe(
        &format!("{base}/ws/x"),
        Some(sse_hub::EventId::ZERO),
    ))
    .await
    .unwrap();
    // The subscription starts after the handshake: wait for it before publishing.
    within(async {
        while hub.subscriber_count("x") == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    hub.publish("x", Event::new().data("before")).await.unwrap();
    assert_eq!(
        within(subscription.next()).await.unwrap().unwrap().data,
        "before"
    );
    drops.send_modify(|g| *g += 1);
    // The connection ends: cleanly or with an error, but it ends.
    assert!(!matches!(within(subscription.next()).await, Ok(Some(_))));
}

#[tokio::test]
async fn a_resume_from_a_lost_id_starts_with_the_gap_notice() {
    let hub = Hub::new(HubConfig::default().with_replay_count(2));
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(
            hub.publish("feed", Event::new().data(n.to_string()))
                .await
                .unwrap(),
        );
    }
    let (base, _drops) = start(hub.clone()).await;
    let mut subscription = within(sse_ws::subscribe(&format!("{base}/ws/feed"), Some(ids[0])))
        .await
        .unwrap();
    let gap = within(subscription.next()).await.unwrap().unwrap();
    assert_eq!(gap.event.as_deref(), Some("replay-gap"));
    let notice: serde_json::Value = serde_json::from_str(&gap.data).unwrap();
    assert_eq!(notice["first_available"], ids[3].to_string());
    assert_eq!(
        within(subscription.next()).await.unwrap().unwrap().data,
        "4"
    );
}

/// RFC 6455 §5.5.1: the server answers a client's Close with a Close, and lets the subscription
/// go at once, on a quiet channel too.
#[tokio::test]
async fn a_close_is_answered_with_a_close_and_ends_the_subscription() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let hub = Hub::new(HubConfig::default());
    let (base, _drops) = start(hub.clone()).await;
    let (mut socket, _) = within(tokio_tungstenite::connect_async(format!("{base}/ws/quiet")))
        .await
        .unwrap();
    within(async {
        while hub.subscriber_count("quiet") == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    within(socket.send(Message::Close(None))).await.unwrap();
    let answer = within(async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => break Some(frame),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => break None,
            }
        }
    })
    .await;
    assert!(
        answer.is_some(),
        "the server answered the Close with a Close"
    );
    within(async {
        while hub.subscriber_count("quiet") != 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}
