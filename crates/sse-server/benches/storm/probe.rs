//! The probe: node B's own subscribers and the publisher, in a process of their own (on one
//! thread), so that their latencies are B's and the machine's, not the time the storm's 5,000
//! clients hold the benchmark's thread.
//!
//! It prints `started`, connects `--count` raw-TCP subscribers to `--target` (retrying a `503`,
//! as the rate limit answers a burst), prints `ready <connected>`, then publishes to the target
//! every `--interval-ms` an event whose data is `<seq> <publish time in µs>`. On stdin it answers:
//! - `seq`: the last sequence number published;
//! - `stop`: stops publishing, answers the last sequence number;
//! - `stats LO HI`: `stats <n> <p50> <p99> <max>` (µs) over deliveries of events LO < seq ≤ HI;
//! - `check LAST`: `check <exact> <gaps> <repeats>`, where a subscriber is exact when it got
//!   every event from its first to LAST once, in order.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::{arg, now_micros, number};

/// The mode argument of the probe's process.
pub const PROBE_MODE: &str = "--probe-mode";

/// One subscriber's sequence numbers.
#[derive(Clone, Copy, Default)]
struct Seen {
    first: u64,
    last: u64,
    gaps: u64,
    repeats: u64,
}

#[derive(Default)]
struct Received {
    /// `(seq, publish-to-parse delay in µs)` of every delivery.
    deliveries: Vec<(u32, u32)>,
    subscribers: Vec<Seen>,
}

type Shared = Arc<Mutex<Received>>;

pub async fn run() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let target: SocketAddr = arg("--target")
        .expect("--target")
        .parse()
        .expect("an address");
    let count = number("--count", 1000);
    let interval = Duration::from_millis(number("--interval-ms", 50) as u64);
    println!("started");
    let received = Shared::default();
    received.lock().unwrap().subscribers = vec![Seen::default(); count];
    let mut connected = 0;
    // 100 at a time: the subscribers are the node's steady audience, not a storm of their own.
    for batch in (0..count).collect::<Vec<_>>().chunks(100) {
        let results = futures::future::join_all(
            batch
                .iter()
                .map(|&i| subscribe(target, i, received.clone())),
        )
        .await;
        connected += results.iter().filter(|r| r.is_ok()).count();
    }
    println!("ready {connected}");

    let published = Arc::new(AtomicU64::new(0));
    let stopping = Arc::new(AtomicBool::new(false));
    let publisher = tokio::spawn(publish(
        target,
        interval,
        published.clone(),
        stopping.clone(),
    ));
    let mut publisher = Some(publisher);
    let mut commands = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(command)) = commands.next_line().await {
        let words: Vec<&str> = command.split(' ').collect();
        let word = |i: usize| {
            words
                .get(i)
                .and_then(|w| w.parse::<u64>().ok())
                .unwrap_or(0)
        };
        match words[0] {
            "seq" => println!("{}", published.load(Ordering::Relaxed)),
            "stop" => {
                stopping.store(true, Ordering::Relaxed);
                if let Some(publisher) = publisher.take() {
                    let _ = publisher.await;
                }
                println!("{}", published.load(Ordering::Relaxed));
            }
            "stats" => {
                let (low, high) = (word(1), word(2));
                let mut delays: Vec<u32> = received
                    .lock()
                    .unwrap()
                    .deliveries
                    .iter()
                    .filter(|(seq, _)| u64::from(*seq) > low && u64::from(*seq) <= high)
                    .map(|&(_, delay)| delay)
                    .collect();
                delays.sort_unstable();
                let at = |p: f64| {
                    let rank = ((p / 100.0) * delays.len().saturating_sub(1) as f64).round();
                    delays.get(rank as usize).copied().unwrap_or(0)
                };
                println!(
                    "stats {} {} {} {}",
                    delays.len(),
                    at(50.0),
                    at(99.0),
                    at(100.0)
                );
            }
            "check" => {
                let last = word(1);
                let received = received.lock().unwrap();
                let exact = received
                    .subscribers
                    .iter()
                    .filter(|s| s.first > 0 && s.last == last && s.gaps == 0 && s.repeats == 0)
                    .count();
                let gaps: u64 = received.subscribers.iter().map(|s| s.gaps).sum();
                let repeats: u64 = received.subscribers.iter().map(|s| s.repeats).sum();
                println!("check {exact} {gaps} {repeats}");
            }
            _ => {}
        }
    }
}

