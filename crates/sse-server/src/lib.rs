//! # sse-server
//!
//! Server-Sent Events on axum, as a production service needs them:
//!
//! - [`sse::sse_response`]: the right headers, a first `retry:`, keep-alive comments, and a clean
//!   end at shutdown, with events encoded by [`sse_format::Event`].
//! - [`hub::Hub`] (the `ssekit-hub` crate): named channels, global ids, a bounded replay, resume from
//!   `Last-Event-ID` (or `?lastEventId=`), a documented `replay-gap` event when the replay no
//!   longer covers what a client missed, and slow subscribers disconnected instead of slowing the
//!   others; in memory, or shared by many nodes through Redis Streams ([`Config::with_hub`]).
//! - Optional bearer-token (or cookie) auth ([`require_auth`]): one shared token, or JWTs that
//!   name the channels a client may subscribe to and publish on, and end its streams when they
//!   expire ([`jwt`]); CORS, and a limit on concurrent streams per client ([`limit`]).
//! - [`conn`]: one accept loop that survives hostile clients (header read and idle timeouts, a
//!   connection cap answered with `503`, backoff when out of file descriptors); [`tls`]: HTTPS
//!   with HTTP/2 by ALPN; [`access`]: the client address behind a trusted proxy, a `Host`
//!   allow-list against DNS rebinding, and the constant-time token check.
//! - [`metrics`]: streams, refusals, resumes, deliveries, delays and Redis, counted through the
//!   `metrics` facade (one table of every series); with the `prometheus` feature, the exporter
//!   and a `/metrics` route closed by a token or served on an address of its own. Every request
//!   runs in a `tracing` span (method, path, status, latency; never a query string or a header).
//!
//! [`router`] serves `GET /events/{channel}`, `POST /publish/{channel}` and `GET /health`, and
//! nothing else: no page, no demo channels, no mock endpoints (those are the `sse-demo` crate's,
//! which `sse serve` mounts). An application adds its own routes with [`serve_with`] (or
//! [`router_with`]): they are served by the same accept loop, behind the same `Host` check and
//! CORS, and can use the library's pieces ([`AppState`], [`require_auth`], [`routes::open`],
//! [`sse::sse_response`]).
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
//!
//! With a route of one's own, behind the token check when one is configured:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use axum::Router;
//! use axum::middleware::from_fn_with_state;
//! use axum::routing::get;
//! use sse_server::{Config, require_auth, serve_with};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! let config = Config::default().with_auth_token("s3cret");
//! serve_with(listener, config, sse_server::shutdown_signal(), |state| {
//!     Router::new()
//!         .route("/hello", get(|| async { "hello\n" }))
//!         .route_layer(from_fn_with_state(state.clone(), require_auth))
//! })
//! .await
//! # }
//! ```
//!
//! Examples (in `examples/`, run with `cargo run -p ssekit-server --example NAME`):
//!
//! - `minimal`: the library's routes on a port, ended cleanly by Ctrl-C.
//! - `custom_routes`: routes of your own behind the same token, and a task that publishes.
//! - `tls`: HTTPS with HTTP/2 on a certificate made at start-up.
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use sse_hub as hub;

pub mod access;
pub mod conn;
pub mod jwt;
pub mod limit;
pub mod metrics;
pub mod routes;
pub mod sse;
pub mod tls;

use hub::{Hub, HubConfig};
use limit::StreamLimit;
use sse::{Shutdown, SseConfig};

/// Which hub the server publishes to and subscribes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum HubSetup {
    /// A new hub in this process's memory, with these limits.
    InMemory(HubConfig),
    /// A hub made beforehand: for example one on Redis, shared with other nodes
    /// ([`hub::Hub::redis`]), or one the application also publishes to.
    Shared(Hub),
}

impl Default for HubSetup {
    fn default() -> Self {
        HubSetup::InMemory(HubConfig::default())
    }
}

