//! Turning a stream of encoded events into an SSE response: headers, the first `retry:`,
//! keep-alive comments, and an end at shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sse_format::{Event, KEEP_ALIVE};
use tokio::sync::watch;

/// How SSE responses are written: [`SseConfig::default`], then the `with_*` setters.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct SseConfig {
    /// Sent first (`retry:`), so clients reconnect after this long (plus the jitter).
    pub retry: Duration,
    /// Each stream's `retry:` is [`SseConfig::retry`] plus a random part of up to this, so that
    /// clients cut at the same moment (a node that dies, a deploy) come back spread over this
    /// window rather than all at once.
    pub retry_jitter: Duration,
    /// A comment is sent after this long without an event, so that proxies and clients' idle
    /// timeouts see the connection is alive.
    pub keep_alive: Duration,
}

impl Default for SseConfig {
    fn default() -> Self {
        SseConfig {
            retry: Duration::from_secs(3),
            retry_jitter: Duration::from_secs(1),
            keep_alive: Duration::from_secs(15),
        }
    }
}

impl SseConfig {
    /// Sets [`SseConfig::retry`].
    pub fn with_retry(mut self, retry: Duration) -> Self {
        self.retry = retry;
        self
    }

    /// Sets [`SseConfig::retry_jitter`] (zero: every stream gets exactly [`SseConfig::retry`]).
    pub fn with_retry_jitter(mut self, jitter: Duration) -> Self {
        self.retry_jitter = jitter;
        self
    }

    /// The `retry:` for one stream: [`SseConfig::retry`] plus a random part of up to
    /// [`SseConfig::retry_jitter`], in whole milliseconds.
    pub fn stream_retry(&self) -> Duration {
        let jitter = u64::try_from(self.retry_jitter.as_millis()).unwrap_or(u64::MAX);
        self.retry
            .saturating_add(Duration::from_millis(fastrand::u64(0..=jitter)))
    }

    /// Sets [`SseConfig::keep_alive`].
    pub fn with_keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = keep_alive;
        self
    }
}

/// Resolves when the server starts shutting down.
#[derive(Clone, Debug)]
pub struct Shutdown {
    down: Arc<AtomicBool>,
    changed: watch::Receiver<bool>,
}

/// Starts the shutdown of every stream holding the matching [`Shutdown`].
#[derive(Debug)]
pub struct Trigger {
    down: Arc<AtomicBool>,
    changed: watch::Sender<bool>,
}

impl Trigger {
    /// Ends the streams.
    pub fn fire(&self) {
        self.down.store(true, Ordering::Release);
        let _ = self.changed.send(true);
    }
}

impl Shutdown {
    /// A shutdown signal and the trigger that fires it.
    pub fn new() -> (Trigger, Shutdown) {
        let down = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = watch::channel(false);
        (
            Trigger {
                down: down.clone(),
                changed: sender,
            },
            Shutdown {
                down,
                changed: receiver,
            },
        )
    }

    /// Whether the shutdown has started: one atomic load, cheap enough for every poll.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    /// Waits for the signal.
    pub async fn wait(&mut self) {
        let _ = self.changed.wait_for(|down| *down).await;
    }
}

/// Whether the shutdown has started, for a task that polls often (once per event sent).
///
/// The signal is shared by every connection: polling its waiter on every wake-up takes a lock
/// shared by all of them, 10,000 times a broadcast. This registers the task to be woken once, on
/// its first poll; after that an atomic load answers.
pub struct ShutdownWatch {
    shutdown: Shutdown,
    wake_at_shutdown: Pin<Box<dyn Future<Output = ()> + Send>>,
    registered: bool,
}

impl ShutdownWatch {
    /// Watches `shutdown`.
    pub fn new(shutdown: Shutdown) -> Self {
        let mut waiter = shutdown.clone();
        ShutdownWatch {
            shutdown,
            wake_at_shutdown: Box::pin(async move { waiter.wait().await }),
            registered: false,
        }
    }

    /// Ready once the shutdown has started; until then the task of the first `cx` is woken when
    /// it starts (a task keeps its waker, so registering once is enough).
    pub fn poll_down(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.shutdown.is_down() {
            return Poll::Ready(());
        }
        if !self.registered {
            self.registered = true;
            return self.wake_at_shutdown.as_mut().poll(cx);
        }
        Poll::Pending
    }
}

