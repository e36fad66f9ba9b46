//! Direct delivery: the fan-out writes each live event to the subscriber's socket itself.
//!
//! On the lean path ([`super::lean`]) a hub stream's live events would otherwise go through the
//! subscriber's queue: the fan-out pushes, wakes the connection's task, the task is scheduled,
//! pops, runs the body's layers and writes. Per delivery that is about 3 µs of user time on top
//! of the kernel's 6 µs write (perf, chapter 5's costs page), so the hub spent 1.3-1.6x what bare
//! writes cost. Here the connection attaches its socket to the subscriber's queue as a
//! [`Sink`]: the fan-out frames the event as an HTTP chunk and calls `try_write` on the socket.
//! Only when the socket's buffer is full does the event wait, in this connection's backlog
//! (bounded like the queue), and the task is woken to write it when the socket drains.
//!
//! The task itself sleeps between events: it wakes for the backlog, the client leaving, the hub
//! letting the subscriber go, and shutdown. Keep-alive comments come from one sweep per server
//! and interval ([`KeepAlives`]), not from a timer per stream. Every write, from the fan-out, the
//! sweep or the task, happens under one lock, so the bytes go out in order.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{ErrorKind, IoSlice};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use sse_hub::{Offer, Published, Sink};
use tokio::net::TcpStream;

use super::lean::{LEAN_HEAD_MAX, Pumped, WRITE_STALL_TIMEOUT};
use crate::sse::{DirectParts, ShutdownWatch};

/// Most slices in one vectored write.
const MAX_SLICES: usize = 64;
/// The last chunk of a chunked body.
const LAST_CHUNK: &[u8] = b"0\r\n\r\n";
/// A keep-alive comment (`sse_format::KEEP_ALIVE`) as one chunk.
const KEEP_ALIVE_CHUNK: &[u8] = b"3\r\n:\n\n\r\n";

/// The socket, shared by the connection's task and the fan-out.
pub(super) struct Conn {
    socket: TcpStream,
    out: Mutex<Out>,
}

/// What waits to be written, and who to wake.
struct Out {
    /// Byte slices not written yet, in order; the first may be partly written.
    backlog: VecDeque<Bytes>,
    /// Bytes of the first slice written already.
    written: usize,
    /// Most slices allowed to wait besides the first (the subscriber's queue capacity): each
    /// live event is one slice, and the stream's start (head, replay) is one.
    capacity: usize,
    /// The connection's task, woken when the backlog starts or a write fails.
    waker: Option<Waker>,
    /// A write failed: the client is gone.
    failed: bool,
    /// Something was written since the keep-alive sweep last looked.
    active: bool,
    /// The stream has ended (its last chunk is queued): no more events or keep-alives.
    ended: bool,
}

