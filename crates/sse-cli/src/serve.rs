//! `sse serve`: the demo server, `sse-server` with `sse-demo` mounted on it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use sse_demo::DemoConfig;
use sse_server::Config;
use sse_server::jwt::{JwtAlgorithm, JwtConfig};

/// Options of `sse serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// The rendered book to serve at /book/ (built by `mdbook build book`).
    #[arg(long, value_name = "DIR", default_value = "book/book")]
    book_dir: PathBuf,
    /// Require this bearer token (or cookie `sse_token`) on /events, /publish and the mock APIs.
    #[arg(long, value_name = "TOKEN", env = "SSE_TOKEN")]
    token: Option<String>,
    #[command(flatten)]
    jwt: JwtArgs,
    /// Allow these origins by CORS (repeatable; `*` for any).
    #[arg(long = "cors", value_name = "ORIGIN")]
    cors: Vec<String>,
    /// Pause between tokens of the mock AI answers, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 40)]
    token_delay_ms: u64,
    /// The `retry:` sent to clients, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    retry_ms: u64,
    /// Up to this many milliseconds added at random to each stream's `retry:`, so that clients
    /// cut together (a node that dies) come back spread out (0: none).
    #[arg(long, value_name = "MS", default_value_t = 500)]
    retry_jitter_ms: u64,
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
    #[command(flatten)]
    edge: EdgeArgs,
    #[command(flatten)]
    ops: OpsArgs,
}

// ANCHOR: ops_args
/// Metrics and logs: what an operator watches.
#[derive(Debug, clap::Args)]
struct OpsArgs {
    /// Serve `GET /metrics` (Prometheus text format) on this address of its own, e.g.
    /// 127.0.0.1:9100, and not on the public one.
    #[arg(long, value_name = "ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// Require this bearer token on /metrics. Without --metrics-addr, /metrics is served on the
    /// public address, behind this token.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "SSE_METRICS_TOKEN",
        hide_env_values = true
    )]
    metrics_token: Option<String>,
    /// Logs on stderr as `text` or `json` (one object per line). The level comes from RUST_LOG
    /// (default `info` without the per-request spans and lines; `RUST_LOG=info` adds them).
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    log_format: LogFormat,
}

/// The format of the logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, with the span's fields (method, path).
    Json,
}

/// The log filter when `RUST_LOG` is unset: `info`, but no span or line per request (a node
/// holding many streams would keep one span per stream, and log a line per reconnection).
const DEFAULT_LOG_FILTER: &str = "info,tower_http=warn,sse_server::request=warn";

/// Logs to stderr through `tracing`. Requests are logged by method, path, status and latency;
/// never a query string, a token, a cookie or an `Authorization` header (see
/// `sse_server::router_with`).
fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        // Without the request spans: each open stream would hold one.
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second call (in tests) finds a subscriber set: keep that one.
    let _ = match format {
        LogFormat::Text => logs.try_init(),
        LogFormat::Json => logs.json().try_init(),
    };
}

/// Connections the --metrics-addr listener serves at once.
const METRICS_CONNECTIONS: usize = 16;

/// Installs the Prometheus exporter when asked for, before the hub is built (it takes its
/// handles then); serves it on --metrics-addr, or returns the route for the public address.
/// The metrics address answers to the same hosts as the public one (`hosts`): a page on another
/// site that rebinds its name to 127.0.0.1 cannot read it.
async fn start_metrics(
    args: &OpsArgs,
    hosts: sse_server::access::AllowedHosts,
) -> Result<(Option<axum::Router>, Option<SocketAddr>)> {
    use sse_server::metrics::prometheus::Exporter;
    if args.metrics_addr.is_none() && args.metrics_token.is_none() {
        return Ok((None, None));
    }
    let exporter = Exporter::install().context("installing the Prometheus exporter")?;
    let route = exporter.router(args.metrics_token.as_deref());
    let Some(addr) = args.metrics_addr else {
        return Ok((Some(route), None));
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("--metrics-addr {addr}"))?;
    let bound = listener.local_addr()?;
    let route = route.layer(axum::middleware::from_fn_with_state(
        std::sync::Arc::new(hosts),
        sse_server::access::check_allowed_host,
    ));
    // The same accept loop as the public address (header read timeout, a connection cap answered
    // 503): a scraper needs a handful of connections, a slow or flooding client gets no more.
    let config = sse_server::conn::ConnConfig::default().with_max_connections(METRICS_CONNECTIONS);
    let (trigger, shutdown) = sse_server::sse::Shutdown::new();
    tokio::spawn(async move {
        // Held for the life of the process: the listener ends with it.
        let _trigger = trigger;
        let accept = sse_server::conn::PlainTcp;
        if let Err(error) =
            sse_server::conn::serve_connections(listener, route, config, accept, shutdown).await
        {
            tracing::error!(%error, "the metrics listener failed");
        }
    });
    Ok((None, Some(bound)))
}
// ANCHOR_END: ops_args

