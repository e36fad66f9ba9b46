//! The HTTP accept loop: one for every server of the course ([`crate::serve`] and `sse-compare`),
//! built to survive hostile clients.
//!
//! - **Header read timeout.** hyper enforces one only when it is given a timer; with it, a client
//!   that sends part of a request head and stops (slowloris) is closed after
//!   [`ConnConfig::header_read_timeout`]. hyper starts this timer whenever it waits for a request
//!   head, so it also closes an HTTP/1.1 connection that never sends a request, or sits idle
//!   between requests.
//! - **Idle timeout.** HTTP/2 has no request head to time: a TLS connection with no request in
//!   flight for [`ConnConfig::idle_timeout`] is closed (a TLS handshake must finish within the
//!   header read timeout).
//! - **Connection cap.** Past [`ConnConfig::max_connections`] a connection is answered `503` with
//!   `Retry-After` and closed; those answers are themselves bounded in number and time, so a
//!   flood cannot turn the refusals into the next way to run out of file descriptors.
//! - **Connection rate.** With [`ConnConfig::max_connection_rate`], new connections past a token
//!   bucket's rate are answered `503` with the `Retry-After` of the next token, so a reconnect
//!   storm arrives spread out instead of all at once. Up to 1,024 of these answers can be in
//!   flight, enough for a storm. Every refusal (cap or rate) is canned: read the head, write a
//!   fixed response, close, no hyper; over TLS after its handshake, which offers only HTTP/1.1 so
//!   that the connection closes after its answer.
//! - **No spin when out of descriptors.** An accept error other than a peer's reset backs off
//!   (10 ms, doubling, at most 1 s) instead of retrying every 10 ms.
//! - **Graceful shutdown.** When the [`Shutdown`] fires, the loop stops accepting, every connection
//!   finishes its response (streams end at once, see [`crate::sse`]) and closes, and the loop
//!   returns once they are all gone, or after [`ConnConfig::drain_timeout`].
//!
//! Plain TCP is served as HTTP/1.1 only (HTTP/1-or-2 detection costs memory on every connection,
//! and browsers speak HTTP/2 only over TLS); TLS connections offer `h2` and `http/1.1` by ALPN and
//! are served by hyper-util's auto builder.
//!
//! ```no_run
//! # async fn demo(app: axum::Router) -> std::io::Result<()> {
//! use sse_server::conn::{ConnConfig, PlainTcp, serve_connections};
//! use sse_server::sse::Shutdown;
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let (trigger, shutdown) = Shutdown::new();
//! let server = tokio::spawn(serve_connections(listener, app, ConnConfig::default(), PlainTcp, shutdown));
//! // ... later: stop accepting, end the streams, wait for the connections to close.
//! trigger.fire();
//! server.await??;
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Response;
use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use crate::sse::{Shutdown, ShutdownWatch};

mod direct;
mod lean;
mod rate;

pub use rate::ConnectionRate;

/// Limits and transport of the accepted connections: [`ConnConfig::default`], then the `with_*`
/// setters.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ConnConfig {
    /// Time allowed to send a complete request head, counted from when the server starts waiting
    /// for it (a new connection, or an idle keep-alive one). Also bounds a TLS handshake.
    pub header_read_timeout: Duration,
    /// A TLS connection (HTTP/2 or HTTP/1.1) with no request in flight for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once; past it, `503`. `None`: the process's open-file limit minus a
    /// reserve of 128 (for the refusals, the listener and files), at least 16.
    pub max_connections: Option<usize>,
    /// How long shutdown waits for connections to close before returning anyway.
    pub drain_timeout: Duration,
    /// Serve TLS with this configuration (see [`crate::tls`]); `None`: plain TCP, HTTP/1.1.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// New connections accepted per second, with a burst; past it, `503` with `Retry-After`
    /// (see [`ConnectionRate`]). `None` (the default): no limit but the connection cap.
    pub max_connection_rate: Option<ConnectionRate>,
}

