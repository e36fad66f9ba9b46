//! Recording a live stream: every request, response head, chunk and end, as it came.
//!
//! The reconnection rules are `sse-client`'s sans-IO [`Core`] (backoff, `Retry-After`,
//! `Last-Event-ID`, the idle timeout): this module is one more thin driver around it, like
//! `EventSource`, that also writes down what crossed the wire.

use std::io::Write;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use sse_client::sansio::{Action, Config, Core, Output};

use crate::format::{self, Line, Request, Response, What};

/// What to record and when to stop.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordOptions {
    /// The request method (`GET` by default; a `POST` does not reconnect, as with `sse chat`).
    pub method: Method,
    /// Extra request headers (recorded with secrets redacted, sent as given).
    pub headers: Vec<(String, String)>,
    /// A request body (a JSON body for `POST`).
    pub body: Option<Bytes>,
    /// Stop after this many events.
    pub count: Option<u64>,
    /// Stop after this long.
    pub duration: Option<Duration>,
    /// Stop after this many connections.
    pub max_connections: Option<u32>,
    /// How long the response head may take (10 s).
    pub connect_timeout: Duration,
    /// How long a connection may stay silent (60 s).
    pub idle_timeout: Option<Duration>,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            method: Method::GET,
            headers: Vec::new(),
            body: None,
            count: None,
            duration: None,
            max_connections: None,
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Some(Duration::from_secs(60)),
        }
    }
}

impl RecordOptions {
    /// A `POST` with this JSON body (`content-type: application/json`).
    pub fn with_json_body(mut self, body: &serde_json::Value) -> Self {
        self.method = Method::POST;
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self.body = Some(Bytes::from(body.to_string()));
        self
    }

    /// Adds a request header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Stops after `count` events.
    pub fn with_count(mut self, count: u64) -> Self {
        self.count = Some(count);
        self
    }

    /// Stops after `duration`.
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Stops after `connections` connections.
    pub fn with_max_connections(mut self, connections: u32) -> Self {
        self.max_connections = Some(connections);
        self
    }
}

/// What a recording session saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Connections made (refused ones included).
    pub connections: u32,
    /// Events dispatched.
    pub events: u64,
    /// Body bytes recorded.
    pub bytes: u64,
    /// Why it stopped: `count`, `duration`, `connections`, `stopped`, `done` (the server ended
    /// the stream for good), or the client's error.
    pub ended: String,
}

/// Why recording could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The URL or a header is not valid.
    #[error("{0}")]
    Invalid(String),
    /// Writing the recording failed.
    #[error("writing the recording: {0}")]
    Write(#[from] std::io::Error),
}

