//! The workspace's shared test and benchmark harness, used only as a dev-dependency (never
//! published, never a normal dependency of a published crate).
//!
//! - [`process`]: resident memory (KiB) and CPU time (user and system) of a process, from `/proc`.
//! - [`reexec`]: a benchmark that runs its server in a child process, the same executable started
//!   again with a mode argument (`--server-mode`), so that the server's memory and CPU are its own.
//! - [`server`]: a server task on a free loopback port and its base URL.
//! - [`redis`]: a throwaway `redis-server` on a free loopback port ([`redis::LocalRedis`]).
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
