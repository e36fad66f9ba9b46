//! [`EventSource`]: a reconnecting event stream client with the browser's semantics.

use std::pin::Pin;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Response, Url};
use sse_format::{EventStream, Frame, MessageEvent, Parser, StreamError};
use tokio::time::Instant;

use crate::error::Error;
use crate::retry::{Backoff, Disposition, classify_status, parse_retry_after};

/// The connection state, as `EventSource.readyState` in a browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadyState {
    /// Connecting, or waiting to reconnect.
    Connecting,
    /// Connected: events are arriving.
    Open,
    /// Closed for good: by the caller, by the server (204), or after a fatal error.
    Closed,
}

/// What [`EventSource::next`] yields.
#[derive(Debug)]
#[non_exhaustive]
pub enum SourceEvent {
    /// A connection opened (the browser's `open` event).
    Open,
    /// An event arrived.
    Message(MessageEvent),
    /// The connection failed or ended; the client will reconnect after `delay`.
    Retrying {
        /// How long it will wait before reconnecting.
        delay: Duration,
        /// How many consecutive attempts have failed.
        attempt: u32,
        /// What went wrong.
        cause: Error,
    },
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

enum State {
    Connecting,
    Waiting(Instant),
    Open(Box<EventStream<ByteStream>>),
    Closed,
}

/// A client for one event stream, reconnecting as a browser's `EventSource` does, with more
/// control: custom headers, `POST` with a JSON body, backoff with jitter, `Retry-After`, an idle
/// timeout, and limits on retrying.
///
/// ```no_run
/// # async fn demo() -> Result<(), sse_client::Error> {
/// use sse_client::{EventSource, SourceEvent};
///
/// let mut source = EventSource::builder("http://127.0.0.1:3000/events").build()?;
/// while let Some(item) = source.next().await {
///     match item? {
///         SourceEvent::Message(event) => println!("{}: {}", event.event_type(), event.data()),
///         SourceEvent::Retrying { delay, cause, .. } => eprintln!("{cause}; retrying in {delay:?}"),
///         _ => {}
///     }
/// }
/// # Ok(()) }
/// ```
pub struct EventSource {
    client: reqwest::Client,
    url: Url,
    method: Method,
    headers: HeaderMap,
    body: Option<Bytes>,
    reconnect: bool,
    reconnection_time: Duration,
    backoff: Backoff,
    max_retries: Option<u32>,
    retry_deadline: Option<Duration>,
    idle_timeout: Option<Duration>,
    connect_timeout: Duration,
    parser_limits: sse_format::Limits,
    rng: fastrand::Rng,

    state: State,
    last_event_id: String,
    failures: u32,
    failing_since: Option<Instant>,
}

impl std::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSource")
            .field("url", &self.url.as_str())
            .field("method", &self.method)
            .field("ready_state", &self.ready_state())
            .field("last_event_id", &self.last_event_id)
            .field("reconnection_time", &self.reconnection_time)
            .finish_non_exhaustive()
    }
}

/// Configures an [`EventSource`]; see [`EventSource::builder`].
#[derive(Debug)]
pub struct Builder {
    url: String,
    client: Option<reqwest::Client>,
    method: Method,
    headers: Vec<(String, String)>,
    body: Option<Bytes>,
    reconnect: Option<bool>,
    last_event_id: String,
    reconnection_time: Duration,
    backoff: Backoff,
    max_retries: Option<u32>,
    retry_deadline: Option<Duration>,
    idle_timeout: Option<Duration>,
    connect_timeout: Duration,
    parser_limits: sse_format::Limits,
    seed: Option<u64>,
}

impl Builder {
    /// Uses this reqwest client (connection pool, proxy, TLS settings) instead of a new one.
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Sends a `POST` with this JSON body, as AI APIs expect. Reconnecting is then off unless
    /// [`Builder::reconnect`] turns it on: repeating a request that generates text would
    /// generate (and bill) it again.
    pub fn post_json(mut self, body: &serde_json::Value) -> Self {
        self.method = Method::POST;
        self.body = Some(Bytes::from(body.to_string()));
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self
    }

