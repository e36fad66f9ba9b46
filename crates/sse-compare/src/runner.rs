//! Runs the workload over each transport and measures it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tokio::io::AsyncBufReadExt;

use crate::server::Counters;
use crate::transport::{Profile, Transport};

/// The workload: the same for every transport.
#[derive(Clone, Debug, Serialize)]
pub struct Workload {
    /// Concurrent clients.
    pub clients: usize,
    /// Messages published per run.
    pub messages: usize,
    /// Messages per second.
    pub rate: f64,
    /// Bytes of data per message (at least the timestamp that measures latency).
    pub payload: usize,
    /// Interval of the plain-polling clients.
    pub poll_interval_ms: u64,
    /// Also run each transport with every connection dropped halfway.
    pub drop_test: bool,
}

pub(crate) fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// Collects what every client receives.
#[derive(Debug)]
pub struct Recorder {
    /// Per client: id → times received.
    seen: Vec<Mutex<HashMap<sse_hub::EventId, u32>>>,
    /// Delivery latencies in microseconds (first receipt of each message only).
    latencies: Mutex<Vec<u64>>,
    progress: ProgressBar,
}

impl Recorder {
    fn new(clients: usize, progress: ProgressBar) -> Self {
        Recorder {
            seen: (0..clients).map(|_| Mutex::default()).collect(),
            latencies: Mutex::default(),
            progress,
        }
    }

    /// Records message `id` (with data `"<publish time µs>|..."`) received by `client`.
    pub fn record(&self, client: usize, id: sse_hub::EventId, data: &str) {
        let first = {
            let mut seen = self.seen[client].lock().expect("lock");
            let count = seen.entry(id).or_insert(0);
            *count += 1;
            *count == 1
        };
        if first {
            if let Some(sent) = data.split('|').next().and_then(|t| t.parse::<u64>().ok()) {
                self.latencies
                    .lock()
                    .expect("lock")
                    .push(now_micros().saturating_sub(sent));
            }
            self.progress.inc(1);
        }
    }

    fn unique(&self) -> usize {
        self.seen
            .iter()
            .map(|s| s.lock().expect("lock").len())
            .sum()
    }

    fn totals(&self) -> (usize, usize) {
        let mut unique = 0;
        let mut total = 0;
        for seen in &self.seen {
            let seen = seen.lock().expect("lock");
            unique += seen.len();
            total += seen.values().map(|&c| c as usize).sum::<usize>();
        }
        (unique, total - unique)
    }
}

/// Latency percentiles, in milliseconds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Latency {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Worst.
    pub max: f64,
    /// Sorted samples (ms), thinned to at most 1,000 for the chart.
    pub samples: Vec<f64>,
}

impl Latency {
    fn from_micros(mut micros: Vec<u64>) -> Self {
        micros.sort_unstable();
        let at = |p: f64| {
            if micros.is_empty() {
                return 0.0;
            }
            let rank = ((p / 100.0) * (micros.len() - 1) as f64).round() as usize;
            micros[rank] as f64 / 1000.0
        };
        let step = (micros.len() / 1000).max(1);
        Latency {
            p50: at(50.0),
            p95: at(95.0),
            p99: at(99.0),
            max: at(100.0),
            samples: micros
                .iter()
                .step_by(step)
                .map(|&m| m as f64 / 1000.0)
                .collect(),
        }
    }
}

/// The result of one run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Run {
    /// Messages × clients.
    pub expected: usize,
    /// Messages received at least once.
    pub delivered: usize,
    /// Expected messages never received.
    pub lost: usize,
    /// Receipts beyond the first.
    pub duplicated: usize,
    /// Publish-to-receive latency.
    pub latency: Latency,
    /// Bytes the server sent, per delivered message (headers and framing included).
    pub bytes_down_per_message: f64,
    /// Bytes the clients sent, per delivered message.
    pub bytes_up_per_message: f64,
    /// HTTP requests the server handled.
    pub requests: u64,
    /// TCP connections the server accepted.
    pub connections: u64,
    /// Server CPU time, milliseconds.
    pub server_cpu_ms: f64,
    /// Wall time of the run, seconds.
    pub seconds: f64,
}

/// Everything measured for one transport.
#[derive(Clone, Debug, Serialize)]
pub struct TransportResult {
    /// Its name.
    pub name: &'static str,
    /// The lesson's description.
    pub profile: Profile,
    /// The steady-state run.
    pub steady: Run,
    /// The run with every connection dropped halfway.
    pub dropped: Option<Run>,
}

/// The measured server, in a child process.
struct ServerProcess {
    child: tokio::process::Child,
    control: String,
    data: String,
    http: reqwest::Client,
}

