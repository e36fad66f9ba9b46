//! What the hub counts, read back through a real recorder (the Prometheus exporter's, local to
//! each test): deliveries and slow subscribers once per fan-out, publishes, the fan-out delay,
//! and with Redis the round trips, errors and the reader's lag.

use std::time::Duration;
use test_kit::prometheus::series_value as value;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusRecorder};
use sse_format::Event;
use sse_hub::{Hub, HubConfig};

fn recorder() -> PrometheusRecorder {
    PrometheusBuilder::new()
        .set_buckets(&[0.001, 0.01, 0.1, 1.0])
        .unwrap()
        .build_recorder()
}

#[tokio::test]
async fn a_subscriber_whose_queue_is_full_is_counted_as_dropped_once() {
    let recorder = recorder();
    // The hub takes its handles when it starts: from this recorder.
    let hub = metrics::with_local_recorder(&recorder, || {
        Hub::new(HubConfig::default().with_subscriber_queue(2))
    });
    let mut reader = hub.subscribe("news", None).await.unwrap();
    let _stalled = hub.subscribe("news", None).await.unwrap();
    for n in 0..3 {
        hub.publish("news", Event::new().data(n.to_string()))
            .await
            .unwrap();
        // The reader keeps up; the stalled one never reads.
        let got = tokio::time::timeout(Duration::from_secs(5), reader.live.recv()).await;
        assert!(got.unwrap().is_some());
    }
    let text = recorder.handle().render();
    // Publish 1 and 2 reach both queues, 3 only the reader's: the stalled one is full.
    assert_eq!(
        value(&text, "sse_hub_events_published_total"),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "sse_hub_events_delivered_total"),
        Some(5.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "sse_hub_subscribers_dropped_total"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "sse_hub_fanout_delay_seconds_count"),
        Some(3.0),
        "{text}"
    );
    // A publish nobody here listens to counts as published, delivered to no one.
    hub.publish("empty", Event::new().data("x")).await.unwrap();
    let text = recorder.handle().render();
    assert_eq!(value(&text, "sse_hub_events_published_total"), Some(4.0));
    assert_eq!(
        value(&text, "sse_hub_fanout_delay_seconds_count"),
        Some(3.0)
    );
}

#[tokio::test]
async fn a_retried_publish_is_not_counted_twice() {
    let recorder = recorder();
    let hub = metrics::with_local_recorder(&recorder, || Hub::new(HubConfig::default()));
    let key = sse_hub::IdempotencyKey::new("order-1").unwrap();
    for _ in 0..2 {
        hub.publish_idempotent("news", Event::new().data("x"), &key)
            .await
            .unwrap();
    }
    let text = recorder.handle().render();
    assert_eq!(
        value(&text, "sse_hub_events_published_total"),
        Some(1.0),
        "{text}"
    );
}

#[cfg(feature = "redis")]
#[tokio::test(flavor = "multi_thread")]
async fn redis_round_trips_errors_and_the_readers_lag_are_counted() {
    use sse_hub::redis::RedisConfig;
    let Some(mut redis) = test_kit::redis::LocalRedis::start_or_skip().await else {
        return;
    };
    let recorder = recorder();
    let settings = RedisConfig::new(redis.url())
        .with_timeout(Duration::from_millis(300))
        .with_block(Duration::from_millis(200));
    let (publisher, subscriber) = metrics::with_local_recorder(&recorder, || {
        (
            Hub::redis(HubConfig::default(), settings.clone()).unwrap(),
            Hub::redis(HubConfig::default(), settings).unwrap(),
        )
    });
    let mut subscription = subscriber.subscribe("news", None).await.unwrap();
    publisher
        .publish("news", Event::new().data("across nodes"))
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), subscription.live.recv()).await;
    assert_eq!(&*got.unwrap().unwrap().data, "across nodes");
    let text = recorder.handle().render();
    assert!(
        value(&text, "sse_hub_redis_round_trip_seconds_count").unwrap() >= 2.0,
        "{text}"
    );
    assert_eq!(
        value(&text, "sse_hub_events_delivered_total"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "sse_hub_fanout_delay_seconds_count"),
        Some(1.0),
        "{text}"
    );
    // Loopback: the entry reached the reader well within a second.
    let lag = value(&text, "sse_hub_redis_reader_lag_seconds").unwrap();
    assert!((0.0..1.0).contains(&lag), "{lag}");
    assert_eq!(
        value(&text, "sse_hub_redis_errors_total{op=\"command\"}"),
        Some(0.0)
    );

    redis.kill().await;
    assert!(
        publisher
            .publish("news", Event::new().data("lost"))
            .await
            .is_err()
    );
    let errors = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let text = recorder.handle().render();
            let command = value(&text, "sse_hub_redis_errors_total{op=\"command\"}");
            let reader = value(&text, "sse_hub_redis_errors_total{op=\"reader\"}");
            if let (Some(command), Some(reader)) = (command, reader)
                && command >= 1.0
                && reader >= 1.0
            {
                return (command, reader);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("both errors counted within 10 s");
    assert!(errors.0 >= 1.0 && errors.1 >= 1.0, "{errors:?}");
}