impl Conn {
    fn lock(&self) -> MutexGuard<'_, Out> {
        // Nothing under this lock can leave `Out` inconsistent.
        self.out
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes `chunk` at once if nothing waits before it, else (or what the socket did not
    /// take) adds it to the backlog and wakes the task. `false`: the socket failed.
    fn send(&self, out: &mut Out, chunk: Bytes) -> bool {
        if out.failed {
            return false;
        }
        out.active = true;
        if !out.backlog.is_empty() {
            out.backlog.push_back(chunk);
            return true;
        }
        let written = match self.socket.try_write(&chunk) {
            Ok(n) if n >= chunk.len() => return true,
            Ok(n) => n,
            Err(error) if error.kind() == ErrorKind::WouldBlock => 0,
            Err(_) => {
                out.failed = true;
                wake(out);
                return false;
            }
        };
        out.backlog.push_back(chunk.slice(written..));
        wake(out);
        true
    }

    /// Writes the backlog until it is empty (`Ready(Ok)`), the socket is full (`Pending`, the
    /// task registered for writability) or a write fails (`Ready(Err)`). Sets `progressed` when
    /// any byte went out.
    fn poll_flush(&self, cx: &mut Context<'_>, progressed: &mut bool) -> Poll<Result<(), ()>> {
        loop {
            let mut out = self.lock();
            if out.failed {
                return Poll::Ready(Err(()));
            }
            if out.backlog.is_empty() {
                // An idle stream keeps no backlog's worth of capacity.
                out.backlog = VecDeque::new();
                return Poll::Ready(Ok(()));
            }
            let mut slices = [IoSlice::new(&[]); MAX_SLICES];
            let mut count = 0;
            for (i, part) in out.backlog.iter().take(MAX_SLICES).enumerate() {
                let from = if i == 0 { out.written } else { 0 };
                slices[i] = IoSlice::new(&part[from..]);
                count += 1;
            }
            match self.socket.try_write_vectored(&slices[..count]) {
                Ok(0) => {
                    out.failed = true;
                    return Poll::Ready(Err(()));
                }
                Ok(mut n) => {
                    *progressed = true;
                    while n > 0 {
                        let Some(front) = out.backlog.front() else {
                            break;
                        };
                        let left = front.len() - out.written;
                        if n >= left {
                            n -= left;
                            out.backlog.pop_front();
                            out.written = 0;
                        } else {
                            out.written += n;
                            n = 0;
                        }
                    }
                }
                Err(error) if error.kind() == ErrorKind::WouldBlock => {
                    drop(out);
                    match self.socket.poll_write_ready(cx) {
                        Poll::Ready(Ok(())) => continue,
                        Poll::Ready(Err(_)) => {
                            self.lock().failed = true;
                            return Poll::Ready(Err(()));
                        }
                        Poll::Pending => return Poll::Pending,
                    }
                }
                Err(_) => {
                    out.failed = true;
                    return Poll::Ready(Err(()));
                }
            }
        }
    }
}

fn wake(out: &mut Out) {
    if let Some(waker) = out.waker.take() {
        waker.wake();
    }
}

/// `bytes` framed as one HTTP chunk.
fn chunk(bytes: &Bytes) -> Bytes {
    let mut framed = Vec::with_capacity(bytes.len() + 20);
    framed.extend_from_slice(format!("{:x}\r\n", bytes.len()).as_bytes());
    framed.extend_from_slice(bytes);
    framed.extend_from_slice(b"\r\n");
    Bytes::from(framed)
}

thread_local! {
    /// The last event this thread framed, and its chunk: a fan-out offers the same event to
    /// every subscriber in turn, so it is framed once, and each socket gets one contiguous
    /// write (a `writev` of the size line, the event and the trailer cost the kernel more).
    /// Keeping the source alive keeps its address from being reused by another event.
    static FRAMED: std::cell::RefCell<Option<(Bytes, Bytes)>> = const { std::cell::RefCell::new(None) };
}

/// `bytes` as one chunk, framed once per event per thread.
fn framed(bytes: &Bytes) -> Bytes {
    FRAMED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((source, framed)) = cache.as_ref()
            && source.as_ptr() == bytes.as_ptr()
            && source.len() == bytes.len()
        {
            return framed.clone();
        }
        let framed = chunk(bytes);
        *cache = Some((bytes.clone(), framed.clone()));
        framed
    })
}

impl Sink for Conn {
    fn offer(&self, published: &Arc<Published>) -> Offer {
        let mut out = self.lock();
        if out.failed {
            return Offer::Closed;
        }
        if out.backlog.len() > out.capacity {
            return Offer::Full;
        }
        if self.send(&mut out, framed(&published.bytes)) {
            Offer::Taken
        } else {
            Offer::Closed
        }
    }
}

/// Keep-alive comments for the direct streams of one server, written by one sweep per interval
/// rather than by a timer per stream.
///
/// A timer per stream wakes each stream's task on its own when its interval is due: at 100,000
/// subscribers that cost about 3 µs per delivery in the load benchmark (chapter 5's costs page),
/// more than the comments' writes. The sweep runs every half interval and writes a comment to
/// each stream that wrote nothing since the sweep before, so a stream is never quiet for longer
/// than the interval, and a busy one gets no comment at all.
#[derive(Default)]
pub(super) struct KeepAlives {
    sweeps: Mutex<Vec<(Duration, Arc<Sweep>)>>,
}

/// The streams of one keep-alive interval.
#[derive(Default)]
struct Sweep {
    conns: Mutex<Vec<std::sync::Weak<Conn>>>,
}

/// The shortest sweep period: a keep-alive of a few milliseconds must not spin.
const MIN_SWEEP: Duration = Duration::from_millis(5);

