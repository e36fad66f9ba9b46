//! Reconnect-storm benchmark: node A, holding 5,000 subscribers behind a load balancer, is
//! killed; they all come back to node B through the balancer, resuming with `Last-Event-ID`,
//! while B serves 1,000 subscribers of its own. Run with the storm defences on, then off.
//!
//! ```text
//! cargo bench -p ssekit-server --bench storm
//! cargo bench -p ssekit-server --bench storm -- --clients 2000 --own 500 --only on
//! cargo bench -p ssekit-server --bench storm -- --tls
//! cargo bench -p ssekit-server --bench storm -- --only on --rate 2500 --burst 1000
//! ```
//!
//! With `--tls` the storm clients reach the nodes over TLS (each node makes its own certificate
//! and the clients trust it); B's own subscribers and the publisher use a plain listener of the
//! same node, on the same hub.
//!
//! The parts are real: a `redis-server` on loopback, nodes A and B in processes of their own
//! (this executable again, in server mode, on the Redis hub), a TCP balancer (see `storm/lb.rs`),
//! the project's `sse-client` `EventSource` for each storm client, and a probe process (see
//! `storm/probe.rs`) with B's own subscribers and the publisher, which posts to B every 50 ms an
//! event carrying a sequence number and its publish time.
//!
//! Defences on: B and A take at most 1,000 new connections a second with a burst of 500
//! (`ConnectionRate`), answering the rest `503` with `Retry-After`, and each stream's `retry:` is
//! 1 s plus up to 1 s of jitter. Off: no rate limit and a `retry:` of exactly 1 s. Merged history
//! reads (singleflight in the hub) are on in both; a third run (`--only unmerged`) is "off" with
//! them off too, to count what merging saves. The storm clients back off without jitter of
//! their own, as a browser does: whatever spreads them out comes from the server.
//!
//! Measured: the time from the kill until every storm client has reopened and received an event
//! published after the kill; whether each client got every event once and in order across the
//! cut (sequence numbers); the `503`s the clients were answered; Redis calls per resume (`INFO
//! commandstats`); B's own subscribers' delivery latency before and during the storm.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sse_client::{EventSource, SourceEvent};
use test_kit::redis::LocalRedis;
use test_kit::reexec;
use tokio::io::AsyncWriteExt;

#[path = "storm/lb.rs"]
mod lb;
#[path = "storm/probe.rs"]
mod probe;

