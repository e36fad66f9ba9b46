//! [`EventSource`]: a reconnecting event stream client with the browser's semantics.
//!
//! This file is the driver: it does the I/O (reqwest) and the waiting (tokio), and asks the
//! sans-IO [`Core`] what every byte, status and deadline means. No
//! reconnection rule lives here.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use crate::error::Error;
use crate::redirect::{MAX_REDIRECTS, SECRET_HEADERS, next_hop, redact};
use crate::retry::Backoff;
pub use crate::sansio::ReadyState;
use crate::sansio::{Action, Cause, Config, Core, Output, escape_controls};

/// What [`EventSource::next`] yields.
#[derive(Debug)]
#[non_exhaustive]
pub enum SourceEvent {
    /// A connection opened (the browser's `open` event).
    Open,
    /// An event arrived.
    Message(sse_format::MessageEvent),
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

/// What a connection attempt came back with: the response head, and either the body to read
/// (200) or the start of an error body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Option<ByteStream>,
    snippet: String,
}

type Connecting = Pin<Box<dyn Future<Output = reqwest::Result<Answer>> + Send>>;

/// An error of a token refresher.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a token refresher returns: a future of a new token.
type TokenFuture = Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send>>;

type Refresher = Arc<dyn Fn() -> TokenFuture + Send + Sync>;

/// The I/O in progress. A request in flight lives here, not in the `next()` future, so dropping
/// `next()` does not drop (and later resend) it; a token being fetched likewise.
enum Io {
    Idle,
    Connecting(Connecting),
    Reading(ByteStream),
    Refreshing(TokenFuture),
}

/// What the driver waited for.
enum Happened {
    Answer(reqwest::Result<Answer>),
    Chunk(Option<reqwest::Result<Bytes>>),
    Token(Result<String, BoxError>),
    Deadline,
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
    secrets: Vec<HeaderName>,
    body: Option<Bytes>,
    core: Core,
    io: Io,
    /// The transport error behind the core's last `Cause::Connect` or `Cause::Transport`.
    last_error: Option<reqwest::Error>,
    /// The start of the last error response's body.
    snippet: String,
    refresher: Option<Refresher>,
    /// Why the refresher failed, for the core's `Cause::TokenRefresh`.
    refresh_error: Option<BoxError>,
    /// How long the refresher may take (the connect timeout).
    refresh_timeout: Duration,
}

impl std::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSource")
            .field("url", &redact(&self.url))
            .field("method", &self.method)
            .field("ready_state", &self.ready_state())
            .field("last_event_id", &self.last_event_id())
            .field("reconnection_time", &self.reconnection_time())
            .finish_non_exhaustive()
    }
}

/// Configures an [`EventSource`]; see [`EventSource::builder`].
pub struct Builder {
    url: String,
    client: Option<reqwest::ClientBuilder>,
    body_error: Option<String>,
    method: Method,
    headers: Vec<(String, String)>,
    secrets: Vec<String>,
    body: Option<Bytes>,
    reconnect: Option<bool>,
    connect_timeout: Duration,
    root_certificates: Vec<reqwest::Certificate>,
    config: Config,
    refresher: Option<Refresher>,
}

