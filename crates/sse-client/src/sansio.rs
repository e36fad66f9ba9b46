//! The sans-IO core of [`EventSource`](crate::EventSource): every reconnection rule, no sockets,
//! no clock of its own.
//!
//! In the style of `quinn-proto` and `h11`: the [`Core`] is a plain state machine. A driver (the
//! reqwest-based [`EventSource`](crate::EventSource), or a test) feeds it what happened and when:
//!
//! | input | when |
//! |---|---|
//! | [`Core::handle_response`] | the response head arrived (status and headers) |
//! | [`Core::handle_bytes`] | a chunk of the body arrived |
//! | [`Core::handle_eof`] | the body ended cleanly |
//! | [`Core::handle_error`] | the connection attempt or the body failed |
//! | [`Core::handle_timeout`] | the instant from [`Core::poll_timeout`] has passed |
//! | [`Core::handle_token`] / [`Core::handle_token_error`] | a new token was fetched, or could not be |
//! | [`Core::close`] | the caller is done |
//!
//! and asks it what to do next: [`Core::poll_output`] (events for the caller), [`Core::poll_action`]
//! (connect with these headers, fetch a new token, wait, stop, fail) and [`Core::poll_timeout`]
//! (the next deadline: the connect timeout, the idle timeout or the end of a wait). Time is an
//! [`Instant`] the driver passes in, so tests run a scripted clock:
//!
//! ```
//! use std::time::{Duration, Instant};
//! use http::{HeaderMap, HeaderValue, StatusCode, header};
//! use sse_client::sansio::{Action, Config, Core, Output};
//!
//! let start = Instant::now();
//! let mut core = Core::new(Config::default());
//! assert!(matches!(core.poll_action(start), Some(Action::Connect(_))));
//! let mut headers = HeaderMap::new();
//! headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
//! core.handle_response(StatusCode::OK, &headers, start);
//! core.handle_bytes(b"id: 7\ndata: hi\n\n", start);
//! assert!(matches!(core.poll_output(), Some(Output::Open)));
//! assert!(matches!(core.poll_output(), Some(Output::Message(m)) if m.data() == "hi"));
//! // The server goes away; the core schedules a reconnection after the reconnection time.
//! core.handle_eof(start + Duration::from_secs(1));
//! match core.poll_action(start + Duration::from_secs(1)) {
//!     Some(Action::Wait { delay, .. }) => assert!(delay >= Duration::from_secs(3)),
//!     other => panic!("{other:?}"),
//! }
//! let later = core.poll_timeout().unwrap();
//! core.handle_timeout(later);
//! match core.poll_action(later) {
//!     Some(Action::Connect(headers)) => assert_eq!(headers["last-event-id"], "7"),
//!     other => panic!("{other:?}"),
//! }
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use http::{HeaderMap, HeaderValue, StatusCode, header};
use sse_format::{Frame, Limits, MessageEvent, ParseError, Parser};

/// The event a server sends last on a stream whose token expired (`sse-server` does). Reconnecting
/// with the same token would be answered `401`: with [`Config::refresh_token`] the core asks the
/// driver for a new token first; without, it stops with [`Cause::TokenExpired`].
pub const TOKEN_EXPIRED_EVENT: &str = "token-expired";

use crate::retry::{
    Backoff, Disposition, MAX_DELAY, MIN_RECONNECTION_TIME, classify_status, parse_retry_after,
    parse_retry_after_ms,
};

