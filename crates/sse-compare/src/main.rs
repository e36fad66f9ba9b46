//! `cargo run --release -p sse-compare -- [--clients C] [--messages N] [--rate R] [--format md|json] [--svg FILE]`

use std::process::ExitCode;

use clap::Parser;

/// SSE vs WebSocket vs long polling vs polling, on one workload, measured.
#[derive(Debug, Parser)]
#[command(name = "sse-compare", version, about)]
struct Cli {
    #[command(flatten)]
    args: sse_compare::Args,
}

fn main() -> ExitCode {
    sse_compare::maybe_run_server();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match runtime.block_on(sse_compare::main_with(&cli.args)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sse-compare: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