// ANCHOR: jwt_args
/// Per-channel authorization with JWTs (see `sse_server::jwt`): instead of --token, not with it.
#[derive(Debug, clap::Args)]
struct JwtArgs {
    /// Require JWTs signed with HS256 and the secret in this file (32 bytes or more; a trailing
    /// newline is ignored). The token's `sse` claim names the channels it may subscribe to and
    /// publish on; a stream ends when its token expires.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["token", "jwt_public_key"])]
    jwt_hs256_secret_file: Option<PathBuf>,
    /// Require JWTs signed with --jwt-alg (RS256 or ES256) and verified with this PEM public key.
    #[arg(
        long,
        value_name = "PEM",
        requires = "jwt_alg",
        conflicts_with = "token"
    )]
    jwt_public_key: Option<PathBuf>,
    /// The algorithm of --jwt-public-key: RS256 or ES256.
    #[arg(long, value_name = "ALG", requires = "jwt_public_key")]
    jwt_alg: Option<JwtAlgorithm>,
    /// Also read the JWT from `?access_token=` (off by default: URLs end up in logs and history).
    #[arg(long)]
    jwt_query: bool,
    /// Seconds of clock skew allowed for between the token's issuer and this server (at most
    /// 300): a token is accepted, and its streams last, until `exp` plus this.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    jwt_leeway: u64,
}

impl JwtArgs {
    /// The JWT configuration, if a key was given; a clear error for a key that cannot be used.
    fn config(&self) -> Result<Option<JwtConfig>> {
        let jwt = match (
            &self.jwt_hs256_secret_file,
            &self.jwt_public_key,
            self.jwt_alg,
        ) {
            (Some(secret), _, _) => {
                JwtConfig::hs256_secret_file(secret).context("--jwt-hs256-secret-file")?
            }
            (None, Some(key), Some(alg)) => {
                JwtConfig::public_key_file(alg, key).context("--jwt-public-key")?
            }
            _ if self.jwt_query => {
                anyhow::bail!("--jwt-query needs --jwt-hs256-secret-file or --jwt-public-key")
            }
            _ => return Ok(None),
        };
        Ok(Some(
            jwt.with_query_param(self.jwt_query)
                .with_leeway(Duration::from_secs(self.jwt_leeway)),
        ))
    }
}
// ANCHOR_END: jwt_args

// ANCHOR: edge_args
/// TLS, connection limits and access: what faces the network.
#[derive(Debug, clap::Args)]
struct EdgeArgs {
    /// Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this PEM certificate chain.
    #[arg(
        long,
        value_name = "PEM",
        requires = "tls_key",
        conflicts_with = "tls_self_signed"
    )]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve HTTPS with a certificate made at start-up for localhost, 127.0.0.1 and ::1; prints
    /// its fingerprint and writes it (PEM) to a file clients can trust.
    #[arg(long)]
    tls_self_signed: bool,
    /// Also answer to this Host name (repeatable). On loopback the server answers only to
    /// localhost, 127.0.0.1 and [::1] by default, against DNS rebinding.
    // This doc comment is `--help` text, shown as written: `[::1]` is an address, not a link.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long = "allow-host", value_name = "HOST")]
    allow_host: Vec<String>,
    /// Answer to any Host (turns the DNS-rebinding check off).
    #[arg(long, conflicts_with = "allow_host")]
    allow_any_host: bool,
    /// Believe `Forwarded` / `X-Forwarded-For` from this reverse proxy (an address or a CIDR
    /// range; repeatable), so per-client limits count the users behind it.
    #[arg(long = "trusted-proxy", value_name = "CIDR")]
    trusted_proxy: Vec<String>,
    /// Connections the kernel may hold completed before they are accepted (the listen backlog;
    /// the kernel caps it at net.core.somaxconn).
    #[arg(long, value_name = "N", default_value_t = sse_server::conn::DEFAULT_BACKLOG)]
    backlog: u32,
    /// Concurrent streams allowed per client address (0: no limit; behind a proxy, see
    /// --trusted-proxy).
    #[arg(long, value_name = "N", default_value_t = 64)]
    max_streams_per_client: usize,
    /// Most connections served at once; past it, 503 (default: the open-file limit minus 128).
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Seconds a client has to send a request head (slow or silent clients are closed).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    header_timeout: u64,
    /// New connections accepted per second (a token bucket); past it, 503 with Retry-After, so a
    /// reconnect storm comes in spread out (default: no limit but --max-connections).
    #[arg(long, value_name = "N")]
    max_connection_rate: Option<u32>,
    /// Connections accepted at once after a quiet spell, with --max-connection-rate (default:
    /// the rate itself).
    #[arg(long, value_name = "N", requires = "max_connection_rate")]
    connection_burst: Option<u32>,
}

