//! # sse-server
//!
//! Server-Sent Events on axum, as a production service needs them:
//!
//! - [`sse::sse_response`]: the right headers, a first `retry:`, keep-alive comments, and a clean
//!   end at shutdown, with events encoded by [`sse_format::Event`].
//! - [`hub::Hub`] (the `sse-hub` crate): named channels, global ids, a bounded replay, resume from
//!   `Last-Event-ID` (or `?lastEventId=`), a documented `replay-gap` event when the replay no
//!   longer covers what a client missed, and slow subscribers disconnected instead of slowing the
//!   others; in memory, or shared by many nodes through Redis Streams (`Config::redis`).
//! - Optional bearer-token (or cookie) auth, CORS, and a limit on concurrent streams per client.
//! - [`conn`]: one accept loop that survives hostile clients (header read and idle timeouts, a
//!   connection cap answered with `503`, backoff when out of file descriptors); [`tls`]: HTTPS
//!   with HTTP/2 by ALPN; [`access`]: the client address behind a trusted proxy, a `Host`
//!   allow-list against DNS rebinding, and the constant-time token check.
//! - [`mock_ai`]: offline OpenAI and Anthropic streaming endpoints with fault injection.
//! - A demo page at `/` and, when the book has been built, the book at `/book/`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sse_server::{Config, serve};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! // Runs until Ctrl-C or SIGTERM, then ends every stream cleanly.
//! serve(listener, Config::default(), sse_server::shutdown_signal()).await
//! # }
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

pub use sse_hub as hub;

pub mod access;
pub mod conn;
pub mod limit;
pub mod mock_ai;
pub mod routes;
pub mod sse;
pub mod tls;

use hub::{Hub, HubConfig};
use limit::StreamLimit;
use mock_ai::MockConfig;
use sse::{Shutdown, SseConfig};

/// Everything the server can be configured with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Replay buffer and subscriber queue sizes.
    pub hub: HubConfig,
    /// A hub to use instead of a new in-memory one: for example one on Redis, shared with other
    /// nodes ([`hub::Hub::redis`]).
    pub shared_hub: Option<Hub>,
    /// This node's name, in `/health` and in the `x-sse-node` header of every stream.
    pub node_name: String,
    /// `retry:` and keep-alive interval.
    pub sse: SseConfig,
    /// Mock AI pacing.
    pub mock: MockConfig,
    /// If set, `/events` and `/publish` require `Authorization: Bearer <token>` or the cookie
    /// `sse_token=<token>` (browsers' `EventSource` cannot send headers, but sends cookies).
    pub auth_token: Option<String>,
    /// Origins allowed by CORS (`*` for any); empty: no CORS headers.
    pub cors_origins: Vec<String>,
    /// Concurrent streams allowed per client address (0: unlimited).
    pub max_streams_per_client: usize,
    /// Interval of the demo `counter` channel.
    pub counter_every: Duration,
    /// Publish the demo channels `clock` and `counter`. With several nodes on one Redis, let one
    /// node do it, or each tick is published once per node.
    pub demo_channels: bool,
    /// The rendered book (`book/book`), served at `/book/` if it exists.
    pub book_dir: Option<PathBuf>,
    /// Connection limits and TLS (see [`conn`]).
    pub conn: conn::ConnConfig,
    /// Trusted proxies and the `Host` allow-list (see [`access`]).
    pub access: access::AccessConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            hub: HubConfig::default(),
            shared_hub: None,
            node_name: default_node_name(),
            sse: SseConfig::default(),
            mock: MockConfig::default(),
            auth_token: None,
            cors_origins: Vec::new(),
            max_streams_per_client: 64,
            counter_every: Duration::from_millis(500),
            demo_channels: true,
            book_dir: None,
            conn: conn::ConnConfig::default(),
            access: access::AccessConfig::default(),
        }
    }
}

/// `<hostname>-<pid>`: unique enough to tell the nodes of a deployment apart.
pub fn default_node_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".to_owned());
    format!("{host}-{}", std::process::id())
}

/// Shared state of the handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The broadcast hub.
    pub hub: Hub,
    /// How SSE responses are written.
    pub sse: SseConfig,
    /// Mock AI settings.
    pub mock: MockConfig,
    /// Fires at shutdown.
    pub shutdown: Shutdown,
    /// Per-client stream limit.
    pub limit: Arc<StreamLimit>,
    /// This node's name (`x-sse-node`).
    pub node: HeaderValue,
    hub_shared: bool,
    auth_token: Option<Arc<str>>,
    book: bool,
    access: Arc<access::AccessConfig>,
}