impl std::fmt::Debug for ShutdownWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShutdownWatch")
            .field("down", &self.shutdown.is_down())
            .field("registered", &self.registered)
            .finish()
    }
}

// ANCHOR: headers
/// The response headers of an event stream, and why each is there.
pub fn sse_headers() -> [(header::HeaderName, HeaderValue); 3] {
    [
        // What makes it an event stream; browsers refuse anything else.
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        ),
        // Never cache a live stream, or serve one client's events to another.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        // nginx buffers proxied responses by default, which would hold events back; this turns
        // it off for this response.
        (
            header::HeaderName::from_static("x-accel-buffering"),
            HeaderValue::from_static("no"),
        ),
    ]
}
// ANCHOR_END: headers

/// An SSE response from a stream of encoded events: `retry:` first, a keep-alive comment whenever
/// the stream is quiet for `config.keep_alive`, and a clean end when `shutdown` fires.
pub fn sse_response<S>(events: S, config: SseConfig, shutdown: Shutdown) -> Response
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    let body =
        sse_body(retry_line(&config), events, config.keep_alive, shutdown).map(Ok::<_, Infallible>);
    (sse_headers(), Body::from_stream(body)).into_response()
}

/// The `retry:` line that opens one stream ([`SseConfig::stream_retry`]).
fn retry_line(config: &SseConfig) -> Bytes {
    let retry = Event::new()
        .retry(config.stream_retry())
        .to_bytes()
        .expect("a retry-only event is valid");
    Bytes::from(retry)
}

/// A stream's body: `retry` first (never held back by a quiet stream's keep-alive), then
/// `events` with keep-alive comments, ending at shutdown.
fn sse_body<S>(
    retry: Bytes,
    events: S,
    keep_alive: Duration,
    shutdown: Shutdown,
) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    futures::stream::iter(Some(retry)).chain(with_keep_alive(events, keep_alive, shutdown))
}

/// An event stream handed over in parts, for a connection that writes the live events itself.
///
/// On a plain HTTP/1.1 connection the server takes these out of the response (see
/// [`DirectHandle`]) and attaches the connection's socket to the subscriber's queue
/// ([`sse_hub::Sink`]): the fan-out then writes each event straight to the socket, without waking
/// a task per subscriber (chapter 5's costs page). Everywhere else (HTTP/2, TLS, a client on the
/// hyper path) the response body is the same stream, built from the same parts.
pub struct DirectParts {
    /// Written first: the stream's `retry:` line.
    pub retry: Bytes,
    /// Then these, in order: the gap notice, the replay, the head.
    pub prelude: Vec<Bytes>,
    /// The live events.
    pub live: crate::hub::Live,
    /// As [`SseConfig::keep_alive`].
    pub keep_alive: Duration,
    /// Ends the stream.
    pub shutdown: Shutdown,
    /// Held as long as the stream (its slot, its count in the metrics).
    pub guard: Box<dyn std::any::Any + Send>,
}

impl std::fmt::Debug for DirectParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectParts")
            .field("prelude", &self.prelude.len())
            .field("live", &self.live)
            .finish_non_exhaustive()
    }
}

/// A response extension holding a stream's [`DirectParts`] until either the connection takes
/// them (to write the events itself) or the response body does (on its first poll). Layers
/// that rewrite the body (compression) must remove it, or the connection writes past them.
#[derive(Clone, Debug)]
pub struct DirectHandle(Arc<std::sync::Mutex<Option<DirectParts>>>);

impl DirectHandle {
    /// Takes the parts, if nobody has yet.
    pub fn take(&self) -> Option<DirectParts> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}