/// The hosts the server answers to (`--allow-host`, `--allow-any-host`), on the public address
/// and on the metrics one.
fn allowed_hosts(args: &EdgeArgs) -> sse_server::access::AllowedHosts {
    use sse_server::access::{AllowedHosts, LOOPBACK_HOSTS};
    if args.allow_any_host {
        AllowedHosts::Any
    } else if args.allow_host.is_empty() {
        AllowedHosts::Auto
    } else {
        let mut hosts: Vec<String> = LOOPBACK_HOSTS.iter().map(|h| (*h).to_owned()).collect();
        hosts.extend(args.allow_host.iter().cloned());
        AllowedHosts::List(hosts)
    }
}

/// Applies the edge options to `config`; returns the scheme and lines to print.
fn apply_edge(
    args: &EdgeArgs,
    addr: SocketAddr,
    config: &mut Config,
) -> Result<(&'static str, Vec<String>)> {
    config.access.allowed_hosts = allowed_hosts(args);
    for proxy in &args.trusted_proxy {
        let net = proxy
            .parse::<sse_server::access::IpNet>()
            .or_else(|_| proxy.parse::<std::net::IpAddr>().map(Into::into))
            .with_context(|| format!("--trusted-proxy {proxy:?}: not an address or CIDR range"))?;
        config.access.trusted_proxies.push(net);
    }
    // Each stream holds a descriptor: raise the soft open-file limit to the hard one, so that the
    // default connection cap (the limit minus a reserve) is not the shell's usual 1,024.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    config.conn.max_connections = args.max_connections;
    config.max_streams_per_client = args.max_streams_per_client;
    config.conn.header_read_timeout = Duration::from_secs(args.header_timeout.max(1));
    config.conn.max_connection_rate = args.max_connection_rate.map(|rate| {
        sse_server::conn::ConnectionRate::new(rate, args.connection_burst.unwrap_or(rate))
    });
    let mut notes = Vec::new();
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        config.conn.tls = Some(sse_server::tls::from_pem_files(cert, key)?);
        notes.push(format!(
            "  TLS              {} (HTTP/2 and HTTP/1.1)",
            cert.display()
        ));
    } else if args.tls_self_signed {
        let mut names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
            names.push(addr.ip().to_string());
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let local = sse_server::tls::self_signed(&names)?;
        let path = std::env::temp_dir().join(format!("sse-serve-{}.pem", addr.port()));
        std::fs::write(&path, &local.cert_pem)
            .with_context(|| format!("writing the certificate to {}", path.display()))?;
        config.conn.tls = Some(local.config);
        notes.push(
            "  TLS              self-signed for localhost, 127.0.0.1, ::1 (HTTP/2 and HTTP/1.1)"
                .into(),
        );
        notes.push(format!(
            "  certificate      {} (trust it: curl --cacert {0})",
            path.display()
        ));
        notes.push(format!("  SHA-256          {}", local.fingerprint));
        notes.push(format!(
            "  Chromium         --ignore-certificate-errors-spki-list={}",
            local.spki_sha256
        ));
    }
    let scheme = if config.conn.tls.is_some() {
        "https"
    } else {
        "http"
    };
    Ok((scheme, notes))
}
// ANCHOR_END: edge_args

