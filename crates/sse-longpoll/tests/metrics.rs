//! What the long-poll transport counts, read back through a real recorder (the Prometheus
//! exporter's, installed for this test binary alone: the handler records from the tasks axum
//! spawns, so a thread-local recorder would not see it).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sse_format::Event;
use sse_hub::{EventId, Hub, HubConfig};

fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .install_recorder()
            .expect("the only recorder of this test binary")
    })
}

/// Waits (bounded) until `series` reads `expected` in this binary's recorder.
async fn until(series: &str, expected: f64) {
    test_kit::prometheus::until_series(|| handle().render(), series, expected).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_long_poll_counts_as_an_open_stream_until_it_is_answered() {
    let _ = handle();
    let hub = Hub::new(HubConfig::default());
    let addr = test_kit::server::spawn_router(sse_longpoll::router(hub.clone())).await;
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();
    let poll = tokio::spawn(async move {
        sse_longpoll::long_poll(&client, &base, "news", EventId::ZERO, 10).await
    });
    // While it waits for an event, it is one open stream.
    until("sse_streams_open{transport=\"longpoll\"}", 1.0).await;
    let id = hub.publish("news", Event::new().data("now")).await.unwrap();
    let batch = tokio::time::timeout(Duration::from_secs(10), poll)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].id, id);
    // Answered: no longer open.
    until("sse_streams_open{transport=\"longpoll\"}", 0.0).await;
}
