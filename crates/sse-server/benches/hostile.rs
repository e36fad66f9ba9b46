//! Hostile clients against one server process on loopback, measured.
//!
//! ```text
//! cargo bench -p ssekit-server --bench hostile                          # 2,000 half-open, 10 s timeout
//! cargo bench -p ssekit-server --bench hostile -- --half-open 500 --header-timeout-ms 2000
//! cargo bench -p ssekit-server --bench hostile -- --cap 500 --clients 800
//! ```
//!
//! **Half-open run** (default): one ordinary subscriber reads `/events/counter` while
//! `--half-open` clients each send `GET /events/counter HTTP/1.1` and a `Host` line and never
//! finish their headers (slowloris). Reports when the server closed them (from each one's last
//! byte), how many it still held afterwards, the server's memory, and whether the subscriber kept
//! receiving (its events per second and longest silence).
//!
//! **Cap run** (`--cap N`): `--clients` complete SSE requests against a server capped at `N`
//! connections: how many were served and how many refused with `503`, then whether a new
//! subscriber is served once they have gone.
//!
//! The server runs in a child process (this same binary, in server mode) so that its memory is its
//! own; both raise their open-file limit first.

// The tests' helpers: the `counter` publisher.
#[path = "../tests/support/mod.rs"]
mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::StreamExt;
use test_kit::process::rss_kib;
use test_kit::reexec;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn arg(name: &str) -> Option<u64> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

async fn run_server() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{}", listener.local_addr().unwrap());
    // Every client comes from 127.0.0.1: no per-client limit.
    let mut config = sse_server::Config::default().with_max_streams_per_client(0);
    if let Some(ms) = arg("--header-timeout-ms") {
        config.conn.header_read_timeout = Duration::from_millis(ms);
    }
    config.conn.max_connections = arg("--cap").map(|n| n as usize);
    let stop = async {
        let mut sink = Vec::new();
        let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    };
    // The library publishes nothing by itself: a `counter` every 100 ms for the subscriber.
    let counter = support::with_counter(Duration::from_millis(100));
    sse_server::serve_with(listener, config, stop, counter)
        .await
        .unwrap();
}

/// A subscriber that records when each event arrived, until `stop`.
fn subscribe(
    addr: SocketAddr,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) -> tokio::task::JoinHandle<Vec<Instant>> {
    tokio::spawn(async move {
        let mut arrivals = Vec::new();
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            return arrivals;
        };
        let request = b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        if stream.write_all(request).await.is_err() {
            return arrivals;
        }
        let mut lines = BufReader::new(stream).lines();
        loop {
            tokio::select! {
                _ = &mut stop => return arrivals,
                line = lines.next_line() => match line {
                    Ok(Some(line)) if line.starts_with("data:") => arrivals.push(Instant::now()),
                    Ok(Some(_)) => {}
                    _ => return arrivals,
                },
            }
        }
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

async fn half_open_run(addr: SocketAddr, pid: u32, count: usize, timeout: Duration) {
    let base_rss = rss_kib(pid);
    let (stop_subscriber, stop) = tokio::sync::oneshot::channel();
    let subscriber = subscribe(addr, stop);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let started = Instant::now();
    // Opened 100 at a time, so that all of them are open well before the first times out.
    let connect = |_| async move {
        let mut stream = TcpStream::connect(addr).await.ok()?;
        let partial = b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        stream.write_all(partial).await.ok()?;
        Some((stream, Instant::now()))
    };
    let opened: Vec<Option<(TcpStream, Instant)>> = futures::stream::iter(0..count)
        .map(connect)
        .buffer_unordered(100)
        .collect()
        .await;
    let failed = opened.iter().filter(|c| c.is_none()).count();
    let clients: Vec<(TcpStream, Instant)> = opened.into_iter().flatten().collect();
    let opened_in = started.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let held_rss = rss_kib(pid);

    // Each client waits (bounded) for the server to close it.
    let bound = timeout + Duration::from_secs(10);
    let waits = clients.into_iter().map(|(mut stream, sent)| async move {
        let mut buf = [0u8; 512];
        let closed = tokio::time::timeout(bound, async {
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {} // a 408, or whatever comes before the close
                }
            }
        })
        .await;
        closed.ok().map(|()| sent.elapsed())
    });
    let results = futures::future::join_all(waits).await;
    let all_closed_at = started.elapsed();
    let mut closed: Vec<Duration> = results.iter().flatten().copied().collect();
    closed.sort_unstable();
    let still_open = results.iter().filter(|r| r.is_none()).count();
    let after_rss = rss_kib(pid);

    // The subscriber's view over the same period (the counter publishes every 100 ms).
    let _ = stop_subscriber.send(());
    let arrivals = subscriber.await.unwrap_or_default();
    let window: Vec<Instant> = arrivals
        .into_iter()
        .filter(|t| *t >= started && *t <= started + all_closed_at)
        .collect();
    let longest_silence = window
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or(all_closed_at);
    println!("Half-open connections (server in its own process, loopback)");
    println!();
    println!("| | |");
    println!("|---|---|");
    println!(
        "| half-open clients | {} ({} failed to connect) |",
        closed.len() + still_open,
        failed
    );
    println!("| opened in | {:.2} s |", opened_in.as_secs_f64());
    println!("| header read timeout | {:.1} s |", timeout.as_secs_f64());
    println!(
        "| closed by the server after (min / p50 / p99 / max) | {:.2} / {:.2} / {:.2} / {:.2} s |",
        percentile(&closed, 0.0).as_secs_f64(),
        percentile(&closed, 0.5).as_secs_f64(),
        percentile(&closed, 0.99).as_secs_f64(),
        percentile(&closed, 1.0).as_secs_f64()
    );
    println!(
        "| still open {:.0} s after the timeout | {still_open} |",
        (bound - timeout).as_secs_f64()
    );
    println!(
        "| all closed {:.2} s after the first was opened | |",
        all_closed_at.as_secs_f64()
    );
    println!(
        "| server RSS before / holding them / after | {:.1} / {:.1} / {:.1} MiB |",
        base_rss as f64 / 1024.0,
        held_rss as f64 / 1024.0,
        after_rss as f64 / 1024.0
    );
    println!(
        "| the subscriber meanwhile: events (every 100 ms) / longest silence | {} in {:.1} s / {} ms |",
        window.len(),
        all_closed_at.as_secs_f64(),
        longest_silence.as_millis()
    );
}