/// Never prints header values or a URL password: a `Debug` print of a builder ends up in logs.
impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = Url::parse(&self.url).map_or_else(|_| "(invalid URL)".to_owned(), |u| redact(&u));
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Builder")
            .field("url", &url)
            .field("method", &self.method)
            .field("header_names", &names)
            .field("reconnect", &self.reconnect)
            .field("token_refresher", &self.refresher.is_some())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Builder {
    /// Starts from this reqwest client builder (proxy, TLS, timeouts, pool settings) instead of
    /// a default one. The `EventSource` still sets what its guarantees depend on: no redirect
    /// policy of reqwest's own (it follows redirects itself, at most 10, dropping secret headers
    /// when one leaves the origin; reqwest's default policy would forward `x-api-key` anywhere),
    /// its connect timeout, and the certificates of [`Builder::root_certificates_pem`].
    pub fn client_builder(mut self, client: reqwest::ClientBuilder) -> Self {
        self.client = Some(client);
        self
    }

    /// Also trusts the certificates of this PEM bundle (a private CA, or the self-signed certificate
    /// `sse serve --tls-self-signed` writes), besides the system's roots. HTTPS servers are spoken
    /// to over HTTP/2 when they offer it (ALPN), HTTP/1.1 otherwise.
    pub fn root_certificates_pem(mut self, pem: &[u8]) -> Result<Self, Error> {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::InvalidRequest(format!("reading the CA certificates: {e}")))?;
        if certificates.is_empty() {
            return Err(Error::InvalidRequest(
                "reading the CA certificates: no PEM certificate found".into(),
            ));
        }
        self.root_certificates.extend(certificates);
        Ok(self)
    }

    /// Sends a `POST` with this JSON body, as AI APIs expect: any `Serialize` value (a
    /// `serde_json::Value`, or a request struct of one's own). Reconnecting is then off unless
    /// [`Builder::reconnect`] turns it on: repeating a request that generates text would
    /// generate (and bill) it again. A value that cannot be serialized makes
    /// [`Builder::build`] fail.
    pub fn post_json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.method = Method::POST;
        match serde_json::to_vec(body) {
            Ok(json) => self.body = Some(Bytes::from(json)),
            Err(e) => self.body_error = Some(format!("serializing the JSON body: {e}")),
        }
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self
    }

    /// Adds a request header, sent on every (re)connection. The credentials headers in
    /// [`SECRET_HEADERS`](crate::redirect::SECRET_HEADERS) (`Authorization`, `Cookie`,
    /// `x-api-key`, ...) are secret without asking: see [`Builder::secret_header`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a header that carries a credential: it is never sent to another origin after a
    /// redirect, and its value never appears in errors or `Debug` output.
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.secrets.push(name.to_ascii_lowercase());
        self.headers.push((name, value.into()));
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer_auth(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }

    // ANCHOR: token_refresher
    /// Fetches tokens with `refresher` (an async function returning a new token, sent as
    /// `Authorization: Bearer <token>`): before the first connection when no `Authorization`
    /// header is set, after a `401` (once: if the new token is refused too, the stream fails
    /// with that 401), and when the server ends the stream with a `token-expired` event, before
    /// reconnecting with `Last-Event-ID`. A refresher error ends the stream with
    /// [`Error::TokenRefresh`]; one that takes longer than the connect timeout counts as an error.
    ///
    /// Without a refresher a `401` is final, and so is a `token-expired` event ([`Error::TokenExpired`]):
    /// the same token would only be refused again.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), sse_client::Error> {
    /// let source = sse_client::EventSource::builder("http://127.0.0.1:3000/events/news")
    ///     .token_refresher(|| async {
    ///         // Ask the login service; here, a file another process keeps fresh.
    ///         std::fs::read_to_string("/run/sse/token").map(|t| t.trim().to_owned())
    ///     })
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn token_refresher<F, Fut, E>(mut self, refresher: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        self.refresher = Some(Arc::new(move || {
            let token = refresher();
            Box::pin(async move { token.await.map_err(Into::into) }) as TokenFuture
        }));
        self
    }
    // ANCHOR_END: token_refresher

    /// Whether to reconnect when the stream ends or fails (default: on for GET, off for POST).
    pub fn reconnect(mut self, reconnect: bool) -> Self {
        self.reconnect = Some(reconnect);
        self
    }

    /// Resumes from this id: it is sent as `Last-Event-ID` on the first connection too.
    pub fn last_event_id(mut self, id: impl Into<String>) -> Self {
        self.config.last_event_id = id.into();
        self
    }

    /// The initial reconnection time (default 3 s, as browsers); the server's `retry:` replaces it
    /// (never below [`MIN_RECONNECTION_TIME`](crate::retry::MIN_RECONNECTION_TIME)).
    pub fn reconnection_time(mut self, time: Duration) -> Self {
        self.config.reconnection_time = time;
        self
    }

    /// How the wait grows over consecutive failures, and its cap.
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.config.backoff = backoff;
        self
    }

    /// A connection must stay open this long (default 10 s) before the backoff and the retry
    /// deadline start again from the beginning.
    pub fn backoff_reset_after(mut self, time: Duration) -> Self {
        self.config.backoff_reset_after = time;
        self
    }

    /// Gives up after this many consecutive failed attempts (default: never).
    pub fn max_retries(mut self, attempts: u32) -> Self {
        self.config.max_retries = Some(attempts);
        self
    }

    /// Gives up when failures have gone on for this long without a stable connection (default:
    /// never).
    pub fn retry_deadline(mut self, deadline: Duration) -> Self {
        self.config.retry_deadline = Some(deadline);
        self
    }

    /// Treats the connection as dead when no byte arrives for this long (default 60 s; servers
    /// send keep-alive comments more often than that). `None` waits forever.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.idle_timeout = timeout;
        self
    }

    /// How long to wait for the response headers (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// Parser limits (line and event size).
    pub fn limits(mut self, limits: sse_format::Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Seeds the jitter, for reproducible delays in tests.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.config.jitter_seed = Some(seed);
        self
    }

    /// Checks the settings and creates the client. Nothing is sent until [`EventSource::next`].
    pub fn build(self) -> Result<EventSource, Error> {
        if let Some(error) = self.body_error {
            return Err(Error::InvalidRequest(error));
        }
        // The URL is not echoed: it may carry a password.
        let url =
            Url::parse(&self.url).map_err(|e| Error::InvalidRequest(format!("bad URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!(
                "{}: only http and https URLs are supported",
                redact(&url)
            )));
        }
        let mut secrets: Vec<HeaderName> = SECRET_HEADERS
            .iter()
            .map(|name| HeaderName::from_static(name))
            .collect();
        for name in &self.secrets {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|e| Error::InvalidRequest(format!("header name {name:?}: {e}")))?;
            secrets.push(name);
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|e| Error::InvalidRequest(format!("header name {name:?}: {e}")))?;
            // Never the value in the message: it is often a key (one ending in "\r", pasted
            // from a Windows file, is a classic).
            let mut value = HeaderValue::try_from(value.as_str()).map_err(|_| {
                Error::InvalidRequest(format!(
                    "header {name}: the value contains a character a header cannot carry \
                     (a line break or control character, such as a trailing \\r)"
                ))
            })?;
            if secrets.contains(&name) {
                value.set_sensitive(true);
            }
            headers.insert(name, value);
        }
        let client = self
            .root_certificates
            .into_iter()
            .fold(self.client.unwrap_or_default(), |client, certificate| {
                client.add_root_certificate(certificate)
            })
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::InvalidRequest(format!("creating the HTTP client: {e}")))?;
        let mut config = self.config;
        config.reconnect = self.reconnect.unwrap_or(self.method == Method::GET);
        config.refresh_token = self.refresher.is_some();
        let mut core = Core::new(config);
        if !headers.contains_key(AUTHORIZATION) {
            core.fetch_token_first();
        }
        Ok(EventSource {
            client,
            url,
            method: self.method,
            headers,
            secrets,
            body: self.body,
            core,
            io: Io::Idle,
            last_error: None,
            snippet: String::new(),
            refresher: self.refresher,
            refresh_error: None,
            refresh_timeout: self.connect_timeout,
        })
    }
}