/// The `retry:` both runs send.
const RETRY: Duration = Duration::from_secs(1);
/// Defences on: up to this much added to each stream's `retry:`, so 5,000 clients cut at the
/// same instant come back spread over a second instead of within a few milliseconds.
const RETRY_JITTER: Duration = Duration::from_secs(1);
/// Defences on: new connections a second. Half to two thirds of what node B took without a limit
/// here (1,500 to 2,000 resumes a second, measured by the off run): the 5,000 are admitted over
/// about 5 s instead of arriving in the 1 s of jitter (see the book's page, ch05/storms.md).
const RATE: u32 = 1_000;
/// Defences on: connections accepted at once. Half a second's worth: a rolling deploy or a few
/// hundred clients opening a page together are never refused.
const BURST: u32 = 500;
/// The publisher's period.
const INTERVAL: Duration = Duration::from_millis(50);
/// The channel.
const CHANNEL: &str = "storm";
/// The Redis commands counted: the history reads of a resume (`xinfo|stream` is Redis 7's name
/// for `XINFO STREAM`), the nodes' live feed (`xread`) and the publishes (`eval`, the
/// idempotent publish script).
const COMMANDS: [&str; 5] = ["xinfo|stream", "xrevrange", "xrange", "xread", "eval"];

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn number(name: &str, default: usize) -> usize {
    arg(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn now_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
}

/// Server mode: one node on the Redis hub `--redis`, with the defences `--defences on` or off.
async fn run_server() {
    use sse_server::conn::{ConnConfig, ConnectionRate};
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let listener = sse_server::conn::bind(
        "127.0.0.1:0".parse().unwrap(),
        sse_server::conn::DEFAULT_BACKLOG,
    )
    .unwrap();
    let defences = arg("--defences").as_deref() == Some("on");
    let sse = sse_server::sse::SseConfig::default()
        .with_retry(RETRY)
        .with_retry_jitter(if defences {
            RETRY_JITTER
        } else {
            Duration::ZERO
        });
    let mut conn = ConnConfig::default();
    if defences {
        conn = conn.with_max_connection_rate(ConnectionRate::new(rate(), burst()));
    }
    let redis = sse_server::hub::redis::RedisConfig::new(arg("--redis").expect("--redis"));
    let merge = arg("--merge").as_deref() != Some("off");
    let hub_config = sse_server::hub::HubConfig::default().with_merge_reads(merge);
    let hub = sse_server::hub::Hub::redis(hub_config, redis).expect("a Redis hub");
    // Every client comes from 127.0.0.1: no per-client limit.
    let config = sse_server::Config::default()
        .with_max_streams_per_client(0)
        .with_node_name(arg("--node-name").unwrap_or_else(|| "storm".to_owned()))
        .with_sse(sse)
        .with_conn(conn)
        .with_hub(hub);
    println!("{}", listener.local_addr().unwrap());
    // Ends when the benchmark closes our stdin, or by SIGKILL (node A).
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let mut sink = Vec::new();
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut tokio::io::stdin(), &mut sink).await;
        let _ = stop.send(true);
    });
    let until_stopped = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|down| *down).await;
    };
    if arg("--tls").as_deref() != Some("on") {
        sse_server::serve(listener, config, until_stopped(stopped))
            .await
            .unwrap();
        return;
    }
    // TLS: the storm's listener (above) terminates TLS with a certificate of this node's own,
    // written for the clients to trust; a second, plain listener on the same hub serves the
    // probe (B's own subscribers and the publisher), so that what they measure is the node's
    // load, not their own handshakes.
    let local = sse_server::tls::self_signed(&["127.0.0.1", "localhost"]).expect("a certificate");
    let cert = std::env::temp_dir().join(format!("storm-{}.pem", std::process::id()));
    std::fs::write(&cert, &local.cert_pem).expect("the certificate written");
    let plain = sse_server::conn::bind(
        "127.0.0.1:0".parse().unwrap(),
        sse_server::conn::DEFAULT_BACKLOG,
    )
    .unwrap();
    println!("plain {}", plain.local_addr().unwrap());
    println!("cert {}", cert.display());
    let mut tls = config.clone();
    tls.conn.tls = Some(local.config);
    let probe_side = sse_server::serve(plain, config, until_stopped(stopped.clone()));
    let storm_side = sse_server::serve(listener, tls, until_stopped(stopped));
    let (a, b) = tokio::join!(probe_side, storm_side);
    a.unwrap();
    b.unwrap();
    let _ = std::fs::remove_file(cert);
}

/// One storm client's view, shared with the driver.
struct Track {
    /// Connections opened (`SourceEvent::Open`).
    opens: AtomicU32,
    /// `opens` at the kill (`u32::MAX` before it): a resume needs a connection opened since.
    opens_at_kill: AtomicU32,
    /// The newest sequence number received (0: none yet).
    last: AtomicU64,
    /// Events missing between two received ones.
    gaps: AtomicU64,
    /// Events received again, or out of order.
    repeats: AtomicU64,
    /// When (µs after [`Storm::base`]) it first received, on a reopened connection, an event
    /// published after the kill; 0 until then.
    resumed_us: AtomicU64,
}

impl Default for Track {
    fn default() -> Self {
        Track {
            opens: AtomicU32::new(0),
            opens_at_kill: AtomicU32::new(u32::MAX),
            last: AtomicU64::new(0),
            gaps: AtomicU64::new(0),
            repeats: AtomicU64::new(0),
            resumed_us: AtomicU64::new(0),
        }
    }
}

/// What the storm clients saw.
struct Storm {
    base: Instant,
    /// The last sequence number published before the kill (`u64::MAX` until the kill).
    kill_seq: AtomicU64,
    /// `503` answers with `Retry-After`.
    refused: AtomicUsize,
    /// Streams that ended (the cut itself).
    ended: AtomicUsize,
    /// Other failed attempts: connections closed or reset before a response, other statuses.
    failed: AtomicUsize,
    /// Errors that ended a client for good (none expected).
    fatal: AtomicUsize,
    tracks: Vec<Track>,
}

