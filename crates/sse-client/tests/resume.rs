//! Property: with the server cutting the connection at random points, a client that resumes with
//! `Last-Event-ID` receives every one of N events exactly once, in order.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use futures::{StreamExt, stream};
use proptest::prelude::*;
use sse_client::retry::Backoff;
use sse_client::{EventSource, SourceEvent};

const N: u64 = 60;

/// The full stream from event `from + 1` on: `id: k`, `data: event k` (some events multi-line).
fn stream_after(from: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for k in from + 1..=N {
        if k % 7 == 0 {
            out.extend(format!("id: {k}\ndata: event {k}\ndata: (two lines)\n\n").bytes());
        } else {
            out.extend(format!(": keep-alive\nid: {k}\ndata: event {k}\n\n").bytes());
        }
    }
    out
}

/// Serves the stream, resuming after `Last-Event-ID`, and cuts each connection after a random
/// number of bytes drawn from `rng` (sometimes past the end: then the stream ends cleanly).
fn app(rng: Arc<Mutex<fastrand::Rng>>, connections: Arc<Mutex<u32>>) -> Router {
    Router::new().route(
        "/numbers",
        get(move |headers: HeaderMap| {
            let rng = rng.clone();
            let connections = connections.clone();
            async move {
                *connections.lock().unwrap() += 1;
                let from: u64 = headers
                    .get("last-event-id")
                    .and_then(|v| v.to_str().ok()?.parse().ok())
                    .unwrap_or(0);
                if from >= N {
                    return StatusCode::NO_CONTENT.into_response();
                }
                let body = stream_after(from);
                let cut = rng.lock().unwrap().usize(1..body.len() * 5 / 4);
                let sent = body[..cut.min(body.len())].to_vec();
                // Small writes, so cuts land inside lines, CRs and events alike.
                let parts: Vec<Bytes> = sent.chunks(11).map(Bytes::copy_from_slice).collect();
                let data = stream::iter(parts.into_iter().map(Ok::<_, std::io::Error>));
                let body = if cut < body.len() {
                    let cut = stream::once(async {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionReset,
                            "cut",
                        ))
                    });
                    Body::from_stream(data.chain(cut))
                } else {
                    Body::from_stream(data)
                };
                ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
            }
        }),
    )
}

async fn run(seed: u64) -> (Vec<String>, u32) {
    let rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(seed)));
    let connections = Arc::new(Mutex::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app(rng, connections.clone())).into_future());

    let mut source = EventSource::builder(format!("http://{addr}/numbers"))
        .reconnection_time(Duration::from_millis(1))
        .backoff(Backoff {
            max_delay: Duration::from_millis(5),
            jitter: 0.0,
            ..Backoff::default()
        })
        .max_retries(1000)
        .build()
        .unwrap();
    let mut received = Vec::new();
    let all = async {
        while let Some(item) = source.next().await {
            match item.expect("no fatal error") {
                SourceEvent::Message(event) => {
                    received.push(format!("{}:{}", event.last_event_id(), event.data()))
                }
                _ => continue,
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all)
        .await
        .expect("bounded in time");
    server.abort();
    let count = *connections.lock().unwrap();
    (received, count)
}

fn expected() -> Vec<String> {
    (1..=N)
        .map(|k| {
            if k % 7 == 0 {
                format!("{k}:event {k}\n(two lines)")
            } else {
                format!("{k}:event {k}")
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_event_exactly_once_in_order_despite_random_cuts(seed in any::<u64>()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (received, connections) = runtime.block_on(run(seed));
        prop_assert_eq!(received, expected());
        prop_assert!(connections >= 2, "the stream ended for good only by reconnecting: {}", connections);
    }
}

/// Issue 19's regression: a server that sends `retry: 20`, honours `Last-Event-ID` and cuts every
/// connection a few events in, at a byte inside the next event. Each connection delivers new
/// events, so no cut is a failed attempt: with the default backoff every reconnection waits the
/// reconnection time (its 100 ms floor, with jitter) and the client receives all 300 events in
/// order; before the progress rule, the delay doubled on every cut and it fell minutes behind.
#[tokio::test]
async fn cuts_that_deliver_new_events_never_back_off() {
    const EVENTS: u64 = 300;
    let rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(19)));
    let app = Router::new().route(
        "/cutting",
        get(move |headers: HeaderMap| {
            let rng = rng.clone();
            async move {
                let from: u64 = headers
                    .get("last-event-id")
                    .and_then(|v| v.to_str().ok()?.parse().ok())
                    .unwrap_or(0);
                if from >= EVENTS {
                    return StatusCode::NO_CONTENT.into_response();
                }
                let (events, cut_at) = {
                    let mut rng = rng.lock().unwrap();
                    (rng.u64(1..=25), rng.usize(1..12))
                };
                let mut body = b"retry: 20\n\n".to_vec();
                let last = (from + events).min(EVENTS);
                for k in from + 1..=last {
                    body.extend(format!("id: {k}\ndata: event {k}\n\n").bytes());
                }
                let next = format!("id: {}\ndata: event {}\n\n", last + 1, last + 1);
                body.extend(&next.as_bytes()[..cut_at.min(next.len() - 1)]);
                let data = stream::iter([Ok::<_, std::io::Error>(Bytes::from(body))]);
                let cut = stream::once(async {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "cut",
                    ))
                });
                let body = Body::from_stream(data.chain(cut));
                ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app).into_future());

    // The defaults `sse listen` uses: 3 s reconnection time (the server lowers it), the default
    // backoff with its jitter, a stable-duration reset of 10 s that no connection here reaches.
    let mut source = EventSource::builder(format!("http://{addr}/cutting"))
        .build()
        .unwrap();
    let mut received = Vec::new();
    let mut retries = Vec::new();
    let all = async {
        while let Some(item) = source.next().await {
            match item.expect("no fatal error") {
                SourceEvent::Message(event) => received.push(event.last_event_id().to_owned()),
                SourceEvent::Retrying { delay, attempt, .. } => retries.push((attempt, delay)),
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(120), all)
        .await
        .expect("bounded in time");
    server.abort();
    let expected: Vec<String> = (1..=EVENTS).map(|k| k.to_string()).collect();
    assert_eq!(received, expected, "every event once, in order");
    assert!(retries.len() >= 10, "the server cut often: {retries:?}");
    for (attempt, delay) in &retries {
        assert_eq!(
            *attempt, 1,
            "a cut after new events is not a failed attempt: {retries:?}"
        );
        assert!(
            *delay <= Duration::from_millis(200),
            "the reconnection time (100 ms floor) with jitter, never doubled: {retries:?}"
        );
    }
}