/// The driver's clock: tokio's, so paused-time tests control it.
fn now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

impl EventSource {
    /// Starts configuring a client for `url` (a `GET` by default).
    pub fn builder(url: impl Into<String>) -> Builder {
        let config = Config::default();
        Builder {
            url: url.into(),
            client: None,
            body_error: None,
            method: Method::GET,
            headers: Vec::new(),
            secrets: Vec::new(),
            body: None,
            reconnect: None,
            connect_timeout: config.connect_timeout.unwrap_or(Duration::from_secs(10)),
            root_certificates: Vec::new(),
            config,
            refresher: None,
        }
    }

    /// The connection state.
    pub fn ready_state(&self) -> ReadyState {
        self.core.ready_state()
    }

    /// The last event ID: sent as `Last-Event-ID` when reconnecting.
    pub fn last_event_id(&self) -> &str {
        self.core.last_event_id()
    }

    /// The current reconnection time (the server's `retry:` field changes it).
    pub fn reconnection_time(&self) -> Duration {
        self.core.reconnection_time()
    }

    /// The URL this client reads. Print it with [`redirect::redact`](crate::redirect::redact):
    /// it may carry a password.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Closes the stream for good; [`EventSource::next`] returns `None` from now on.
    pub fn close(&mut self) {
        self.core.close();
        self.io = Io::Idle;
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
    /// on. Cancel-safe: dropping the future loses nothing, and a request in flight stays in
    /// flight (the next call picks it up; it is never sent twice).
    pub async fn next(&mut self) -> Option<Result<SourceEvent, Error>> {
        loop {
            // 1. What the core has for the caller.
            if let Some(event) = self.core.poll_output() {
                return Some(match event {
                    Output::Open => Ok(SourceEvent::Open),
                    Output::Message(message) => Ok(SourceEvent::Message(message)),
                    Output::Parse(error) => Err(Error::Parse(error)),
                });
            }
            // 2. What the core wants done.
            if let Some(action) = self.core.poll_action(now()) {
                match action {
                    Action::Connect(extra) => self.io = Io::Connecting(self.request(extra)),
                    Action::RefreshToken => match &self.refresher {
                        Some(refresher) => self.io = Io::Refreshing(refresher()),
                        // The core asks only when told a refresher exists.
                        None => self.core.handle_token_error(now()),
                    },
                    Action::Wait {
                        delay,
                        attempt,
                        cause,
                        ..
                    } => {
                        self.io = Io::Idle;
                        let cause = self.error(cause);
                        return Some(Ok(SourceEvent::Retrying {
                            delay,
                            attempt,
                            cause,
                        }));
                    }
                    Action::Stop => {
                        self.io = Io::Idle;
                        return None;
                    }
                    Action::Fail(cause) => {
                        self.io = Io::Idle;
                        return Some(Err(self.error(cause)));
                    }
                }
                continue;
            }
            // 3. Wait for the I/O or the core's next deadline, whichever comes first.
            let deadline = self.core.poll_timeout();
            let timer = async move {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => std::future::pending().await,
                }
            };
            let happened = match &mut self.io {
                Io::Idle if deadline.is_none() => return None,
                Io::Idle => {
                    timer.await;
                    Happened::Deadline
                }
                Io::Connecting(request) => tokio::select! {
                    answer = request => Happened::Answer(answer),
                    () = timer => Happened::Deadline,
                },
                Io::Reading(body) => tokio::select! {
                    chunk = body.next() => Happened::Chunk(chunk),
                    () = timer => Happened::Deadline,
                },
                // Bounded by the connect timeout: a refresher that hangs must not hang the stream.
                Io::Refreshing(token) => {
                    let limit = self.refresh_timeout;
                    match tokio::time::timeout(limit, token).await {
                        Ok(token) => Happened::Token(token),
                        Err(_) => Happened::Token(Err(format!(
                            "the token refresher did not answer within {limit:?}"
                        )
                        .into())),
                    }
                }
            };
            // 4. Tell the core.
            let now = now();
            match happened {
                Happened::Deadline => self.core.handle_timeout(now),
                Happened::Answer(Ok(answer)) => {
                    self.io = Io::Idle;
                    self.core
                        .handle_response(answer.status, &answer.headers, now);
                    if self.core.ready_state() == ReadyState::Open
                        && let Some(body) = answer.body
                    {
                        self.io = Io::Reading(body);
                    }
                    self.snippet = answer.snippet;
                }
                Happened::Answer(Err(error)) => {
                    self.io = Io::Idle;
                    self.last_error = Some(error);
                    self.core.handle_error(now);
                }
                Happened::Chunk(Some(Ok(bytes))) => self.core.handle_bytes(&bytes, now),
                Happened::Chunk(Some(Err(error))) => {
                    self.io = Io::Idle;
                    self.last_error = Some(error.without_url());
                    self.core.handle_error(now);
                }
                Happened::Chunk(None) => {
                    self.io = Io::Idle;
                    self.core.handle_eof(now);
                }
                Happened::Token(token) => {
                    self.io = Io::Idle;
                    match token.and_then(|token| bearer(&token)) {
                        Ok(value) => {
                            self.headers.insert(AUTHORIZATION, value);
                            self.core.handle_token(now);
                        }
                        Err(error) => {
                            self.refresh_error = Some(error);
                            self.core.handle_token_error(now);
                        }
                    }
                }
            }
        }
    }
    // ANCHOR_END: next

