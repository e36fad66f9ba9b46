//! # sse-compare
//!
//! One publish/subscribe workload (C clients, N messages at a rate, a payload size) over four
//! transports, on loopback, measured: Server-Sent Events (`sse-server` + `sse-client`),
//! WebSocket (`sse-ws`), long polling with a cursor and plain polling (`sse-longpoll`). For each:
//! delivery latency (p50, p95, p99, max), bytes on the wire per delivered message in each direction
//! (counted at the server's sockets, HTTP heads and framing included), HTTP requests and TCP
//! connections, messages lost or duplicated, server CPU time, and what a dropped connection costs.
//!
//! The server runs in a child process (this same executable, started with
//! [`SERVER_ENV`] set), so that its CPU time and sockets are measured alone.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let workload = sse_compare::Workload { clients: 20, messages: 200, rate: 100.0, payload: 64, poll_interval_ms: 250, drop_test: true };
//! let results = sse_compare::run(&workload, &sse_compare::all_transports(250), false).await?;
//! println!("{}", sse_compare::report::markdown(&workload, &results));
//! # Ok(()) }
//! ```
//! A program using it must call [`maybe_run_server`] first thing in `main`.

pub mod report;
pub mod runner;
pub mod server;
pub mod transport;

use std::process::ExitCode;
use std::time::Duration;

pub use runner::{Run, TransportResult, Workload, run};
use transport::Transport;

/// Set in the environment of the child process that runs the measured server.
pub const SERVER_ENV: &str = "SSE_COMPARE_SERVER";

/// In the child process, runs the measured server and exits; otherwise returns.
pub fn maybe_run_server() {
    if std::env::var_os(SERVER_ENV).is_some() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let code = match runtime.block_on(server::run()) {
            Ok(()) => 0,
            Err(error) => {
                eprintln!("sse-compare server: {error:#}");
                1
            }
        };
        std::process::exit(code);
    }
}

/// The four transports, polling at `poll_interval_ms`.
pub fn all_transports(poll_interval_ms: u64) -> Vec<Box<dyn Transport>> {
    vec![
        Box::new(transport::Sse),
        Box::new(transport::WebSocket),
        Box::new(transport::LongPolling),
        Box::new(transport::Polling {
            interval: Duration::from_millis(poll_interval_ms),
        }),
    ]
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The Markdown table.
    Md,
    /// One JSON document with every figure.
    Json,
}

/// Options of `sse compare` and of the `sse-compare` program.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Concurrent clients per transport.
    #[arg(long, default_value_t = 50)]
    pub clients: usize,
    /// Messages per run.
    #[arg(long, default_value_t = 300)]
    pub messages: usize,
    /// Messages per second.
    #[arg(long, default_value_t = 100.0)]
    pub rate: f64,
    /// Payload bytes per message.
    #[arg(long, default_value_t = 64)]
    pub payload: usize,
    /// Interval of the plain-polling clients, in milliseconds.
    #[arg(long, default_value_t = 250)]
    pub poll_interval_ms: u64,
    /// Skip the run with dropped connections.
    #[arg(long)]
    pub no_drop: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Also write the latency chart as SVG to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<std::path::PathBuf>,
}

/// Runs the comparison as the command line asks and prints the result.
pub async fn main_with(args: &Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.clients >= 1 && args.messages >= 1,
        "--clients and --messages must be at least 1"
    );
    anyhow::ensure!(
        args.clients <= 2000,
        "--clients is limited to 2000 (each needs sockets on loopback)"
    );
    anyhow::ensure!(
        args.rate > 0.0 && args.rate <= 10_000.0,
        "--rate must be in (0, 10000]"
    );
    let workload = Workload {
        clients: args.clients,
        messages: args.messages,
        rate: args.rate,
        payload: args.payload.max(20),
        poll_interval_ms: args.poll_interval_ms.max(10),
        drop_test: !args.no_drop,
    };
    let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let results = run(
        &workload,
        &all_transports(workload.poll_interval_ms),
        progress,
    )
    .await?;
    match args.format {
        Format::Md => print!("{}", report::markdown(&workload, &results)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report::json(&workload, &results))?
        ),
    }
    if let Some(path) = &args.svg {
        std::fs::write(path, report::svg(&results))?;
    }
    Ok(ExitCode::SUCCESS)
}
