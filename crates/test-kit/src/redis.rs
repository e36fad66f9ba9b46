//! A throwaway `redis-server` for tests and benchmarks: started on a free loopback port with
//! persistence off, in a temporary directory, and killed on drop.
//!
//! ```no_run
//! # async fn demo() {
//! // `None` (and one line on stderr) when `redis-server` is not installed and `CI` is unset.
//! let Some(redis) = test_kit::redis::LocalRedis::start_or_skip().await else { return };
//! println!("{}", redis.url());
//! # }
//! ```

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

/// A running `redis-server`, stopped on drop.
#[derive(Debug)]
pub struct LocalRedis {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

/// Whether `redis-server` is on the `PATH`.
pub fn installed() -> bool {
    std::process::Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl LocalRedis {
    /// Starts one, or returns `None` after printing one line naming the Debian package when it
    /// is not installed; with `CI` set, a missing `redis-server` panics instead (CI must run the
    /// Redis tests, not skip them).
    pub async fn start_or_skip() -> Option<LocalRedis> {
        if !installed() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install Debian's redis-server for the Redis tests"
            );
            eprintln!(
                "skipping: no redis-server (install Debian's `redis-server` package to run this test)"
            );
            return None;
        }
        Some(LocalRedis::start().await)
    }

    /// Starts one on a free loopback port. Panics if it does not answer within 10 s.
    pub async fn start() -> LocalRedis {
        let port = crate::free_port();
        let dir = std::env::temp_dir().join(format!("sse-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut redis = LocalRedis {
            port,
            dir,
            child: None,
        };
        redis.restart().await;
        redis
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its process id while it runs (for [`crate::process`]).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(|c| c.id())
    }

    /// Kills it (SIGKILL: nothing is saved, as with persistence off anyway).
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// Kills it if running, and starts a new, empty one on the same port.
    pub async fn restart(&mut self) {
        self.kill().await;
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        // Wait until it answers PING.
        let client = redis::Client::open(self.url()).expect("a valid URL");
        for _ in 0..200 {
            if let Ok(mut connection) = client.get_multiplexed_async_connection().await {
                let pong: redis::RedisResult<String> =
                    redis::cmd("PING").query_async(&mut connection).await;
                if pong.is_ok() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not answer on port {}", self.port);
    }

    /// Sends one command and returns its answer (for `CLIENT PAUSE`, `XTRIM`, `DEL` in tests).
    pub async fn command(&self, args: &[&str]) -> redis::RedisResult<redis::Value> {
        let client = redis::Client::open(self.url())?;
        // A benchmark asks while the machine is saturated: the client's default response
        // timeout (half a second) is too short there, and the test's own bound is what counts.
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(std::time::Duration::from_secs(10)))
            .set_response_timeout(Some(std::time::Duration::from_secs(10)));
        let mut connection = client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let mut command = redis::cmd(args[0]);
        for arg in &args[1..] {
            command.arg(*arg);
        }
        command.query_async(&mut connection).await
    }
}

impl Drop for LocalRedis {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
