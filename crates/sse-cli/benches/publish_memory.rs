//! The issue's memory run, measured: 5,000 `POST /publish/<new channel>` of 10 KB each against
//! `sse serve` (in memory, and with `--redis` when `redis-server` is installed), and the server's
//! resident memory before and after.
//!
//! ```sh
//! cargo bench -p sse-cli --bench publish_memory
//! ```
//!
//! The in-memory hub keeps at most `total_replay_bytes` (32 MiB) of events across channels (idle
//! channels are dropped least recently used first past it) and at most `max_channels` (10,000)
//! channels; with Redis, a node keeps no events at all.

use std::time::{Duration, Instant};

use test_kit::process::{peak_rss_kib, rss_kib};
use test_kit::redis::{self, LocalRedis};
use tokio::process::{Child, Command};

const PUBLISHES: usize = 5_000;
const SIZE: usize = 10 * 1024;

async fn start(extra: &[&str]) -> (Child, String) {
    let port = test_kit::free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_sse"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(["--no-demo-channels", "--book-dir", "/nonexistent"])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start sse serve");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if reqwest::get(format!("{base}/health")).await.is_ok() {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("sse serve did not start");
}

/// Runs `rounds` rounds of the workload (new channel names each round) on one server and prints
/// a row after each.
async fn run(label: &str, extra: &[&str], rounds: usize) {
    let (child, base) = start(extra).await;
    let pid = child.id().expect("running");
    let client = reqwest::Client::new();
    let payload = "x".repeat(SIZE);
    let body = serde_json::json!({ "data": payload }).to_string();
    // Warm up: connections, allocator arenas.
    for _ in 0..50 {
        let _ = client
            .post(format!("{base}/publish/warmup"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(pid);
    for round in 1..=rounds {
        let started = Instant::now();
        let mut refused = 0;
        // Eight publishers at a time, every publish to a channel never used before.
        let mut next = 0;
        while next < PUBLISHES {
            let batch: Vec<_> = (next..(next + 8).min(PUBLISHES))
                .map(|n| {
                    client
                        .post(format!("{base}/publish/round{round}-channel-{n}"))
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                })
                .collect();
            for response in futures::future::join_all(batch).await {
                if !response.is_ok_and(|r| r.status().is_success()) {
                    refused += 1;
                }
            }
            next += 8;
        }
        let seconds = started.elapsed().as_secs_f64();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let after = rss_kib(pid);
        let peak = peak_rss_kib(pid);
        println!(
            "| {label}, {} publishes | {:.1} MB | {:.1} MB | {:.1} MB | +{:.1} MB | {refused} | {seconds:.1} s |",
            round * PUBLISHES,
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            peak as f64 / 1024.0,
            (after.saturating_sub(before)) as f64 / 1024.0,
        );
    }
    drop(child);
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    println!(
        "{PUBLISHES} x {} KB publishes, each to a new channel, against `sse serve`:\n",
        SIZE / 1024
    );
    println!(
        "| hub, publishes so far | RSS before | RSS after | peak RSS | growth | refused | time of the round |"
    );
    println!("|---|---|---|---|---|---|---|");
    run("in memory (32 MiB budget)", &[], 3).await;
    if redis::installed() {
        let redis = LocalRedis::start().await;
        run("Redis (node only)", &["--redis", &redis.url()], 1).await;
    } else {
        println!("(no redis-server: install Debian's `redis-server` for the Redis row)");
    }
}
