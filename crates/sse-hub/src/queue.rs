//! Per-subscriber bounded queues: how one published event reaches every subscriber on this node.
//!
//! Each subscriber has its own bounded queue. Publishing tries to push into each; a full queue
//! means that subscriber cannot keep up, so its sender is dropped: its stream ends after what is
//! queued, the client reconnects with its last id and the replay catches it up, and nobody else
//! was held back. (A shared `broadcast` ring would make every subscriber take one lock to wait for
//! the next event, and a stalled subscriber would only notice it had lagged when it read again.)

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use sse_format::{EncodeError, Event};
use tokio::sync::mpsc;

use crate::id::EventId;

/// An event as stored and delivered: its id and its wire bytes, encoded once for every
/// subscriber of this node.
#[derive(Clone, Debug)]
pub struct Published {
    /// Its position in the channel.
    pub id: EventId,
    /// The encoded SSE event, `id:` line included.
    pub bytes: Bytes,
    /// The event's type, if not the default `message`.
    pub event: Option<Arc<str>>,
    /// The event's data, for transports other than SSE (WebSocket, polling) that frame it their
    /// own way. For one-line data it shares the encoded bytes rather than copying them.
    pub data: Text,
}

impl Published {
    /// Encodes an event once, with its id.
    pub fn encode(id: EventId, event: Option<&str>, data: &str) -> Result<Self, EncodeError> {
        let mut encoded = Event::new().id(id.to_string()).data(data);
        if let Some(kind) = event {
            encoded = encoded.event(kind);
        }
        let bytes = Bytes::from(encoded.to_bytes()?);
        // One-line data ends the encoding as `data: <data>\n\n`: share that slice.
        let end = bytes.len().saturating_sub(2);
        let start = end.saturating_sub(data.len());
        let data = if bytes.get(start..end) == Some(data.as_bytes()) {
            Text(bytes.slice(start..end))
        } else {
            Text(Bytes::copy_from_slice(data.as_bytes()))
        };
        Ok(Published {
            id,
            bytes,
            event: event.map(Arc::from),
            data,
        })
    }

    /// What it costs to keep: the wire bytes, plus the data when it is a separate copy.
    pub fn size(&self) -> usize {
        let shared = self.data.0.as_ptr() >= self.bytes.as_ptr()
            && self.data.0.as_ptr() < self.bytes.as_ptr().wrapping_add(self.bytes.len());
        self.bytes.len() + if shared { 0 } else { self.data.len() }
    }
}

/// UTF-8 text in shared bytes: the data of a [`Published`] event.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text(Bytes);

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        // Only ever built from a `&str` (or a slice of one at character boundaries).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// The sending side of one subscriber's queue, held by the channel.
///
/// The queue holds `Arc<Published>`, one pointer per slot: tokio's bounded channel allocates its
/// first block of 32 slots up front, which with `Published` by value (96 bytes) cost every idle
/// subscriber 3.1 KB (measured with DHAT, chapter 5's costs page); and a delivery is then one
/// reference count, not three.
pub(crate) type Sender = mpsc::Sender<Arc<Published>>;

/// What one fan-out did, counted in the loop so that the metrics are touched once per event,
/// not once per subscriber.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Delivery {
    /// Queues that took the event.
    pub(crate) delivered: u64,
    /// Queues that were full: those subscribers are let go (too slow).
    pub(crate) too_slow: u64,
}

/// Hands `published` to every subscriber that has room; drops the others (and the gone ones).
pub(crate) fn deliver(subscribers: &mut Vec<Sender>, published: &Published) -> Delivery {
    let mut delivery = Delivery::default();
    if subscribers.is_empty() {
        return delivery;
    }
    let shared = Arc::new(published.clone());
    subscribers.retain(|queue| match queue.try_send(shared.clone()) {
        Ok(()) => {
            delivery.delivered += 1;
            true
        }
        Err(mpsc::error::TrySendError::Full(_)) => {
            delivery.too_slow += 1;
            false
        }
        // The subscriber is gone already: nothing to count.
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    });
    delivery
}