impl Default for ConnConfig {
    fn default() -> Self {
        ConnConfig {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: None,
            drain_timeout: Duration::from_secs(10),
            tls: None,
            max_connection_rate: None,
        }
    }
}

impl ConnConfig {
    /// Sets [`ConnConfig::header_read_timeout`].
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets [`ConnConfig::idle_timeout`].
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets [`ConnConfig::max_connections`].
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.max_connections = Some(max);
        self
    }

    /// Sets [`ConnConfig::drain_timeout`].
    pub fn with_drain_timeout(mut self, timeout: Duration) -> Self {
        self.drain_timeout = timeout;
        self
    }

    /// Limits the rate of new connections ([`ConnConfig::max_connection_rate`]).
    pub fn with_max_connection_rate(mut self, rate: ConnectionRate) -> Self {
        self.max_connection_rate = Some(rate);
        self
    }

    /// Serves TLS with this configuration ([`ConnConfig::tls`]).
    pub fn with_tls(mut self, tls: Arc<rustls::ServerConfig>) -> Self {
        self.tls = Some(tls);
        self
    }
}

/// The listen backlog [`bind`] asks for unless told otherwise: the kernel's own default cap
/// (`net.core.somaxconn`, 4096 since Linux 5.4). tokio's and the standard library's `bind` ask for
/// 128, which a burst of reconnecting clients overflows: the SYNs past it are dropped and those
/// clients wait a second or more to retry.
pub const DEFAULT_BACKLOG: u32 = 4096;

/// Binds a TCP listener for [`crate::serve`] with this listen `backlog` (the connections the kernel
/// completes before the server accepts them; the kernel caps it at `net.core.somaxconn`).
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use sse_server::conn::{DEFAULT_BACKLOG, bind};
/// let listener = bind("127.0.0.1:3000".parse().unwrap(), DEFAULT_BACKLOG)?;
/// # let _ = listener;
/// # Ok(())
/// # }
/// ```
pub fn bind(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As std and tokio do: a restarted server can bind again while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// The local address a request arrived on, set by the accept loop as a request extension (next to
/// axum's `ConnectInfo<SocketAddr>` for the peer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalAddr(pub SocketAddr);

/// How accepted sockets are prepared; [`PlainTcp`] serves them as they are. `sse-compare` wraps
/// them to count bytes and keeps the tasks to cut connections.
pub trait Accept: Send + 'static {
    /// The stream the HTTP server runs on.
    type Io: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    /// Wraps an accepted socket.
    fn wrap(&mut self, socket: TcpStream) -> Self::Io;
    /// Called with the task that serves each connection (refusals included).
    fn spawned(&mut self, _task: tokio::task::AbortHandle) {}
}

/// Sockets served as they are.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainTcp;

impl Accept for PlainTcp {
    type Io = TcpStream;
    fn wrap(&mut self, socket: TcpStream) -> TcpStream {
        socket
    }
}

/// At most this many `503` answers in progress at once; past it, excess connections are closed
/// without an answer.
const MAX_REFUSING: usize = 64;
/// At most this many `503` answers to connections over the rate limit in progress at once. Each
/// is a small task that reads the request head (at most [`QUICK_HEAD_MAX`] bytes) and writes a
/// fixed answer within [`REFUSAL_TIME`] (over TLS, after a handshake).
const MAX_QUICK_REFUSING: usize = 1024;
/// The most a refused client may send before its answer.
const QUICK_HEAD_MAX: usize = 4096;
/// Time a refused client gets to send its request and read the `503`.
const REFUSAL_TIME: Duration = Duration::from_secs(2);
/// Seconds a client refused at the connection cap is told to wait.
const RETRY_AFTER: u64 = 2;

/// Why a connection is answered `503`.
#[derive(Clone, Copy, Debug)]
enum Refused {
    /// [`ConnConfig::max_connections`] are open.
    Cap,
    /// Over [`ConnConfig::max_connection_rate`]; the next token is due after this.
    Rate(Duration),
}
/// Descriptors kept free under [`ConnConfig::max_connections`]'s default.
const FD_RESERVE: u64 = 128;

