//! `sse serve`: the demo server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use sse_server::Config;

/// Options of `sse serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// The rendered book to serve at /book/ (built by `mdbook build book`).
    #[arg(long, value_name = "DIR", default_value = "book/book")]
    book_dir: PathBuf,
    /// Require this bearer token (or cookie `sse_token`) on /events and /publish.
    #[arg(long, value_name = "TOKEN", env = "SSE_TOKEN")]
    token: Option<String>,
    /// Allow these origins by CORS (repeatable; `*` for any).
    #[arg(long = "cors", value_name = "ORIGIN")]
    cors: Vec<String>,
    /// Pause between tokens of the mock AI answers, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 40)]
    token_delay_ms: u64,
    /// The `retry:` sent to clients, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    retry_ms: u64,
    /// Seconds of quiet before a keep-alive comment.
    #[arg(long, value_name = "SECONDS", default_value_t = 15)]
    keep_alive: u64,
}

/// Runs until Ctrl-C or SIGTERM.
pub async fn run(args: &ServeArgs) -> Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let addr = listener.local_addr()?;
    let mut config = Config {
        auth_token: args.token.clone(),
        cors_origins: args.cors.clone(),
        book_dir: Some(args.book_dir.clone()),
        ..Config::default()
    };
    config.mock.token_delay = Duration::from_millis(args.token_delay_ms);
    config.sse.retry = Duration::from_millis(args.retry_ms);
    config.sse.keep_alive = Duration::from_secs(args.keep_alive.max(1));
    let base = format!("http://{addr}");
    println!("sse serve: listening on {base}");
    println!("  demo page        {base}/");
    if args.book_dir.join("index.html").exists() {
        println!("  course book      {base}/book/");
    } else {
        println!("  course book      (not built: run `mdbook build book`, then restart)");
    }
    println!("  streams          {base}/events/clock  {base}/events/counter  {base}/events/<name>");
    println!(
        "  publish          curl -d '{{\"data\":\"hi\"}}' -H 'content-type: application/json' {base}/publish/<name>"
    );
    println!("  mock OpenAI      {base}/v1/chat/completions  {base}/v1/responses");
    println!("  mock Anthropic   {base}/v1/messages");
    println!("  try              sse listen {base}/events/clock");
    println!("                   sse chat --base-url {base} \"What is SSE?\"");
    if args.token.is_some() {
        println!(
            "  auth             /events and /publish need 'Authorization: Bearer <token>' or cookie sse_token"
        );
    }
    sse_server::serve(listener, config, sse_server::shutdown_signal()).await?;
    eprintln!("sse serve: shut down cleanly");
    Ok(ExitCode::SUCCESS)
}
