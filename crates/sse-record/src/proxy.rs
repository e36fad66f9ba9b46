//! A local reverse proxy for watching (and recording) the streams an app receives: point the app's
//! base URL (`OPENAI_BASE_URL`, say) at it, and every request goes to the upstream while each
//! response streams back chunk by chunk as it arrives, never buffered.
//!
//! Bounded as a server must be: the request body size, the number of connections in flight, the
//! time to the upstream's response head, and the size of an event the printer parses (a larger
//! one is reported and skipped by the printer; the bytes still pass through untouched).

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use sse_format::{Frame, Limits, MessageEvent, Parser};

use crate::format::{self, Line, What};

/// Called with the connection number and each event that passes through an event stream.
pub type OnEvent = Arc<dyn Fn(u32, &MessageEvent) + Send + Sync>;

/// How the proxy forwards, what it bounds, and what it does with what passes.
#[derive(Clone)]
#[non_exhaustive]
pub struct ProxyConfig {
    /// Where requests go: the path and query of each request are appended to it.
    pub upstream: url::Url,
    /// The largest request body forwarded (1 MiB); larger ones get a 413.
    pub max_request_body: usize,
    /// Connections in flight at once (256); more get a 503.
    pub max_connections: usize,
    /// How long the upstream may take to send its response head (60 s).
    pub response_timeout: Duration,
    /// The largest event or line the printer parses (1 MiB).
    pub max_event_bytes: usize,
    /// Called for each event of each event stream.
    pub on_event: Option<OnEvent>,
    /// Where to record every request, response head, chunk and end (JSON Lines).
    pub record: Option<Arc<Mutex<Box<dyn Write + Send>>>>,
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("upstream", &format::redact_url(&self.upstream))
            .field("max_request_body", &self.max_request_body)
            .field("max_connections", &self.max_connections)
            .field("response_timeout", &self.response_timeout)
            .field("max_event_bytes", &self.max_event_bytes)
            .finish_non_exhaustive()
    }
}

impl ProxyConfig {
    /// Forwards to `upstream` with the default bounds, printing and recording nothing.
    pub fn new(upstream: url::Url) -> Self {
        ProxyConfig {
            upstream,
            max_request_body: 1 << 20,
            max_connections: 256,
            response_timeout: Duration::from_secs(60),
            max_event_bytes: 1 << 20,
            on_event: None,
            record: None,
        }
    }

    /// Calls `on_event` for each event that passes.
    pub fn with_on_event(mut self, on_event: OnEvent) -> Self {
        self.on_event = Some(on_event);
        self
    }

    /// Records everything that passes into `out` (it gets the version line now).
    pub fn with_recording(mut self, mut out: Box<dyn Write + Send>) -> std::io::Result<Self> {
        format::write_header(&mut out)?;
        out.flush()?;
        self.record = Some(Arc::new(Mutex::new(out)));
        Ok(self)
    }

    /// Sets the number of connections in flight at once.
    pub fn with_max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections;
        self
    }

    /// Sets the largest request body forwarded.
    pub fn with_max_request_body(mut self, bytes: usize) -> Self {
        self.max_request_body = bytes;
        self
    }
}

struct State {
    config: ProxyConfig,
    client: reqwest::Client,
    slots: Arc<tokio::sync::Semaphore>,
    connections: AtomicU32,
    start: Instant,
}

impl State {
    fn record(&self, conn: u32, what: What) {
        let Some(out) = &self.config.record else {
            return;
        };
        let line = Line::since(self.start, conn, what);
        // A recording that cannot be written must not break the app's stream.
        if let Ok(mut out) = out.lock() {
            let _ = format::write_line(&mut *out, &line).and_then(|()| out.flush());
        }
    }
}

/// The proxy as an axum router (any path, any method).
pub fn router(config: ProxyConfig) -> Result<Router, reqwest::Error> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        // The app's redirects are the app's business: pass them back, do not follow them.
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let state = Arc::new(State {
        slots: Arc::new(tokio::sync::Semaphore::new(config.max_connections)),
        config,
        client,
        connections: AtomicU32::new(0),
        start: Instant::now(),
    });
    Ok(Router::new().fallback(move |request: Request| {
        let state = state.clone();
        async move { forward(state, request).await }
    }))
}