/// The default connection cap: the open-file limit minus a reserve.
pub fn default_max_connections() -> usize {
    let soft = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft);
    usize::try_from(soft.saturating_sub(FD_RESERVE))
        .unwrap_or(usize::MAX)
        .max(16)
}

/// Counts open connections; shutdown waits for the count to reach zero.
#[derive(Debug, Default)]
struct Live {
    open: AtomicUsize,
    refusing: AtomicUsize,
    quick_refusing: AtomicUsize,
    drained: Notify,
}

impl Live {
    async fn drained(&self) {
        loop {
            let notified = self.drained.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if self.open.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// One open connection; dropping it (when the connection task ends) frees the place.
struct Slot(Arc<Live>);

impl Drop for Slot {
    fn drop(&mut self) {
        if self.0.open.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.drained.notify_waiters();
        }
    }
}

/// One `503` in progress.
struct Refusal(Arc<Live>);

/// One canned `503` in progress.
struct QuickRefusal(Arc<Live>);

impl Drop for QuickRefusal {
    fn drop(&mut self) {
        self.0.quick_refusing.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Reads a request head (at most [`QUICK_HEAD_MAX`] bytes) and answers it `503` with
/// `Retry-After` and `message`, then closes: no HTTP library, nothing kept.
async fn http1_refusal<I>(mut io: I, message: &str, retry_after: &str) -> std::io::Result<()>
where
    I: AsyncRead + AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut head = Vec::with_capacity(512);
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < QUICK_HEAD_MAX {
        let mut chunk = [0u8; 512];
        match io.read(&mut chunk).await? {
            0 => return Ok(()),
            n => head.extend_from_slice(&chunk[..n]),
        }
    }
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: {retry_after}\r\n\
         content-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\n\
         date: {}\r\nconnection: close\r\n\r\n{message}",
        message.len(),
        httpdate::fmt_http_date(std::time::SystemTime::now()),
    );
    io.write_all(response.as_bytes()).await?;
    io.shutdown().await
}

impl Drop for Refusal {
    fn drop(&mut self) {
        self.0.refusing.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Exponential backoff for accept errors that mean the process is out of something (file
/// descriptors, memory): retrying at once would spin until a connection closes.
struct Backoff(Duration);

impl Backoff {
    const FIRST: Duration = Duration::from_millis(10);
    const MAX: Duration = Duration::from_secs(1);

    fn next(&mut self) -> Duration {
        let wait = self.0;
        self.0 = (self.0 * 2).min(Self::MAX);
        wait
    }
}

/// Errors about one connection that the peer already gave up: accept the next one at once.
fn is_peer_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    )
}

/// Everything a connection task needs, shared.
struct Server {
    app: Router,
    local: SocketAddr,
    config: ConnConfig,
    tls: Option<tokio_rustls::TlsAcceptor>,
    /// The same certificate, offering only HTTP/1.1: a refusal over TLS is one response and a
    /// close. (Offered HTTP/2, a client keeps the connection open after its `503`, and each
    /// refusal held its place in the pool for the whole [`REFUSAL_TIME`].)
    refusal_tls: Option<tokio_rustls::TlsAcceptor>,
    http1: hyper::server::conn::http1::Builder,
    auto: hyper_util::server::conn::auto::Builder<TokioExecutor>,
    shutdown: Shutdown,
    /// The keep-alive sweeps of the direct streams.
    keep_alives: direct::KeepAlives,
}

/// Accepts connections on `listener` and serves `app` on them until `shutdown` fires; then stops
/// accepting, lets every connection finish (streams end on the same signal) and returns once they
/// are closed or [`ConnConfig::drain_timeout`] has passed.
pub async fn serve_connections<A: Accept>(
    listener: TcpListener,
    app: Router,
    config: ConnConfig,
    mut accept: A,
    mut shutdown: Shutdown,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let max = config
        .max_connections
        .unwrap_or_else(default_max_connections);
    let live = Arc::new(Live::default());
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let mut auto = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    auto.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    auto.http2()
        .timer(TokioTimer::new())
        // A dead peer behind a silent network is found by PING even between SSE keep-alives.
        .keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(20))
        .max_concurrent_streams(256);
    let server = Arc::new(Server {
        app,
        local,
        tls: config.tls.clone().map(tokio_rustls::TlsAcceptor::from),
        refusal_tls: config.tls.as_ref().map(|tls| {
            let mut http1_only = (**tls).clone();
            http1_only.alpn_protocols = vec![b"http/1.1".to_vec()];
            tokio_rustls::TlsAcceptor::from(Arc::new(http1_only))
        }),
        config,
        http1,
        auto,
        shutdown: shutdown.clone(),
        keep_alives: direct::KeepAlives::default(),
    });
    let mut bucket = server
        .config
        .max_connection_rate
        .map(|rate| rate::TokenBucket::new(rate, tokio::time::Instant::now()));
    let mut backoff = Backoff(Backoff::FIRST);
    loop {
        let (socket, peer) = tokio::select! {
            () = shutdown.wait() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => {
                    backoff = Backoff(Backoff::FIRST);
                    accepted
                }
                Err(error) if is_peer_error(&error) => continue,
                // Out of file descriptors or memory: wait for connections to close.
                Err(_) => {
                    let wait = backoff.next();
                    tokio::select! {
                        () = shutdown.wait() => break,
                        () = tokio::time::sleep(wait) => continue,
                    }
                }
            },
        };
        let _ = socket.set_nodelay(true);
        let io = accept.wrap(socket);
        let at_cap = live.open.load(Ordering::Acquire) >= max;
        // The cap first: a refused connection takes no token.
        let refused = if at_cap {
            Some(Refused::Cap)
        } else {
            bucket
                .as_mut()
                .and_then(|bucket| bucket.take(tokio::time::Instant::now()).err())
                .map(Refused::Rate)
        };
        let task = if refused.is_none() {
            live.open.fetch_add(1, Ordering::AcqRel);
            let slot = Slot(live.clone());
            // Two task types, not one future with both paths: a task is as large as its largest
            // state, and the TLS one (rustls, HTTP/2) would cost every plain connection kilobytes.
            match server.tls {
                None => tokio::spawn(lean::serve(server.clone(), io, peer, slot)),
                Some(_) => tokio::spawn(server.clone().tls(io, peer, slot)),
            }
        } else {
            let why = refused.unwrap_or(Refused::Cap);
            crate::metrics::refused(match why {
                Refused::Cap => crate::metrics::Refusal::Cap,
                Refused::Rate(_) => crate::metrics::Refusal::Rate,
            });
            match why {
                // Over the rate: a canned answer (after the handshake over TLS), cheap enough to
                // give every client of a storm its `Retry-After` (through hyper, the 64 refusals
                // in flight overflowed and most clients were closed without one).
                Refused::Rate(_)
                    if live.quick_refusing.fetch_add(1, Ordering::AcqRel) < MAX_QUICK_REFUSING =>
                {
                    let refusal = QuickRefusal(live.clone());
                    tokio::spawn(server.clone().refuse(io, refusal, why))
                }
                Refused::Rate(_) => {
                    live.quick_refusing.fetch_sub(1, Ordering::AcqRel);
                    continue;
                }
                _ if live.refusing.fetch_add(1, Ordering::AcqRel) < MAX_REFUSING => {
                    let refusal = Refusal(live.clone());
                    tokio::spawn(server.clone().refuse(io, refusal, why))
                }
                _ => {
                    // Refusals are at their own bound: close without an answer.
                    live.refusing.fetch_sub(1, Ordering::AcqRel);
                    continue;
                }
            }
        };
        accept.spawned(task.abort_handle());
    }
    drop(listener); // refuse new connections from here on
    let _ = tokio::time::timeout(server.config.drain_timeout, live.drained()).await;
    Ok(())
}

impl Server {
    /// A plain TCP connection: HTTP/1.1.
    async fn plain<I>(self: Arc<Self>, io: I, peer: SocketAddr, _slot: Slot)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let service = service(self.app.clone(), LocalAddr(self.local), peer, None);
        let connection = self
            .http1
            .serve_connection(TokioIo::new(io), service)
            .with_upgrades();
        let shutdown = self.shutdown.clone();
        drive(
            Box::pin(connection),
            |c| c.graceful_shutdown(),
            shutdown,
            None,
            &self,
        )
        .await;
    }

