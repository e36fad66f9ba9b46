//! Turning a stream of encoded events into an SSE response: headers, the first `retry:`,
//! keep-alive comments, and an end at shutdown.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sse_format::{Event, KEEP_ALIVE};
use tokio::sync::watch;

/// How SSE responses are written.
#[derive(Clone, Copy, Debug)]
pub struct SseConfig {
    /// Sent first (`retry:`), so clients reconnect after this long.
    pub retry: Duration,
    /// A comment is sent after this long without an event, so that proxies and clients' idle
    /// timeouts see the connection is alive.
    pub keep_alive: Duration,
}

impl Default for SseConfig {
    fn default() -> Self {
        SseConfig {
            retry: Duration::from_secs(3),
            keep_alive: Duration::from_secs(15),
        }
    }
}

/// Resolves when the server starts shutting down.
#[derive(Clone, Debug)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// A shutdown signal and the switch that triggers it.
    pub fn new() -> (watch::Sender<bool>, Shutdown) {
        let (sender, receiver) = watch::channel(false);
        (sender, Shutdown(receiver))
    }

    /// A signal that never fires (for tests and embedding).
    pub fn never() -> Shutdown {
        let (sender, receiver) = watch::channel(false);
        std::mem::forget(sender); // keep the channel open forever
        Shutdown(receiver)
    }

    /// Waits for the signal.
    pub async fn wait(&mut self) {
        let _ = self.0.wait_for(|down| *down).await;
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
    let first = Event::new()
        .retry(config.retry)
        .to_bytes()
        .expect("a retry-only event is valid");
    let body = futures::stream::once(async move { Bytes::from(first) })
        .chain(with_keep_alive(events, config.keep_alive, shutdown))
        .map(Ok::<_, Infallible>);
    (sse_headers(), Body::from_stream(body)).into_response()
}

// ANCHOR: keep_alive
/// Interleaves keep-alive comments into quiet periods and ends at shutdown.
fn with_keep_alive<S>(
    events: S,
    every: Duration,
    shutdown: Shutdown,
) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    let events = Box::pin(events);
    futures::stream::unfold(
        (events, shutdown),
        move |(mut events, mut shutdown)| async move {
            tokio::select! {
                // Shutdown first: a busy stream must still end promptly.
                biased;
                () = shutdown.wait() => None,
                item = events.next() => item.map(|bytes| (bytes, (events, shutdown))),
                () = tokio::time::sleep(every) => Some((Bytes::from_static(KEEP_ALIVE), (events, shutdown))),
            }
        },
    )
}
// ANCHOR_END: keep_alive