/// The settings of a [`Core`]. [`Config::default`] matches a browser's `EventSource`, plus a
/// backoff, an idle timeout and a connect timeout.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Reconnect when the stream ends or fails (a browser always does; off for `POST`).
    pub reconnect: bool,
    /// The initial reconnection time (3 s); a server's `retry:` replaces it.
    pub reconnection_time: Duration,
    /// How delays grow over consecutive failures, and their cap.
    pub backoff: Backoff,
    /// Give up after this many consecutive failed attempts.
    pub max_retries: Option<u32>,
    /// Give up when failures have gone on this long without a stable connection.
    pub retry_deadline: Option<Duration>,
    /// A connection on which no byte at all (not even a keep-alive comment) arrives for this long
    /// is presumed dead (60 s).
    pub idle_timeout: Option<Duration>,
    /// How long a connection attempt may take until the response head (10 s).
    pub connect_timeout: Option<Duration>,
    /// For streams without ids: a connection must stay open this long before a failure counts as
    /// the first again (10 s), so one event followed by a failure does not reset the backoff. A
    /// connection that advanced the last event id made progress and resets it at once, whatever
    /// its length (see [`Core`]'s "Progress" section).
    pub backoff_reset_after: Duration,
    /// Parser limits.
    pub limits: Limits,
    /// The id to resume after, sent as `Last-Event-ID` from the first connection on.
    pub last_event_id: String,
    /// Seed for the jitter (`None`: random).
    pub jitter_seed: Option<u64>,
    /// The driver can fetch a new token ([`Action::RefreshToken`]): on a `401`, once (a second
    /// `401` before a connection opens fails), and before reconnecting after a
    /// [`TOKEN_EXPIRED_EVENT`]. Off: a `401` fails, as any 4xx.
    pub refresh_token: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            reconnect: true,
            reconnection_time: Duration::from_secs(3),
            backoff: Backoff::default(),
            max_retries: None,
            retry_deadline: None,
            idle_timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            backoff_reset_after: Duration::from_secs(10),
            limits: Limits::default(),
            last_event_id: String::new(),
            jitter_seed: None,
            refresh_token: false,
        }
    }
}

/// Something for the caller: the core's output of what it read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Output {
    /// A connection opened (200 with `text/event-stream`).
    Open,
    /// An event was dispatched.
    Message(MessageEvent),
    /// The stream broke a parser limit; the offending event was skipped and reading goes on.
    Parse(ParseError),
}

/// Why a connection failed or ended. The driver adds its own details (the transport error, the
/// URL, the body of an error response) when it reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// The connection attempt failed ([`Core::handle_error`] while connecting).
    Connect,
    /// No response head within the connect timeout.
    ConnectTimeout(Duration),
    /// A status other than 200 and 204.
    Status {
        /// The status.
        status: StatusCode,
        /// The server's `retry-after-ms` or `Retry-After`, clamped to [`MAX_DELAY`].
        retry_after: Option<Duration>,
    },
    /// A 200 that is not `text/event-stream`; the value is shown with control characters escaped.
    ContentType {
        /// The `Content-Type` received, if any.
        found: Option<String>,
    },
    /// The body failed while being read ([`Core::handle_error`] while open).
    Transport,
    /// No byte arrived for this long.
    IdleTimeout(Duration),
    /// The server ended the body.
    EndOfStream {
        /// It ended in the middle of an event, which was discarded.
        mid_event: bool,
    },
    /// The server ended the stream after a [`TOKEN_EXPIRED_EVENT`], and no token can be fetched
    /// ([`Config::refresh_token`] is off, or the stream may not reconnect).
    TokenExpired,
    /// The driver could not fetch a new token ([`Core::handle_token_error`]).
    TokenRefresh,
    /// The retry limit or deadline was reached; `last` is the failure that reached it.
    RetriesExhausted {
        /// Consecutive failed attempts.
        attempts: u32,
        /// The last failure.
        last: Box<Cause>,
    },
}

/// What the driver should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Send the request with these headers added (`Accept`, `Cache-Control`, `Last-Event-ID`),
    /// then report the outcome with [`Core::handle_response`] or [`Core::handle_error`].
    Connect(HeaderMap),
    /// Fetch a new token (the driver's refresher), then report it with [`Core::handle_token`]
    /// (the next action is then a [`Action::Connect`]) or [`Core::handle_token_error`]. Only
    /// with [`Config::refresh_token`].
    RefreshToken,
    /// Drop the connection (if any) and wait: nothing happens until [`Core::poll_timeout`].
    Wait {
        /// When to reconnect (`now + delay`).
        until: Instant,
        /// How long, never more than [`MAX_DELAY`].
        delay: Duration,
        /// Consecutive failed attempts so far.
        attempt: u32,
        /// Why.
        cause: Cause,
    },
    /// Close without an error: the server answered 204, or a non-reconnecting stream ended.
    Stop,
    /// Close with this error.
    Fail(Cause),
}

