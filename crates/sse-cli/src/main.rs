//! The `sse` command: tools for Server-Sent Events.
//!
//! ```text
//! sse parse [--json] [--chunk-size N]     parse a raw event stream from stdin
//! ```
//!
//! Later chapters add `listen`, `serve`, `chat` and `compare`.

use std::process::ExitCode;

use clap::{Parser as ClapParser, Subcommand};

mod parse;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sse: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
