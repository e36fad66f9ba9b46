//! `sse record URL -o FILE` and `sse replay FILE --addr ADDR`: capture a stream as it came over
//! the wire (chunks, timing, status, headers, every reconnection), and serve it again.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use sse_record::{FaultStatus, RecordOptions, Recording, ReplayConfig};

/// Options of `sse record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The stream's URL.
    url: String,
    /// The file to write (JSON Lines; see the sse-record crate for the format).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: std::path::PathBuf,
    /// Extra request header, `Name: value` (repeatable). Secrets (Authorization, cookies, API
    /// keys) are sent but recorded as `[redacted]`.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// POST this JSON body (as `sse chat` does; a POST does not reconnect).
    #[arg(long, value_name = "JSON")]
    json: Option<String>,
    /// Stop after this many events.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    duration: Option<f64>,
    /// Stop after this many connections.
    #[arg(long, value_name = "N")]
    max_connections: Option<u32>,
}

/// Runs `sse record` until its stop condition, the end of the stream, or Ctrl-C.
pub async fn record(args: &RecordArgs) -> Result<ExitCode> {
    let mut options = RecordOptions::default();
    for header in &args.headers {
        let (name, value) = crate::output::parse_header(header)?;
        options = options.with_header(name, value);
    }
    if let Some(json) = &args.json {
        let body: serde_json::Value =
            serde_json::from_str(json).context("--json is not valid JSON")?;
        options = options.with_json_body(&body);
    }
    if let Some(count) = args.count {
        options = options.with_count(count);
    }
    if let Some(seconds) = args.duration {
        let duration = Duration::try_from_secs_f64(seconds)
            .with_context(|| format!("--duration {seconds} is not a number of seconds"))?;
        options = options.with_duration(duration);
    }
    if let Some(max) = args.max_connections {
        options = options.with_max_connections(max);
    }
    let file = std::fs::File::create(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let summary = sse_record::record(&args.url, &options, &mut out, stop).await?;
    eprintln!(
        "sse record: {} event(s), {} byte(s), {} connection(s) written to {} ({})",
        summary.events,
        summary.bytes,
        summary.connections,
        args.output.display(),
        summary.ended
    );
    Ok(ExitCode::SUCCESS)
}

/// Options of `sse replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// A recording made by `sse record`.
    file: std::path::PathBuf,
    /// The address to serve on.
    #[arg(long, default_value = "127.0.0.1:3001")]
    addr: std::net::SocketAddr,
    /// Replay this many times faster than recorded.
    #[arg(long, default_value_t = 1.0, conflicts_with = "no_delay")]
    speed: f64,
    /// Send every chunk at once, without the recorded pauses.
    #[arg(long)]
    no_delay: bool,
    /// Cut each connection after this many body bytes.
    #[arg(long, value_name = "BYTES")]
    cut_after_bytes: Option<u64>,
    /// Cut each connection right after this many events.
    #[arg(long, value_name = "N")]
    cut_after_events: Option<u64>,
    /// Answer the first request(s) with this status instead (429, 503, ...).
    #[arg(long, value_name = "CODE")]
    status: Option<u16>,
    /// With --status: how many requests get it.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "status")]
    status_times: u64,
    /// With --status: the Retry-After to send, in seconds.
    #[arg(long, value_name = "SECONDS", requires = "status")]
    retry_after: Option<u64>,
}

/// Runs `sse replay` until Ctrl-C.
pub async fn replay(args: &ReplayArgs) -> Result<ExitCode> {
    let recording = Recording::from_file(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let mut config =
        ReplayConfig::default().with_speed(if args.no_delay { 0.0 } else { args.speed });
    if let Some(bytes) = args.cut_after_bytes {
        config = config.with_cut_after_bytes(bytes);
    }
    if let Some(events) = args.cut_after_events {
        config = config.with_cut_after_events(events);
    }
    if let Some(code) = args.status {
        let status = axum::http::StatusCode::from_u16(code)
            .ok()
            .filter(|s| s.is_client_error() || s.is_server_error())
            .with_context(|| format!("--status {code} is not an error status (400-599)"))?;
        config = config.with_fault_status(FaultStatus {
            status,
            retry_after: args.retry_after.map(Duration::from_secs),
            times: args.status_times,
        });
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("binding {}", args.addr))?;
    eprintln!(
        "sse replay: serving {} ({} lines) on http://{} (any path); Ctrl-C stops",
        args.file.display(),
        recording.lines.len(),
        listener.local_addr()?
    );
    axum::serve(listener, sse_record::router(&recording, config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}

/// Options of `sse proxy`.
#[derive(Debug, clap::Args)]
pub struct ProxyArgs {
    /// Where requests go, such as `https://api.openai.com/v1`: each request's path and query are
    /// appended to it. Point the app's base URL at this proxy instead.
    #[arg(long, value_name = "URL")]
    upstream: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:3002")]
    addr: std::net::SocketAddr,
    /// Print one JSON object per event (with its connection number) instead of the text form.
    #[arg(long)]
    json: bool,
    /// Also record everything that passes into this file (as `sse record` does).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Connections in flight at once; more get a 503.
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_connections: usize,
    /// The largest request body forwarded, in bytes; larger ones get a 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    max_request_body: usize,
}

/// Runs `sse proxy` until Ctrl-C.
pub async fn proxy(args: &ProxyArgs) -> Result<ExitCode> {
    let upstream: url::Url = args
        .upstream
        .parse()
        .with_context(|| format!("--upstream {:?} is not a URL", args.upstream))?;
    if !matches!(upstream.scheme(), "http" | "https") {
        bail!("--upstream must be an http:// or https:// URL");
    }
    let json = args.json;
    let mut config = sse_record::ProxyConfig::new(upstream.clone())
        .with_max_connections(args.max_connections.max(1))
        .with_max_request_body(args.max_request_body)
        .with_on_event(std::sync::Arc::new(move |conn, event| {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let written = if json {
                let line = serde_json::json!({
                    "conn": conn,
                    "event": event.event_type(),
                    "data": event.data(),
                    "id": event.last_event_id(),
                });
                writeln!(out, "{line}")
            } else {
                write!(out, "[{conn}] ")
                    .and_then(|()| crate::output::write_event(&mut out, event, false))
            };
            // stdout closed (a pipe into `head`): the proxy still forwards.
            let _ = written.and_then(|()| out.flush());
        }));
    if let Some(path) = &args.output {
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        config = config
            .with_recording(Box::new(std::io::BufWriter::new(file)))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let app = sse_record::proxy::router(config).context("building the HTTP client")?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("binding {}", args.addr))?;
    eprintln!(
        "sse proxy: http://{} -> {}; Ctrl-C stops",
        listener.local_addr()?,
        sse_client::redirect::redact(&upstream)
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}