/// A new queue of `capacity` events, delivering only ids after `after`.
pub(crate) fn queue(capacity: usize, after: EventId) -> (Sender, Live) {
    let (sender, receiver) = mpsc::channel(capacity.max(1));
    (sender, Live { receiver, after })
}

/// The live events of one subscription, in id order, each once.
#[derive(Debug)]
pub struct Live {
    receiver: mpsc::Receiver<Arc<Published>>,
    /// The last id handed out (or replayed): anything at or before it is a duplicate. (The
    /// subscriber joins the fan-out before the hub reads its replay, so the first live events
    /// can also be in the replay.)
    after: EventId,
}

impl Live {
    /// The next event; `None` when the hub let this subscriber go (it fell too far behind, or
    /// the node lost track of the channel): reconnect with the last id to resume.
    pub async fn recv(&mut self) -> Option<Published> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// [`Live::recv`] as a poll: what a hand-written stream or response body calls, without an
    /// `async` block to keep in between (this runs once per event per subscriber).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Published>> {
        self.poll_recv_shared(cx)
            .map(|next| next.map(Arc::unwrap_or_clone))
    }

    /// [`Live::poll_recv`] without taking the event out of its shared allocation: every
    /// subscriber of this node gets the same `Arc`, so a transport that only needs the wire
    /// bytes clones one `Bytes` instead of the whole event.
    pub fn poll_recv_shared(&mut self, cx: &mut Context<'_>) -> Poll<Option<Arc<Published>>> {
        loop {
            match self.receiver.poll_recv(cx) {
                Poll::Ready(Some(published)) if published.id <= self.after => continue,
                Poll::Ready(Some(published)) => {
                    self.after = published.id;
                    return Poll::Ready(Some(published));
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// The next event if one is already queued.
    pub fn try_recv(&mut self) -> Option<Published> {
        while let Ok(published) = self.receiver.try_recv() {
            if published.id > self.after {
                self.after = published.id;
                return Some(Arc::unwrap_or_clone(published));
            }
        }
        None
    }

    /// Skips the live events up to `id` (they were in the replay).
    pub(crate) fn skip_through(&mut self, id: EventId) {
        self.after = self.after.max(id);
    }
}

/// The live events as a stream: ends where [`Live::recv`] returns `None`.
impl futures::Stream for Live {
    type Item = Published;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Published>> {
        self.get_mut().poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_data_shares_the_encoded_bytes() {
        let one = Published::encode(EventId::new(1, 2), Some("tick"), "hello").unwrap();
        assert_eq!(&one.bytes[..], b"event: tick\nid: 1-2\ndata: hello\n\n");
        assert_eq!(&*one.data, "hello");
        assert_eq!(one.size(), one.bytes.len(), "no second copy");
        let lines = Published::encode(EventId::new(1, 3), None, "a\nb").unwrap();
        assert_eq!(&*lines.data, "a\nb");
        assert_eq!(lines.size(), lines.bytes.len() + 3);
        let empty = Published::encode(EventId::new(1, 4), None, "").unwrap();
        assert_eq!(&*empty.data, "");
        assert_eq!(empty.data.to_string(), "");
    }

    #[test]
    fn a_fan_out_counts_who_got_it_and_who_was_too_slow() {
        let one = Published::encode(EventId::new(1, 1), None, "x").unwrap();
        let (fast, mut fast_live) = queue(4, EventId::ZERO);
        let (slow, _slow_live) = queue(1, EventId::ZERO);
        let (gone, gone_live) = queue(4, EventId::ZERO);
        drop(gone_live);
        let mut subscribers = vec![fast, slow, gone];
        let first = deliver(&mut subscribers, &one);
        assert_eq!(
            (first.delivered, first.too_slow),
            (2, 0),
            "the gone one is not counted"
        );
        let second = deliver(&mut subscribers, &one);
        assert_eq!((second.delivered, second.too_slow), (1, 1));
        assert_eq!(subscribers.len(), 1);
        assert!(fast_live.try_recv().is_some());
    }
}
