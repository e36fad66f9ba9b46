//! The measured server: run in a child process, so that its CPU time is its own.
//!
//! Two listeners: the **data** listener serves the four transports and counts every byte that
//! crosses its sockets (HTTP heads, chunked framing, WebSocket frames included), every request and
//! every connection; the **control** listener takes the publishes and the measurement requests,
//! so that they are not counted.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use sse_server::hub::{Hub, HubConfig};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;

/// What the data listener counted since the last reset.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Counters {
    /// Bytes received from clients.
    pub bytes_up: u64,
    /// Bytes sent to clients.
    pub bytes_down: u64,
    /// HTTP requests (a WebSocket handshake counts as one).
    pub requests: u64,
    /// TCP connections accepted.
    pub connections: u64,
}

#[derive(Default)]
struct Stats {
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
    requests: AtomicU64,
    connections: AtomicU64,
}

impl Stats {
    fn snapshot(&self) -> Counters {
        Counters {
            bytes_up: self.bytes_up.load(Ordering::Relaxed),
            bytes_down: self.bytes_down.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
        }
    }

    fn reset(&self) {
        for counter in [
            &self.bytes_up,
            &self.bytes_down,
            &self.requests,
            &self.connections,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

/// A socket that counts the bytes it carries.
struct Counted {
    inner: TcpStream,
    stats: Arc<Stats>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.stats
            .bytes_up
            .fetch_add((buf.filled().len() - before) as u64, Ordering::Relaxed);
        result
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = result {
            self.stats.bytes_down.fetch_add(n as u64, Ordering::Relaxed);
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = result {
            self.stats.bytes_down.fetch_add(n as u64, Ordering::Relaxed);
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Counts and wraps each data connection, and keeps its task so that `/drop` can cut it.
struct CountingAccept {
    stats: Arc<Stats>,
    connections: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl sse_server::conn::Accept for CountingAccept {
    type Io = Counted;

    fn wrap(&mut self, socket: TcpStream) -> Counted {
        self.stats.connections.fetch_add(1, Ordering::Relaxed);
        Counted {
            inner: socket,
            stats: self.stats.clone(),
        }
    }

    fn spawned(&mut self, task: tokio::task::AbortHandle) {
        let mut handles = self.connections.lock().expect("lock");
        handles.retain(|h| !h.is_finished());
        handles.push(task);
    }
}

#[derive(Clone)]
struct Control {
    hub: Hub,
    stats: Arc<Stats>,
    connections: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
    drops: Arc<watch::Sender<u64>>,
}

#[derive(Deserialize)]
struct PublishBody {
    data: String,
}

/// CPU time (user + system) of this process, in milliseconds.
pub fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
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

/// Runs the server; prints `CONTROL_ADDR DATA_ADDR` on stdout, runs until stdin closes.
pub async fn run() -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt;
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let config = sse_server::Config::default()
        .with_max_streams_per_client(0)
        .with_hub_config(HubConfig::default().with_replay_count(100_000))
        .with_sse(
            sse_server::sse::SseConfig::default().with_retry(std::time::Duration::from_millis(100)),
        );
    let (_trigger, shutdown) = sse_server::sse::Shutdown::new();
    let (sse_app, state) = sse_server::router(&config, shutdown.clone());
    let hub = state.hub.clone();
    let stats = Arc::new(Stats::default());
    let (drops, drops_rx) = watch::channel(0u64);
    let counting = {
        let stats = stats.clone();
        middleware::from_fn(move |request: Request, next: Next| {
            let stats = stats.clone();
            async move {
                stats.requests.fetch_add(1, Ordering::Relaxed);
                next.run(request).await
            }
        })
    };
    let data_app = sse_app
        .merge(sse_ws::router(hub.clone(), drops_rx))
        .merge(sse_longpoll::router(hub.clone()))
        .layer(counting);
    let control = Control {
        hub,
        stats: stats.clone(),
        connections: Arc::default(),
        drops: Arc::new(drops),
    };
    let control_app = axum::Router::new()
        .route("/publish/{channel}", post(publish))
        .route("/stats", get(read_stats))
        .route("/reset", post(reset))
        .route("/drop", post(drop_all))
        .with_state(control.clone());

    let data = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let control_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("{} {}", control_listener.local_addr()?, data.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(control_listener, control_app).await;
    });
    // The data listener runs on the server's own accept loop, with every socket counted. The
    // cap is lifted: the benchmark opens as many connections as the open-file limit allows.
    let accept = CountingAccept {
        stats: control.stats.clone(),
        connections: control.connections.clone(),
    };
    let conn = sse_server::conn::ConnConfig::default().with_max_connections(usize::MAX);
    tokio::spawn(sse_server::conn::serve_connections(
        data, data_app, conn, accept, shutdown,
    ));
    // Run until the parent closes our stdin.
    let mut sink = Vec::new();
    let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    Ok(())
}

async fn publish(
    State(control): State<Control>,
    Path(channel): Path<String>,
    Json(body): Json<PublishBody>,
) -> Json<Option<sse_hub::EventId>> {
    Json(
        control
            .hub
            .publish(&channel, sse_format::Event::new().data(body.data))
            .await
            .ok(),
    )
}

async fn read_stats(State(control): State<Control>) -> Json<(Counters, f64)> {
    Json((control.stats.snapshot(), cpu_ms(std::process::id())))
}

async fn reset(State(control): State<Control>) -> Response {
    control.stats.reset();
    Response::new(axum::body::Body::empty())
}

async fn drop_all(State(control): State<Control>) -> Response {
    // Abort every data connection (SSE streams, long polls in flight) and close every WebSocket.
    for handle in control.connections.lock().expect("lock").drain(..) {
        handle.abort();
    }
    control.drops.send_modify(|generation| *generation += 1);
    Response::new(axum::body::Body::empty())
}