    /// Adds a request header (for example `Authorization`), sent on every (re)connection.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer_auth(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }

    /// Whether to reconnect when the stream ends or fails (default: on for GET, off for POST).
    pub fn reconnect(mut self, reconnect: bool) -> Self {
        self.reconnect = Some(reconnect);
        self
    }

    /// Resumes from this id: it is sent as `Last-Event-ID` on the first connection too.
    pub fn last_event_id(mut self, id: impl Into<String>) -> Self {
        self.last_event_id = id.into();
        self
    }

    /// The initial reconnection time (default 3 s, as browsers); the server's `retry:` replaces it.
    pub fn reconnection_time(mut self, time: Duration) -> Self {
        self.reconnection_time = time;
        self
    }

    /// How the wait grows over consecutive failures.
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Gives up after this many consecutive failed attempts (default: never).
    pub fn max_retries(mut self, attempts: u32) -> Self {
        self.max_retries = Some(attempts);
        self
    }

    /// Gives up when failures have gone on for this long without a successful event (default:
    /// never).
    pub fn retry_deadline(mut self, deadline: Duration) -> Self {
        self.retry_deadline = Some(deadline);
        self
    }

    /// Treats the connection as dead when no byte arrives for this long (default 60 s; servers
    /// send keep-alive comments more often than that). `None` waits forever.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long to wait for the response headers (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Parser limits (line and event size).
    pub fn limits(mut self, limits: sse_format::Limits) -> Self {
        self.parser_limits = limits;
        self
    }

    /// Seeds the jitter, for reproducible delays in tests.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Checks the settings and creates the client. Nothing is sent until [`EventSource::next`].
    pub fn build(self) -> Result<EventSource, Error> {
        let url = Url::parse(&self.url)
            .map_err(|e| Error::InvalidRequest(format!("bad URL {:?}: {e}", self.url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!(
                "{url}: only http and https URLs are supported"
            )));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|e| Error::InvalidRequest(format!("header name {name:?}: {e}")))?;
            let value = HeaderValue::try_from(value.as_str()).map_err(|e| {
                Error::InvalidRequest(format!("header {name}: value {value:?}: {e}"))
            })?;
            headers.insert(name, value);
        }
        let client = match self.client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::InvalidRequest(format!("creating the HTTP client: {e}")))?,
        };
        let reconnect = self.reconnect.unwrap_or(self.method == Method::GET);
        Ok(EventSource {
            client,
            url,
            method: self.method,
            headers,
            body: self.body,
            reconnect,
            reconnection_time: self.reconnection_time,
            backoff: self.backoff,
            max_retries: self.max_retries,
            retry_deadline: self.retry_deadline,
            idle_timeout: self.idle_timeout,
            connect_timeout: self.connect_timeout,
            parser_limits: self.parser_limits,
            rng: self
                .seed
                .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
            state: State::Connecting,
            last_event_id: self.last_event_id,
            failures: 0,
            failing_since: None,
        })
    }
}

/// Why a connection attempt did not open a stream.
enum Refused {
    Retry(Error, Option<Duration>),
    Fail(Error),
    Stop,
}

impl EventSource {
    /// Starts configuring a client for `url` (a `GET` by default).
    pub fn builder(url: impl Into<String>) -> Builder {
        Builder {
            url: url.into(),
            client: None,
            method: Method::GET,
            headers: Vec::new(),
            body: None,
            reconnect: None,
            last_event_id: String::new(),
            reconnection_time: Duration::from_secs(3),
            backoff: Backoff::default(),
            max_retries: None,
            retry_deadline: None,
            idle_timeout: Some(Duration::from_secs(60)),
            connect_timeout: Duration::from_secs(10),
            parser_limits: sse_format::Limits::default(),
            seed: None,
        }
    }

