//! The `sse` command: tools for Server-Sent Events.
//!
//! ```text
//! sse parse [--json] [--chunk-size N]          parse a raw event stream from stdin
//! sse listen URL [--json] [--last-event-id ID] print a live stream, reconnecting like a browser
//! sse chat [--provider P] [--base-url URL] PROMPT
//!                                              stream an AI answer token by token
//! sse serve [--addr 127.0.0.1:3000]            the demo server: page, streams, mock AI APIs
//! sse compare [--clients C] [--messages N]     SSE vs WebSocket vs long polling vs polling, measured
//! sse record URL -o FILE [-H ..] [--json BODY]  record a stream: chunks, timing, headers, reconnects
//! sse replay FILE [--addr A] [--no-delay] [--cut-after-events N] [--status 429]
//!                                              serve a recording again, with faults on request
//! sse proxy --upstream URL [--addr A] [-o FILE] a reverse proxy that prints each event passing
//! ```

use std::process::ExitCode;

use clap::{Parser as ClapParser, Subcommand};

mod chat;
mod listen;
mod output;
mod parse;
mod record;
mod serve;

/// Tools for Server-Sent Events (text/event-stream).
#[derive(Debug, ClapParser)]
#[command(name = "sse", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse a raw event stream from stdin and print the events.
    Parse(parse::ParseArgs),
    /// Connect to a stream and print its events as they arrive, reconnecting like a browser.
    Listen(listen::ListenArgs),
    /// Stream an AI answer (OpenAI or Anthropic format) to stdout, token by token.
    Chat(chat::ChatArgs),
    /// Run the demo server: a browser page, live streams and mock OpenAI/Anthropic endpoints.
    Serve(Box<serve::ServeArgs>),
    /// Measure one workload over SSE, WebSocket, long polling and polling, on loopback.
    Compare(sse_compare::Args),
    /// Record a stream as it comes over the wire (chunks, timing, headers, reconnections).
    Record(record::RecordArgs),
    /// Serve a recording as an HTTP endpoint, with its chunks and pacing, and faults on request.
    Replay(record::ReplayArgs),
    /// A local reverse proxy that prints (and can record) every event an app receives.
    Proxy(record::ProxyArgs),
}

fn main() -> ExitCode {
    // `sse compare` runs its measured server as a child process of this same executable.
    sse_compare::maybe_run_server();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Listen(args) => runtime().and_then(|rt| rt.block_on(listen::run(&args))),
        Command::Chat(args) => runtime().and_then(|rt| rt.block_on(chat::run(&args))),
        Command::Serve(args) => runtime().and_then(|rt| rt.block_on(serve::run(&args))),
        Command::Record(args) => runtime().and_then(|rt| rt.block_on(record::record(&args))),
        Command::Replay(args) => runtime().and_then(|rt| rt.block_on(record::replay(&args))),
        Command::Proxy(args) => runtime().and_then(|rt| rt.block_on(record::proxy(&args))),
        Command::Compare(args) => {
            runtime().and_then(|rt| rt.block_on(sse_compare::main_with(&args)))
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sse: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The async runtime for the network commands (`parse` needs none).
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