    /// The request future: send, follow redirects (dropping secrets across origins), and read
    /// the start of an error body. Owned (`'static`), so it can outlive one `next()` call.
    fn request(&self, extra: HeaderMap) -> Connecting {
        let client = self.client.clone();
        let mut url = self.url.clone();
        let mut method = self.method.clone();
        let mut headers = self.headers.clone();
        headers.extend(extra);
        let mut body = self.body.clone();
        let secrets = self.secrets.clone();
        Box::pin(async move {
            let mut redirects = 0;
            loop {
                let mut request = client
                    .request(method.clone(), url.clone())
                    .headers(headers.clone());
                if let Some(body) = &body {
                    request = request.body(body.clone());
                }
                let response = request.send().await.map_err(reqwest::Error::without_url)?;
                let status = response.status();
                if status.is_redirection() && redirects < MAX_REDIRECTS {
                    let next = next_hop(
                        &url,
                        status,
                        response.headers(),
                        &mut method,
                        &mut headers,
                        &mut body,
                        &secrets,
                    );
                    if let Some(next) = next {
                        url = next;
                        redirects += 1;
                        continue;
                    }
                }
                let response_headers = response.headers().clone();
                return Ok(if status == StatusCode::OK {
                    Answer {
                        status,
                        headers: response_headers,
                        body: Some(Box::pin(response.bytes_stream())),
                        snippet: String::new(),
                    }
                } else {
                    Answer {
                        status,
                        headers: response_headers,
                        body: None,
                        snippet: read_snippet(response, Duration::from_secs(2)).await,
                    }
                });
            }
        })
    }

