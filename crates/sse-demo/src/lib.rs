//! # sse-demo
//!
//! The teaching side of the course, kept out of the production library `sse-server` and mounted
//! on it by `sse serve`:
//!
//! - the demo page at `/` (a clock, a counter that reconnects and resumes, a streaming chat box);
//! - the demo channels `clock` and `counter`, published until shutdown ([`run_publishers`]);
//! - `GET /demo/events/{channel}?drop_after=N`: the library's stream, ended after `N` live
//!   events so that a browser shows its reconnection and resume ([`drop_after`]);
//! - the course book at `/book/`, once it has been built;
//! - [`mock_ai`]: offline OpenAI and Anthropic streaming endpoints with fault injection, their
//!   events built from `sse_ai`'s wire types.
//!
//! Everything here is built from `sse-server`'s public pieces: its [`AppState`] (hub, limits,
//! shutdown), [`sse_server::require_auth`], and the stream endpoint's parts
//! ([`sse_server::routes::open`], [`sse_server::routes::respond`]). The demo streams and the mock
//! endpoints therefore obey the token, the per-client stream limit and the `Host` check exactly
//! as the library's routes do; the page and the book stay open.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sse_demo::DemoConfig;
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! let demo = DemoConfig {
//!     book_dir: Some("book/book".into()),
//!     ..DemoConfig::default()
//! };
//! // The library's streams, publish and health, plus everything above, until Ctrl-C.
//! sse_server::serve_with(
//!     listener,
//!     sse_server::Config::default(),
//!     sse_server::shutdown_signal(),
//!     sse_demo::mount(demo),
//! )
//! .await
//! # }
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::Extension;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::middleware;
use axum::response::{Html, Response};
use axum::routing::get;
use futures::StreamExt;
use serde::Deserialize;
use sse_format::Event;
use sse_server::AppState;
use sse_server::jwt::{Grant, until_expiry};
use sse_server::routes::{live_events, open, respond};
use tower_http::services::ServeDir;

pub mod mock_ai;

use mock_ai::MockConfig;

/// What the demo serves, and how fast.
#[derive(Clone, Debug)]
pub struct DemoConfig {
    /// Mock AI pacing and bounds.
    pub mock: MockConfig,
    /// Interval of the demo `counter` channel.
    pub counter_every: Duration,
    /// Publish the demo channels `clock` and `counter` ([`mount`] does). With several nodes on
    /// one Redis, let one node do it, or each tick is published once per node.
    pub demo_channels: bool,
    /// The rendered book (`book/book`), served at `/book/` if it holds an `index.html`.
    pub book_dir: Option<PathBuf>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            mock: MockConfig::default(),
            counter_every: Duration::from_millis(500),
            demo_channels: true,
            book_dir: None,
        }
    }
}

/// The state of the demo's handlers: the library's, and the demo's settings.
#[derive(Clone, Debug)]
pub struct DemoState {
    /// The library's state: hub, stream limit, shutdown signal, node name.
    pub server: AppState,
    /// Mock AI pacing and bounds.
    pub mock: MockConfig,
    /// Whether the book is served at `/book/`.
    book: bool,
}

/// The demo's routes over the library's `state`: the page and the book (open), the demo stream
/// and the mock AI endpoints (behind the token when one is configured). Merge them into the
/// library's router with [`sse_server::router_with`] or [`sse_server::serve_with`]; [`mount`]
/// also starts the demo channels.
pub fn router(state: &AppState, config: &DemoConfig) -> Router {
    let book_dir = config
        .book_dir
        .clone()
        .filter(|dir| dir.join("index.html").exists());
    let demo = DemoState {
        server: state.clone(),
        mock: config.mock,
        book: book_dir.is_some(),
    };
    let protected = Router::new()
        .route("/demo/events/{channel}", get(drop_after))
        .merge(mock_ai::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            sse_server::require_auth,
        ));
    let mut app = Router::new()
        .route("/", get(page))
        .merge(protected)
        .with_state(demo);
    if let Some(dir) = book_dir {
        app = app.nest_service("/book", ServeDir::new(dir));
    }
    app
}

/// What [`sse_server::serve_with`] needs to serve the demo: starts the demo channels (when
/// [`DemoConfig::demo_channels`] is on; they stop at shutdown) and returns [`router`].
///
/// The returned closure spawns a task, so it must run inside a Tokio runtime (`serve_with` calls
/// it there; with [`sse_server::router_with`], call that from async code).
pub fn mount(config: DemoConfig) -> impl FnOnce(&AppState) -> Router {
    move |state| {
        if config.demo_channels {
            tokio::spawn(run_publishers(state.clone(), config.counter_every));
        }
        router(state, &config)
    }
}

/// Publishes the demo channels until the server shuts down: `clock` (the time, every second, as
/// the named event `tick`) and `counter` (1, 2, 3, ... every `counter_every`).
pub async fn run_publishers(state: AppState, counter_every: Duration) {
    let mut shutdown = state.shutdown.clone();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let mut counter = tokio::time::interval(counter_every);
    let mut n = 0u64;
    loop {
        tokio::select! {
            () = shutdown.wait() => return,
            _ = clock.tick() => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                let (h, m, s) = ((now.as_secs() / 3600) % 24, (now.as_secs() / 60) % 60, now.as_secs() % 60);
                let _ = state.hub.publish("clock", Event::new().event("tick").data(format!("{h:02}:{m:02}:{s:02} UTC"))).await;
            }
            _ = counter.tick() => {
                n += 1;
                let _ = state.hub.publish("counter", Event::new().data(n.to_string())).await;
            }
        }
    }
}

/// Query parameters of `GET /demo/events/{channel}`.
#[derive(Debug, Default, Deserialize)]
pub struct DropAfterQuery {
    /// Resume point for a browser's first connection, as on the library's route.
    #[serde(rename = "lastEventId")]
    pub last_event_id: Option<String>,
    /// End the connection after this many live events (default: never).
    pub drop_after: Option<usize>,
}

// ANCHOR: drop_after
/// `GET /demo/events/{channel}?drop_after=N`: the library's stream of `channel` (same limit,
/// resume and replay), ended after `N` live events. A teaching aid: the browser reconnects with
/// `Last-Event-ID` and the replay fills the gap, which the demo page shows happening.
pub async fn drop_after(
    State(demo): State<DemoState>,
    Path(channel): Path<String>,
    Query(query): Query<DropAfterQuery>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    grant: Option<Extension<Grant>>,
    headers: HeaderMap,
) -> Response {
    let state = &demo.server;
    match open(state, &channel, peer, &headers, query.last_event_id).await {
        Ok(opened) => {
            let live = live_events(opened.live).take(query.drop_after.unwrap_or(usize::MAX));
            // Authorized by a JWT: the stream ends when the token expires, as the library's does.
            match grant {
                Some(Extension(grant)) => respond(
                    state,
                    opened.prelude,
                    until_expiry(live, &grant),
                    opened.slot,
                ),
                None => respond(state, opened.prelude, live, opened.slot),
            }
        }
        Err(refused) => refused,
    }
}
// ANCHOR_END: drop_after

async fn page(State(demo): State<DemoState>) -> Html<String> {
    let book_link = if demo.book {
        "<a href=\"/book/\">Read the course book</a>"
    } else {
        "The course book is not built yet: run <code>mdbook build book</code> and restart to read it here."
    };
    let node = demo.server.node.to_str().unwrap_or("node");
    // The node name is the operator's, but it goes into HTML: keep it to plain characters.
    let node: String = node
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    let hub = if demo.server.hub_is_shared() {
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