/// Reads one storm client until the driver drops it.
async fn storm_client(url: String, certs: Arc<Vec<String>>, index: usize, storm: Arc<Storm>) {
    // A browser's behaviour: no jitter of the client's own, doubling after each failure; a
    // generous retry limit (the run is bounded by the driver's timeouts anyway).
    let backoff = sse_client::retry::Backoff {
        multiplier: 2.0,
        max_delay: Duration::from_secs(8),
        jitter: 0.0,
    };
    let mut builder = EventSource::builder(url);
    if !certs.is_empty() {
        // Trust the nodes' own certificates, and only them.
        let certs = certs
            .iter()
            .map(|pem| reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate"));
        builder = builder.client_builder(reqwest::Client::builder().tls_certs_only(certs));
    }
    let mut source = builder
        .reconnection_time(RETRY)
        .backoff(backoff)
        .max_retries(1_000)
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a valid URL");
    let track = &storm.tracks[index];
    while let Some(item) = source.next().await {
        match item {
            Ok(SourceEvent::Open) => {
                track.opens.fetch_add(1, Ordering::Relaxed);
            }
            Ok(SourceEvent::Message(event)) => {
                let Some(seq) = event
                    .data()
                    .split(' ')
                    .next()
                    .and_then(|s| s.parse::<u64>().ok())
                else {
                    continue;
                };
                let last = track.last.load(Ordering::Relaxed);
                if last > 0 && seq <= last {
                    track.repeats.fetch_add(1, Ordering::Relaxed);
                } else if last > 0 && seq > last + 1 {
                    track.gaps.fetch_add(seq - last - 1, Ordering::Relaxed);
                }
                track.last.store(last.max(seq), Ordering::Relaxed);
                if seq > storm.kill_seq.load(Ordering::Relaxed)
                    && track.opens.load(Ordering::Relaxed)
                        > track.opens_at_kill.load(Ordering::Relaxed)
                    && track.resumed_us.load(Ordering::Relaxed) == 0
                {
                    let at = storm.base.elapsed().as_micros().max(1) as u64;
                    track.resumed_us.store(at, Ordering::Relaxed);
                }
            }
            Ok(SourceEvent::Retrying { cause, .. }) => {
                let counter = match &cause {
                    sse_client::Error::Status {
                        status,
                        retry_after: Some(_),
                        ..
                    } if status.as_u16() == 503 => &storm.refused,
                    sse_client::Error::EndOfStream { .. } | sse_client::Error::Transport(_) => {
                        &storm.ended
                    }
                    _ => &storm.failed,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
            Ok(_) => {}
            Err(sse_client::Error::Parse(_)) => {}
            Err(_) => {
                storm.fatal.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// The probe process (B's own subscribers and the publisher), driven by lines on its stdin.
struct Probe {
    child: reexec::Child,
}

impl Probe {
    async fn start(target: SocketAddr, count: usize) -> (Probe, usize) {
        let args = [
            "--target".to_owned(),
            target.to_string(),
            "--count".to_owned(),
            count.to_string(),
            "--interval-ms".to_owned(),
            INTERVAL.as_millis().to_string(),
        ];
        let mut probe = Probe {
            child: reexec::Child::spawn(probe::PROBE_MODE, &args).await,
        };
        let ready = probe.line(Duration::from_secs(90)).await;
        let connected = ready
            .strip_prefix("ready ")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        (probe, connected)
    }

    async fn line(&mut self, limit: Duration) -> String {
        tokio::time::timeout(limit, self.child.next_line())
            .await
            .expect("the probe answers in time")
            .expect("the probe is running")
    }

    async fn ask(&mut self, command: &str) -> String {
        let stdin = self.child.stdin().expect("the probe's stdin");
        stdin
            .write_all(format!("{command}\n").as_bytes())
            .await
            .unwrap();
        stdin.flush().await.unwrap();
        self.line(Duration::from_secs(30)).await
    }

    async fn seq(&mut self) -> u64 {
        self.ask("seq").await.parse().expect("a sequence number")
    }

    /// `(deliveries, p50, p99, max)` in ms, of events LO < seq ≤ HI.
    async fn stats(&mut self, low: u64, high: u64) -> Latency {
        let line = self.ask(&format!("stats {low} {high}")).await;
        let n: Vec<u64> = line
            .split(' ')
            .skip(1)
            .filter_map(|w| w.parse().ok())
            .collect();
        let ms = |i: usize| n.get(i).copied().unwrap_or(0) as f64 / 1000.0;
        Latency {
            deliveries: n.first().copied().unwrap_or(0),
            p50: ms(1),
            p99: ms(2),
            max: ms(3),
        }
    }
}

/// B's own subscribers' publish-to-delivery delay over a window.
#[derive(Default)]
struct Latency {
    deliveries: u64,
    p50: f64,
    p99: f64,
    max: f64,
}

/// Calls of each of [`COMMANDS`] Redis has counted so far.
async fn command_calls(redis: &LocalRedis) -> [u64; COMMANDS.len()] {
    let info = redis.command(&["INFO", "commandstats"]).await.unwrap();
    let text = match info {
        redis::Value::BulkString(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        redis::Value::VerbatimString { text, .. } => text,
        other => panic!("INFO answered {other:?}"),
    };
    COMMANDS.map(|command| {
        let prefix = format!("cmdstat_{command}:calls=");
        text.lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .and_then(|rest| rest.split(',').next())
            .and_then(|calls| calls.parse().ok())
            .unwrap_or(0)
    })
}

/// What one run measured.
#[derive(Default)]
struct Figures {
    setup: &'static str,
    clients: usize,
    streaming: usize,
    own: usize,
    own_connected: usize,
    /// From the kill until the last storm client resumed (`None`: not all did in time).
    all_resumed: Option<Duration>,
    /// Resume times, sorted, of those that did.
    resumes: Vec<Duration>,
    exact: usize,
    gaps: u64,
    repeats: u64,
    refused: usize,
    ended: usize,
    failed: usize,
    fatal: usize,
    /// Redis calls of each of [`COMMANDS`] from the kill to the last resume.
    storm_calls: [u64; COMMANDS.len()],
    /// The same over the quiet window before the kill, and its length.
    quiet_calls: [u64; COMMANDS.len()],
    quiet: Duration,
    before: Latency,
    during: Latency,
    own_exact: usize,
    b_cpu_ms: f64,
}

/// Waits (polling, bounded) until `done` holds; false if `limit` ran out.
async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

async fn start_node(redis: &str, name: &str, defences: bool, merge: bool) -> NodeProcess {
    let flag = if defences { "on" } else { "off" };
    let merge = if merge { "on" } else { "off" };
    let tls = if tls_mode() { "on" } else { "off" };
    let (rate, burst) = (rate().to_string(), burst().to_string());
    let args = [
        "--redis",
        redis,
        "--node-name",
        name,
        "--defences",
        flag,
        "--merge",
        merge,
        "--tls",
        tls,
        "--rate",
        &rate,
        "--burst",
        &burst,
    ];
    let mut child = reexec::Child::spawn(reexec::SERVER_MODE, args).await;
    let addr = child.first_line().parse().expect("the node's address");
    if !tls_mode() {
        return NodeProcess {
            child,
            addr,
            probe_addr: addr,
            cert: None,
        };
    }
    let plain = child.next_line().await.expect("the plain address");
    let probe_addr = plain
        .strip_prefix("plain ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("the plain address expected, got {plain:?}"));
    let cert_line = child.next_line().await.expect("the certificate's path");
    let cert_path = cert_line
        .strip_prefix("cert ")
        .unwrap_or_else(|| panic!("the certificate's path expected, got {cert_line:?}"));
    let cert = std::fs::read_to_string(cert_path).expect("the node's certificate");
    NodeProcess {
        child,
        addr,
        probe_addr,
        cert: Some(cert),
    }
}

/// A node: its process, the address the storm clients reach it on, the address the probe uses
/// (the same without TLS), and with TLS its certificate (PEM).
struct NodeProcess {
    child: reexec::Child,
    addr: SocketAddr,
    probe_addr: SocketAddr,
    cert: Option<String>,
}

/// Defences on: `--rate N` connections a second (default [`RATE`]), passed to the nodes.
fn rate() -> u32 {
    arg("--rate").and_then(|v| v.parse().ok()).unwrap_or(RATE)
}

/// Defences on: `--burst N` connections at once (default [`BURST`]).
fn burst() -> u32 {
    arg("--burst").and_then(|v| v.parse().ok()).unwrap_or(BURST)
}

/// `--tls`: the storm clients reach the nodes over TLS (each node's own certificate).
fn tls_mode() -> bool {
    std::env::args().any(|a| a == "--tls")
}

/// One run: fresh Redis, nodes, balancer and probe.
async fn run(defences: bool, merge: bool, clients: usize, own: usize) -> Figures {
    let setup = match (defences, merge, tls_mode()) {
        (true, true, false) => "defences on",
        (false, true, false) => "defences off",
        (true, false, false) => "defences on, reads not merged",
        (false, false, false) => "defences off, reads not merged",
        (true, true, true) => "defences on, TLS",
        (false, true, true) => "defences off, TLS",
        (true, false, true) => "defences on, reads not merged, TLS",
        (false, false, true) => "defences off, reads not merged, TLS",
    };
    let mut figures = Figures {
        setup,
        clients,
        own,
        ..Figures::default()
    };
    let redis = LocalRedis::start().await;
    let url = redis.url();
    let node_a = start_node(&url, "a", defences, merge).await;
    let node_b = start_node(&url, "b", defences, merge).await;
    let balancer = lb::Balancer::start(node_a.addr, node_b.addr);
    let (mut probe, own_connected) = Probe::start(node_b.probe_addr, own).await;
    let certs: Vec<String> = [&node_a.cert, &node_b.cert]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let (a, b) = (node_a.child, node_b.child);
    figures.own_connected = own_connected;

    // The storm clients, through the balancer: all land on A. Started at the rate limit's pace
    // (500 every half second) so that even with the defences on they open on the first try.
    let storm = Arc::new(Storm {
        base: Instant::now(),
        kill_seq: AtomicU64::new(u64::MAX),
        refused: AtomicUsize::new(0),
        ended: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        fatal: AtomicUsize::new(0),
        tracks: (0..clients).map(|_| Track::default()).collect(),
    });
    let scheme = if tls_mode() { "https" } else { "http" };
    let events_url = format!("{scheme}://{}/events/{CHANNEL}", balancer.addr);
    let certs = Arc::new(certs);
    let mut tasks = tokio::task::JoinSet::new();
    // The storm clients connect 500 every half second (the default burst), whatever the limit.
    for start in (0..clients).step_by(BURST as usize) {
        for index in start..(start + BURST as usize).min(clients) {
            tasks.spawn(storm_client(
                events_url.clone(),
                certs.clone(),
                index,
                storm.clone(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Streaming: open, and at least one event received (so each has a Last-Event-ID to resume
    // from).
    let streaming = |storm: &Storm| {
        storm
            .tracks
            .iter()
            .filter(|t| t.last.load(Ordering::Relaxed) > 0)
            .count()
    };
    wait_until(Duration::from_secs(60), || streaming(&storm) == clients).await;
    figures.streaming = streaming(&storm);
    assert_eq!(
        balancer.to_b.load(Ordering::Relaxed),
        0,
        "every storm client is on A before the kill"
    );

    // A quiet window: B's own latency and Redis's steady calls, before the storm.
    let quiet_seq = probe.seq().await;
    let quiet_calls = command_calls(&redis).await;
    let quiet_started = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let kill_seq = probe.seq().await;
    let kill_calls = command_calls(&redis).await;
    figures.quiet = quiet_started.elapsed();
    let b_cpu_before = test_kit::process::cpu_ms(b.pid());

    // The kill: SIGKILL (a `reexec::Child` is killed on drop), as a crashed node or machine.
    // Counted from the kill on: the first connections may have been refused too.
    storm.kill_seq.store(kill_seq, Ordering::Relaxed);
    for track in &storm.tracks {
        let opens = track.opens.load(Ordering::Relaxed);
        track.opens_at_kill.store(opens, Ordering::Relaxed);
    }
    let counters = [&storm.refused, &storm.ended, &storm.failed];
    let [refused, ended, failed] = counters.map(|c| c.load(Ordering::Relaxed));
    let killed_at = storm.base.elapsed();
    drop(a);
    let resumed = |storm: &Storm| {
        storm
            .tracks
            .iter()
            .filter(|t| t.resumed_us.load(Ordering::Relaxed) > 0)
            .count()
    };
    let all = wait_until(Duration::from_secs(120), || resumed(&storm) == clients).await;
    let resumed_seq = probe.seq().await;
    let storm_calls = command_calls(&redis).await;
    figures.b_cpu_ms = test_kit::process::cpu_ms(b.pid()) - b_cpu_before;
    let mut resumes: Vec<Duration> = storm
        .tracks
        .iter()
        .map(|t| t.resumed_us.load(Ordering::Relaxed))
        .filter(|&us| us > 0)
        .map(|us| Duration::from_micros(us).saturating_sub(killed_at))
        .collect();
    resumes.sort_unstable();
    figures.all_resumed = all.then(|| resumes.last().copied().unwrap_or_default());
    figures.resumes = resumes;
    for i in 0..COMMANDS.len() {
        figures.storm_calls[i] = storm_calls[i] - kill_calls[i];
        figures.quiet_calls[i] = kill_calls[i] - quiet_calls[i];
    }

    // A little more traffic, then the last event: everyone must end on it.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let last = probe
        .ask("stop")
        .await
        .parse::<u64>()
        .expect("the last seq");
    wait_until(Duration::from_secs(15), || {
        storm
            .tracks
            .iter()
            .all(|t| t.last.load(Ordering::Relaxed) == last)
    })
    .await;
    let exact = |t: &Track| {
        t.last.load(Ordering::Relaxed) == last
            && t.gaps.load(Ordering::Relaxed) == 0
            && t.repeats.load(Ordering::Relaxed) == 0
    };
    figures.exact = storm.tracks.iter().filter(|t| exact(t)).count();
    figures.gaps = storm
        .tracks
        .iter()
        .map(|t| t.gaps.load(Ordering::Relaxed))
        .sum();
    figures.repeats = storm
        .tracks
        .iter()
        .map(|t| t.repeats.load(Ordering::Relaxed))
        .sum();
    figures.refused = storm.refused.load(Ordering::Relaxed) - refused;
    figures.ended = storm.ended.load(Ordering::Relaxed) - ended;
    figures.failed = storm.failed.load(Ordering::Relaxed) - failed;
    figures.fatal = storm.fatal.load(Ordering::Relaxed);
    figures.before = probe.stats(quiet_seq, kill_seq).await;
    figures.during = probe.stats(kill_seq, resumed_seq).await;
    figures.own_exact = probe
        .ask(&format!("check {last}"))
        .await
        .split(' ')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);

    tasks.shutdown().await;
    balancer.stop();
    probe.child.stop().await;
    b.stop().await;
    drop(redis);
    figures
}

fn print_table(all: &[Figures]) {
    let row = |name: &str, cell: &dyn Fn(&Figures) -> String| {
        let cells: Vec<String> = all.iter().map(cell).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    let index = |name: &str| COMMANDS.iter().position(|c| *c == name).unwrap();
    let history = |calls: &[u64; COMMANDS.len()]| {
        calls[index("xinfo|stream")] + calls[index("xrevrange")] + calls[index("xrange")]
    };
    let at = |f: &Figures, share: f64| {
        let rank = ((f.resumes.len().saturating_sub(1)) as f64 * share).round() as usize;
        f.resumes.get(rank).map_or(f64::NAN, |d| d.as_secs_f64())
    };
    let header: Vec<&str> = all.iter().map(|f| f.setup).collect();
    println!();
    println!("| figure | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(all.len()));
    row("storm clients streaming on A before the kill", &|f| {
        format!("{} of {}", f.streaming, f.clients)
    });
    row(
        "kill → every storm client resumed on B",
        &|f| match f.all_resumed {
            Some(d) => format!("{:.2} s", d.as_secs_f64()),
            None => format!("not all in 120 s ({} of {})", f.resumes.len(), f.clients),
        },
    );
    row("… half of them / 99 % of them", &|f| {
        format!("{:.2} s / {:.2} s", at(f, 0.5), at(f, 0.99))
    });
    row("storm clients with every event once, in order", &|f| {
        format!(
            "{} of {} ({} missing, {} repeated)",
            f.exact, f.clients, f.gaps, f.repeats
        )
    });
    row("503 + Retry-After answers they were given", &|f| {
        f.refused.to_string()
    });
    row(
        "streams cut / other failed attempts / clients given up",
        &|f| format!("{} / {} / {}", f.ended, f.failed, f.fatal),
    );
    row(
        "Redis history reads per resume (XINFO + XREVRANGE + XRANGE)",
        &|f| {
            let h = history(&f.storm_calls);
            format!(
                "{:.4} ({h} for {} resumes)",
                h as f64 / f.clients as f64,
                f.clients
            )
        },
    );
    row("… of which XINFO / XREVRANGE / XRANGE", &|f| {
        format!(
            "{} / {} / {}",
            f.storm_calls[index("xinfo|stream")],
            f.storm_calls[index("xrevrange")],
            f.storm_calls[index("xrange")]
        )
    });
    row(
        "XREAD / EVAL during the storm (steady: per s before it)",
        &|f| {
            let quiet = f.quiet.as_secs_f64().max(0.001);
            format!(
                "{} / {} ({:.0} / {:.0} per s)",
                f.storm_calls[index("xread")],
                f.storm_calls[index("eval")],
                f.quiet_calls[index("xread")] as f64 / quiet,
                f.quiet_calls[index("eval")] as f64 / quiet,
            )
        },
    );
    row("B's own subscribers connected", &|f| {
        format!("{} of {}", f.own_connected, f.own)
    });
    row("B's own p50 / p99 / max, 3 s before the kill", &|f| {
        format!(
            "{:.1} / {:.1} / {:.1} ms ({} deliveries)",
            f.before.p50, f.before.p99, f.before.max, f.before.deliveries
        )
    });
    row("B's own p50 / p99 / max, kill → all resumed", &|f| {
        format!(
            "{:.1} / {:.1} / {:.1} ms ({} deliveries)",
            f.during.p50, f.during.p99, f.during.max, f.during.deliveries
        )
    });
    row(
        "B's own subscribers with every event once, in order",
        &|f| format!("{} of {}", f.own_exact, f.own_connected),
    );
    row("B's CPU time, kill → all resumed", &|f| {
        format!("{:.0} ms", f.b_cpu_ms)
    });
}

async fn run_bench() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    if !test_kit::redis::installed() {
        println!("skipped: no redis-server (Debian package redis-server)");
        return;
    }
    let clients = number("--clients", 5_000);
    let own = number("--own", 1_000);
    let only = arg("--only");
    let mut all = Vec::new();
    // The third run shows what merged reads save: the storm at its densest, each resume reading
    // Redis on its own.
    for (name, defences, merge) in [
        ("on", true, true),
        ("off", false, true),
        ("unmerged", false, false),
    ] {
        if only.as_deref().is_none_or(|o| o == name) {
            all.push(run(defences, merge, clients, own).await);
        }
    }
    println!(
        "Reconnect storm: {clients} clients through a TCP balancer on node A, A killed (SIGKILL), \
         they resume on node B; B has {own} subscribers of its own; one event every {} ms; Redis \
         hub; loopback. On: {} connections/s (burst {}), retry: {} s + up to {} s of \
         jitter. Off: no rate limit, retry: {} s.",
        INTERVAL.as_millis(),
        rate(),
        burst(),
        RETRY.as_secs(),
        RETRY_JITTER.as_secs(),
        RETRY.as_secs()
    );
    print_table(&all);
}

fn main() {
    if reexec::is_mode(reexec::SERVER_MODE) {
        // The node as `sse serve` runs it: a worker thread per core.
        reexec::block_on_all_cores(run_server());
        return;
    }
    if reexec::is_mode(probe::PROBE_MODE) {
        reexec::block_on_one_thread(probe::run());
        return;
    }
    // `cargo bench -- --list` probes the harness: there is nothing to list.
    if !std::env::args().any(|a| a == "--list") {
        // The storm clients on one thread, the balancer on another (see `storm/lb.rs`).
        reexec::block_on_one_thread(run_bench());
    }
}
