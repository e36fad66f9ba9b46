//! How much time `sse proxy` adds to an event: an upstream on loopback sends 200 events 10 ms
//! apart, read once directly and once through the proxy (recording as it goes); for each event,
//! the time from the upstream handing it to the server to the client reading it. Prints the
//! median and the 99th percentile of both.
//!
//! Run: `cargo bench -p ssekit-record --bench proxy_latency`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::routing::get;
use futures::StreamExt;

const EVENTS: usize = 200;

type Sent = Arc<Mutex<Vec<Instant>>>;

fn upstream(sent: Sent) -> Router {
    Router::new().route(
        "/events",
        get(move || {
            let sent = sent.clone();
            async move {
                sent.lock().unwrap().clear();
                let body = futures::stream::iter(0..EVENTS).then(move |k| {
                    let sent = sent.clone();
                    async move {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        sent.lock().unwrap().push(Instant::now());
                        Ok::<_, std::io::Error>(Bytes::from(format!("id: {k}\ndata: {k}\n\n")))
                    }
                });
                (
                    [(header::CONTENT_TYPE, "text/event-stream")],
                    Body::from_stream(body),
                )
            }
        }),
    )
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// Reads the stream and returns, per event, the delay from its send to its read.
async fn delays(url: &str, sent: &Sent) -> Vec<Duration> {
    let response = reqwest::get(format!("{url}/events")).await.unwrap();
    let mut body = response.bytes_stream();
    let mut parser = sse_format::Parser::new();
    let mut read = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        let now = Instant::now();
        let events = parser.feed(&chunk).filter(|f| f.is_ok()).count();
        read.extend(std::iter::repeat_n(now, events));
    }
    let sent = sent.lock().unwrap().clone();
    assert_eq!(read.len(), EVENTS);
    sent.iter()
        .zip(&read)
        .map(|(s, r)| r.saturating_duration_since(*s))
        .collect()
}

fn summary(name: &str, mut delays: Vec<Duration>) {
    delays.sort();
    let at = |q: f64| delays[((delays.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<28} median {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        at(1.0).as_secs_f64() * 1000.0
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sent: Sent = Arc::default();
        let direct = serve(upstream(sent.clone())).await;
        let config = sse_record::ProxyConfig::new(direct.parse().unwrap())
            .with_recording(Box::new(std::io::sink()))
            .unwrap();
        let proxied = serve(sse_record::proxy::router(config).unwrap()).await;
        println!("{EVENTS} events, 10 ms apart, send-to-read delay per event:");
        summary("direct", delays(&direct, &sent).await);
        summary("through the proxy", delays(&proxied, &sent).await);
    });
}