impl KeepAlives {
    /// Adds `conn` to the sweep for `every`, starting that sweep on first use.
    fn watch(&self, every: Duration, conn: &Arc<Conn>) {
        let sweep = {
            let mut sweeps = self
                .sweeps
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match sweeps.iter().find(|(interval, _)| *interval == every) {
                Some((_, sweep)) => sweep.clone(),
                None => {
                    let sweep = Arc::new(Sweep::default());
                    sweeps.push((every, sweep.clone()));
                    let period = (every / 2).max(MIN_SWEEP);
                    tokio::spawn(run_sweep(Arc::downgrade(&sweep), period));
                    sweep
                }
            }
        };
        sweep
            .conns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(Arc::downgrade(conn));
    }
}

/// Sweeps every `period` while the server (which holds the sweep) lives.
async fn run_sweep(sweep: std::sync::Weak<Sweep>, period: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(sweep) = sweep.upgrade() else {
            return;
        };
        // The list is copied out so that new streams are not held up by the writes.
        let conns: Vec<std::sync::Weak<Conn>> = {
            let mut conns = sweep
                .conns
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            conns.retain(|conn| conn.strong_count() > 0);
            conns.clone()
        };
        drop(sweep);
        for conn in conns {
            if let Some(conn) = conn.upgrade() {
                keep_alive(&conn);
            }
        }
    }
}

/// One stream's turn in the sweep: a comment if it wrote nothing since the last turn.
fn keep_alive(conn: &Conn) {
    let mut out = conn.lock();
    if out.failed || out.ended {
        return;
    }
    if !std::mem::replace(&mut out.active, false) {
        // A failed write wakes the task, which ends the stream.
        conn.send(&mut out, Bytes::from_static(KEEP_ALIVE_CHUNK));
    }
}

/// The state of a direct stream's task: a hand-written future, as small as an idle stream can
/// keep.
pub(super) struct Direct<'a> {
    conn: Arc<Conn>,
    parts: DirectParts,
    /// What the client sends meanwhile (kept for the next request, up to [`LEAN_HEAD_MAX`]).
    pending: &'a mut Vec<u8>,
    reading: bool,
    shutdown: ShutdownWatch,
    /// The server's shutdown, for the drain time of the last writes.
    server_shutdown: ShutdownWatch,
    drain_timeout: Duration,
    drain: Option<Pin<Box<tokio::time::Sleep>>>,
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<'a> Direct<'a> {
    /// Starts a stream on `socket`: the response head and the parts' first bytes go in the
    /// backlog, then the socket is attached to the subscriber's queue (after writing whatever
    /// was queued before).
    pub(super) fn start(
        socket: TcpStream,
        head: Vec<u8>,
        parts: DirectParts,
        pending: &'a mut Vec<u8>,
        sweeps: &KeepAlives,
        server_shutdown: crate::sse::Shutdown,
        drain_timeout: Duration,
    ) -> Self {
        let mut parts = parts;
        // The start of the stream as one slice: a long replay counts once against the bound
        // on what may wait.
        let mut start = head;
        start.extend_from_slice(&chunk(&parts.retry));
        for bytes in std::mem::take(&mut parts.prelude) {
            start.extend_from_slice(&chunk(&bytes));
        }
        let conn = Arc::new(Conn {
            socket,
            out: Mutex::new(Out {
                backlog: VecDeque::from([Bytes::from(start)]),
                written: 0,
                capacity: parts.live.capacity(),
                waker: None,
                failed: false,
                active: true,
                ended: false,
            }),
        });
        loop {
            match parts.live.attach(conn.clone()) {
                Ok(()) => break,
                Err(queued) => {
                    // Events that came before the socket was attached (within the queue's bound).
                    let mut out = conn.lock();
                    for published in queued {
                        out.backlog.push_back(chunk(&published.bytes));
                    }
                }
            }
        }
        sweeps.watch(parts.keep_alive, &conn);
        let shutdown = ShutdownWatch::new(parts.shutdown.clone());
        Direct {
            conn,
            parts,
            pending,
            reading: true,
            shutdown,
            server_shutdown: ShutdownWatch::new(server_shutdown),
            drain_timeout,
            drain: None,
            stall: None,
        }
    }

    /// Ends the stream: no more events; the last chunk goes after the backlog.
    fn end(&mut self) {
        self.parts.live.detach();
        let mut out = self.conn.lock();
        out.ended = true;
        out.backlog.push_back(Bytes::from_static(LAST_CHUNK));
        // Woken already if a write is pending; otherwise this task flushes next.
    }

    /// After the stream: the socket back for the next request, if it can be had.
    pub(super) fn into_socket(self) -> Option<TcpStream> {
        let Direct { conn, parts, .. } = self;
        let mut live = parts.live;
        live.detach();
        drop(live);
        Arc::into_inner(conn).map(|conn| conn.socket)
    }

    /// Reads what the client sends while its stream runs: `Ready(true)` when it left.
    fn poll_client(&mut self, cx: &mut Context<'_>) -> Poll<bool> {
        loop {
            match self.conn.socket.poll_read_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(_)) => return Poll::Ready(true),
                Poll::Pending => return Poll::Pending,
            }
            let mut scratch = [0u8; 512];
            let room = LEAN_HEAD_MAX
                .saturating_sub(self.pending.len())
                .min(scratch.len());
            if room == 0 {
                return Poll::Ready(false);
            }
            match self.conn.socket.try_read(&mut scratch[..room]) {
                Ok(0) => return Poll::Ready(true),
                Ok(n) => self.pending.extend_from_slice(&scratch[..n]),
                Err(error) if error.kind() == ErrorKind::WouldBlock => {}
                Err(_) => return Poll::Ready(true),
            }
        }
    }
}

