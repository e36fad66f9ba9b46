//! [`EventStream`]: the parser as a `futures` `Stream`, for async byte streams such as
//! `reqwest::Response::bytes_stream()`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{Stream, TryStream};

use crate::parse::Cursor;
use crate::{Frame, ParseError, Parser};

/// An error from an [`EventStream`]: the transport's or the parser's.
#[derive(Debug, thiserror::Error)]
pub enum StreamError<E> {
    /// The underlying byte stream failed (for example, the connection reset).
    #[error("reading the event stream failed: {0}")]
    Transport(#[source] E),
    /// The stream broke a limit; see [`ParseError`]. The stream goes on with the next event.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Turns a `Stream` of byte chunks into a `Stream` of [`Frame`]s.
///
/// ```
/// use futures::{executor::block_on, stream, StreamExt};
/// use sse_format::{EventStream, Frame};
///
/// let chunks = stream::iter([Ok::<_, std::io::Error>(&b"data: a"[..]), Ok(&b"b\n\n"[..])]);
/// let frames: Vec<_> = block_on(EventStream::new(chunks).collect());
/// assert!(matches!(&frames[0], Ok(Frame::Event(e)) if e.data() == "ab"));
/// ```
pub struct EventStream<S: TryStream> {
    inner: Option<S>,
    /// The chunk being parsed, kept between polls: each frame is parsed when it is asked for, so
    /// an event the caller drops is freed before the next one is built (and its memory reused),
    /// as with [`Parser::feed`]'s iterator.
    chunk: Option<(S::Ok, Cursor)>,
    parser: Parser,
    ended_mid_event: bool,
}

impl<S: TryStream> EventStream<S> {
    /// Wraps a byte stream with a default [`Parser`].
    pub fn new(inner: S) -> Self {
        Self::with_parser(inner, Parser::new())
    }

    /// Wraps a byte stream with a configured parser (limits, a last event ID to resume from).
    pub fn with_parser(inner: S, parser: Parser) -> Self {
        EventStream {
            inner: Some(inner),
            chunk: None,
            parser,
            ended_mid_event: false,
        }
    }

    /// The parser, for its [`Parser::last_event_id`]. (Frames of a chunk not yet taken from the
    /// stream have not been parsed yet.)
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// After the stream has ended: `true` if it ended in the middle of an event, which was
    /// discarded (the connection was cut rather than closed cleanly between events).
    pub fn ended_mid_event(&self) -> bool {
        self.ended_mid_event
    }
}

impl<S> EventStream<S>
where
    S: TryStream,
    S::Ok: AsRef<[u8]>,
{
    /// Gives back the parser (keeping its last event ID) once the stream is done with. The rest of
    /// a chunk the stream has received is parsed first, its frames left queued in the parser.
    pub fn into_parser(mut self) -> Parser {
        if let Some((chunk, cursor)) = self.chunk.take() {
            self.parser.rest_of_kept_chunk(chunk.as_ref(), cursor);
        }
        self.parser
    }
}

// The kept chunk is never pinned (only read through `AsRef`), so the stream can move whatever
// the chunk type is.
impl<S: TryStream + Unpin> Unpin for EventStream<S> {}

impl<S: TryStream + std::fmt::Debug> std::fmt::Debug for EventStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("inner", &self.inner)
            .field("chunk_pending", &self.chunk.is_some())
            .field("parser", &self.parser)
            .field("ended_mid_event", &self.ended_mid_event)
            .finish()
    }
}

impl<S> Stream for EventStream<S>
where
    S: TryStream + Unpin,
    S::Ok: AsRef<[u8]>,
{
    type Item = Result<Frame, StreamError<S::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some((chunk, cursor)) = &mut this.chunk {
                match this.parser.next_in_kept_chunk(chunk.as_ref(), cursor) {
                    Some(frame) => return Poll::Ready(Some(frame.map_err(StreamError::Parse))),
                    None => this.chunk = None,
                }
            }
            if let Some(frame) = this.parser.next_frame() {
                return Poll::Ready(Some(frame.map_err(StreamError::Parse)));
            }
            let Some(inner) = this.inner.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(inner).try_poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    // What the previous chunk left unfinished is parsed now (into the queue);
                    // the rest of the chunk as its frames are asked for.
                    let cursor = this.parser.begin_chunk(chunk.as_ref());
                    this.chunk = Some((chunk, cursor));
                }
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Some(Err(StreamError::Transport(error))));
                }
                Poll::Ready(None) => {
                    this.inner = None;
                    this.ended_mid_event = this.parser.finish();
                }
            }
        }
    }
}
