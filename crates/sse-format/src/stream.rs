//! [`EventStream`]: the parser as a `futures` `Stream`, for async byte streams such as
//! `reqwest::Response::bytes_stream()`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

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
#[derive(Debug)]
pub struct EventStream<S> {
    inner: Option<S>,
    parser: Parser,
    ended_mid_event: bool,
}

impl<S> EventStream<S> {
    /// Wraps a byte stream with a default [`Parser`].
    pub fn new(inner: S) -> Self {
        Self::with_parser(inner, Parser::new())
    }

    /// Wraps a byte stream with a configured parser (limits, a last event ID to resume from).
    pub fn with_parser(inner: S, parser: Parser) -> Self {
        EventStream {
            inner: Some(inner),
            parser,
            ended_mid_event: false,
        }
    }

    /// The parser, for its [`Parser::last_event_id`].
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// After the stream has ended: `true` if it ended in the middle of an event, which was
    /// discarded (the connection was cut rather than closed cleanly between events).
    pub fn ended_mid_event(&self) -> bool {
        self.ended_mid_event
    }

    /// Gives back the parser (keeping its last event ID) once the stream is done with.
    pub fn into_parser(self) -> Parser {
        self.parser
    }
}

impl<S, B, E> Stream for EventStream<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
{
    type Item = Result<Frame, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(frame) = this.parser.next_frame() {
                return Poll::Ready(Some(frame.map_err(StreamError::Parse)));
            }
            let Some(inner) = this.inner.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(inner).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    // Queue the frames; the loop hands them out one by one.
                    this.parser.feed(chunk.as_ref());
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