async fn cap_run(addr: SocketAddr, cap: u64, clients: usize) {
    let mut served = Vec::new();
    let (mut refused, mut other, mut failed) = (0usize, 0usize, 0usize);
    for _ in 0..clients {
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            failed += 1;
            continue;
        };
        let request = b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        if stream.write_all(request).await.is_err() {
            failed += 1;
            continue;
        }
        let mut head = [0u8; 12];
        match tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut head)).await {
            Ok(Ok(_)) if &head == b"HTTP/1.1 200" => served.push(stream),
            Ok(Ok(_)) if &head == b"HTTP/1.1 503" => refused += 1,
            Ok(Ok(_)) => other += 1,
            _ => failed += 1,
        }
    }
    let count_served = served.len();
    drop(served);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut again = TcpStream::connect(addr).await.unwrap();
    again
        .write_all(b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    let recovered = tokio::time::timeout(Duration::from_secs(5), again.read_exact(&mut head))
        .await
        .is_ok_and(|r| r.is_ok())
        && &head == b"HTTP/1.1 200";
    println!("Connection cap (server in its own process, loopback)");
    println!();
    println!("| | |");
    println!("|---|---|");
    println!("| cap | {cap} |");
    println!("| clients | {clients} |");
    println!(
        "| served (200) / refused (503) / other / failed | {count_served} / {refused} / {other} / {failed} |"
    );
    println!(
        "| a new subscriber served once they left | {} |",
        if recovered { "yes" } else { "no" }
    );
}

async fn run_bench() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let server = reexec::Child::spawn(reexec::SERVER_MODE, std::env::args().skip(1)).await;
    let pid = server.pid();
    let addr: SocketAddr = server.first_line().parse().unwrap();

    if let Some(cap) = arg("--cap") {
        cap_run(addr, cap, arg("--clients").unwrap_or(cap * 3 / 2) as usize).await;
    } else {
        let count = arg("--half-open").unwrap_or(2000) as usize;
        let timeout = Duration::from_millis(arg("--header-timeout-ms").unwrap_or(10_000));
        half_open_run(addr, pid, count, timeout).await;
    }
    server.stop().await;
}

fn main() {
    if reexec::is_mode(reexec::SERVER_MODE) {
        reexec::block_on_all_cores(run_server());
        return;
    }
    // `cargo bench` passes --bench; nothing else to parse.
    reexec::block_on_one_thread(run_bench());
}