    /// The connection state.
    pub fn ready_state(&self) -> ReadyState {
        match self.state {
            State::Connecting | State::Waiting(_) => ReadyState::Connecting,
            State::Open(_) => ReadyState::Open,
            State::Closed => ReadyState::Closed,
        }
    }

    /// The last event ID: sent as `Last-Event-ID` when reconnecting.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The current reconnection time (the server's `retry:` field changes it).
    pub fn reconnection_time(&self) -> Duration {
        self.reconnection_time
    }

    /// The URL this client reads.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Closes the stream for good; [`EventSource::next`] returns `None` from now on.
    pub fn close(&mut self) {
        self.state = State::Closed;
    }

    /// Turns the client into a `Stream` (for `StreamExt` combinators).
    pub fn into_stream(self) -> impl Stream<Item = Result<SourceEvent, Error>> + Send {
        futures::stream::unfold(self, |mut source| async move {
            let item = source.next().await?;
            Some((item, source))
        })
    }

    // ANCHOR: next
    /// Waits for the next thing to happen: an event, an (re)opened connection, a scheduled
    /// reconnection, or an error. `None` once closed.
    ///
    /// Errors that end the stream (a 404, a wrong content type, exhausted retries) close it: the
    /// next call returns `None`. A [`Error::Parse`] error reports one skipped event; reading goes
    /// on. Cancel-safe: dropping the future loses nothing.
    pub async fn next(&mut self) -> Option<Result<SourceEvent, Error>> {
        loop {
            match &mut self.state {
                State::Closed => return None,
                State::Waiting(until) => {
                    tokio::time::sleep_until(*until).await;
                    self.state = State::Connecting;
                }
                State::Connecting => match self.connect().await {
                    Ok(response) => {
                        let mut parser = Parser::with_limits(self.parser_limits);
                        parser.set_last_event_id(&self.last_event_id);
                        let body: ByteStream = Box::pin(response.bytes_stream());
                        self.state = State::Open(Box::new(EventStream::with_parser(body, parser)));
                        return Some(Ok(SourceEvent::Open));
                    }
                    Err(Refused::Stop) => {
                        self.state = State::Closed;
                        return None;
                    }
                    Err(Refused::Fail(error)) => {
                        self.state = State::Closed;
                        return Some(Err(error));
                    }
                    Err(Refused::Retry(error, retry_after)) => {
                        return Some(self.schedule_reconnect(error, retry_after));
                    }
                },
                State::Open(stream) => {
                    let item = match self.idle_timeout {
                        Some(limit) => match tokio::time::timeout(limit, stream.next()).await {
                            Ok(item) => item,
                            Err(_) => {
                                return Some(
                                    self.schedule_reconnect(Error::IdleTimeout(limit), None),
                                );
                            }
                        },
                        None => stream.next().await,
                    };
                    // The id can change on a blank line without an event (an id-only block).
                    if stream.parser().last_event_id() != self.last_event_id {
                        self.last_event_id = stream.parser().last_event_id().to_owned();
                    }
                    match item {
                        Some(Ok(Frame::Event(event))) => {
                            self.failures = 0;
                            self.failing_since = None;
                            return Some(Ok(SourceEvent::Message(event)));
                        }
                        Some(Ok(Frame::Retry(time))) => self.reconnection_time = time,
                        Some(Err(StreamError::Parse(error))) => {
                            return Some(Err(Error::Parse(error)));
                        }
                        Some(Err(StreamError::Transport(error))) => {
                            return Some(self.schedule_reconnect(Error::Transport(error), None));
                        }
                        None => {
                            let mid_event = stream.ended_mid_event();
                            let end = Error::EndOfStream { mid_event };
                            if !self.reconnect && !mid_event {
                                // A POST stream (an AI answer) that ends cleanly is simply done.
                                self.state = State::Closed;
                                return None;
                            }
                            return Some(self.schedule_reconnect(end, None));
                        }
                    }
                }
            }
        }
    }
    // ANCHOR_END: next

