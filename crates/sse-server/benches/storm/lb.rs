//! The load balancer in front of the two nodes: TCP only, on a thread and runtime of its own (a
//! real one is a machine of its own; here it must at least not queue behind the clients' parsing).
//!
//! A new connection goes to node A while A accepts connections, else to node B: what a
//! health-checked balancer does once its check has seen A die, without the seconds a real
//! check takes (those would only add the same delay to both runs). A connection is spliced both
//! ways and cut, both sides, as soon as either side ends, so that A's death reaches its clients
//! at once as a closed stream.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running balancer; dropping its runtime (on [`Balancer::stop`]) closes every connection.
pub struct Balancer {
    /// Where clients connect.
    pub addr: SocketAddr,
    /// Connections sent to node B.
    pub to_b: Arc<AtomicUsize>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Balancer {
    /// Starts one in front of `a` (preferred) and `b`.
    pub fn start(a: SocketAddr, b: SocketAddr) -> Balancer {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (bound, addr) = std::sync::mpsc::channel();
        let to_b = Arc::new(AtomicUsize::new(0));
        let counter = to_b.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the balancer");
            runtime.block_on(async move {
                // The nodes' backlog: 5,000 clients arrive within a second.
                let listener = sse_server::conn::bind(
                    "127.0.0.1:0".parse().unwrap(),
                    sse_server::conn::DEFAULT_BACKLOG,
                )
                .expect("bind the balancer");
                bound.send(listener.local_addr().unwrap()).unwrap();
                let a_up = Arc::new(AtomicBool::new(true));
                let accept = async {
                    loop {
                        let Ok((client, _)) = listener.accept().await else {
                            continue;
                        };
                        let _ = client.set_nodelay(true);
                        tokio::spawn(splice(client, a, b, a_up.clone(), counter.clone()));
                    }
                };
                tokio::select! {
                    () = accept => {}
                    _ = stopped => {}
                }
            });
            // The runtime drops here with every splice task: all connections close.
        });
        Balancer {
            addr: addr.recv().expect("the balancer's address"),
            to_b,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Closes every connection and the listener.
    pub fn stop(mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Connects `client` to A if A accepts, else to B, and copies both ways until either ends.
async fn splice(
    client: TcpStream,
    a: SocketAddr,
    b: SocketAddr,
    a_up: Arc<AtomicBool>,
    to_b: Arc<AtomicUsize>,
) {
    let connect = |addr| tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(addr));
    let mut upstream = None;
    if a_up.load(Ordering::Relaxed) {
        match connect(a).await {
            Ok(Ok(socket)) => upstream = Some(socket),
            // A refused (its process is gone): it is out of the pool for good.
            _ => a_up.store(false, Ordering::Relaxed),
        }
    }
    if upstream.is_none()
        && let Ok(Ok(socket)) = connect(b).await
    {
        to_b.fetch_add(1, Ordering::Relaxed);
        upstream = Some(socket);
    }
    // No node: dropping the client's socket closes it, as a balancer with no backend does.
    let Some(upstream) = upstream else { return };
    let _ = upstream.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (upstream_read, upstream_write) = upstream.into_split();
    tokio::select! {
        () = pump(client_read, upstream_write) => {}
        () = pump(upstream_read, client_write) => {}
    }
}

/// Copies until end of stream or an error, with a small buffer: 10,000 of these are live at
/// once, and events are a few dozen bytes.
async fn pump(mut from: impl AsyncRead + Unpin, mut to: impl AsyncWrite + Unpin) {
    let mut buffer = [0u8; 2048];
    loop {
        match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if to.write_all(&buffer[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}
