//! What the WebSocket transport counts, read back through a real recorder (the Prometheus
//! exporter's, installed for this test binary alone: the transport records from the tasks axum
//! spawns, so a thread-local recorder would not see it).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sse_format::Event;
use sse_hub::{Hub, HubConfig};

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

/// The value of `series` in this binary's recorder, if present.
fn value(series: &str) -> Option<f64> {
    test_kit::prometheus::series_value(&handle().render(), series)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_counts_as_an_open_stream_until_it_closes_and_its_resume_is_counted() {
    let _ = handle();
    let hub = Hub::new(HubConfig::default());
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(
            hub.publish("feed", Event::new().data(n.to_string()))
                .await
                .unwrap(),
        );
    }
    let (_drops, drops_rx) = tokio::sync::watch::channel(0);
    let addr = test_kit::server::spawn_router(sse_ws::router(hub.clone(), drops_rx)).await;
    let url = format!("ws://{addr}/ws/feed");
    let mut subscription = tokio::time::timeout(
        Duration::from_secs(10),
        sse_ws::subscribe(&url, Some(ids[0])),
    )
    .await
    .unwrap()
    .unwrap();
    let replayed = tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(replayed.id, ids[1]);
    until("sse_streams_open{transport=\"websocket\"}", 1.0).await;
    until("sse_resumes_total{outcome=\"replayed\"}", 1.0).await;
    assert_eq!(
        value("sse_streams_open{transport=\"sse\"}"),
        None,
        "not counted as SSE"
    );
    // The client goes: the stream is no longer open.
    drop(subscription);
    until("sse_streams_open{transport=\"websocket\"}", 0.0).await;
}
