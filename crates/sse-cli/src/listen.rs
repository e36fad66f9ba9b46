//! `sse listen URL`: print a live stream's events, reconnecting like a browser.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
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
    /// Send the token in this file (`Authorization: Bearer`), and read the file again for a new
    /// one when the server answers 401 or ends the stream because the token expired (another
    /// process keeps it fresh). Without this or --token-command, a 401 stops `sse listen`.
    #[arg(long, value_name = "FILE", conflicts_with = "token_command")]
    token_file: Option<PathBuf>,
    /// Like --token-file, with the standard output of this shell command as the token.
    #[arg(long, value_name = "COMMAND")]
    token_command: Option<String>,
}

/// Longest token read from a file or a command.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// A token from `reader`, trimmed; the error never shows the token.
fn read_token(reader: impl Read, from: &str) -> Result<String, String> {
    let mut text = String::new();
    reader
        .take(MAX_TOKEN_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("reading the token from {from}: {e}"))?;
    if text.len() as u64 > MAX_TOKEN_BYTES {
        return Err(format!(
            "the token from {from} is over {MAX_TOKEN_BYTES} bytes"
        ));
    }
    let token = text.trim();
    if token.is_empty() {
        return Err(format!("{from} gave no token"));
    }
    Ok(token.to_owned())
}

fn token_from_file(path: &Path) -> Result<String, String> {
    let from = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("opening {from}: {e}"))?;
    read_token(file, &from)
}

fn token_from_command(command: &str) -> Result<String, String> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("running --token-command: {e}"))?;
    if !output.status.success() {
        return Err(format!("--token-command failed ({})", output.status));
    }
    read_token(&output.stdout[..], "--token-command")
}

/// What to tell the user after an error that more retries cannot fix.
fn auth_hint(error: &sse_client::Error, can_refresh: bool) -> Option<&'static str> {
    match (error, error.status().map(|s| s.as_u16())) {
        (_, Some(401)) if can_refresh => Some(
            "the new token was refused too, so sse listen stops rather than retry it: check what \
             --token-file or --token-command gives",
        ),
        (_, Some(401)) => Some(
            "the server refused the token (401); retrying the same token cannot work, so sse \
             listen stops. Pass a valid one, or --token-file FILE / --token-command CMD to fetch \
             a new one whenever it expires",
        ),
        (_, Some(403)) => Some("the token is valid but does not grant this channel (403)"),
        (sse_client::Error::TokenExpired, _) => Some(
            "pass --token-file FILE or --token-command CMD so that sse listen can fetch a new \
             token and resume where it stopped",
        ),
        _ => None,
    }
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
    // Read in a blocking task: a command may take a while (a login), and the file may be on a
    // slow disk.
    if let Some(path) = args.token_file.clone() {
        builder = builder.token_refresher(move || {
            let path = path.clone();
            async move {
                tokio::task::spawn_blocking(move || token_from_file(&path))
                    .await
                    .map_err(|e| e.to_string())?
            }
        });
    } else if let Some(command) = args.token_command.clone() {
        builder = builder.token_refresher(move || {
            let command = command.clone();
            async move {
                tokio::task::spawn_blocking(move || token_from_command(&command))
                    .await
                    .map_err(|e| e.to_string())?
            }
        });
    }
    let can_refresh = args.token_file.is_some() || args.token_command.is_some();
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
                if let Some(hint) = auth_hint(&error, can_refresh) {
                    eprintln!("sse listen: {hint}");
                }
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    eprintln!("sse listen: the server closed the stream for good (204 No Content)");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_trimmed_and_bounded() {
        assert_eq!(
            read_token(&b"  abc.def.ghi\n"[..], "f").unwrap(),
            "abc.def.ghi"
        );
        assert!(
            read_token(&b" \n"[..], "f")
                .unwrap_err()
                .contains("no token")
        );
        let huge = vec![b'a'; 64 * 1024 + 1];
        let error = read_token(&huge[..], "f").unwrap_err();
        assert!(error.contains("over 65536 bytes"), "{error}");
        assert!(!error.contains("aaaa"), "the token is never shown");
    }

    #[test]
    fn a_token_command_gives_its_output() {
        assert_eq!(token_from_command("echo tok").unwrap(), "tok");
        assert!(token_from_command("exit 3").unwrap_err().contains("failed"));
    }
}
