//! Per-subscriber bounded queues: how one published event reaches every subscriber on this node.
//!
//! Each subscriber has its own bounded queue. Publishing tries to push into each; a full queue
//! means that subscriber cannot keep up, so its sender is dropped: its stream ends after what is
//! queued, the client reconnects with its last id and the replay catches it up, and nobody else
//! was held back. (A shared `broadcast` ring would make every subscriber take one lock to wait for
//! the next event, and a stalled subscriber would only notice it had lagged when it read again.)

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use sse_format::{EncodeError, Event};

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

/// Where a subscriber's live events go when its transport writes them itself, from the
/// fan-out, instead of being queued for a task to wake up and collect.
///
/// Waking a task per subscriber per event is most of what a hub adds to the kernel's write
/// (chapter 5's costs page: the queue's push and pop, the waker, the run queue). A transport that
/// can write without blocking (a socket's `try_write`) attaches a sink with [`Live::attach`]:
/// the fan-out then offers each event to it directly, in id order, each once.
pub trait Sink: Send + Sync {
    /// Takes one event. Called from the fan-out with the queue's lock held: it must not block
    /// or wait, and must not call back into the [`Live`] it is attached to. An event it cannot
    /// write at once it keeps (within its own bound) and writes later.
    fn offer(&self, published: &Arc<Published>) -> Offer;
}

/// What a [`Sink`] did with an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Written, or kept to be written.
    Taken,
    /// Its backlog is full: the subscriber cannot keep up and is let go (like a full queue).
    Full,
    /// The subscriber is gone.
    Closed,
}

/// One subscriber's queue, shared by its [`Sender`] (in the channel's list) and its [`Live`].
///
/// A mutex over a `VecDeque`, not tokio's `mpsc`: a subscriber has one producer (the fan-out,
/// already serialized by the hub) and one consumer, and the queue is usually empty. `mpsc`'s
/// block list, semaphore and atomic waker cost more per event than the lock (perf, chapter 5's
/// costs page), and it allocated its first block of 32 slots up front; a `VecDeque` allocates on
/// its first event.
struct Shared {
    capacity: usize,
    state: Mutex<State>,
    /// The [`Live`] is gone: read without the lock, since the registry asks every subscriber
    /// of a channel when it sweeps out the gone ones.
    gone: AtomicBool,
}

struct State {
    items: VecDeque<Arc<Published>>,
    /// The task to wake for a new event or the end.
    waker: Option<Waker>,
    /// While attached, events go here instead of `items`.
    sink: Option<Arc<dyn Sink>>,
    /// While attached: the last id offered to the sink (or replayed before).
    sink_after: EventId,
    /// The hub let go of this subscriber (it fell behind, or the channel was lost).
    released: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing under this lock can leave the state half-changed.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The sending side of one subscriber's queue, held by the channel; dropping it lets the
/// subscriber go (its stream ends after what is queued).
pub(crate) struct Sender(Arc<Shared>);

impl Sender {
    /// Hands over one event: queued, or offered to the attached sink.
    fn offer(&self, published: &Arc<Published>) -> Offer {
        let mut state = self.0.lock();
        // Set before the live side takes this lock to clear the queue: seen here, or cleared.
        if self.is_closed() {
            return Offer::Closed;
        }
        if let Some(sink) = &state.sink {
            if published.id <= state.sink_after {
                return Offer::Taken; // in the replay already
            }
            let offered = sink.offer(published);
            if offered == Offer::Taken {
                state.sink_after = published.id;
            }
            return offered;
        }
        if state.items.len() >= self.0.capacity {
            return Offer::Full;
        }
        state.items.push_back(published.clone());
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Offer::Taken
    }

