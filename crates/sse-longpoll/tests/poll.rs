//! Long polling and polling over real loopback HTTP.

use std::time::{Duration, Instant};

use sse_format::Event;
use sse_server::hub::{Hub, HubConfig};

async fn start(hub: Hub) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, sse_longpoll::router(hub))
            .await
            .unwrap()
    });
    base
}

#[tokio::test]
async fn a_long_poll_waits_for_the_next_event() {
    let hub = Hub::new(HubConfig::default());
    let base = start(hub.clone()).await;
    let client = reqwest::Client::new();
    let publisher = hub.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        publisher
            .publish("news", Event::new().data("late"))
            .unwrap();
    });
    let started = Instant::now();
    let batch = sse_longpoll::long_poll(&client, &base, "news", 0, 10)
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "it waited for the event"
    );
    assert_eq!(
        batch,
        [sse_longpoll::Message {
            id: 1,
            data: "late".into()
        }]
    );
}

#[tokio::test]
async fn the_cursor_loses_nothing_published_between_polls() {
    let hub = Hub::new(HubConfig::default());
    let base = start(hub.clone()).await;
    let client = reqwest::Client::new();
    hub.publish("feed", Event::new().data("1")).unwrap();
    let first = sse_longpoll::long_poll(&client, &base, "feed", 0, 5)
        .await
        .unwrap();
    // Published while no request was open:
    hub.publish("feed", Event::new().data("2")).unwrap();
    hub.publish("feed", Event::new().data("3")).unwrap();
    let cursor = first.last().unwrap().id;
    let second = sse_longpoll::long_poll(&client, &base, "feed", cursor, 5)
        .await
        .unwrap();
    let data: Vec<&str> = first
        .iter()
        .chain(&second)
        .map(|m| m.data.as_str())
        .collect();
    assert_eq!(data, ["1", "2", "3"]);
}

#[tokio::test]
async fn a_quiet_long_poll_times_out_empty_and_a_poll_answers_at_once() {
    let hub = Hub::new(HubConfig::default());
    let base = start(hub.clone()).await;
    let client = reqwest::Client::new();
    assert!(
        sse_longpoll::long_poll(&client, &base, "quiet", 0, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let started = Instant::now();
    assert!(
        sse_longpoll::poll(&client, &base, "quiet", 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    hub.publish("quiet", Event::new().data("x")).unwrap();
    assert_eq!(
        sse_longpoll::poll(&client, &base, "quiet", 0)
            .await
            .unwrap()
            .len(),
        1
    );
}