/// The connection state, as a browser's `EventSource.readyState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadyState {
    /// Connecting, or waiting to reconnect.
    Connecting,
    /// Connected: events are arriving.
    Open,
    /// Closed for good: by the caller, by the server (204), or after a fatal error.
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Should connect now: the next [`Core::poll_action`] says so.
    Ready,
    /// A request is in flight.
    Connecting {
        deadline: Option<Instant>,
    },
    /// Reading the body.
    Open {
        opened_at: Instant,
        idle_deadline: Option<Instant>,
        /// The last event id changed to a new, non-empty value on this connection.
        progressed: bool,
    },
    /// Waiting to reconnect.
    Waiting {
        until: Instant,
    },
    /// Waiting for the driver's new token.
    Refreshing,
    Closed,
}

/// `now + duration`, or `None` when the sum is past what an `Instant` can hold (a caller's
/// timeout of `u64::MAX` seconds means "never", not a panic).
fn deadline(now: Instant, duration: Duration) -> Option<Instant> {
    now.checked_add(duration)
}

/// The `EventSource` state machine. See the [module documentation](self).
///
/// # Progress
///
/// Every failure (a refused connection, an error status, a cut, an idle timeout) schedules the
/// next attempt after a delay that grows with the consecutive-failure count. A connection that
/// *made progress*, that is, moved the last event id to a new, non-empty value, ends that count:
/// the attempt after it waits the reconnection time (with jitter), like a browser reconnecting
/// after a stream that worked. So a client behind something that cuts every connection after a
/// few events keeps up with the stream instead of falling minutes behind. A connection that
/// brought nothing new (the same event replayed, no event at all, an error status) is a failed
/// attempt and backs off; on a stream without ids the count ends only after a connection that
/// stayed open for [`Config::backoff_reset_after`].
#[derive(Debug)]
pub struct Core {
    config: Config,
    state: State,
    parser: Parser,
    /// The last event ID string (sent as `Last-Event-ID`); follows the parser's after each chunk,
    /// so an id-only block counts as soon as its blank line is read.
    last_event_id: String,
    reconnection_time: Duration,
    failures: u32,
    failing_since: Option<Instant>,
    events: VecDeque<Output>,
    actions: VecDeque<Action>,
    rng: fastrand::Rng,
    /// Fetch a token before the next connection.
    needs_token: bool,
    /// A token was fetched and no connection has opened since: a `401` now is final.
    refreshed: bool,
    /// This connection brought a [`TOKEN_EXPIRED_EVENT`].
    token_expired: bool,
}

impl Core {
    /// A core that will connect on the first [`Core::poll_action`].
    pub fn new(config: Config) -> Self {
        let rng = config
            .jitter_seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        let mut parser = Parser::with_limits(config.limits);
        parser.set_last_event_id(&config.last_event_id);
        Core {
            last_event_id: config.last_event_id.clone(),
            reconnection_time: config.reconnection_time,
            parser,
            config,
            state: State::Ready,
            failures: 0,
            failing_since: None,
            events: VecDeque::new(),
            actions: VecDeque::new(),
            rng,
            needs_token: false,
            refreshed: false,
            token_expired: false,
        }
    }

    /// Asks for a token ([`Action::RefreshToken`]) before the first connection: for a driver
    /// that has a refresher but no token yet. Ignored without [`Config::refresh_token`].
    pub fn fetch_token_first(&mut self) {
        self.needs_token = self.config.refresh_token;
    }

    /// The connection state.
    pub fn ready_state(&self) -> ReadyState {
        match self.state {
            State::Ready | State::Connecting { .. } | State::Waiting { .. } | State::Refreshing => {
                ReadyState::Connecting
            }
            State::Open { .. } => ReadyState::Open,
            State::Closed => ReadyState::Closed,
        }
    }