/// Runs until Ctrl-C or SIGTERM.
pub async fn run(args: &ServeArgs) -> Result<ExitCode> {
    init_logs(args.ops.log_format);
    let (metrics_route, metrics_addr) = start_metrics(&args.ops, allowed_hosts(&args.edge)).await?;
    let listener = sse_server::conn::bind(args.addr, args.edge.backlog)
        .with_context(|| format!("listening on {}", args.addr))?;
    let addr = listener.local_addr()?;
    let mut config = Config::default().with_cors_origins(args.cors.clone());
    config.auth_token = args.token.clone();
    config.jwt = args.jwt.config()?;
    let mut demo = DemoConfig {
        book_dir: Some(args.book_dir.clone()),
        demo_channels: !args.no_demo_channels,
        ..DemoConfig::default()
    };
    if let Some(name) = &args.node_name {
        config.node_name = name.clone();
    }
    if let Some(url) = &args.redis {
        let mut redis = sse_server::hub::redis::RedisConfig::new(url.clone());
        redis.prefix = args.redis_prefix.clone();
        // The URL may carry a password: it is never printed.
        config = config.with_hub(
            sse_server::hub::Hub::redis(sse_server::hub::HubConfig::default(), redis)
                .context("--redis: not a valid Redis URL")?,
        );
    }
    demo.mock.token_delay = Duration::from_millis(args.token_delay_ms);
    config.sse.retry = Duration::from_millis(args.retry_ms);
    config.sse.retry_jitter = Duration::from_millis(args.retry_jitter_ms);
    config.sse.keep_alive = Duration::from_secs(args.keep_alive.max(1));
    let (scheme, edge_notes) = apply_edge(&args.edge, addr, &mut config)?;
    let base = format!("{scheme}://{addr}");
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
    match (metrics_addr, &metrics_route) {
        (Some(addr), _) => println!("  metrics          http://{addr}/metrics"),
        (None, Some(_)) => println!("  metrics          {base}/metrics (bearer token)"),
        (None, None) => {}
    }
    for note in &edge_notes {
        println!("{note}");
    }
    println!("  demo page        {base}/");
    if args.book_dir.join("index.html").exists() {
        println!("  course book      {base}/book/");
    } else {
        println!("  course book      (not built: run `mdbook build book`, then restart)");
    }
    println!("  streams          {base}/events/clock  {base}/events/counter  {base}/events/<name>");
    println!("  reconnect demo   {base}/demo/events/counter?drop_after=5");
    println!(
        "  publish          curl -d '{{\"data\":\"hi\"}}' -H 'content-type: application/json' {base}/publish/<name>"
    );
    println!("  mock OpenAI      {base}/v1/chat/completions  {base}/v1/responses");
    println!("  mock Anthropic   {base}/v1/messages");
    println!("  try              sse listen {base}/events/clock");
    println!("                   sse chat --base-url {base} \"What is SSE?\"");
    if args.token.is_some() {
        println!(
            "  auth             /events, /publish and the mock APIs need 'Authorization: Bearer <token>' or cookie sse_token"
        );
    }
    if let Some(jwt) = &config.jwt {
        let query = if jwt.query_param {
            ", or ?access_token="
        } else {
            ""
        };
        println!(
            "  auth             JWT ({}): Authorization: Bearer, cookie sse_token{query}; the `sse` claim's channels; leeway {} s",
            jwt.algorithm(),
            jwt.leeway.min(sse_server::jwt::MAX_LEEWAY).as_secs()
        );
    }
    // The library (streams, publish, health) with the demo mounted on the same accept loop.
    let signal = sse_server::shutdown_signal();
    let mount = sse_demo::mount(demo);
    let extra = move |state: &sse_server::AppState| match metrics_route {
        Some(metrics) => mount(state).merge(metrics),
        None => mount(state),
    };
    sse_server::serve_with(listener, config, signal, extra).await?;
    // A log line, so that `--log-format json` stays one JSON object per line.
    tracing::info!("sse serve: shut down cleanly");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn parse(args: &[&str]) -> Result<Serve, clap::Error> {
        Serve::try_parse_from(std::iter::once("serve").chain(args.iter().copied()))
    }

    #[test]
    fn a_shared_token_and_a_jwt_key_are_refused_together() {
        let error = parse(&["--token", "s3cret", "--jwt-hs256-secret-file", "k"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
        let error = parse(&[
            "--token",
            "s3cret",
            "--jwt-public-key",
            "k.pem",
            "--jwt-alg",
            "ES256",
        ])
        .unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn a_public_key_needs_its_algorithm() {
        let error = parse(&["--jwt-public-key", "k.pem"]).unwrap_err();
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        let error = parse(&["--jwt-public-key", "k.pem", "--jwt-alg", "PS256"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(parse(&["--jwt-public-key", "k.pem", "--jwt-alg", "rs256"]).is_ok());
    }

    #[test]
    fn jwt_query_alone_is_an_error() {
        let serve = parse(&["--jwt-query"]).unwrap();
        let error = serve.args.jwt.config().unwrap_err();
        assert!(error.to_string().contains("--jwt-query needs"), "{error}");
    }

    #[test]
    fn a_short_secret_file_says_why() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "short\n").unwrap();
        let path = file.path().to_str().unwrap();
        let serve = parse(&["--jwt-hs256-secret-file", path, "--jwt-query"]).unwrap();
        let error = format!("{:#}", serve.args.jwt.config().unwrap_err());
        assert!(error.contains("at least 32"), "{error}");
        std::fs::write(file.path(), "0123456789abcdef0123456789abcdef\n").unwrap();
        let jwt = serve.args.jwt.config().unwrap().unwrap();
        assert!(jwt.query_param);
    }
}