impl AppState {
    /// The address per-client limits count by: the peer's, or the client's behind a trusted proxy
    /// (see [`access::client_ip`]).
    pub fn client_ip(
        &self,
        peer: std::net::SocketAddr,
        headers: &axum::http::HeaderMap,
    ) -> std::net::IpAddr {
        access::client_ip(peer, headers, &self.access.trusted_proxies)
    }
}

/// Builds the application. `shutdown` ends the streams; see [`serve`].
pub fn router(config: &Config, shutdown: Shutdown) -> (Router, AppState) {
    let state = AppState {
        hub: config
            .shared_hub
            .clone()
            .unwrap_or_else(|| Hub::new(config.hub)),
        sse: config.sse,
        mock: config.mock,
        shutdown,
        limit: StreamLimit::new(config.max_streams_per_client),
        // A name that is not a valid header value is shown as `node`, not refused.
        node: HeaderValue::from_str(&config.node_name)
            .unwrap_or_else(|_| HeaderValue::from_static("node")),
        hub_shared: config.shared_hub.is_some(),
        auth_token: config.auth_token.as_deref().map(Arc::from),
        book: config
            .book_dir
            .as_ref()
            .is_some_and(|d| d.join("index.html").exists()),
        access: Arc::new(config.access.clone()),
    };
    let protected = Router::new()
        .route("/events/{channel}", get(routes::stream))
        .route("/publish/{channel}", post(routes::publish))
        .merge(mock_ai::routes())
        .route_layer(middleware::from_fn_with_state(state.clone(), require_auth));
    let mut app = Router::new()
        .route("/", get(page))
        .route("/health", get(routes::health))
        .merge(protected)
        .with_state(state.clone());
    if let Some(dir) = config.book_dir.as_ref().filter(|_| state.book) {
        app = app.nest_service("/book", ServeDir::new(dir));
    }
    app = app.layer(middleware::from_fn_with_state(
        state.clone(),
        access::check_host,
    ));
    if !config.cors_origins.is_empty() {
        let origins = if config.cors_origins.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                config
                    .cors_origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok()),
            )
        };
        app = app.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    header::HeaderName::from_static("last-event-id"),
                ]),
        );
    }
    (app, state)
}

// ANCHOR: auth
/// Answers 401 before any stream starts unless the request carries the token.
async fn require_auth(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(token) = state.auth_token.as_deref() else {
        return next.run(request).await;
    };
    // Bearer (any case), x-api-key or cookie; compared in constant time.
    if access::presents_token(request.headers(), token) {
        next.run(request).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid token is required\n",
        )
            .into_response()
    }
}
// ANCHOR_END: auth

async fn page(State(state): State<AppState>) -> Html<String> {
    let book_link = if state.book {
        "<a href=\"/book/\">Read the course book</a>"
    } else {
        "The course book is not built yet: run <code>mdbook build book</code> and restart to read it here."
    };
    let node = state.node.to_str().unwrap_or("node");
    // The node name is the operator's, but it goes into HTML: keep it to plain characters.
    let node: String = node
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    let hub = if state.hub_shared {
        "shared"
    } else {
        "in memory"
    };
    Html(
        include_str!("../static/index.html")
            .replace("<!--BOOK-->", book_link)
            .replace("<!--NODE-->", &node)
            .replace("<!--HUB-->", hub),
    )
}

// ANCHOR: serve
/// Runs the server on `listener` until `signal` resolves; then stops accepting connections, ends
/// every stream cleanly (clients see the end and reconnect elsewhere or later), waits for the
/// connections to finish, and returns.
///
/// Connections go through [`conn::serve_connections`]: header-read and idle timeouts, a cap on
/// connections (`503` past it), and TLS with HTTP/2 when [`conn::ConnConfig::tls`] is set. Plain
/// TCP is served as HTTP/1.1 by hyper directly rather than through `axum::serve`, whose
/// HTTP/1-or-2 detection costs memory on every connection: this server is built to hold many idle
/// streams.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (trigger, shutdown) = Shutdown::new();
    let (app, state) = router(&config, shutdown.clone());
    let (demo_channels, counter_every) = (config.demo_channels, config.counter_every);
    let publishers = tokio::spawn(async move {
        if demo_channels {
            routes::run_demo_publishers(state, counter_every).await;
        }
    });
    let accept = conn::serve_connections(listener, app, config.conn, conn::PlainTcp, shutdown);
    // The signal ends the streams and stops the accept loop, which then waits (bounded) for the
    // connections to close.
    let stop = async move {
        signal.await;
        trigger.fire();
    };
    let mut accept = std::pin::pin!(accept);
    let served = tokio::select! {
        served = accept.as_mut() => served, // it failed to start
        () = stop => accept.await,
    };
    publishers.abort();
    served
}
// ANCHOR_END: serve

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
