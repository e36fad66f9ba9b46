//! The lean path: plain HTTP/1.1 requests for an event stream, served without hyper's buffers.
//!
//! An idle subscriber costs what its connection keeps between events. hyper keeps an 8 KiB read
//! buffer and an 8 KiB write buffer for every HTTP/1 connection for as long as it lives, with no
//! setting to shrink them (`INIT_BUFFER_SIZE` in hyper's `proto/h1/io.rs`), plus its dispatcher and
//! a cached header map: about 18 KB of the 24 KB that DHAT counted per idle subscriber (chapter 5's
//! costs page). An event stream needs none of it after the response head, so a plain connection
//! starts here:
//!
//! 1. The request head is read into a small buffer and parsed with `httparse` (hyper's own parser).
//! 2. A `GET` over HTTP/1.1 that asks for `text/event-stream` (every `EventSource` and SSE client
//!    does), with no body and no upgrade, goes to the app as an ordinary request, and whatever the
//!    app answers is written here: the head, then the body as it comes, chunked, each batch of
//!    ready frames in one vectored write. The read buffer is freed before the app runs. Between
//!    events the connection holds only its socket and the response body.
//! 3. Anything else (another method, a body, an upgrade, HTTP/1.0, a head this path will not parse
//!    or one larger than [`LEAN_HEAD_MAX`]) is handed to hyper, with the bytes read so far put
//!    back in front of the socket: hyper serves the rest of the connection as before.
//!
//! The same limits hold as on hyper's path: a head must arrive within the header read timeout
//! (also between requests on a kept-alive connection); while a body streams, the socket is read
//! so that a client that leaves ends its stream at once (bytes it sends meanwhile, a pipelined
//! request, are kept up to [`LEAN_HEAD_MAX`]); shutdown lets the response finish within the drain
//! timeout. One bound hyper does not have: a write that makes no progress for
//! [`WRITE_STALL_TIMEOUT`] (a client that stopped reading) closes the connection.

use std::any::{Any, TypeId};
use std::future::Future;
use std::io::IoSlice;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{self, HeaderName, HeaderValue, Method, Request, Response, Uri, Version, header};
use bytes::Bytes;
use hyper::body::Body as _;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

use super::direct::Direct;
use super::{LocalAddr, Server, Slot};
use crate::sse::{DirectHandle, ShutdownWatch};

/// The largest request head this path reads; a larger one goes to hyper (whose own limit is
/// larger). Also bounds what a client may send while its stream runs.
pub(crate) const LEAN_HEAD_MAX: usize = 8 * 1024;
/// Most headers this path parses; a request with more goes to hyper.
const MAX_HEADERS: usize = 64;
/// A write that makes no progress this long closes the connection.
pub(crate) const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Most frames written in one vectored write (the chunk header and trailer take two more slices).
const BATCH_FRAMES: usize = 30;
/// Most bytes gathered into one write.
const BATCH_BYTES: usize = 64 * 1024;

/// A parsed request head.
#[allow(
    clippy::large_enum_variant,
    reason = "short-lived: the request moves into the app at once"
)]
enum Parsed {
    /// More bytes are needed.
    Partial,
    /// Not for this path: hand the connection to hyper.
    Other,
    /// A request this path serves, and the length of its head in the buffer.
    Lean {
        request: Request<Body>,
        head_len: usize,
        keep_alive: bool,
    },
}

/// How a response body is delimited.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// No body at all (`204`, `304`).
    None,
    /// `content-length` (an exactly known size).
    Length,
    /// `transfer-encoding: chunked` (a stream).
    Chunked,
}

/// Why a body stopped.
pub(super) enum Pumped {
    /// The body ended.
    Done,
    /// The client left, or a write failed or stalled: close without more.
    Gone,
}