    /// A TLS connection: the handshake, then HTTP/2 or HTTP/1.1 as ALPN decided.
    async fn tls<I>(self: Arc<Self>, io: I, peer: SocketAddr, _slot: Slot)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let mut shutdown = self.shutdown.clone();
        let Some(acceptor) = &self.tls else {
            return;
        };
        let handshake = tokio::time::timeout(self.config.header_read_timeout, acceptor.accept(io));
        let tls = tokio::select! {
            () = shutdown.wait() => return,
            tls = handshake => match tls {
                Ok(Ok(tls)) => tls,
                _ => return, // too slow, or not TLS
            },
        };
        let activity = Arc::new(Activity::default());
        let service = service(
            self.app.clone(),
            LocalAddr(self.local),
            peer,
            Some(activity.clone()),
        );
        let connection = self
            .auto
            .serve_connection_with_upgrades(TokioIo::new(tls), service)
            .into_owned();
        drive(
            Box::pin(connection),
            |c| c.graceful_shutdown(),
            shutdown,
            Some(activity),
            &self,
        )
        .await;
    }

    /// Answers `503` with `Retry-After` to whatever the client asks, then closes, without hyper
    /// ([`http1_refusal`], within [`REFUSAL_TIME`]); over TLS after a handshake that offers only
    /// HTTP/1.1, within the header read timeout. `_refusal` holds the connection's place in its
    /// pool of refusals until then.
    async fn refuse<I, G>(self: Arc<Self>, io: I, _refusal: G, why: Refused)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
        G: Send + 'static,
    {
        let (message, retry_after) = match why {
            Refused::Cap => (
                "the server is at its connection limit; retry later\n",
                RETRY_AFTER.to_string(),
            ),
            Refused::Rate(wait) => (
                "the server is taking new connections slowly; retry later\n",
                rate::retry_after_secs(wait).to_string(),
            ),
        };
        let Some(acceptor) = &self.refusal_tls else {
            let answer = http1_refusal(io, message, &retry_after);
            let _ = tokio::time::timeout(REFUSAL_TIME, answer).await;
            return;
        };
        // The handshake gets what any connection's does: on a busy node (a storm) it takes
        // longer than the answer's short bound, and a refusal that times out tells nothing.
        let handshake = tokio::time::timeout(self.config.header_read_timeout, acceptor.accept(io));
        if let Ok(Ok(tls)) = handshake.await {
            let answer = http1_refusal(tls, message, &retry_after);
            let _ = tokio::time::timeout(REFUSAL_TIME, answer).await;
        }
    }
}

