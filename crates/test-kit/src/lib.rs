//! The workspace's shared test and benchmark harness, used only as a dev-dependency (never
//! published, never a normal dependency of a published crate).
//!
//! - [`process`]: resident memory (KiB) and CPU time (user and system) of a process, from `/proc`.
//! - [`reexec`]: a benchmark that runs its server in a child process, the same executable started
//!   again with a mode argument (`--server-mode`), so that the server's memory and CPU are its own.
//! - [`server`]: a server task on a free loopback port and its base URL.
//! - [`redis`]: a throwaway `redis-server` on a free loopback port ([`redis::LocalRedis`]).
//! - [`prometheus`]: `promtool check metrics`, and a throwaway `prometheus` that scrapes a target.
//!
//! ```no_run
//! # async fn demo() {
//! // A router on 127.0.0.1:0, served until the test's runtime ends.
//! let addr = test_kit::server::spawn_router(axum::Router::new()).await;
//! println!("http://{addr}");
//! // This process's resident memory, in KiB.
//! println!("{} KiB", test_kit::process::own_rss_kib());
//! // A `redis-server`, or `None` when it is not installed (and `CI` is unset).
//! if let Some(redis) = test_kit::redis::LocalRedis::start_or_skip().await {
//!     println!("{}", redis.url());
//! }
//! # }
//! ```

pub mod process;
pub mod prometheus;
pub mod redis;
pub mod reexec;
pub mod server;

/// A free TCP port on 127.0.0.1 (bound, read and released: another process may take it before
/// the caller binds it, which on a test machine does not happen in practice).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// The status of `GET path` on `addr` over plain HTTP/1.0, or `None` when it cannot be had within
/// 2 s (a readiness probe without an HTTP client).
pub async fn http_get_status(addr: std::net::SocketAddr, path: &str) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let probe = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut head = [0u8; 64];
        let mut len = 0;
        while len < 12 {
            let n = stream.read(&mut head[len..]).await.ok()?;
            if n == 0 {
                break;
            }
            len += n;
        }
        // "HTTP/1.1 200 ..."
        std::str::from_utf8(head.get(9..12)?).ok()?.parse().ok()
    };
    tokio::time::timeout(std::time::Duration::from_secs(2), probe)
        .await
        .ok()
        .flatten()
}