    /// Sends the request and sorts the response into open, retry, fail or stop.
    async fn connect(&mut self) -> Result<Response, Refused> {
        let mut request = self
            .client
            .request(self.method.clone(), self.url.clone())
            .header(ACCEPT, "text/event-stream")
            .header(CACHE_CONTROL, "no-store")
            .headers(self.headers.clone());
        if !self.last_event_id.is_empty() {
            // The parser guarantees no CR, LF or NUL in an id, so this cannot fail for ids it read.
            if let Ok(value) = HeaderValue::from_bytes(self.last_event_id.as_bytes()) {
                request = request.header("last-event-id", value);
            }
        }
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        let url = self.url.to_string();
        let response = match tokio::time::timeout(self.connect_timeout, request.send()).await {
            Err(_) => {
                let timeout = self.connect_timeout;
                return Err(Refused::Retry(Error::ConnectTimeout { url, timeout }, None));
            }
            Ok(Err(source)) => return Err(Refused::Retry(Error::Connect { url, source }, None)),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        match classify_status(status) {
            Disposition::Open => {
                let found = response
                    .headers()
                    .get(CONTENT_TYPE)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                if found.as_deref().is_some_and(is_event_stream) {
                    Ok(response)
                } else {
                    Err(Refused::Fail(Error::ContentType { url, found }))
                }
            }
            Disposition::Stop => Err(Refused::Stop),
            disposition => {
                let retry_after = retry_after(response.headers(), SystemTime::now());
                let body = read_snippet(response, Duration::from_secs(2)).await;
                let error = Error::Status {
                    url,
                    status,
                    retry_after,
                    body,
                };
                if disposition == Disposition::Retry {
                    Err(Refused::Retry(error, retry_after))
                } else {
                    Err(Refused::Fail(error))
                }
            }
        }
    }

    /// Decides whether to try again, and when.
    fn schedule_reconnect(
        &mut self,
        cause: Error,
        retry_after: Option<Duration>,
    ) -> Result<SourceEvent, Error> {
        if !self.reconnect {
            self.state = State::Closed;
            return Err(cause);
        }
        self.failures = self.failures.saturating_add(1);
        let now = Instant::now();
        let since = *self.failing_since.get_or_insert(now);
        let over_deadline = self
            .retry_deadline
            .is_some_and(|d| now.duration_since(since) >= d);
        if self.max_retries.is_some_and(|max| self.failures > max) || over_deadline {
            self.state = State::Closed;
            return Err(Error::RetriesExhausted {
                attempts: self.failures,
                last: Box::new(cause),
            });
        }
        let delay = self.backoff.delay(
            self.reconnection_time,
            self.failures,
            retry_after,
            self.rng.f64(),
        );
        self.state = State::Waiting(now + delay);
        Ok(SourceEvent::Retrying {
            delay,
            attempt: self.failures,
            cause,
        })
    }
}

/// `text/event-stream`, in any case, with any parameters (`; charset=utf-8`).
fn is_event_stream(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case(sse_format::MIME_TYPE)
}

/// `retry-after-ms` (sent by OpenAI and honoured by its SDKs), then `Retry-After`.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    text("retry-after").and_then(|v| parse_retry_after(v, now))
}

/// The first 4 KiB of an error body, which usually explains the error.
async fn read_snippet(response: Response, within: Duration) -> String {
    const MAX: usize = 4096;
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    let read = async {
        while let Some(Ok(chunk)) = stream.next().await {
            body.extend_from_slice(&chunk);
            if body.len() >= MAX {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(within, read).await;
    body.truncate(MAX);
    String::from_utf8_lossy(&body).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(is_event_stream("text/event-stream"));
        assert!(is_event_stream("Text/Event-Stream; charset=utf-8"));
        assert!(!is_event_stream("application/json"));
        assert!(!is_event_stream("text/event-streams"));
    }

    #[test]
    fn retry_after_prefers_milliseconds() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(2))
        );
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_millis(250))
        );
    }
}
