//! Two hubs sharing one Redis, as two server nodes would: an event published on one reaches a
//! subscriber of the other, and a subscriber that comes back to either node resumes where it
//! left off. Needs a Redis 7 (`redis-server --port 6379`):
//! `cargo run -p ssekit-hub --features redis --example two_nodes -- redis://127.0.0.1:6379`.

use std::time::Duration;

use sse_format::Event;
use sse_hub::redis::RedisConfig;
use sse_hub::{Hub, HubConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "redis://127.0.0.1:6379".to_owned());
    // A prefix of its own, so that the example never touches other keys.
    let mut redis = RedisConfig::new(url);
    redis.prefix = format!("sse-example-{}:", std::process::id());
    let node_a = Hub::redis(HubConfig::default(), redis.clone())?;
    let node_b = Hub::redis(HubConfig::default(), redis)?;

    let mut on_b = node_b.subscribe("news", None).await?;
    let first = node_a
        .publish("news", Event::new().data("published on A"))
        .await?;
    let got = tokio::time::timeout(Duration::from_secs(5), on_b.live.recv()).await?;
    println!("B received {:?} (id {first})", got.map(|p| p.data));

    // A client that saw `first` reconnects to A: it gets exactly what it missed.
    node_b
        .publish("news", Event::new().data("published on B"))
        .await?;
    let resumed = node_a.subscribe("news", Some(&first.to_string())).await?;
    for missed in &resumed.replay {
        println!("resumed on A with {:?}", missed.data);
    }
    Ok(())
}
