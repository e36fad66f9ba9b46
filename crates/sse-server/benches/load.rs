//! Load benchmark: 10,000 concurrent SSE subscribers on loopback against one server process.
//!
//! ```text
//! cargo bench -p sse-server --bench load                 # 10,000 subscribers, 20 broadcasts
//! cargo bench -p sse-server --bench load -- --clients 2000 --broadcasts 10
//! ```
//!
//! The server runs in a child process (this same binary, in server mode) so that its memory can
//! be read on its own from /proc. The benchmark reports the server's resident memory per idle
//! connection, and the delivery latency of a broadcast to all subscribers: from the moment the
//! event is published to the moment each subscriber has parsed it (one machine, one clock).

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn run_server() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{}", listener.local_addr().unwrap());
    let config = sse_server::Config {
        max_streams_per_client: 0, // every subscriber comes from 127.0.0.1
        ..sse_server::Config::default()
    };
    // Ends when the benchmark closes our stdin.
    let stop = async {
        let mut sink = Vec::new();
        let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    };
    sse_server::serve(listener, config, stop).await.unwrap();
}

/// Connects one subscriber; returns once the stream is open. Its task then records the latency
/// of every event it parses.
async fn subscribe(addr: SocketAddr, latencies: Arc<Mutex<Vec<u64>>>) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    stream
        .write_all(
            b"GET /events/bench HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n",
        )
        .await?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        if line == "\r\n" {
            break; // end of the response head
        }
        if line.is_empty() {
            return Err(std::io::Error::other("closed before the stream opened"));
        }
    }
    tokio::spawn(async move {
        let mut parser = sse_format::Parser::new();
        let mut buf = vec![0u8; 4096];
        let mut mine = Vec::new();
        // The body is chunked; chunk-size lines are not SSE and are simply ignored as unknown
        // fields by the parser (they never contain a colon or look like a blank line with data).
        while let Ok(n) = reader.read(&mut buf).await {
            if n == 0 {
                break;
            }
            for frame in parser.feed(&buf[..n]) {
                if let Ok(sse_format::Frame::Event(event)) = frame
                    && let Ok(sent) = event.data().parse::<u128>()
                {
                    mine.push((now_micros().saturating_sub(sent)) as u64);
                }
            }
            if mine.len() >= 4 {
                latencies.lock().unwrap().append(&mut mine);
            }
        }
        latencies.lock().unwrap().append(&mut mine);
    });
    Ok(())
}

/// CPU time (user + system) of a process so far, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| {
        f.iter().filter_map(|v| v.parse::<f64>().ok()).sum()
    });
    ticks * 10.0 // USER_HZ is 100 on Linux
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1000.0
}

async fn run_bench() {
    let clients = arg("--clients", 10_000);
    let broadcasts = arg("--broadcasts", 20);
    let _ = rlimit::increase_nofile_limit(u64::MAX);

    let exe = std::env::current_exe().unwrap();
    let mut server = tokio::process::Command::new(exe)
        .arg("--server-mode")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = server.id().unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap()).lines();
    let addr: SocketAddr = out.next_line().await.unwrap().unwrap().parse().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base_rss = rss_kib(pid);

    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let results: Vec<_> = futures::stream::iter(0..clients)
        .map(|_| subscribe(addr, latencies.clone()))
        .buffer_unordered(256)
        .collect()
        .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    let connected = clients - failed;
    let connect_time = started.elapsed();
    // Let allocations settle, then read the server's memory with every subscriber idle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss = rss_kib(pid);

    let server_cpu_before = cpu_ms(pid);
    let own_cpu_before = cpu_ms(std::process::id());
    let client = reqwest::Client::new();
    let publish_url = format!("http://{addr}/publish/bench");
    for _ in 0..broadcasts {
        let body = format!("{{\"data\":\"{}\"}}", now_micros());
        client
            .post(&publish_url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Wait (bounded) for the last deliveries.
    let expected = connected * broadcasts;
    let deadline = Instant::now() + Duration::from_secs(30);
    while latencies.lock().unwrap().len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let busy_rss = rss_kib(pid);
    let server_cpu = cpu_ms(pid) - server_cpu_before;
    let own_cpu = cpu_ms(std::process::id()) - own_cpu_before;
    let mut all = latencies.lock().unwrap().clone();
    all.sort_unstable();

    println!("SSE load benchmark (server in its own process, loopback)");
    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| subscribers connected | {connected} of {clients} ({failed} failed) in {:.1} s |",
        connect_time.as_secs_f64()
    );
    println!(
        "| server RSS before / with idle subscribers | {:.1} MiB / {:.1} MiB |",
        base_rss as f64 / 1024.0,
        idle_rss as f64 / 1024.0
    );
    println!(
        "| server memory per idle connection | {:.1} KiB |",
        (idle_rss.saturating_sub(base_rss)) as f64 / connected.max(1) as f64
    );
    println!(
        "| server RSS after the broadcasts | {:.1} MiB |",
        busy_rss as f64 / 1024.0
    );
    println!("| broadcasts | {broadcasts}, 250 ms apart |");
    println!("| deliveries | {} of {expected} |", all.len());
    println!(
        "| server CPU per delivery | {:.1} µs |",
        server_cpu * 1000.0 / all.len().max(1) as f64
    );
    println!(
        "| load generator CPU per delivery | {:.1} µs |",
        own_cpu * 1000.0 / all.len().max(1) as f64
    );
    println!(
        "| delivery latency p50 | {:.1} ms |",
        percentile(&all, 50.0)
    );
    println!(
        "| delivery latency p99 | {:.1} ms |",
        percentile(&all, 99.0)
    );
    println!(
        "| delivery latency max | {:.1} ms |",
        percentile(&all, 100.0)
    );

    drop(server.stdin.take());
    let _ = tokio::time::timeout(Duration::from_secs(10), server.wait()).await;
}

fn main() {
    if std::env::args().any(|a| a == "--server-mode") {
        // The server as `sse serve` runs it: a worker thread per core.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(run_server());
        return;
    }
    // The load generator on one thread, so it takes at most one core from the server.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // `cargo bench -- --list` probes the harness: there is nothing to list.
    if !std::env::args().any(|a| a == "--list") {
        runtime.block_on(run_bench());
    }
}