/// Everything the server can be configured with: [`Config::default`], then the `with_*` setters
/// (or assign the public fields). New fields may come in minor releases, hence
/// `#[non_exhaustive]`: a struct literal outside this crate would break on each.
///
/// ```
/// use sse_server::Config;
/// let config = Config::default()
///     .with_auth_token("s3cret")
///     .with_max_streams_per_client(16);
/// assert_eq!(config.max_streams_per_client, 16);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The hub: a new one in memory with its limits (the default), or one made beforehand.
    pub hub: HubSetup,
    /// This node's name, in `/health` and in the `x-sse-node` header of every stream.
    pub node_name: String,
    /// `retry:` and keep-alive interval.
    pub sse: SseConfig,
    /// If set, `/events` and `/publish` (and routes added behind [`require_auth`]) require
    /// `Authorization: Bearer <token>` or the cookie `sse_token=<token>` (browsers'
    /// `EventSource` cannot send headers, but sends cookies). Not consulted when
    /// [`Config::jwt`] is set.
    pub auth_token: Option<String>,
    /// If set, `/events` and `/publish` (and routes behind [`require_auth`]) require a JWT that
    /// grants the channel, and streams end when it expires (see [`jwt`]). It replaces
    /// [`Config::auth_token`]: with both set, the shared token is not accepted.
    pub jwt: Option<jwt::JwtConfig>,
    /// Origins allowed by CORS (`*` for any); empty: no CORS headers.
    pub cors_origins: Vec<String>,
    /// Concurrent streams allowed per client address (0: unlimited).
    pub max_streams_per_client: usize,
    /// Connection limits and TLS (see [`conn`]).
    pub conn: conn::ConnConfig,
    /// Trusted proxies and the `Host` allow-list (see [`access`]).
    pub access: access::AccessConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            hub: HubSetup::default(),
            node_name: default_node_name(),
            sse: SseConfig::default(),
            auth_token: None,
            jwt: None,
            cors_origins: Vec::new(),
            max_streams_per_client: 64,
            conn: conn::ConnConfig::default(),
            access: access::AccessConfig::default(),
        }
    }
}

impl Config {
    /// A new in-memory hub with these limits ([`HubSetup::InMemory`]).
    pub fn with_hub_config(mut self, limits: HubConfig) -> Self {
        self.hub = HubSetup::InMemory(limits);
        self
    }

    /// This hub, made beforehand ([`HubSetup::Shared`]).
    pub fn with_hub(mut self, hub: Hub) -> Self {
        self.hub = HubSetup::Shared(hub);
        self
    }

    /// Sets [`Config::node_name`].
    pub fn with_node_name(mut self, name: impl Into<String>) -> Self {
        self.node_name = name.into();
        self
    }

    /// Sets [`Config::sse`].
    pub fn with_sse(mut self, sse: SseConfig) -> Self {
        self.sse = sse;
        self
    }

    /// Requires this token ([`Config::auth_token`]).
    pub fn with_auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth_token = Some(token.into());
        self
    }

    /// Requires JWTs verified by this configuration ([`Config::jwt`]).
    pub fn with_jwt(mut self, jwt: jwt::JwtConfig) -> Self {
        self.jwt = Some(jwt);
        self
    }

    /// Sets [`Config::cors_origins`].
    pub fn with_cors_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cors_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// Sets [`Config::max_streams_per_client`].
    pub fn with_max_streams_per_client(mut self, streams: usize) -> Self {
        self.max_streams_per_client = streams;
        self
    }

    /// Sets [`Config::conn`].
    pub fn with_conn(mut self, conn: conn::ConnConfig) -> Self {
        self.conn = conn;
        self
    }

    /// Sets [`Config::access`].
    pub fn with_access(mut self, access: access::AccessConfig) -> Self {
        self.access = access;
        self
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
    /// Fires at shutdown.
    pub shutdown: Shutdown,
    /// Per-client stream limit.
    pub limit: Arc<StreamLimit>,
    /// This node's name (`x-sse-node`).
    pub node: HeaderValue,
    hub_shared: bool,
    auth_token: Option<Arc<str>>,
    jwt: Option<Arc<jwt::JwtConfig>>,
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

    /// Whether the hub was made beforehand ([`HubSetup::Shared`]) rather than this
    /// process's own.
    pub fn hub_is_shared(&self) -> bool {
        self.hub_shared
    }
}

/// Builds the application: streams, publish and health, behind the `Host` check, CORS and (for
/// streams and publish) the token. `shutdown` ends the streams; see [`serve`].
pub fn router(config: &Config, shutdown: Shutdown) -> (Router, AppState) {
    router_with(config, shutdown, |_| Router::new())
}

