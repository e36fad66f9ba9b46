//! `sse listen URL`: print a live stream's events, reconnecting like a browser.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use sse_client::{EventSource, SourceEvent};

/// Options of `sse listen`.
#[derive(Debug, clap::Args)]
pub struct ListenArgs {
    /// The stream's URL.
    url: String,
    /// Print one JSON object per event, as `sse parse --json` does.
    #[arg(long)]
    json: bool,
    /// Resume after this event id (sent as Last-Event-ID).
    #[arg(long, value_name = "ID")]
    last_event_id: Option<String>,
    /// Extra request header, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Give up after this many consecutive failed attempts (default: keep trying).
    #[arg(long, value_name = "N")]
    max_retries: Option<u32>,
    /// Reconnect when nothing (not even a keep-alive) arrives for this many seconds (0: never).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    idle_timeout: u64,
    /// Refuse events (and lines) larger than this many bytes: the event is skipped with a message
    /// and reading goes on (default 128 MiB).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    max_event_size: Option<u64>,
    /// Exit after this many events.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Also trust the certificates in this PEM file (a private CA, or the one `sse serve
    /// --tls-self-signed` prints).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<std::path::PathBuf>,
}

/// Runs `sse listen`. Exits 0 when the server ends the stream for good (204) or after `--count`
/// events, 1 on a fatal error.
pub async fn run(args: &ListenArgs) -> Result<ExitCode> {
    let idle = (args.idle_timeout > 0).then(|| Duration::from_secs(args.idle_timeout));
    let mut builder = EventSource::builder(&args.url).idle_timeout(idle);
    if let Some(bytes) = args.max_event_size {
        builder = builder.limits(crate::output::parse_limits(bytes));
    }
    for header in &args.headers {
        let (name, value) = crate::output::parse_header(header)?;
        builder = builder.header(name, value);
    }
    if let Some(id) = &args.last_event_id {
        builder = builder.last_event_id(id);
    }
    if let Some(max) = args.max_retries {
        builder = builder.max_retries(max);
    }
    if let Some(path) = &args.ca_file {
        builder = crate::output::trust_ca_file(builder, path)?;
    }
    let mut source = builder.build()?;
    let mut out = io::stdout().lock();
    let mut received = 0u64;
    while let Some(item) = source.next().await {
        match item {
            Ok(SourceEvent::Open) => eprintln!(
                "sse listen: connected to {}",
                sse_client::redirect::redact(source.url())
            ),
            Ok(SourceEvent::Message(event)) => {
                crate::output::write_event(&mut out, &event, args.json)
                    .context("writing to stdout")?;
                out.flush().context("writing to stdout")?;
                received += 1;
                if args.count.is_some_and(|n| received >= n) {
                    return Ok(ExitCode::SUCCESS);
                }
            }
            Ok(SourceEvent::Retrying {
                delay,
                attempt,
                cause,
            }) => {
                let resume = match source.last_event_id() {
                    "" => String::new(),
                    id => format!(
                        " with Last-Event-ID \"{}\"",
                        crate::output::escape_controls(id)
                    ),
                };
                eprintln!(
                    "sse listen: {cause}; reconnecting in {delay:.1?}{resume} (attempt {attempt})"
                );
            }
            Ok(_) => {}
            Err(sse_client::Error::Parse(error)) => {
                eprintln!("sse listen: skipped an event: {error}")
            }
            Err(error) => {
                eprintln!("sse listen: {error}");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    eprintln!("sse listen: the server closed the stream for good (204 No Content)");
    Ok(ExitCode::SUCCESS)
}