/// Serves a plain connection: event streams here, everything else by hyper.
pub(super) async fn serve<I>(server: Arc<Server>, io: I, peer: SocketAddr, slot: Slot)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut io = io;
    let mut pending: Vec<u8> = Vec::new();
    let mut shutdown = server.shutdown.clone();
    loop {
        if shutdown.is_down() {
            return;
        }
        // Boxed: everything before the stream (the head, the request, the app's future) is large
        // and short-lived; the task keeps only what the stream needs, as its size is that of its
        // largest state (DHAT: 1.4 KB per idle subscriber with the steps inline).
        let next = Box::pin(next_response(
            &server,
            &mut io,
            &mut pending,
            peer,
            &mut shutdown,
        ));
        let Some(next) = next.await else {
            return;
        };
        let Next::Respond {
            head,
            body,
            framing,
            keep_alive,
            direct,
        } = next
        else {
            // Boxed: the hyper connection's state would otherwise be part of every lean task.
            let rewound = Rewind {
                before: Bytes::from(pending),
                io,
            };
            Box::pin(server.plain(rewound, peer, slot)).await;
            return;
        };
        // A hub stream on a plain socket: the fan-out writes its events (see `direct`).
        let parts = match direct {
            Some(handle)
                if framing == Framing::Chunked
                    && TypeId::of::<I>() == TypeId::of::<TcpStream>() =>
            {
                handle.take()
            }
            _ => None,
        };
        if let Some(parts) = parts {
            let mut holder = Some(io);
            let Some(socket) = (&mut holder as &mut dyn Any)
                .downcast_mut::<Option<TcpStream>>()
                .and_then(Option::take)
            else {
                return; // cannot be: the type was checked
            };
            let mut stream = Direct::start(
                socket,
                head,
                parts,
                &mut pending,
                &server.keep_alives,
                server.shutdown.clone(),
                server.config.drain_timeout,
            );
            let pumped = (&mut stream).await;
            // The body (and the request's span in it) ends with the stream.
            drop(body);
            let socket = match pumped {
                Pumped::Done if keep_alive => stream.into_socket(),
                Pumped::Done => {
                    if let Some(mut socket) = stream.into_socket() {
                        let _ = socket.shutdown().await;
                    }
                    return;
                }
                Pumped::Gone => return,
            };
            let mut back = socket;
            match (&mut back as &mut dyn Any)
                .downcast_mut::<Option<I>>()
                .and_then(Option::take)
            {
                Some(socket) => io = socket,
                None => return,
            }
            continue;
        }
        let pump = Pump::new(&mut io, &mut pending, head, body, framing)
            .with_shutdown(server.shutdown.clone(), server.config.drain_timeout);
        match pump.await {
            Pumped::Done if keep_alive => continue,
            Pumped::Done => {
                let _ = io.shutdown().await;
                return;
            }
            Pumped::Gone => return,
        }
    }
}

/// What to do with the next request.
enum Next {
    /// Not for this path: hand the connection, and the bytes read, to hyper.
    Hyper,
    /// Write this response.
    Respond {
        head: Vec<u8>,
        body: Body,
        framing: Framing,
        keep_alive: bool,
        /// The app's stream in parts, if it can be written from the fan-out.
        direct: Option<DirectHandle>,
    },
}

