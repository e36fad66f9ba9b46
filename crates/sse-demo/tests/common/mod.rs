//! What the demo's test files share: `sse serve` in miniature (the library with the demo mounted,
//! on loopback) and a bound on every wait.
#![allow(dead_code)] // each test file uses its own part of it

use std::time::Duration;

use sse_demo::DemoConfig;
use sse_server::Config;

/// A running server; [`Running::stop`] shuts it down and waits (bounded) for the end.
pub struct Running {
    pub base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// `sse serve` in miniature: `sse_server::serve_with` with `sse_demo::mount`, on `127.0.0.1:0`.
pub async fn start(config: Config, demo: DemoConfig) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = async {
        let _ = stopped.await;
    };
    let task = tokio::spawn(sse_server::serve_with(
        listener,
        config,
        signal,
        sse_demo::mount(demo),
    ));
    Running { base, stop, task }
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        within(self.task).await.unwrap().unwrap();
    }
}

/// No pacing, no demo channels: the mock answers at once.
pub fn quick() -> (Config, DemoConfig) {
    let mut demo = DemoConfig {
        demo_channels: false,
        ..DemoConfig::default()
    };
    demo.mock.token_delay = Duration::ZERO;
    (Config::default(), demo)
}

/// `future`, or a panic after 20 s: no test waits forever.
pub async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("timed out")
}