/// [`router`] with more routes merged in: `extra` is given the state (the hub, the limits, the
/// shutdown signal) and its routes go behind the same `Host` check and CORS as the library's. They
/// are not behind the token unless they add [`require_auth`] themselves (a page may stay open
/// while its API needs the token).
///
/// # Panics
///
/// When `extra` returns a route the library already has (axum refuses overlapping routes).
pub fn router_with(
    config: &Config,
    shutdown: Shutdown,
    extra: impl FnOnce(&AppState) -> Router,
) -> (Router, AppState) {
    let state = AppState {
        hub: match &config.hub {
            HubSetup::InMemory(limits) => Hub::new(*limits),
            HubSetup::Shared(hub) => hub.clone(),
        },
        sse: config.sse,
        shutdown,
        limit: StreamLimit::new(config.max_streams_per_client),
        // A name that is not a valid header value is shown as `node`, not refused.
        node: HeaderValue::from_str(&config.node_name)
            .unwrap_or_else(|_| HeaderValue::from_static("node")),
        hub_shared: matches!(config.hub, HubSetup::Shared(_)),
        auth_token: config.auth_token.as_deref().map(Arc::from),
        jwt: config.jwt.clone().map(Arc::new),
        access: Arc::new(config.access.clone()),
    };
    let protected = Router::new()
        .route("/events/{channel}", get(routes::stream))
        .route("/publish/{channel}", post(routes::publish))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_auth));
    let mut app = Router::new()
        .route("/health", get(routes::health))
        .merge(protected)
        .with_state(state.clone())
        .merge(extra(&state));
    app = app.layer(middleware::from_fn_with_state(
        state.clone(),
        access::check_host,
    ));
    app = app.layer(trace_layer());
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

// ANCHOR: trace
/// A `tracing` span per request (target `sse_server::request`), with its method and path and,
/// when the response starts, its status and latency, at `INFO`. The path only: a query string may
/// carry a token (`?access_token=`), and no header (`Authorization`, `Cookie`) is ever recorded.
/// An enabled span lives as long as its stream: a server holding many streams may filter the
/// target out (`sse serve` does unless `RUST_LOG` asks for it).
fn trace_layer() -> tower_http::trace::TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request) -> tracing::Span,
> {
    fn make_span(request: &Request) -> tracing::Span {
        tracing::info_span!(
            target: "sse_server::request",
            "request",
            method = %request.method(),
            path = %request.uri().path(),
        )
    }
    tower_http::trace::TraceLayer::new_for_http()
        .make_span_with(make_span as fn(&Request) -> tracing::Span)
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO))
}
// ANCHOR_END: trace

// ANCHOR: auth
/// Middleware: answers 401 before any stream starts unless the request carries the token
/// ([`Config::auth_token`]; no token configured, every request passes). [`router`] puts it on
/// `/events` and `/publish`; put it on routes of your own with
/// `route_layer(axum::middleware::from_fn_with_state(state.clone(), require_auth))`.
///
/// With [`Config::jwt`], the request needs a valid JWT instead (401 otherwise), and on a route
/// with a `{channel}` segment one that grants it: `subscribe` for `GET`, `publish` for other
/// methods (403 otherwise). Routes without a channel need a valid token only. The verified
/// [`jwt::Grant`] is in the request's extensions for the handler.
pub async fn require_auth(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(jwt) = state.jwt.as_deref() {
        return jwt.authorize(request, next).await;
    }
    let Some(token) = state.auth_token.as_deref() else {
        return next.run(request).await;
    };
    // Bearer (any case), x-api-key or cookie; compared in constant time.
    if access::presents_token(request.headers(), token) {
        next.run(request).await
    } else {
        metrics::refused(metrics::Refusal::Auth);
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid token is required\n",
        )
            .into_response()
    }
}
// ANCHOR_END: auth

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
    serve_with(listener, config, signal, |_| Router::new()).await
}

/// [`serve`] with more routes: `extra` builds them from the state, as in [`router_with`]. It
/// runs once, inside the runtime, before the first connection is accepted, so it may also spawn
/// tasks; such tasks should end on [`AppState::shutdown`], which fires when `signal` resolves.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    config: Config,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
    extra: impl FnOnce(&AppState) -> Router,
) -> std::io::Result<()> {
    let (trigger, shutdown) = Shutdown::new();
    let (app, _state) = router_with(&config, shutdown.clone(), extra);
    let accept = conn::serve_connections(listener, app, config.conn, conn::PlainTcp, shutdown);
    // The signal ends the streams and stops the accept loop, which then waits (bounded) for the
    // connections to close.
    let stop = async move {
        signal.await;
        trigger.fire();
    };
    let mut accept = std::pin::pin!(accept);
    tokio::select! {
        served = accept.as_mut() => served, // it failed to start
        () = stop => accept.await,
    }
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

// The README is part of the documentation: its examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