/// Publishes `<seq> <µs>` every `interval` until `stopping`. A publish is retried with the same
/// `Idempotency-Key` until it is answered 2xx (10 s at most): a lost publish would look like a
/// gap at every subscriber, and a repeated one like a duplicate.
async fn publish(
    target: SocketAddr,
    interval: Duration,
    published: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
) {
    let client = reqwest::Client::new();
    let url = format!("http://{target}/publish/storm");
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seq = 0u64;
    while !stopping.load(Ordering::Relaxed) {
        ticks.tick().await;
        seq += 1;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let body = format!("{{\"data\":\"{seq} {}\"}}", now_micros());
            let sent = client
                .post(&url)
                .header("content-type", "application/json")
                .header("idempotency-key", format!("storm-{seq}"))
                .body(body)
                .send()
                .await;
            if sent.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "publish {seq} failed for 10 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        published.store(seq, Ordering::Relaxed);
    }
}

/// Connects subscriber `index` (retrying refusals for 30 s), then reads its events on a task of
/// its own.
async fn subscribe(addr: SocketAddr, index: usize, received: Shared) -> std::io::Result<()> {
    let mut attempts = 0;
    let reader = loop {
        match open(addr).await {
            Ok(reader) => break reader,
            Err(_) if attempts < 30 => {
                attempts += 1;
                // The rate limit's Retry-After is 1 s.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => return Err(e),
        }
    };
    tokio::spawn(read_events(reader, index, received));
    Ok(())
}

/// Sends the request and reads the response head; an error unless it is `200`.
async fn open(addr: SocketAddr) -> std::io::Result<BufReader<tokio::net::TcpStream>> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(
            b"GET /events/storm HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n",
        )
        .await?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        if line == "\r\n" {
            return Ok(reader); // end of the response head
        }
        if line.is_empty() || (line.starts_with("HTTP/") && !line.contains(" 200 ")) {
            return Err(std::io::Error::other(format!("refused: {line}")));
        }
    }
}

/// Records every event's delay and sequence number.
async fn read_events(mut reader: BufReader<tokio::net::TcpStream>, index: usize, received: Shared) {
    let mut parser = sse_format::Parser::new();
    let mut buf = vec![0u8; 4096];
    // The body is chunked; chunk-size lines never contain a colon and are ignored by the parser
    // as unknown fields.
    while let Ok(n) = reader.read(&mut buf).await {
        if n == 0 {
            break;
        }
        for frame in parser.feed(&buf[..n]) {
            let Ok(sse_format::Frame::Event(event)) = frame else {
                continue;
            };
            let mut words = event.data().split(' ').map(|w| w.parse::<u128>().ok());
            let (Some(Some(seq)), Some(Some(sent))) = (words.next(), words.next()) else {
                continue;
            };
            let delay = now_micros().saturating_sub(sent).min(u32::MAX.into()) as u32;
            let seq = seq as u64;
            // One thread: the lock is never contended.
            let mut received = received.lock().unwrap();
            received.deliveries.push((seq as u32, delay));
            let seen = &mut received.subscribers[index];
            if seen.first == 0 {
                seen.first = seq;
            } else if seq <= seen.last {
                seen.repeats += 1;
            } else if seq > seen.last + 1 {
                seen.gaps += seq - seen.last - 1;
            }
            seen.last = seen.last.max(seq);
        }
    }
}