impl Future for Direct<'_> {
    type Output = Pumped;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Pumped> {
        let this = self.get_mut();
        let mut ended = {
            let mut out = this.conn.lock();
            match &out.waker {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                _ => out.waker = Some(cx.waker().clone()),
            }
            out.ended
        };
        if this.reading {
            match this.poll_client(cx) {
                Poll::Ready(true) => return Poll::Ready(Pumped::Gone),
                Poll::Ready(false) => this.reading = false,
                Poll::Pending => {}
            }
        }
        if !ended
            && (this.shutdown.poll_down(cx).is_ready()
                || this.parts.live.poll_released(cx).is_ready())
        {
            this.end();
            ended = true;
        }
        // A stream that does not finish its last writes within the drain time is cut.
        if this.drain.is_none() && this.server_shutdown.poll_down(cx).is_ready() {
            this.drain = Some(Box::pin(tokio::time::sleep(this.drain_timeout)));
        }
        if let Some(drain) = this.drain.as_mut()
            && drain.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Pumped::Gone);
        }
        let mut progressed = false;
        let flushed = this.conn.poll_flush(cx, &mut progressed);
        if progressed {
            this.stall = None;
        }
        match flushed {
            Poll::Ready(Ok(())) => {
                this.stall = None;
                if ended {
                    return Poll::Ready(Pumped::Done);
                }
                Poll::Pending
            }
            Poll::Ready(Err(())) => Poll::Ready(Pumped::Gone),
            Poll::Pending => {
                let stall = this
                    .stall
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL_TIMEOUT)));
                match stall.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Pumped::Gone),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keep_alive_chunk_is_the_keep_alive_comment_framed() {
        let comment = Bytes::from_static(sse_format::KEEP_ALIVE);
        assert_eq!(chunk(&comment), Bytes::from_static(KEEP_ALIVE_CHUNK));
    }

    #[test]
    fn each_event_is_framed_once_and_never_with_another_events_frame() {
        let one = Bytes::from_static(b"id: 1\ndata: a\n\n");
        let framed_one = framed(&one);
        assert_eq!(&framed_one[..], b"f\r\nid: 1\ndata: a\n\n\r\n");
        // The same event again: the same frame, not a new one.
        assert_eq!(framed(&one).as_ptr(), framed_one.as_ptr());
        // Same length, other bytes: framed anew.
        let two = Bytes::from(b"id: 2\ndata: b\n\n".to_vec());
        assert_eq!(&framed(&two)[..], b"f\r\nid: 2\ndata: b\n\n\r\n");
        // A slice of the first at its start (same address, shorter): framed anew.
        let part = one.slice(..5);
        assert_eq!(&framed(&part)[..], b"5\r\nid: 1\r\n");
    }
}