impl ServerProcess {
    async fn start() -> anyhow::Result<Self> {
        let mut child = tokio::process::Command::new(std::env::current_exe()?)
            .env(crate::SERVER_ENV, "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let line = tokio::time::timeout(
            Duration::from_secs(30),
            tokio::io::BufReader::new(stdout).lines().next_line(),
        )
        .await??
        .ok_or_else(|| anyhow::anyhow!("the server process printed no address"))?;
        let (control, data) = line
            .split_once(' ')
            .ok_or_else(|| anyhow::anyhow!("bad address line {line:?}"))?;
        Ok(ServerProcess {
            child,
            control: format!("http://{control}"),
            data: format!("http://{data}"),
            http: reqwest::Client::new(),
        })
    }

    async fn post(&self, path: &str, body: Option<String>) -> anyhow::Result<()> {
        let mut request = self.http.post(format!("{}{path}", self.control));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        request.send().await?.error_for_status()?;
        Ok(())
    }

    async fn stats(&self) -> anyhow::Result<(Counters, f64)> {
        let text = self
            .http
            .get(format!("{}/stats", self.control))
            .send()
            .await?
            .text()
            .await?;
        Ok(serde_json::from_str(&text)?)
    }
}

async fn run_once(
    server: &ServerProcess,
    transport: &dyn Transport,
    workload: &Workload,
    channel: &str,
    drop_halfway: bool,
    progress: &ProgressBar,
) -> anyhow::Result<Run> {
    let recorder = Arc::new(Recorder::new(workload.clients, progress.clone()));
    server.post("/reset", None).await?;
    let (_, cpu_before) = server.stats().await?;
    let started = Instant::now();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let clients: Vec<_> = (0..workload.clients)
        .map(|client| {
            tokio::spawn(transport.run_client(
                server.data.clone(),
                channel.to_owned(),
                client,
                recorder.clone(),
                stopped.clone(),
            ))
        })
        .collect();
    // Let the clients connect (they start from the beginning of the channel in any case).
    tokio::time::sleep(Duration::from_millis(300)).await;

    let gap = Duration::from_secs_f64(1.0 / workload.rate.max(0.001));
    let padding = "x".repeat(workload.payload.saturating_sub(20));
    let mut next = tokio::time::Instant::now();
    for n in 0..workload.messages {
        if drop_halfway && n == workload.messages / 2 {
            server.post("/drop", None).await?;
        }
        let data = format!("{}|{padding}", now_micros());
        server
            .post(
                &format!("/publish/{channel}"),
                Some(serde_json::json!({ "data": data }).to_string()),
            )
            .await?;
        next += gap;
        tokio::time::sleep_until(next).await;
    }
    // Wait for the deliveries, bounded: long enough for a poll interval and a reconnection.
    let expected = workload.clients * workload.messages;
    let deadline = Instant::now() + Duration::from_millis(3000 + 2 * workload.poll_interval_ms);
    while recorder.unique() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let (counters, cpu_after) = server.stats().await?;
    let _ = stop.send(true);
    for client in clients {
        let _ = tokio::time::timeout(Duration::from_secs(5), client).await;
    }
    let (delivered, duplicated) = recorder.totals();
    let latencies = std::mem::take(&mut *recorder.latencies.lock().expect("lock"));
    let per = |bytes: u64| bytes as f64 / delivered.max(1) as f64;
    Ok(Run {
        expected,
        delivered,
        lost: expected.saturating_sub(delivered),
        duplicated,
        latency: Latency::from_micros(latencies),
        bytes_down_per_message: per(counters.bytes_down),
        bytes_up_per_message: per(counters.bytes_up),
        requests: counters.requests,
        connections: counters.connections,
        server_cpu_ms: cpu_after - cpu_before,
        seconds,
    })
}

/// Runs the workload over every transport, in one server process.
pub async fn run(
    workload: &Workload,
    transports: &[Box<dyn Transport>],
    show_progress: bool,
) -> anyhow::Result<Vec<TransportResult>> {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let mut server = ServerProcess::start().await?;
    let runs_each = if workload.drop_test { 2 } else { 1 };
    let total = (transports.len() * runs_each * workload.clients * workload.messages) as u64;
    let progress = if show_progress {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} deliveries ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let mut results = Vec::new();
    for transport in transports {
        progress.set_message(format!("{} (steady)", transport.name()));
        let steady = run_once(
            &server,
            transport.as_ref(),
            workload,
            &format!("{}-steady", transport.name()),
            false,
            &progress,
        )
        .await?;
        let dropped = if workload.drop_test {
            progress.set_message(format!("{} (drop)", transport.name()));
            Some(
                run_once(
                    &server,
                    transport.as_ref(),
                    workload,
                    &format!("{}-drop", transport.name()),
                    true,
                    &progress,
                )
                .await?,
            )
        } else {
            None
        };
        results.push(TransportResult {
            name: transport.name(),
            profile: transport.profile(),
            steady,
            dropped,
        });
    }
    progress.finish_and_clear();
    drop(server.child.stdin.take());
    let _ = tokio::time::timeout(Duration::from_secs(5), server.child.wait()).await;
    Ok(results)
}