    /// The last event ID: what the next connection sends as `Last-Event-ID`.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The reconnection time: the configured one, or the server's last `retry:` (at least
    /// [`MIN_RECONNECTION_TIME`], at most the backoff's cap).
    pub fn reconnection_time(&self) -> Duration {
        self.reconnection_time
    }

    /// Consecutive failed attempts so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Closes for good: no more events or actions.
    pub fn close(&mut self) {
        self.state = State::Closed;
        self.events.clear();
        self.actions.clear();
    }

    // ANCHOR: response
    /// The response head arrived. 200 with `text/event-stream` opens the stream; 204 stops it;
    /// 408, 429 and 5xx are retried (honouring `retry-after-ms` and `Retry-After`); a 401 asks
    /// for a new token once when the driver can fetch one ([`Config::refresh_token`]); anything
    /// else fails. Ignored unless a request is in flight.
    pub fn handle_response(&mut self, status: StatusCode, headers: &HeaderMap, now: Instant) {
        if !matches!(self.state, State::Connecting { .. }) {
            return;
        }
        // ANCHOR: unauthorized
        // Retrying a 401 with the same token cannot work, and a client that does it forever is
        // the classic failure of token-based streams. One new token; if that is refused too, stop.
        if status == StatusCode::UNAUTHORIZED && self.config.refresh_token && !self.refreshed {
            self.needs_token = true;
            self.state = State::Ready;
            return;
        }
        // ANCHOR_END: unauthorized
        match classify_status(status) {
            Disposition::Open => {
                let found = headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes());
                if found.is_some_and(is_event_stream) {
                    self.open(now);
                } else {
                    let found = found.map(printable);
                    self.finish(Action::Fail(Cause::ContentType { found }));
                }
            }
            Disposition::Stop => self.finish(Action::Stop),
            disposition => {
                let retry_after = retry_after(headers);
                let cause = Cause::Status {
                    status,
                    retry_after,
                };
                if disposition == Disposition::Retry {
                    self.fail(cause, retry_after, now);
                } else {
                    self.finish(Action::Fail(cause));
                }
            }
        }
    }
    // ANCHOR_END: response

    fn open(&mut self, now: Instant) {
        self.refreshed = false;
        self.token_expired = false;
        // A fresh parser per connection: nothing of a cut event leaks into the next one.
        self.parser = Parser::with_limits(self.config.limits);
        self.parser.set_last_event_id(&self.last_event_id);
        self.state = State::Open {
            opened_at: now,
            idle_deadline: self.config.idle_timeout.and_then(|t| deadline(now, t)),
            progressed: false,
        };
        self.events.push_back(Output::Open);
    }

    // ANCHOR: bytes
    /// A chunk of the body arrived. Any byte, a keep-alive comment included, proves the
    /// connection alive and moves the idle deadline.
    pub fn handle_bytes(&mut self, bytes: &[u8], now: Instant) {
        let State::Open {
            idle_deadline,
            progressed,
            ..
        } = &mut self.state
        else {
            return;
        };
        if !bytes.is_empty() {
            *idle_deadline = self.config.idle_timeout.and_then(|t| deadline(now, t));
        }
        for frame in self.parser.feed(bytes) {
            match frame {
                Ok(Frame::Event(event)) => {
                    self.token_expired |= event.event_type() == TOKEN_EXPIRED_EVENT;
                    self.events.push_back(Output::Message(event));
                }
                Ok(Frame::Retry(time)) => {
                    // A floor against `retry: 0` (a hot loop), the cap against `retry: 1e12`.
                    let cap = self.config.backoff.max_delay.min(MAX_DELAY);
                    self.reconnection_time =
                        time.clamp(MIN_RECONNECTION_TIME, cap.max(MIN_RECONNECTION_TIME));
                }
                Err(error) => self.events.push_back(Output::Parse(error)),
                // A kind of frame newer than this client: nothing it must act on.
                Ok(_) => {}
            }
        }
        // The id changes at each blank line, with or without an event (an id-only block). A new,
        // non-empty id is progress: the next reconnection resumes after it. (An empty one would
        // resume from nothing, so it is not.)
        if self.parser.last_event_id() != self.last_event_id {
            self.last_event_id.clear();
            self.last_event_id.push_str(self.parser.last_event_id());
            *progressed |= !self.last_event_id.is_empty();
        }
    }
    // ANCHOR_END: bytes

    /// The body ended. A stream that may not reconnect (a `POST`) and ended between events is
    /// simply done; otherwise this is a failure to retry.
    pub fn handle_eof(&mut self, now: Instant) {
        if !matches!(self.state, State::Open { .. }) {
            return;
        }
        let mid_event = self.parser.finish();
        if !self.config.reconnect && !mid_event && !self.token_expired {
            self.finish(Action::Stop);
        } else {
            self.fail(Cause::EndOfStream { mid_event }, None, now);
        }
    }

    /// The connection attempt (while connecting) or the body (while open) failed.
    pub fn handle_error(&mut self, now: Instant) {
        match self.state {
            State::Connecting { .. } => self.fail(Cause::Connect, None, now),
            State::Open { .. } => {
                let _ = self.parser.finish();
                self.fail(Cause::Transport, None, now)
            }
            _ => {}
        }
    }

    /// Time has passed: acts on every deadline at or before `now` (connect timeout, idle
    /// timeout, end of a wait).
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            State::Connecting {
                deadline: Some(at), ..
            } if now >= at => {
                let limit = self.config.connect_timeout.unwrap_or_default();
                self.fail(Cause::ConnectTimeout(limit), None, now);
            }
            State::Open {
                idle_deadline: Some(at),
                ..
            } if now >= at => {
                let _ = self.parser.finish();
                let limit = self.config.idle_timeout.unwrap_or_default();
                self.fail(Cause::IdleTimeout(limit), None, now);
            }
            State::Waiting { until } if now >= until => self.state = State::Ready,
            _ => {}
        }
    }

    /// The driver fetched a new token (and will send it from now on): the next action connects.
    pub fn handle_token(&mut self, _now: Instant) {
        if self.state == State::Refreshing {
            self.needs_token = false;
            self.refreshed = true;
            self.state = State::Ready;
        }
    }

    /// The driver could not fetch a new token: the core fails with [`Cause::TokenRefresh`].
    pub fn handle_token_error(&mut self, _now: Instant) {
        if self.state == State::Refreshing {
            self.finish(Action::Fail(Cause::TokenRefresh));
        }
    }

    /// The next event for the caller, in stream order.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.events.pop_front()
    }

    /// The next thing the driver should do. `now` stamps a new connection attempt (its connect
    /// deadline); a wait that has run out turns into a connection here too.
    pub fn poll_action(&mut self, now: Instant) -> Option<Action> {
        if let Some(action) = self.actions.pop_front() {
            return Some(action);
        }
        if let State::Waiting { until } = self.state
            && now >= until
        {
            self.state = State::Ready;
        }
        if self.state != State::Ready {
            return None;
        }
        if self.needs_token {
            self.state = State::Refreshing;
            return Some(Action::RefreshToken);
        }
        self.state = State::Connecting {
            deadline: self.config.connect_timeout.and_then(|t| deadline(now, t)),
        };
        Some(Action::Connect(self.request_headers()))
    }

    /// The next instant at which [`Core::handle_timeout`] has something to do, if any.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Connecting { deadline } => deadline,
            State::Open { idle_deadline, .. } => idle_deadline,
            State::Waiting { until } => Some(until),
            State::Ready | State::Refreshing | State::Closed => None,
        }
    }

    /// The headers every (re)connection sends, as a browser does.
    fn request_headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static(sse_format::MIME_TYPE),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        // The parser never lets CR, LF or NUL into an id; other control characters cannot be
        // sent in a header, and such an id is then not sent (as a browser would fail to).
        if !self.last_event_id.is_empty()
            && let Ok(value) = HeaderValue::from_str(&self.last_event_id)
        {
            headers.insert("last-event-id", value);
        }
        headers
    }

    /// Closes with a final action.
    fn finish(&mut self, action: Action) {
        self.state = State::Closed;
        self.actions.push_back(action);
    }

    // ANCHOR: fail
    /// A failure: give up, or schedule the next attempt.
    fn fail(&mut self, cause: Cause, retry_after: Option<Duration>, now: Instant) {
        // The server said why it ended the stream: the token expired. Reconnecting with it would
        // get a 401; with a refresher, the reconnection fetches a new one first (and waits as
        // after any stream that ended, so a token that expires at once cannot make a hot loop).
        let cause = if std::mem::take(&mut self.token_expired) {
            if !(self.config.refresh_token && self.config.reconnect) {
                return self.finish(Action::Fail(Cause::TokenExpired));
            }
            self.needs_token = true;
            Cause::TokenExpired
        } else {
            cause
        };
        if !self.config.reconnect {
            return self.finish(Action::Fail(cause));
        }
        // The backoff is for attempts that failed. A connection that advanced the last event id
        // worked, however short it was (a load balancer cutting every few seconds, a server that
        // closes after each batch): the next attempt waits the reconnection time, as a browser's
        // would. A connection without progress (the same event replayed, nothing new, ids not
        // used) counts as a failure unless it stayed up `backoff_reset_after`, so one event
        // followed by a failure, forever, still backs off.
        if let State::Open {
            opened_at,
            progressed,
            ..
        } = self.state
            && (progressed
                || now.saturating_duration_since(opened_at) >= self.config.backoff_reset_after)
        {
            self.failures = 0;
            self.failing_since = None;
        }
        self.failures = self.failures.saturating_add(1);
        let since = *self.failing_since.get_or_insert(now);
        let over_deadline = self
            .config
            .retry_deadline
            .is_some_and(|limit| now.saturating_duration_since(since) >= limit);
        if over_deadline
            || self
                .config
                .max_retries
                .is_some_and(|max| self.failures > max)
        {
            let attempts = self.failures;
            let last = Box::new(cause);
            return self.finish(Action::Fail(Cause::RetriesExhausted { attempts, last }));
        }
        let delay = self.config.backoff.delay(
            self.reconnection_time,
            self.failures,
            retry_after,
            self.rng.f64(),
        );
        // `delay` is at most MAX_DELAY (an hour), so this cannot fail on any real clock; if it
        // did, reconnecting at once is better than a panic.
        let until = deadline(now, delay).unwrap_or(now);
        self.state = State::Waiting { until };
        self.actions.push_back(Action::Wait {
            until,
            delay,
            attempt: self.failures,
            cause,
        });
    }
    // ANCHOR_END: fail
}