/// Reads the next request and, if this path serves it, asks the app for its response. `None`:
/// the connection is done.
async fn next_response<I>(
    server: &Server,
    io: &mut I,
    pending: &mut Vec<u8>,
    peer: SocketAddr,
    shutdown: &mut crate::sse::Shutdown,
) -> Option<Next>
where
    I: AsyncRead + Unpin,
{
    let Parsed::Lean {
        request,
        head_len,
        keep_alive,
    } = next_head(server, io, pending, peer, shutdown).await?
    else {
        return Some(Next::Hyper);
    };
    // What follows the head (a pipelined request) stays; an empty buffer is freed.
    pending.drain(..head_len);
    if pending.is_empty() {
        *pending = Vec::new();
    } else {
        pending.shrink_to_fit();
    }
    let response = match tower::ServiceExt::oneshot(server.app.clone(), request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let keep_alive = keep_alive && !closes(response.headers()) && !shutdown.is_down();
    let direct = response.extensions().get::<DirectHandle>().cloned();
    let (head, body, framing) = prepare(response, keep_alive);
    Some(Next::Respond {
        head,
        body,
        framing,
        keep_alive,
        direct,
    })
}

/// The next request head, within the header read timeout. `None`: the connection is done (closed,
/// an error, too slow (hyper closes a slow head the same way), or shutdown).
async fn next_head<I>(
    server: &Server,
    io: &mut I,
    pending: &mut Vec<u8>,
    peer: SocketAddr,
    shutdown: &mut crate::sse::Shutdown,
) -> Option<Parsed>
where
    I: AsyncRead + Unpin,
{
    let read = read_head(io, pending, server.local, peer);
    tokio::select! {
        () = shutdown.wait() => None,
        parsed = tokio::time::timeout(server.config.header_read_timeout, read) => {
            parsed.ok().and_then(Result::ok).flatten()
        }
    }
}

/// Reads until `pending` holds a whole request head, and parses it. `None`: the client closed
/// the connection first.
async fn read_head<I>(
    io: &mut I,
    pending: &mut Vec<u8>,
    local: SocketAddr,
    peer: SocketAddr,
) -> std::io::Result<Option<Parsed>>
where
    I: AsyncRead + Unpin,
{
    loop {
        if !pending.is_empty() {
            match parse(pending, local, peer) {
                Parsed::Partial if pending.len() >= LEAN_HEAD_MAX => {
                    return Ok(Some(Parsed::Other));
                }
                Parsed::Partial => {}
                parsed => return Ok(Some(parsed)),
            }
        }
        if pending.capacity() - pending.len() < 256 {
            let room = 1024.min(LEAN_HEAD_MAX - pending.len()).max(256);
            pending.reserve(room);
        }
        if io.read_buf(pending).await? == 0 {
            // Closed mid-head: hyper would close too. Closed before a request: done.
            return Ok(None);
        }
    }
}

/// Parses the request head at the start of `buf` and decides whether this path serves it.
fn parse(buf: &[u8], local: SocketAddr, peer: SocketAddr) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut head = httparse::Request::new(&mut headers);
    let head_len = match head.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Parsed::Partial,
        // Too many headers, or malformed: hyper answers it as it should.
        Err(_) => return Parsed::Other,
    };
    if head.method != Some("GET") || head.version != Some(1) {
        return Parsed::Other;
    }
    let Some(uri) = head
        .path
        .filter(|path| path.starts_with('/'))
        .and_then(|path| Uri::try_from(path).ok())
    else {
        return Parsed::Other;
    };
    let mut wants_stream = false;
    let mut keep_alive = true;
    let mut map = http::HeaderMap::with_capacity(head.headers.len());
    for h in head.headers.iter() {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(h.name.as_bytes()),
            HeaderValue::from_bytes(h.value),
        ) else {
            return Parsed::Other;
        };
        match name {
            // A body or a protocol switch: hyper's job.
            header::TRANSFER_ENCODING | header::UPGRADE | header::EXPECT => return Parsed::Other,
            header::CONTENT_LENGTH if value.as_bytes() != b"0" => return Parsed::Other,
            header::ACCEPT => {
                wants_stream |= contains_token(value.as_bytes(), b"text/event-stream")
            }
            header::CONNECTION => keep_alive &= !contains_token(value.as_bytes(), b"close"),
            _ => {}
        }
        map.append(name, value);
    }
    if !wants_stream {
        return Parsed::Other;
    }
    let mut request = Request::new(Body::empty());
    *request.method_mut() = Method::GET;
    *request.uri_mut() = uri;
    *request.version_mut() = Version::HTTP_11;
    *request.headers_mut() = map;
    request.extensions_mut().insert(ConnectInfo(peer));
    request.extensions_mut().insert(LocalAddr(local));
    Parsed::Lean {
        request,
        head_len,
        keep_alive,
    }
}

/// Whether a comma-separated header value names `token` (ASCII case-insensitive; parameters
/// after `;` ignored).
fn contains_token(value: &[u8], token: &[u8]) -> bool {
    value.split(|&b| b == b',').any(|item| {
        let item = item.split(|&b| b == b';').next().unwrap_or_default();
        item.trim_ascii().eq_ignore_ascii_case(token)
    })
}

/// Whether the app asked to close the connection after this response.
fn closes(headers: &http::HeaderMap) -> bool {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .any(|value| contains_token(value.as_bytes(), b"close"))
}

