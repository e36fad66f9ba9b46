//! A benchmark's server in its own process: the benchmark starts its own executable again with a
//! mode argument (by convention [`SERVER_MODE`]), the child prints one line (its address) on
//! stdout and serves until its stdin closes. Its memory and CPU time can then be read on their own
//! with [`crate::process`].
//!
//! ```no_run
//! use test_kit::reexec::{self, SERVER_MODE};
//!
//! # async fn bench() {
//! // In `main`: `if reexec::is_mode(SERVER_MODE) { return reexec::block_on_all_cores(serve()); }`
//! // where `serve` prints its address on stdout and serves until stdin closes.
//! let server = reexec::Child::spawn(SERVER_MODE, ["--fast"]).await;
//! let addr: std::net::SocketAddr = server.first_line().parse().unwrap();
//! println!("{addr}: {} KiB", test_kit::process::rss_kib(server.pid()));
//! server.stop().await;
//! # }
//! ```

use std::ffi::OsStr;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{ChildStdin, ChildStdout, Command};

/// The usual mode argument: run as the server.
pub const SERVER_MODE: &str = "--server-mode";

/// Whether this process was started with `mode` among its arguments.
pub fn is_mode(mode: &str) -> bool {
    std::env::args().any(|a| a == mode)
}

/// The arguments after `mode`, when this process was started with it.
pub fn mode_args(mode: &str) -> Option<Vec<String>> {
    let mut args = std::env::args().skip_while(|a| a != mode);
    args.next()?;
    Some(args.collect())
}

/// Runs `future` (the server, in its mode) on a multi-thread runtime: a worker thread per core, as
/// `sse serve` runs it.
pub fn block_on_all_cores<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a multi-thread runtime")
        .block_on(future)
}

/// Runs `future` (the benchmark's client side) on one thread, so that it takes at most one core
/// from the server.
pub fn block_on_one_thread<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}

/// This executable, started again with `mode` and `args`; killed on drop.
#[derive(Debug)]
pub struct Child {
    child: tokio::process::Child,
    pid: u32,
    first_line: String,
    /// The rest of its stdout, held open so that a later line does not fail on a closed pipe;
    /// read with [`Child::next_line`].
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Child {
    /// Starts this executable with `mode` then `args`, stdin and stdout piped, and waits (30 s
    /// at most, else panics) for the first line it prints. The rest of its stdout is read only by
    /// [`Child::next_line`].
    pub async fn spawn<I, S>(mode: &str, args: I) -> Child
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let exe = std::env::current_exe().expect("the current executable");
        let mut child = Command::new(exe)
            .arg(mode)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start this executable again");
        let pid = child.id().expect("a running child");
        let stdout = child.stdout.take().expect("a piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first_line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the child prints its first line within 30 s")
            .expect("the child's stdout")
            .expect("the child prints a line");
        Child {
            child,
            pid,
            first_line,
            stdout: lines,
        }
    }

    /// Its process id (for [`crate::process`]).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The first line it printed (by convention, its address).
    pub fn first_line(&self) -> &str {
        &self.first_line
    }

    /// The next line it prints after the first; `None` once its stdout is closed. Unbounded: wrap
    /// it in a timeout.
    pub async fn next_line(&mut self) -> Option<String> {
        self.stdout.next_line().await.ok().flatten()
    }

    /// Its stdin, until [`Child::stop`] closes it.
    pub fn stdin(&mut self) -> Option<&mut ChildStdin> {
        self.child.stdin.as_mut()
    }

    /// Closes its stdin (the signal to end) and waits 15 s at most for it to exit; it is killed
    /// when that runs out.
    pub async fn stop(mut self) {
        drop(self.child.stdin.take());
        let _ = tokio::time::timeout(Duration::from_secs(15), self.child.wait()).await;
    }
}