    /// Whether the subscriber is gone.
    pub(crate) fn is_closed(&self) -> bool {
        self.0.gone.load(Ordering::Acquire)
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.released = true;
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

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
    // One allocation per event, shared by every subscriber: a delivery is one reference count.
    let shared = Arc::new(published.clone());
    subscribers.retain(|queue| match queue.offer(&shared) {
        Offer::Taken => {
            delivery.delivered += 1;
            true
        }
        Offer::Full => {
            delivery.too_slow += 1;
            false
        }
        // The subscriber is gone already: nothing to count.
        Offer::Closed => false,
    });
    delivery
}

/// A new queue of `capacity` events, delivering only ids after `after`.
pub(crate) fn queue(capacity: usize, after: EventId) -> (Sender, Live) {
    let shared = Arc::new(Shared {
        capacity: capacity.max(1),
        state: Mutex::new(State {
            items: VecDeque::new(),
            waker: None,
            sink: None,
            sink_after: EventId::ZERO,
            released: false,
        }),
        gone: AtomicBool::new(false),
    });
    (Sender(shared.clone()), Live { shared, after })
}

/// The live events of one subscription, in id order, each once.
pub struct Live {
    shared: Arc<Shared>,
    /// The last id handed out (or replayed): anything at or before it is a duplicate. (The
    /// subscriber joins the fan-out before the hub reads its replay, so the first live events
    /// can also be in the replay.)
    after: EventId,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("after", &self.after)
            .finish_non_exhaustive()
    }
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
        let mut state = self.shared.lock();
        if let Some(next) = pop(&mut state, &mut self.after) {
            return Poll::Ready(Some(next));
        }
        if state.released {
            return Poll::Ready(None);
        }
        register(&mut state, cx);
        Poll::Pending
    }

    /// The next event if one is already queued.
    pub fn try_recv(&mut self) -> Option<Published> {
        let mut state = self.shared.lock();
        pop(&mut state, &mut self.after).map(Arc::unwrap_or_clone)
    }

    /// Skips the live events up to `id` (they were in the replay).
    pub(crate) fn skip_through(&mut self, id: EventId) {
        self.after = self.after.max(id);
    }

    /// How many events may wait for this subscriber before the hub lets it go.
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }

    /// The last id handed out (or replayed, or offered to an attached sink).
    pub fn last_id(&self) -> EventId {
        let state = self.shared.lock();
        if state.sink.is_some() {
            self.after.max(state.sink_after)
        } else {
            self.after
        }
    }

    /// From now on, offers every live event to `sink` from the fan-out instead of queueing it
    /// (see [`Sink`]). If events are queued already, attaches nothing and returns them, in
    /// order: write them, then attach again. Until [`Live::detach`], [`Live::recv`] sees no
    /// events, only the end ([`Live::poll_released`]).
    pub fn attach(&mut self, sink: Arc<dyn Sink>) -> Result<(), Vec<Arc<Published>>> {
        let mut state = self.shared.lock();
        let mut queued = Vec::new();
        while let Some(next) = pop(&mut state, &mut self.after) {
            queued.push(next);
        }
        if !queued.is_empty() {
            return Err(queued);
        }
        state.sink = Some(sink);
        state.sink_after = self.after;
        Ok(())
    }

    /// Stops offering events to the attached sink; later ones are queued again.
    pub fn detach(&mut self) {
        let mut state = self.shared.lock();
        if state.sink.take().is_some() {
            self.after = self.after.max(state.sink_after);
        }
    }

    /// `Ready` once the hub let this subscriber go (it fell behind, or the channel was lost):
    /// what a stream with an attached sink waits for, besides its client.
    pub fn poll_released(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.shared.lock();
        if state.released {
            return Poll::Ready(());
        }
        register(&mut state, cx);
        Poll::Pending
    }
}

/// The next queued event after `after`, if any.
fn pop(state: &mut State, after: &mut EventId) -> Option<Arc<Published>> {
    while let Some(published) = state.items.pop_front() {
        if published.id > *after {
            *after = published.id;
            return Some(published);
        }
    }
    None
}

