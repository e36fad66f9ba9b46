//! Long polling and polling over real loopback HTTP.

use std::time::{Duration, Instant};

use sse_format::Event;
use sse_hub::{EventId, Hub, HubConfig};

async fn start(hub: Hub) -> String {
    let addr = test_kit::server::spawn_router(sse_longpoll::router(hub)).await;
    format!("http://{addr}")
}

#[tokio::test]
async fn a_long_poll_waits_for_the_next_event() {
    let hub = Hub::new(HubConfig::default());
    let base = start(hub.clone()).await;
    let client = reqwest::Client::new();
    let publisher = hub.clone();
    let published = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        publisher
            .publish("news", Event::new().data("late"))
            .await
            .unwrap()
    });
    let started = Instant::now();
    let batch = sse_longpoll::long_poll(&client, &base, "news", EventId::ZERO, 10)
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "it waited for the event"
    );
    let id = published.await.unwrap();
    assert_eq!(
        batch,
        [sse_longpoll::Message {
            id,
            event: None,
            data: "late".into()
        }]
    );
}

#[tokio::test]
async fn the_cursor_loses_nothing_published_between_polls() {
    let hub = Hub::new(HubConfig::default());
    let base = start(hub.clone()).await;
    let client = reqwest::Client::new();
    hub.publish("feed", Event::new().data("1")).await.unwrap();
    let first = sse_longpoll::long_poll(&client, &base, "feed", EventId::ZERO, 5)
        .await
        .unwrap();
    // Published while no request was open:
    hub.publish("feed", Event::new().data("2")).await.unwrap();
    hub.publish("feed", Event::new().data("3")).await.unwrap();
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
        sse_longpoll::long_poll(&client, &base, "quiet", EventId::ZERO, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let started = Instant::now();
    assert!(
        sse_longpoll::poll(&client, &base, "quiet", EventId::ZERO)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    hub.publish("quiet", Event::new().data("x")).await.unwrap();
    assert_eq!(
        sse_longpoll::poll(&client, &base, "quiet", EventId::ZERO)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_poll_behind_the_replay_gets_the_gap_notice_first_and_registers_nothing() {
    let hub = Hub::new(HubConfig::default().with_replay_count(2));
    let base = start(hub.clone()).await;
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(
            hub.publish("feed", Event::new().data(n.to_string()))
                .await
                .unwrap(),
        );
    }
    for answer in [
        sse_longpoll::poll(&client, &base, "feed", ids[0])
            .await
            .unwrap(),
        sse_longpoll::long_poll(&client, &base, "feed", ids[0], 1)
            .await
            .unwrap(),
    ] {
        assert_eq!(answer[0].event.as_deref(), Some("replay-gap"));
        assert_eq!(
            answer[0].id, ids[4],
            "the gap carries the head as the next cursor"
        );
        let data: Vec<&str> = answer[1..].iter().map(|m| m.data.as_str()).collect();
        assert_eq!(data, ["4", "5"]);
    }
    assert_eq!(hub.subscriber_count("feed"), 0, "no throwaway queue");
}