    /// The caller's error for one of the core's causes, with the driver's details added.
    fn error(&mut self, cause: Cause) -> Error {
        let url = redact(&self.url);
        match cause {
            // The driver records the transport error before it tells the core; without one the
            // cause is still what the core says it is, never another outcome.
            Cause::Connect => Error::Connect {
                url,
                source: self.last_error.take(),
            },
            Cause::Transport => Error::Transport(self.last_error.take()),
            Cause::ConnectTimeout(timeout) => Error::ConnectTimeout { url, timeout },
            Cause::Status {
                status,
                retry_after,
            } => Error::Status {
                url,
                status,
                retry_after,
                body: std::mem::take(&mut self.snippet),
            },
            Cause::ContentType { found } => Error::ContentType { url, found },
            Cause::IdleTimeout(limit) => Error::IdleTimeout(limit),
            Cause::EndOfStream { mid_event } => Error::EndOfStream { mid_event },
            Cause::TokenExpired => Error::TokenExpired,
            Cause::TokenRefresh => Error::TokenRefresh(
                self.refresh_error
                    .take()
                    .unwrap_or_else(|| "no token refresher".into()),
            ),
            Cause::RetriesExhausted { attempts, last } => Error::RetriesExhausted {
                attempts,
                last: Box::new(self.error(*last)),
            },
        }
    }
}

/// `Bearer <token>` as a sensitive header value; the error never contains the token.
fn bearer(token: &str) -> Result<HeaderValue, BoxError> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.trim())).map_err(|_| {
        "the refreshed token contains a character a header cannot carry (a line break or \
         control character)"
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The first 4 KiB of an error body, which usually explains the error; control characters
/// escaped, since it ends up on a terminal.
async fn read_snippet(response: reqwest::Response, within: Duration) -> String {
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
    escape_controls(&String::from_utf8_lossy(&body), true)
}