/// `text/event-stream`, in any case, with any parameters (`; charset=utf-8`).
pub fn is_event_stream(content_type: &[u8]) -> bool {
    let essence = content_type
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    essence.eq_ignore_ascii_case(sse_format::MIME_TYPE.as_bytes())
}

/// A header value or body snippet as text that is safe to print: invalid UTF-8 replaced, control
/// characters (an ESC starting a terminal escape sequence) escaped.
pub fn printable(bytes: &[u8]) -> String {
    escape_controls(&String::from_utf8_lossy(bytes), false)
}

/// `text` with every control character escaped (`\u{1b}`, `\r`, ...); `\n` and `\t` are kept
/// when `keep_lines` is set.
pub fn escape_controls(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep_lines && (c == '\n' || c == '\t') {
            out.push(c);
        } else if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// `retry-after-ms` (OpenAI), then `Retry-After` in seconds, then `Retry-After` as an HTTP date
/// measured against the response's own `Date` header (no wall clock needed, and immune to the
/// client's clock being off). A date without a `Date` header is ignored.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(delay) = text("retry-after-ms").and_then(parse_retry_after_ms) {
        return Some(delay);
    }
    let value = text("retry-after")?;
    let server_now = text("date")
        .and_then(|date| httpdate::parse_http_date(date).ok())
        .unwrap_or(SystemTime::UNIX_EPOCH);
    if server_now == SystemTime::UNIX_EPOCH && !value.trim().bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_retry_after(value, server_now)
}

#[cfg(test)]
mod tests;
