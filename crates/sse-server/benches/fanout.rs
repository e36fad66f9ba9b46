//! The hub's fan-out on its own, without sockets: what one delivery costs in user space.
//!
//! ```text
//! cargo bench -p ssekit-server --bench fanout                  # 10,000 subscribers, 200 events
//! cargo bench -p ssekit-server --bench fanout -- --subscribers 1000 --events 1000
//! ```
//!
//! One in-memory hub, N subscribers on one channel. Each round publishes one event (the hub
//! encodes it once and hands the same bytes to every subscriber's queue), then every subscriber
//! takes it from its queue, as the stream task of each connection does before writing it. The
//! figure is the time per delivery, publish and take together; the load benchmark (`load`)
//! measures the whole path, socket writes included, for comparison.

use std::time::{Duration, Instant};

use sse_format::Event;
use sse_server::hub::{Hub, HubConfig};

fn number(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run() {
    let subscribers = number("--subscribers", 10_000);
    let events = number("--events", 200);
    let hub = Hub::new(HubConfig::default());
    let mut lives = Vec::with_capacity(subscribers);
    for _ in 0..subscribers {
        let subscription = hub.subscribe("bench", None).await.expect("subscribe");
        lives.push(subscription.live);
    }
    let payload = "x".repeat(64);
    let mut publish = Duration::ZERO;
    let mut take = Duration::ZERO;
    let mut bytes = 0usize;
    for _ in 0..events {
        let started = Instant::now();
        hub.publish("bench", Event::new().data(payload.as_str()))
            .await
            .expect("publish");
        let published = Instant::now();
        for live in &mut lives {
            let event = live.try_recv().expect("every subscriber has the event");
            bytes += event.bytes.len();
        }
        take += published.elapsed();
        publish += published - started;
    }
    let deliveries = (subscribers * events) as f64;
    println!("hub fan-out, in memory, no sockets: {subscribers} subscribers, {events} events");
    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| publish (encode once, queue to every subscriber) per delivery | {:.0} ns |",
        publish.as_nanos() as f64 / deliveries
    );
    println!(
        "| take from the queue per delivery | {:.0} ns |",
        take.as_nanos() as f64 / deliveries
    );
    println!(
        "| fan-out per delivery | {:.0} ns |",
        (publish + take).as_nanos() as f64 / deliveries
    );
    println!("| bytes handed out (shared, not copied) | {bytes} |");
}

fn main() {
    // `cargo bench -- --list` probes the harness: there is nothing to list.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}