fn copy_headers(from: &HeaderMap) -> HeaderMap {
    let mut to = HeaderMap::new();
    for (name, value) in from {
        if !format::is_hop_by_hop(name) {
            to.append(name.clone(), value.clone());
        }
    }
    to
}

async fn forward(state: Arc<State>, request: Request) -> Response {
    let Ok(permit) = state.slots.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "sse proxy: too many connections in flight\n",
        )
            .into_response();
    };
    let conn = state
        .connections
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_add(1);
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, state.config.max_request_body).await {
        Ok(body) => body,
        Err(_) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "sse proxy: request body over {} bytes\n",
                    state.config.max_request_body
                ),
            )
                .into_response();
        }
    };
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .trim_start_matches('/');
    let mut url = state.config.upstream.clone();
    // `upstream` may carry a path prefix (`https://api.openai.com/v1`): keep it.
    let base_path = url.path().trim_end_matches('/').to_owned();
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    url.set_path(&format!("{base_path}/{path}"));
    url.set_query((!query.is_empty()).then_some(query));
    let headers = copy_headers(&parts.headers);
    state.record(
        conn,
        What::Request(format::Request {
            method: parts.method.to_string(),
            url: format::redact_url(&url),
            headers: format::recorded_headers(&headers),
            body: (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned()),
        }),
    );
    let sent = state
        .client
        .request(parts.method.clone(), url)
        .headers(headers)
        .body(body)
        .send();
    let upstream = match tokio::time::timeout(state.config.response_timeout, sent).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            state.record(conn, What::End("refused".into()));
            // The error names the upstream and the cause; reqwest never prints header values.
            return (
                StatusCode::BAD_GATEWAY,
                format!("sse proxy: the upstream failed: {error}\n"),
            )
                .into_response();
        }
        Err(_) => {
            state.record(conn, What::End("refused".into()));
            return (
                StatusCode::GATEWAY_TIMEOUT,
                "sse proxy: the upstream sent no response head in time\n",
            )
                .into_response();
        }
    };
    let status = upstream.status();
    let headers = copy_headers(upstream.headers());
    state.record(
        conn,
        What::Response(format::Response {
            status: status.as_u16(),
            headers: format::recorded_headers(&headers),
        }),
    );
    let is_stream = headers
        .get("content-type")
        .is_some_and(|v| sse_client::sansio::is_event_stream(v.as_bytes()));
    let mut parser = is_stream.then(|| {
        Parser::with_limits(
            Limits::default()
                .max_line_len(state.config.max_event_bytes)
                .max_event_size(state.config.max_event_bytes),
        )
    });
    let tap = state.clone();
    let cut = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let was_cut = cut.clone();
    let body = upstream
        .bytes_stream()
        .map(move |chunk| {
            // Held until the body ends: the connection counts against the cap while it streams.
            let _permit = &permit;
            match &chunk {
                Ok(bytes) => {
                    tap.record(conn, What::from_chunk(bytes));
                    if let (Some(parser), Some(on_event)) = (&mut parser, &tap.config.on_event) {
                        for frame in parser.feed(bytes) {
                            if let Ok(Frame::Event(event)) = frame {
                                on_event(conn, &event);
                            }
                        }
                    }
                }
                Err(_) => {
                    cut.store(true, Ordering::Relaxed);
                    tap.record(conn, What::End("cut".into()));
                }
            }
            chunk.map_err(std::io::Error::other)
        })
        .chain(futures::stream::once({
            let tap = state.clone();
            async move {
                if !was_cut.load(Ordering::Relaxed) {
                    tap.record(conn, What::End("eof".into()));
                }
                Ok::<_, std::io::Error>(Bytes::new())
            }
        }))
        .filter(|chunk| std::future::ready(!matches!(chunk, Ok(b) if b.is_empty())));
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}