/// The response's head, its body, and how the body is delimited. The header map goes once the
/// head is encoded: an idle stream would otherwise keep it (DHAT: 656 bytes).
fn prepare(response: Response<Body>, keep_alive: bool) -> (Vec<u8>, Body, Framing) {
    let (parts, body) = response.into_parts();
    let framing = if parts.status.is_informational()
        || parts.status == http::StatusCode::NO_CONTENT
        || parts.status == http::StatusCode::NOT_MODIFIED
    {
        Framing::None
    } else if body.size_hint().exact().is_some() {
        Framing::Length
    } else {
        Framing::Chunked
    };
    let head = encode_head(&parts, body.size_hint().exact(), framing, keep_alive);
    (head, body, framing)
}

/// The response head in HTTP/1.1 form. The app's own framing headers are replaced by the ones
/// that match how the body is sent.
fn encode_head(
    parts: &http::response::Parts,
    length: Option<u64>,
    framing: Framing,
    keep_alive: bool,
) -> Vec<u8> {
    use std::io::Write as _;
    let mut head = Vec::with_capacity(256);
    let reason = parts.status.canonical_reason().unwrap_or("");
    let _ = write!(head, "HTTP/1.1 {} {reason}\r\n", parts.status.as_u16());
    for (name, value) in &parts.headers {
        if matches!(
            *name,
            header::CONNECTION | header::TRANSFER_ENCODING | header::CONTENT_LENGTH
        ) {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    if !parts.headers.contains_key(header::DATE) {
        let _ = write!(
            head,
            "date: {}\r\n",
            httpdate::fmt_http_date(SystemTime::now())
        );
    }
    match (framing, length) {
        (Framing::Length, Some(length)) => {
            let _ = write!(head, "content-length: {length}\r\n");
        }
        (Framing::Chunked, _) => head.extend_from_slice(b"transfer-encoding: chunked\r\n"),
        _ => {}
    }
    if !keep_alive {
        head.extend_from_slice(b"connection: close\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

/// What one poll of the body found.
enum Step {
    /// Frames to write.
    Batch(Vec<Bytes>),
    /// The body ended.
    End,
    /// The body failed: stop.
    Gone,
}

/// Reads what the client sends while its response streams. `Ready(true)`: it left (end of
/// stream or an error). `Ready(false)`: it sent [`LEAN_HEAD_MAX`] bytes already; stop reading
/// (the kernel's buffer then holds back the rest).
fn poll_client<I>(io: &mut I, pending: &mut Vec<u8>, cx: &mut Context<'_>) -> Poll<bool>
where
    I: AsyncRead + Unpin,
{
    loop {
        // On the stack, not in the connection's state: clients rarely send anything here.
        let mut scratch = [0u8; 512];
        let room = LEAN_HEAD_MAX
            .saturating_sub(pending.len())
            .min(scratch.len());
        if room == 0 {
            return Poll::Ready(false);
        }
        let mut buf = ReadBuf::new(&mut scratch[..room]);
        match Pin::new(&mut *io).poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(true),
            Poll::Ready(Ok(())) => pending.extend_from_slice(buf.filled()),
            Poll::Ready(Err(_)) => return Poll::Ready(true),
            Poll::Pending => return Poll::Pending,
        }
    }
}

/// Collects the body's ready data frames, up to a batch.
fn poll_batch(body: &mut Body, cx: &mut Context<'_>) -> Poll<Step> {
    let mut frames = Vec::new();
    let mut bytes = 0;
    while frames.len() < BATCH_FRAMES && bytes < BATCH_BYTES {
        match Pin::new(&mut *body).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                // Trailers have no place in an event stream; skip them.
                if let Ok(data) = frame.into_data()
                    && !data.is_empty()
                {
                    bytes += data.len();
                    frames.push(data);
                }
            }
            Poll::Ready(Some(Err(_))) => return Poll::Ready(Step::Gone),
            Poll::Ready(None) if frames.is_empty() => return Poll::Ready(Step::End),
            // Write what is gathered; the end comes at the next poll.
            Poll::Ready(None) | Poll::Pending => break,
        }
    }
    if frames.is_empty() {
        Poll::Pending
    } else {
        Poll::Ready(Step::Batch(frames))
    }
}

/// Writes a response (its head, then its body as it comes) until the body ends, the client
/// leaves, a write stalls, or shutdown's drain time runs out. A hand-written future, not an
/// `async fn`: it is what an idle stream keeps in its task, and as a struct it is a few words.
struct Pump<'a, I> {
    io: &'a mut I,
    /// What the client sends meanwhile (kept for the next request, up to [`LEAN_HEAD_MAX`]).
    pending: &'a mut Vec<u8>,
    body: Body,
    framing: Framing,
    /// The write in progress: the head, or a batch of frames with its chunk framing.
    out: Vec<Bytes>,
    /// Bytes of `out` already written.
    written: usize,
    /// The body has ended (its last chunk is in `out`, or written).
    ended: bool,
    /// Still reading the client (it has not sent [`LEAN_HEAD_MAX`] bytes meanwhile).
    reading: bool,
    /// Armed when a write has to wait.
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
    shutdown: Option<ShutdownWatch>,
    drain_timeout: Duration,
    /// Armed at shutdown.
    drain: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<'a, I> Pump<'a, I>
where
    I: AsyncRead + AsyncWrite + Unpin,
{
    fn new(
        io: &'a mut I,
        pending: &'a mut Vec<u8>,
        head: Vec<u8>,
        body: Body,
        framing: Framing,
    ) -> Self {
        Pump {
            io,
            pending,
            body,
            framing,
            out: vec![Bytes::from(head)],
            written: 0,
            ended: framing == Framing::None,
            reading: true,
            stall: None,
            shutdown: None,
            drain_timeout: Duration::ZERO,
            drain: None,
        }
    }

    /// Ends the response `drain_timeout` after `shutdown` fires, if the body has not ended.
    fn with_shutdown(mut self, shutdown: crate::sse::Shutdown, drain_timeout: Duration) -> Self {
        self.shutdown = Some(ShutdownWatch::new(shutdown));
        self.drain_timeout = drain_timeout;
        self
    }

    /// Writes `out`. `Ready(true)`: all written; `Ready(false)`: failed or stalled.
    fn poll_write_out(&mut self, cx: &mut Context<'_>) -> Poll<bool> {
        let total: usize = self.out.iter().map(Bytes::len).sum();
        while self.written < total {
            let mut slices = [IoSlice::new(&[]); BATCH_FRAMES + 2];
            let mut count = 0;
            let mut skip = self.written;
            for part in &self.out {
                if skip >= part.len() {
                    skip -= part.len();
                    continue;
                }
                if count == slices.len() {
                    break;
                }
                slices[count] = IoSlice::new(&part[skip..]);
                skip = 0;
                count += 1;
            }
            match Pin::new(&mut *self.io).poll_write_vectored(cx, &slices[..count]) {
                Poll::Ready(Ok(0) | Err(_)) => return Poll::Ready(false),
                Poll::Ready(Ok(n)) => {
                    self.written += n;
                    self.stall = None;
                }
                Poll::Pending => {
                    let stall = self
                        .stall
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL_TIMEOUT)));
                    return match stall.as_mut().poll(cx) {
                        Poll::Ready(()) => Poll::Ready(false),
                        Poll::Pending => Poll::Pending,
                    };
                }
            }
        }
        match Pin::new(&mut *self.io).poll_flush(cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(_)) => return Poll::Ready(false),
            Poll::Pending => return Poll::Pending,
        }
        // A fresh, empty vector: an idle stream keeps no batch's worth of capacity.
        self.out = Vec::new();
        self.written = 0;
        Poll::Ready(true)
    }

    /// Puts a batch of frames into `out`, framed.
    fn frame(&mut self, frames: Vec<Bytes>) {
        if self.framing != Framing::Chunked {
            self.out = frames;
            return;
        }
        let len: usize = frames.iter().map(Bytes::len).sum();
        let mut out = Vec::with_capacity(frames.len() + 2);
        out.push(Bytes::from(format!("{len:x}\r\n")));
        out.extend(frames);
        out.push(Bytes::from_static(b"\r\n"));
        self.out = out;
    }
}

