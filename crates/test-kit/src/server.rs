//! A server on a free loopback port, for tests: [`spawn_router`] for an axum router that runs
//! until the test ends, [`Running`] for a server function that takes a shutdown signal.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A listener on `127.0.0.1:0` and its address.
pub async fn bind() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback listener");
    let addr = listener.local_addr().expect("its address");
    (listener, addr)
}

/// Serves `router` on a free loopback port, on a task that runs until the runtime ends; returns
/// its address.
pub async fn spawn_router(router: axum::Router) -> SocketAddr {
    let (listener, addr) = bind().await;
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// The shutdown signal handed to a server function: it completes when [`Running::stop`] is
/// called or the [`Running`] is dropped.
pub type Signal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A server on a free loopback port, on its own task, with a shutdown signal.
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// `http://` and the address.
    pub base: String,
    stop: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Binds `127.0.0.1:0` and spawns `serve(listener, signal)`, such as
    /// `sse_server::serve(listener, config, signal)`.
    pub async fn start<F, S>(serve: F) -> Running
    where
        F: FnOnce(TcpListener, Signal) -> S,
        S: Future<Output = std::io::Result<()>> + Send + 'static,
    {
        let (listener, addr) = bind().await;
        let (stop, mut stopped) = watch::channel(false);
        // Also ends when `stop` is dropped (an error: no sender left).
        let signal: Signal = Box::pin(async move {
            let _ = stopped.wait_for(|&stop| stop).await;
        });
        let task = tokio::spawn(serve(listener, signal));
        Running {
            addr,
            base: format!("http://{addr}"),
            stop,
            task,
        }
    }

    /// [`Running::start`] with an axum router and axum's graceful shutdown.
    pub async fn router(router: axum::Router) -> Running {
        Running::start(|listener, signal| {
            axum::serve(listener, router)
                .with_graceful_shutdown(signal)
                .into_future()
        })
        .await
    }

    /// Fires the shutdown signal without waiting for the end.
    pub fn signal_stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Fires the shutdown signal and waits (15 s at most) for the server to return; panics if it
    /// does not, or returns an error.
    pub async fn stop(self) {
        self.signal_stop();
        tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("the server returned after its signal")
            .expect("the server task")
            .expect("the server");
    }
}
