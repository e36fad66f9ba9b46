//! The end of a stream when its token expires.
//!
//! A stream authorized by a token must not outlive it: otherwise a token valid for five minutes
//! reads a channel for as long as the connection holds. When the token is no longer valid
//! ([`Grant::valid_until`]: `exp` plus the leeway) the stream sends one last event and ends:
//!
//! ```text
//! event: token-expired
//! data: {"exp":1767790800}
//! ```
//!
//! The event has no `id:`, so the client's last event id stays that of the last real event: it
//! fetches a new token and reconnects with `Last-Event-ID`, and the replay fills the gap.
//! Reconnecting with the old token gets a `401`, which a client must not retry as it is.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::Stream;
use sse_format::Event;
use tokio::time::Sleep;

use super::Grant;

/// The event name of the notice that ends a stream whose token expired. Like the hub's
/// `replay-gap`, it is reserved: `POST /publish` refuses events of this name.
pub const TOKEN_EXPIRED: &str = "token-expired";
// The hub refuses it from publishers; keep the two names one.
const _: () = assert!(matches!(
    sse_hub::RESERVED_EVENTS[1].as_bytes(),
    b"token-expired"
));

/// The encoded `token-expired` event, with the token's `exp` (seconds since the epoch) as data.
pub fn token_expired_event(exp: Option<SystemTime>) -> Bytes {
    let exp = exp
        .and_then(|at| at.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let event = Event::new()
        .event(TOKEN_EXPIRED)
        .data(format!("{{\"exp\":{exp}}}"));
    // A fixed name and a one-line ASCII data field always encode.
    Bytes::from(event.to_bytes().unwrap_or_default())
}

/// `events` until the token of `grant` is no longer valid; then the `token-expired` event, and
/// the end. If `events` ends first, no notice is sent (the stream ended for another reason).
pub fn until_expiry<S>(events: S, grant: &Grant) -> impl Stream<Item = Bytes> + Send + 'static
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    // The wall clock is read once, here; the wait runs on tokio's clock (paused in tests).
    let deadline = grant.valid_until().and_then(|until| {
        let left = until
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        tokio::time::Instant::now().checked_add(left)
    });
    UntilExpiry {
        events: Box::pin(events),
        deadline: deadline.map(|at| Box::pin(tokio::time::sleep_until(at))),
        notice: Some(token_expired_event(grant.expires_at())),
        done: false,
    }
}

/// A hand-written stream, as [`crate::sse`]'s keep-alive: one timer per connection, polled in
/// place, not re-created for every event.
struct UntilExpiry<S> {
    events: Pin<Box<S>>,
    /// `None`: a deadline past what the clock can hold, that is never.
    deadline: Option<Pin<Box<Sleep>>>,
    notice: Option<Bytes>,
    done: bool,
}

impl<S: Stream<Item = Bytes>> Stream for UntilExpiry<S> {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if self.done {
            return Poll::Ready(None);
        }
        // The deadline first: a busy stream must still end on time.
        if let Some(deadline) = self.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            self.done = true;
            return Poll::Ready(self.notice.take());
        }
        let polled = self.events.as_mut().poll_next(cx);
        if let Poll::Ready(None) = polled {
            self.done = true;
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use futures::StreamExt;

    use super::*;
    use crate::jwt::GrantInner;

    fn grant(valid_for: Duration) -> Grant {
        let now = SystemTime::now();
        Grant(Arc::new(GrantInner {
            subscribe: Vec::new(),
            publish: Vec::new(),
            expires_at: Some(now + valid_for),
            valid_until: Some(now + valid_for),
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_stream_ends_with_the_notice_when_the_token_expires() {
        let started = tokio::time::Instant::now();
        let stream = until_expiry(futures::stream::pending(), &grant(Duration::from_secs(30)));
        let items: Vec<Bytes> = tokio::time::timeout(Duration::from_secs(60), stream.collect())
            .await
            .expect("the stream ends");
        assert_eq!(items.len(), 1);
        let text = std::str::from_utf8(&items[0]).unwrap();
        assert!(
            text.starts_with("event: token-expired\ndata: {\"exp\":"),
            "{text}"
        );
        assert!(text.ends_with("}\n\n"), "{text}");
        let waited = started.elapsed();
        assert!(waited >= Duration::from_secs(29) && waited <= Duration::from_secs(31));
    }

    #[tokio::test(start_paused = true)]
    async fn events_pass_until_the_deadline() {
        let ticks = futures::stream::iter(0..)
            .then(|n| async move {
                tokio::time::sleep(Duration::from_secs(1)).await;
                Bytes::from(format!("data: {n}\n\n"))
            })
            .boxed();
        let items: Vec<Bytes> = tokio::time::timeout(
            Duration::from_secs(60),
            until_expiry(ticks, &grant(Duration::from_millis(3500))).collect(),
        )
        .await
        .expect("the stream ends");
        // Three ticks (at 1, 2 and 3 s), then the notice at 3.5 s.
        assert_eq!(items.len(), 4, "{items:?}");
        assert!(items[3].starts_with(b"event: token-expired\n"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_stream_that_ends_first_sends_no_notice() {
        let events = futures::stream::iter([Bytes::from_static(b"data: a\n\n")]);
        let items: Vec<Bytes> = until_expiry(events, &grant(Duration::from_secs(30)))
            .collect()
            .await;
        assert_eq!(items, [Bytes::from_static(b"data: a\n\n")]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_already_expired_grant_ends_at_once() {
        let now = SystemTime::now();
        let past = Grant(Arc::new(GrantInner {
            subscribe: Vec::new(),
            publish: Vec::new(),
            expires_at: Some(now - Duration::from_secs(10)),
            valid_until: Some(now - Duration::from_secs(5)),
        }));
        let items: Vec<Bytes> = until_expiry(futures::stream::pending(), &past)
            .collect()
            .await;
        assert_eq!(items.len(), 1);
    }
}
