//! What the demo's test files share: `sse serve` in miniature (the library with the demo mounted,
//! on loopback) and a bound on every wait.
#![allow(dead_code)] // each test file uses its own part of it

use std::time::Duration;

use sse_demo::DemoConfig;
use sse_server::Config;

/// A running server; [`Running::stop`] shuts it down and waits (bounded) for the end.
pub use test_kit::server::Running;

/// `sse serve` in miniature: `sse_server::serve_with` with `sse_demo::mount`, on `127.0.0.1:0`.
pub async fn start(config: Config, demo: DemoConfig) -> Running {
    Running::start(|listener, signal| {
        sse_server::serve_with(listener, config, signal, sse_demo::mount(demo))
    })
    .await
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