/// The longest error body recorded (an HTML error page, a JSON error).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Records `url` into `out` (the version line first, then a line per thing that happened, each
/// flushed as it is written) until `options` says stop, the server ends the stream for good, the
/// client gives up, or `stop` completes (Ctrl-C, say).
pub async fn record(
    url: &str,
    options: &RecordOptions,
    out: &mut (impl Write + Send),
    stop: impl Future<Output = ()>,
) -> Result<Summary, RecordError> {
    let url =
        url::Url::parse(url).map_err(|e| RecordError::Invalid(format!("URL {url:?}: {e}")))?;
    let mut headers = HeaderMap::new();
    for (name, value) in &options.headers {
        let name = HeaderName::try_from(name.as_str())
            .map_err(|_| RecordError::Invalid(format!("header name {name:?}")))?;
        let value = HeaderValue::try_from(value.as_str()).map_err(|_| {
            RecordError::Invalid(format!("the value of header {name} is not valid"))
        })?;
        headers.append(name, value);
    }
    let client = reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .build()
        .map_err(|e| RecordError::Invalid(format!("HTTP client: {e}")))?;
    let mut config = Config::default();
    config.reconnect = options.method == Method::GET;
    config.idle_timeout = options.idle_timeout;
    config.connect_timeout = Some(options.connect_timeout);
    let mut core = Core::new(config);
    let start = Instant::now();
    let deadline = options.duration.and_then(|d| start.checked_add(d));
    let mut summary = Summary::default();
    let recorded_url = format::redact_url(&url);
    format::write_header(&mut *out)?;
    out.flush()?;
    tokio::pin!(stop);

    let write = |out: &mut (dyn Write + Send), conn: u32, what: What| -> std::io::Result<()> {
        format::write_line(&mut *out, &Line::since(start, conn, what))?;
        out.flush()
    };

    loop {
        count_messages(&mut core, &mut summary.events);
        if options.count.is_some_and(|count| summary.events >= count) {
            summary.ended = "count".into();
            break;
        }
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            summary.ended = "duration".into();
            break;
        }
        match core.poll_action(now) {
            Some(Action::Connect(extra)) => {
                if options
                    .max_connections
                    .is_some_and(|max| summary.connections >= max)
                {
                    summary.ended = "connections".into();
                    break;
                }
                summary.connections = summary.connections.saturating_add(1);
                let conn = summary.connections;
                let mut request_headers = headers.clone();
                for (name, value) in &extra {
                    request_headers.insert(name, value.clone());
                }
                write(
                    out,
                    conn,
                    What::Request(Request {
                        method: options.method.to_string(),
                        url: recorded_url.clone(),
                        headers: format::recorded_headers(&request_headers),
                        body: options
                            .body
                            .as_ref()
                            .map(|b| String::from_utf8_lossy(b).into_owned()),
                    }),
                )?;
                let mut request = client
                    .request(options.method.clone(), url.clone())
                    .headers(request_headers);
                if let Some(body) = &options.body {
                    request = request.body(body.clone());
                }
                let sent = tokio::select! {
                    result = tokio::time::timeout(options.connect_timeout, request.send()) => result,
                    () = &mut stop => {
                        write(out, conn, What::End("stopped".into()))?;
                        summary.ended = "stopped".into();
                        break;
                    }
                };
                let response = match sent {
                    Ok(Ok(response)) => response,
                    Ok(Err(_)) | Err(_) => {
                        write(out, conn, What::End("refused".into()))?;
                        core.handle_error(Instant::now());
                        continue;
                    }
                };
                let status = response.status();
                let response_headers = response.headers().clone();
                write(
                    out,
                    conn,
                    What::Response(Response {
                        status: status.as_u16(),
                        headers: format::recorded_headers(&response_headers),
                    }),
                )?;
                core.handle_response(status, &response_headers, Instant::now());
                let reading = core.ready_state() == sse_client::sansio::ReadyState::Open;
                // An error body is recorded too (bounded): it says why the server refused.
                let limit = if reading { None } else { Some(MAX_ERROR_BODY) };
                let mut body = response.bytes_stream();
                let mut kept = 0usize;
                let end = loop {
                    let idle = core.poll_timeout();
                    let next = tokio::select! {
                        chunk = body.next() => chunk,
                        () = sleep_until(idle.or(deadline)) => {
                            let now = Instant::now();
                            if deadline.is_some_and(|d| now >= d) {
                                break "stopped";
                            }
                            core.handle_timeout(now);
                            if core.ready_state() != sse_client::sansio::ReadyState::Open && reading {
                                break "idle";
                            }
                            continue;
                        }
                        () = &mut stop => break "stopped",
                    };
                    match next {
                        Some(Ok(chunk)) => {
                            summary.bytes = summary.bytes.saturating_add(chunk.len() as u64);
                            let room = limit.map_or(chunk.len(), |l| l.saturating_sub(kept));
                            let chunk = &chunk[..chunk.len().min(room)];
                            kept += chunk.len();
                            if !chunk.is_empty() {
                                write(out, conn, What::from_chunk(chunk))?;
                            }
                            if reading {
                                core.handle_bytes(chunk, Instant::now());
                                count_messages(&mut core, &mut summary.events);
                                if options.count.is_some_and(|c| summary.events >= c) {
                                    break "count";
                                }
                            }
                            if limit.is_some_and(|l| kept >= l) {
                                break "stopped";
                            }
                        }
                        Some(Err(_)) => {
                            if reading {
                                core.handle_error(Instant::now());
                            }
                            break "cut";
                        }
                        None => {
                            if reading {
                                core.handle_eof(Instant::now());
                            }
                            break "eof";
                        }
                    }
                };
                match end {
                    "count" | "stopped" => {
                        write(out, conn, What::End("stopped".into()))?;
                        summary.ended = end.into();
                        break;
                    }
                    other => write(out, conn, What::End(other.into()))?,
                }
            }
            Some(Action::Wait { until, .. }) => {
                let wake = deadline.map_or(until, |d| d.min(until));
                tokio::select! {
                    () = tokio::time::sleep_until(wake.into()) => core.handle_timeout(Instant::now()),
                    () = &mut stop => {
                        summary.ended = "stopped".into();
                        break;
                    }
                }
            }
            Some(Action::Stop) => {
                summary.ended = "done".into();
                break;
            }
            Some(Action::Fail(cause)) => {
                summary.ended = format!("the client gave up: {cause:?}");
                break;
            }
            // An action added to the core after this driver was written: stopping is the one
            // safe answer (guessing could reconnect in a loop).
            Some(other) => {
                summary.ended = format!("an action this recorder does not know: {other:?}");
                break;
            }
            None => match core.poll_timeout() {
                Some(at) => {
                    tokio::time::sleep_until(at.into()).await;
                    core.handle_timeout(Instant::now());
                }
                None => {
                    summary.ended = "done".into();
                    break;
                }
            },
        }
    }
    Ok(summary)
}

/// Takes the core's pending events, counting the messages into `events`.
fn count_messages(core: &mut Core, events: &mut u64) {
    while let Some(event) = core.poll_output() {
        if let Output::Message(_) = event {
            *events = events.saturating_add(1);
        }
    }
}

/// Sleeps until `at`, or forever without one.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