impl<I> Future for Pump<'_, I>
where
    I: AsyncRead + AsyncWrite + Unpin,
{
    type Output = Pumped;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Pumped> {
        let this = self.get_mut();
        loop {
            if !this.out.is_empty() {
                match this.poll_write_out(cx) {
                    Poll::Ready(true) => {}
                    Poll::Ready(false) => return Poll::Ready(Pumped::Gone),
                    Poll::Pending => return Poll::Pending,
                }
            }
            if this.ended {
                return Poll::Ready(Pumped::Done);
            }
            // A body that does not end at shutdown (the hub's streams do) gets the drain time,
            // then the connection closes.
            if this.drain.is_none()
                && let Some(shutdown) = this.shutdown.as_mut()
                && shutdown.poll_down(cx).is_ready()
            {
                this.drain = Some(Box::pin(tokio::time::sleep(this.drain_timeout)));
            }
            if let Some(drain) = this.drain.as_mut()
                && drain.as_mut().poll(cx).is_ready()
            {
                return Poll::Ready(Pumped::Gone);
            }
            if this.reading {
                match poll_client(this.io, this.pending, cx) {
                    Poll::Ready(true) => return Poll::Ready(Pumped::Gone),
                    Poll::Ready(false) => this.reading = false,
                    Poll::Pending => {}
                }
            }
            match poll_batch(&mut this.body, cx) {
                Poll::Ready(Step::Batch(frames)) => this.frame(frames),
                Poll::Ready(Step::End) => {
                    this.ended = true;
                    if this.framing == Framing::Chunked {
                        this.out = vec![Bytes::from_static(b"0\r\n\r\n")];
                    }
                }
                Poll::Ready(Step::Gone) => return Poll::Ready(Pumped::Gone),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A socket with bytes already read from it put back in front: how a connection this path read
/// the head of is handed to hyper.
struct Rewind<I> {
    before: Bytes,
    io: I,
}

impl<I: AsyncRead + Unpin> AsyncRead for Rewind<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if !self.before.is_empty() {
            let n = self.before.len().min(buf.remaining());
            let taken = self.before.split_to(n);
            buf.put_slice(&taken);
            if self.before.is_empty() {
                self.before = Bytes::new(); // free the head's buffer
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Rewind<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn addr() -> SocketAddr {
        "127.0.0.1:1".parse().unwrap()
    }

    fn lean(head: &[u8]) -> bool {
        matches!(parse(head, addr(), addr()), Parsed::Lean { .. })
    }

    #[test]
    fn only_bodiless_http11_gets_asking_for_a_stream_take_the_lean_path() {
        let base = "GET /events/a HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n";
        assert!(lean(format!("{base}\r\n").as_bytes()));
        assert!(lean(
            b"GET /e HTTP/1.1\r\nAccept: text/html, TEXT/Event-Stream;q=0.9\r\n\r\n"
        ));
        assert!(lean(format!("{base}Content-Length: 0\r\n\r\n").as_bytes()));
        for other in [
            "GET /e HTTP/1.1\r\nAccept: text/html\r\n\r\n".to_owned(),
            "GET /e HTTP/1.1\r\n\r\n".to_owned(),
            "GET /e HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n".to_owned(),
            "HEAD /e HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n".to_owned(),
            "POST /e HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n".to_owned(),
            format!("{base}Content-Length: 5\r\n\r\nhello"),
            format!("{base}Transfer-Encoding: chunked\r\n\r\n"),
            format!("{base}Upgrade: websocket\r\nConnection: upgrade\r\n\r\n"),
            format!("{base}Expect: 100-continue\r\n\r\n"),
            "GET http://x/e HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n".to_owned(),
            "GET /e HTTP/1.1\r\nAccept: text/event-streams\r\n\r\n".to_owned(),
            "GARBAGE\r\n\r\n".to_owned(),
        ] {
            assert!(!lean(other.as_bytes()), "{other:?} must go to hyper");
        }
    }

    #[test]
    fn a_head_with_more_headers_than_the_lean_path_parses_goes_to_hyper() {
        let mut head = String::from("GET /e HTTP/1.1\r\nAccept: text/event-stream\r\n");
        for i in 0..MAX_HEADERS {
            head.push_str(&format!("x-{i}: y\r\n"));
        }
        head.push_str("\r\n");
        assert!(matches!(
            parse(head.as_bytes(), addr(), addr()),
            Parsed::Other
        ));
    }

    #[test]
    fn connection_close_is_honoured() {
        let Parsed::Lean { keep_alive, .. } = parse(
            b"GET /e HTTP/1.1\r\nAccept: text/event-stream\r\nConnection: keep-alive, Close\r\n\r\n",
            addr(),
            addr(),
        ) else {
            panic!("lean")
        };
        assert!(!keep_alive);
    }

    #[test]
    fn the_head_replaces_the_apps_framing_headers() {
        let response = Response::builder()
            .status(200)
            .header("content-type", "text/event-stream")
            .header("transfer-encoding", "gzip")
            .header("content-length", "99")
            .body(())
            .unwrap();
        let (parts, ()) = response.into_parts();
        let head = String::from_utf8(encode_head(&parts, None, Framing::Chunked, false)).unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"));
        assert!(head.contains("\r\ndate: "));
        assert!(head.ends_with("transfer-encoding: chunked\r\nconnection: close\r\n\r\n"));
        assert!(!head.contains("gzip") && !head.contains("99"));
    }

    async fn pump(
        io: &mut tokio::io::DuplexStream,
        head: &[u8],
        body: Body,
        framing: Framing,
    ) -> Pumped {
        let mut pending = Vec::new();
        Pump::new(io, &mut pending, head.to_vec(), body, framing).await
    }

    #[tokio::test(start_paused = true)]
    async fn a_write_that_makes_no_progress_gives_up_after_the_stall_timeout() {
        let (mut server, _client) = tokio::io::duplex(64);
        let started = tokio::time::Instant::now();
        let pumped = pump(&mut server, &[7u8; 1024], Body::empty(), Framing::None).await;
        assert!(matches!(pumped, Pumped::Gone));
        assert_eq!(started.elapsed(), WRITE_STALL_TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_reader_that_keeps_reading_is_not_cut() {
        let (mut server, mut client) = tokio::io::duplex(64);
        let reader = tokio::spawn(async move {
            let mut got = 0;
            let mut buf = [0u8; 64];
            loop {
                // Slower than the stall timeout in total, never stalled for that long at once.
                tokio::time::sleep(WRITE_STALL_TIMEOUT / 2).await;
                match client.read(&mut buf).await.unwrap() {
                    0 => return got,
                    n => got += n,
                }
            }
        });
        let pumped = pump(&mut server, &[7u8; 1000], Body::empty(), Framing::None).await;
        assert!(matches!(pumped, Pumped::Done));
        drop(server);
        assert_eq!(reader.await.unwrap(), 1000);
    }

    #[tokio::test]
    async fn ready_frames_go_out_as_one_chunk_and_the_body_ends_with_the_last_chunk() {
        let (mut server, mut client) = tokio::io::duplex(4096);
        let frames = futures::stream::iter(["data: a\n\n", "data: bb\n\n"])
            .map(|frame| Ok::<_, std::convert::Infallible>(Bytes::from_static(frame.as_bytes())));
        let body = Body::from_stream(frames);
        let pumped = pump(&mut server, b"HEAD\r\n\r\n", body, Framing::Chunked).await;
        assert!(matches!(pumped, Pumped::Done));
        drop(server);
        let mut wire = Vec::new();
        client.read_to_end(&mut wire).await.unwrap();
        assert_eq!(
            String::from_utf8(wire).unwrap(),
            "HEAD\r\n\r\n13\r\ndata: a\n\ndata: bb\n\n\r\n0\r\n\r\n"
        );
    }

    #[tokio::test]
    async fn a_client_that_closes_ends_a_quiet_stream() {
        let (mut server, client) = tokio::io::duplex(4096);
        let body = Body::from_stream(futures::stream::pending::<
            Result<Bytes, std::convert::Infallible>,
        >());
        let pumping = pump(&mut server, b"HEAD\r\n\r\n", body, Framing::Chunked);
        drop(client);
        let pumped = tokio::time::timeout(Duration::from_secs(5), pumping)
            .await
            .unwrap();
        assert!(matches!(pumped, Pumped::Gone));
    }
}