/// The SSE response of a hub subscription: the same bytes as [`sse_response`] over `prelude`
/// and the live events, but with a [`DirectHandle`] so that a plain HTTP/1.1 connection can
/// write the live events from the fan-out.
pub fn direct_response(
    prelude: Vec<Bytes>,
    live: crate::hub::Live,
    config: SseConfig,
    shutdown: Shutdown,
    guard: Box<dyn std::any::Any + Send>,
) -> Response {
    let handle = DirectHandle(Arc::new(std::sync::Mutex::new(Some(DirectParts {
        retry: retry_line(&config),
        prelude,
        live,
        keep_alive: config.keep_alive,
        shutdown,
        guard,
    }))));
    let body = LazyBody {
        handle: Some(handle.clone()),
        stream: None,
    };
    let mut response = (sse_headers(), Body::from_stream(body)).into_response();
    response.extensions_mut().insert(handle);
    response
}

/// The body of a [`direct_response`]: takes the parts on its first poll (and ends at once if
/// the connection took them).
struct LazyBody {
    handle: Option<DirectHandle>,
    stream: Option<Pin<Box<dyn Stream<Item = Bytes> + Send>>>,
}

impl Stream for LazyBody {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(handle) = self.handle.take() {
            let Some(parts) = handle.take() else {
                return Poll::Ready(None);
            };
            let DirectParts {
                retry,
                prelude,
                live,
                keep_alive,
                shutdown,
                guard,
            } = parts;
            let events = futures::stream::iter(prelude)
                .chain(crate::routes::live_events(live))
                // The guard lives as long as the stream.
                .map(move |bytes| {
                    let _ = &guard;
                    bytes
                });
            self.stream = Some(Box::pin(sse_body(retry, events, keep_alive, shutdown)));
        }
        match self.stream.as_mut() {
            Some(stream) => stream.as_mut().poll_next(cx).map(|next| next.map(Ok)),
            None => Poll::Ready(None),
        }
    }
}

// ANCHOR: keep_alive
/// Interleaves keep-alive comments and ends at shutdown.
///
/// A hand-written `Stream` rather than a `select!` loop: the shutdown future and the interval are
/// created once per connection and polled in place. Re-creating them for every event would
/// re-register 10,000 subscribers with the shutdown signal on every broadcast.
struct KeepAlive<S> {
    events: Pin<Box<S>>,
    tick: tokio::time::Interval,
    /// Registers this task for the shutdown once; after that, one atomic load per poll.
    shutdown: ShutdownWatch,
}

fn with_keep_alive<S>(
    events: S,
    every: Duration,
    shutdown: Shutdown,
) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    // After a busy spell, one comment is enough: do not fire the missed ticks in a burst.
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    KeepAlive {
        events: Box::pin(events),
        tick,
        shutdown: ShutdownWatch::new(shutdown),
    }
}

impl<S: Stream<Item = Bytes>> Stream for KeepAlive<S> {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        // Shutdown first: a busy stream must still end promptly.
        if self.shutdown.poll_down(cx).is_ready() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = self.events.as_mut().poll_next(cx) {
            // The interval is not pushed back on traffic: that would cost a timer update per
            // event per subscriber, for the saving of a 3-byte comment every 15 s.
            return Poll::Ready(item);
        }
        match self.tick.poll_tick(cx) {
            Poll::Ready(_) => Poll::Ready(Some(Bytes::from_static(KEEP_ALIVE))),
            Poll::Pending => Poll::Pending,
        }
    }
}
// ANCHOR_END: keep_alive

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stream_retry_falls_within_the_jitter_window_and_spreads_over_it() {
        let config = SseConfig::default()
            .with_retry(Duration::from_secs(1))
            .with_retry_jitter(Duration::from_millis(800));
        let retries: Vec<Duration> = (0..2000).map(|_| config.stream_retry()).collect();
        let (min, max) = (retries.iter().min().unwrap(), retries.iter().max().unwrap());
        assert!(*min >= Duration::from_secs(1) && *min < Duration::from_millis(1100));
        assert!(*max <= Duration::from_millis(1800) && *max > Duration::from_millis(1700));
        let none = config.with_retry_jitter(Duration::ZERO);
        assert_eq!(none.stream_retry(), Duration::from_secs(1));
    }

    #[test]
    fn huge_retry_and_jitter_saturate_instead_of_panicking() {
        let config = SseConfig::default()
            .with_retry(Duration::MAX)
            .with_retry_jitter(Duration::MAX);
        assert_eq!(config.stream_retry(), Duration::MAX);
    }
}