/// Keeps the waker of the task that polls (cloned only when it changed).
fn register(state: &mut State, cx: &mut Context<'_>) {
    match &state.waker {
        Some(waker) if waker.will_wake(cx.waker()) => {}
        _ => state.waker = Some(cx.waker().clone()),
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.shared.gone.store(true, Ordering::Release);
        let mut state = self.shared.lock();
        state.items = VecDeque::new();
        // The sink may hold its connection: let it go now, not when the hub next publishes.
        let sink = state.sink.take();
        state.waker = None;
        drop(state);
        drop(sink);
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

    /// A sink that records what it was offered, and answers `Full` past `room`.
    struct Recorder {
        got: Mutex<Vec<EventId>>,
        room: usize,
    }

    impl Sink for Recorder {
        fn offer(&self, published: &Arc<Published>) -> Offer {
            let mut got = self.got.lock().unwrap();
            if got.len() >= self.room {
                return Offer::Full;
            }
            got.push(published.id);
            Offer::Taken
        }
    }

    fn event(seq: u64) -> Published {
        Published::encode(EventId::new(1, seq), None, "x").unwrap()
    }

    #[test]
    fn attaching_hands_back_what_was_queued_then_the_fan_out_offers_each_event_once_in_order() {
        let (sender, mut live) = queue(8, EventId::ZERO);
        let mut subscribers = vec![sender];
        deliver(&mut subscribers, &event(1));
        deliver(&mut subscribers, &event(2));
        let sink = Arc::new(Recorder {
            got: Mutex::new(Vec::new()),
            room: 100,
        });
        let queued = live.attach(sink.clone()).unwrap_err();
        let ids: Vec<_> = queued.iter().map(|p| p.id).collect();
        assert_eq!(ids, [EventId::new(1, 1), EventId::new(1, 2)]);
        live.attach(sink.clone()).expect("nothing queued now");
        // Already handed out (as the replay may overlap the first live events): not offered.
        deliver(&mut subscribers, &event(2));
        deliver(&mut subscribers, &event(3));
        deliver(&mut subscribers, &event(4));
        assert_eq!(
            *sink.got.lock().unwrap(),
            [EventId::new(1, 3), EventId::new(1, 4)]
        );
        assert_eq!(live.last_id(), EventId::new(1, 4));
        assert!(live.try_recv().is_none(), "nothing queued while attached");
        // Detached, the queue takes over where the sink stopped.
        live.detach();
        deliver(&mut subscribers, &event(4));
        deliver(&mut subscribers, &event(5));
        assert_eq!(live.try_recv().map(|p| p.id), Some(EventId::new(1, 5)));
        assert!(live.try_recv().is_none());
    }

    #[test]
    fn a_full_sink_lets_the_subscriber_go_and_wakes_its_task() {
        let (sender, mut live) = queue(8, EventId::ZERO);
        let mut subscribers = vec![sender];
        let sink = Arc::new(Recorder {
            got: Mutex::new(Vec::new()),
            room: 1,
        });
        live.attach(sink.clone()).unwrap();
        let counter = Arc::new(WakeCounter::default());
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        assert!(live.poll_released(&mut cx).is_pending());
        let first = deliver(&mut subscribers, &event(1));
        assert_eq!((first.delivered, first.too_slow), (1, 0));
        assert_eq!(counter.count(), 0, "a written event wakes nobody");
        let second = deliver(&mut subscribers, &event(2));
        assert_eq!((second.delivered, second.too_slow), (0, 1));
        assert!(subscribers.is_empty());
        assert_eq!(counter.count(), 1, "the task learns it was let go");
        assert!(live.poll_released(&mut cx).is_ready());
        assert!(live.try_recv().is_none());
    }

    #[test]
    fn dropping_the_live_side_lets_go_of_its_sink_at_once() {
        let (sender, mut live) = queue(8, EventId::ZERO);
        let sink = Arc::new(Recorder {
            got: Mutex::new(Vec::new()),
            room: 1,
        });
        live.attach(sink.clone()).unwrap();
        assert_eq!(Arc::strong_count(&sink), 2);
        drop(live);
        assert_eq!(Arc::strong_count(&sink), 1, "not kept until the next event");
        assert!(sender.is_closed());
        let mut subscribers = vec![sender];
        let gone = deliver(&mut subscribers, &event(1));
        assert_eq!((gone.delivered, gone.too_slow), (0, 0));
        assert!(subscribers.is_empty());
    }

    #[derive(Default)]
    struct WakeCounter(std::sync::atomic::AtomicUsize);

    impl WakeCounter {
        fn count(&self) -> usize {
            self.0.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    impl std::task::Wake for WakeCounter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn a_queued_event_wakes_the_waiting_task_once_and_the_end_comes_after_what_is_queued() {
        let (sender, mut live) = queue(2, EventId::ZERO);
        let counter = Arc::new(WakeCounter::default());
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        assert!(live.poll_recv_shared(&mut cx).is_pending());
        let mut subscribers = vec![sender];
        deliver(&mut subscribers, &event(1));
        deliver(&mut subscribers, &event(2));
        assert_eq!(counter.count(), 1, "woken once for two events");
        let over = deliver(&mut subscribers, &event(3));
        assert_eq!(over.too_slow, 1, "a third does not fit in two");
        assert!(
            matches!(live.poll_recv_shared(&mut cx), Poll::Ready(Some(p)) if p.id == EventId::new(1, 1))
        );
        assert!(
            matches!(live.poll_recv_shared(&mut cx), Poll::Ready(Some(p)) if p.id == EventId::new(1, 2))
        );
        assert!(matches!(live.poll_recv_shared(&mut cx), Poll::Ready(None)));
    }
}
