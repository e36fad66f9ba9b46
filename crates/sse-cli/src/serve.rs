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
    /// Share the hub with other nodes through this Redis (Streams; Redis 6.2 or later), e.g.
    /// redis://127.0.0.1:6379. Without it, the hub is in this process's memory.
    #[arg(long, value_name = "URL", env = "SSE_REDIS_URL")]
    redis: Option<String>,
    /// Prefix of the stream keys in Redis.
    #[arg(long, value_name = "PREFIX", default_value = "sse:")]
    redis_prefix: String,
    /// This node's name, in /health and the x-sse-node header (default: hostname-pid).
    #[arg(long, value_name = "NAME", env = "SSE_NODE_NAME")]
    node_name: Option<String>,
    /// Do not publish the demo channels `clock` and `counter` (with several nodes on one Redis,
    /// let one node publish them).
    #[arg(long)]
    no_demo_channels: bool,
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
    if let Some(name) = &args.node_name {
        config.node_name = name.clone();
    }
    config.demo_channels = !args.no_demo_channels;
    if let Some(url) = &args.redis {
        let mut redis = sse_server::hub::redis::RedisConfig::new(url.clone());
        redis.prefix = args.redis_prefix.clone();
        // The URL may carry a password: it is never printed.
        config.shared_hub = Some(
            sse_server::hub::Hub::redis(config.hub, redis)
                .context("--redis: not a valid Redis URL")?,
        );
    }
    config.mock.token_delay = Duration::from_millis(args.token_delay_ms);
    config.sse.retry = Duration::from_millis(args.retry_ms);
    config.sse.keep_alive = Duration::from_secs(args.keep_alive.max(1));
    let base = format!("http://{addr}");
    println!("sse serve: listening on {base}");
    let hub = if args.redis.is_some() {
        format!(
            "Redis (keys {}<channel>), shared with every node on it",
            args.redis_prefix
        )
    } else {
        "in memory".to_owned()
    };
    println!("  node             {} (hub {hub})", config.node_name);
    println!("  health           {base}/health");
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
