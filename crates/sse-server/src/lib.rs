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
pub mod limit;
pub mod mock_ai;
pub mod routes;
pub mod sse;

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
    };
    let protected = Router::new()
        .route("/events/{channel}", get(routes::stream))
        .route("/publish/{channel}", post(routes::publish))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_auth));
    let mut app = Router::new()
        .route("/", get(page))
        .route("/health", get(routes::health))
        .route("/v1/chat/completions", post(mock_ai::chat_completions))
        .route("/v1/responses", post(mock_ai::responses))
        .route("/v1/messages", post(mock_ai::messages))
        .merge(protected)
        .with_state(state.clone());
    if let Some(dir) = config.book_dir.as_ref().filter(|_| state.book) {
        app = app.nest_service("/book", ServeDir::new(dir));
    }
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
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("sse_token="));
    if bearer == Some(token) || cookie == Some(token) {
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
/// Connections are served as HTTP/1.1 by hyper directly rather than through `axum::serve`, whose
/// HTTP/1-or-2 detection costs memory on every connection: this server is built to hold many idle
/// streams (browsers only speak HTTP/2 over TLS, which a proxy in front would terminate anyway).
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (trigger, shutdown) = Shutdown::new();
    let (app, state) = router(&config, shutdown);
    let publishers = tokio::spawn(async move {
        if config.demo_channels {
            routes::run_demo_publishers(state, config.counter_every).await;
        }
    });
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut signal = std::pin::pin!(signal);
    loop {
        let (socket, peer) = tokio::select! {
            () = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, or a connection reset before accept: keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = socket.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                tower::ServiceExt::oneshot(app.clone(), request)
            },
        );
        let connection = hyper::server::conn::http1::Builder::new()
            .serve_connection(hyper_util::rt::TokioIo::new(socket), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await; // a client that vanishes is not a server error
        });
    }
    drop(listener); // refuse new connections from here on
    trigger.fire(); // end the streams
    publishers.abort();
    // Idle keep-alive connections close at once; streams end within a poll.
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
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