/// The app as a hyper service, with the peer and local addresses in every request.
fn service(
    app: Router,
    local: LocalAddr,
    peer: SocketAddr,
    activity: Option<Arc<Activity>>,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = Response<Body>,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<Response<Body>, std::convert::Infallible>> + Send,
> + Clone
+ Send
+ 'static {
    hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request.extensions_mut().insert(local);
        let busy = activity.as_ref().map(Activity::begin);
        let response = tower::ServiceExt::oneshot(app.clone(), request);
        async move {
            let response = response.await?;
            Ok(match busy {
                None => response,
                // The request counts as in flight until its body (a stream, maybe) is done.
                Some(busy) => response.map(|body| Body::new(Tracked { body, _busy: busy })),
            })
        }
    })
}

/// Runs a connection until it ends, or until shutdown or idleness; then shuts it down gracefully
/// (the response in progress finishes, nothing new starts), for at most the drain timeout.
///
/// The connection comes boxed: moved by value into this `async fn`, it would be stored twice in
/// the task (rustc keeps an `async fn`'s arguments apart from its locals): the load benchmark
/// measured 16.0 KiB per idle connection that way, 15.5 KiB boxed (15.4 KiB before this loop).
async fn drive<C, E>(
    mut connection: Pin<Box<C>>,
    graceful: fn(Pin<&mut C>),
    shutdown: Shutdown,
    activity: Option<Arc<Activity>>,
    server: &Server,
) where
    C: Future<Output = Result<(), E>>,
{
    let idle_timeout = server.config.idle_timeout;
    let idle = async {
        match &activity {
            Some(activity) => activity.idle_for(idle_timeout).await,
            None => std::future::pending().await,
        }
    };
    let mut idle = std::pin::pin!(idle);
    // Not `select!`: it would poll the shared shutdown signal's waiter on every wake-up, once per
    // event sent (see `ShutdownWatch`).
    let mut shutdown = ShutdownWatch::new(shutdown);
    let ended = std::future::poll_fn(|cx| {
        if connection.as_mut().poll(cx).is_ready() {
            return Poll::Ready(true); // a client that vanishes is not a server error
        }
        if shutdown.poll_down(cx).is_ready() {
            return Poll::Ready(false);
        }
        idle.as_mut().poll(cx).map(|()| false)
    })
    .await;
    if ended {
        return;
    }
    graceful(connection.as_mut());
    let _ = tokio::time::timeout(server.config.drain_timeout, connection).await;
}

/// Requests in flight on one connection, to find the ones that sit idle.
#[derive(Debug, Default)]
struct Activity {
    in_flight: AtomicUsize,
    /// Requests begun so far: tells an idle spell from a quick request inside it.
    begun: AtomicU64,
    became_idle: Notify,
}

/// One request in flight.
#[derive(Debug)]
struct Busy(Arc<Activity>);

impl Activity {
    fn begin(self: &Arc<Self>) -> Busy {
        self.begun.fetch_add(1, Ordering::AcqRel);
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        Busy(self.clone())
    }

    /// Resolves once no request has been in flight for `timeout`.
    async fn idle_for(&self, timeout: Duration) {
        loop {
            loop {
                let notified = self.became_idle.notified();
                let mut notified = std::pin::pin!(notified);
                notified.as_mut().enable();
                if self.in_flight.load(Ordering::Acquire) == 0 {
                    break;
                }
                notified.await;
            }
            let begun = self.begun.load(Ordering::Acquire);
            tokio::time::sleep(timeout).await;
            if self.in_flight.load(Ordering::Acquire) == 0
                && self.begun.load(Ordering::Acquire) == begun
            {
                return;
            }
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.became_idle.notify_waiters();
        }
    }
}

/// A response body that keeps its request counted as in flight until it is done or dropped.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_second() {
        let mut backoff = Backoff(Backoff::FIRST);
        let waits: Vec<u128> = (0..10).map(|_| backoff.next().as_millis()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
    }

    #[test]
    fn peer_errors_are_not_resource_errors() {
        use std::io::{Error, ErrorKind};
        assert!(is_peer_error(&Error::from(ErrorKind::ConnectionAborted)));
        // EMFILE ("Too many open files") is not the peer's doing: back off.
        assert!(!is_peer_error(&Error::from_raw_os_error(24)));
    }

    #[test]
    fn the_default_cap_leaves_a_reserve() {
        let (soft, _) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
        let cap = default_max_connections() as u64;
        assert!(cap >= 16 && (cap + FD_RESERVE <= soft || cap == 16));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_is_counted_from_the_last_request() {
        let activity = Arc::new(Activity::default());
        let busy = activity.begin();
        let idle = activity.idle_for(Duration::from_secs(5));
        let mut idle = std::pin::pin!(idle);
        // In flight for a minute: never idle.
        assert!(
            tokio::time::timeout(Duration::from_secs(60), idle.as_mut())
                .await
                .is_err()
        );
        drop(busy);
        let start = tokio::time::Instant::now();
        idle.await;
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }
}
