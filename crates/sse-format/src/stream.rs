//! [`EventStream`]: the parser as a `futures` `Stream`, for async byte streams such as
//! `reqwest::Response::bytes_stream()`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{Stream, TryStream};

use crate::parse::Cursor;
use crate::{Frame, ParseError, Parser};

/// An error from an [`EventStream`]: the transport's or the parser's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// A chunk kept between polls, and where its parsing stands (see [`Pace`]).
    chunk: Option<(S::Ok, Cursor)>,
    pace: Pace,
    parser: Parser,
    ended_mid_event: bool,
}

/// How `EventStream` parses a chunk, chosen from the chunk before it.
///
/// Parsed whole, a chunk's frames wait in the parser's queue: the fastest way for small events.
/// Events of a few hundred bytes each own a heap allocation, and about 56 of them built at once
/// from a 16 KiB chunk and then freed are more than the allocator's per-thread cache holds (7
/// blocks of a size); parsed one per poll, each is freed before the next is built and its memory
/// comes straight back. The stream cannot keep the chunk's validated text between polls, so then
/// each value is validated on its own, which would cost small events more than it saves.
#[derive(Clone, Copy, Debug, Default)]
struct Pace {
    /// Parse one frame per poll (the previous chunk's events were large).
    lazy: bool,
    /// The current chunk's length and the frames it gave so far.
    bytes: usize,
    frames: usize,
    /// Tests pin the choice, to compare both ways with `feed`.
    #[cfg(test)]
    pinned: Option<bool>,
}

impl Pace {
    /// Events at least this large on average (in bytes of stream) are parsed one per poll.
    const LAZY_FROM: usize = 128;

    /// A chunk is done: choose for the next one.
    fn chunk_done(&mut self) {
        self.lazy = self.frames > 0 && self.bytes >= self.frames.saturating_mul(Self::LAZY_FROM);
        #[cfg(test)]
        if let Some(lazy) = self.pinned {
            self.lazy = lazy;
        }
    }
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
            pace: Pace::default(),
            parser,
            ended_mid_event: false,
        }
    }

    /// The parser, for its [`Parser::last_event_id`]. (A chunk may be parsed as its frames are
    /// taken: the ID of an event not yet taken from the stream may not be there yet.)
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
            self.parser.rest_of_kept_chunk(chunk.as_ref(), cursor, true);
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
            .field("pace", &self.pace)
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
                    Some(frame) => {
                        this.pace.frames = this.pace.frames.saturating_add(1);
                        return Poll::Ready(Some(frame.map_err(StreamError::Parse)));
                    }
                    None => {
                        this.chunk = None;
                        this.pace.chunk_done();
                    }
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
                    // What the previous chunk left unfinished is parsed now (queued).
                    let cursor = this.parser.begin_chunk(chunk.as_ref());
                    this.pace.bytes = chunk.as_ref().len();
                    if this.pace.lazy && !cursor.done() {
                        // The rest as its frames are asked for.
                        this.pace.frames = 0;
                        this.chunk = Some((chunk, cursor));
                    } else {
                        // The rest at once, its frames queued.
                        if !cursor.done() {
                            this.parser
                                .rest_of_kept_chunk(chunk.as_ref(), cursor, false);
                        }
                        this.pace.frames = this.parser.queued();
                        this.pace.chunk_done();
                    }
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

#[cfg(test)]
mod tests {
    use futures::{StreamExt, executor::block_on, stream};
    use proptest::prelude::*;

    use super::{EventStream, StreamError};
    use crate::parse::streamish;
    use crate::{Limits, Parser};

    /// Every frame of `input` cut at `cuts`, through an `EventStream` whose pace is `pinned` (or
    /// chosen as usual), with the stream's `ended_mid_event` at the end.
    fn through_stream(
        input: &[u8],
        cuts: &[usize],
        limits: Limits,
        pinned: Option<bool>,
    ) -> Vec<String> {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
        cuts.sort_unstable();
        cuts.push(input.len());
        let mut pieces = Vec::new();
        let mut start = 0;
        for cut in cuts {
            pieces.push(Ok::<_, std::io::Error>(input[start..cut].to_vec()));
            start = cut;
        }
        let mut events =
            EventStream::with_parser(stream::iter(pieces), Parser::with_limits(limits));
        events.pace.pinned = pinned;
        events.pace.lazy = pinned.unwrap_or(false);
        let mut out: Vec<String> = block_on((&mut events).collect::<Vec<_>>())
            .into_iter()
            .map(|frame| match frame {
                Ok(frame) => format!("{frame:?}"),
                Err(StreamError::Parse(error)) => format!("{error:?}"),
                Err(StreamError::Transport(error)) => panic!("{error}"),
            })
            .collect();
        out.push(format!("ended mid-event: {}", events.ended_mid_event()));
        out
    }

    /// A chunk parsed one frame per poll, left half taken: `into_parser` parses the rest into
    /// the parser's queue, in order, after the frames already queued.
    #[test]
    fn into_parser_keeps_the_rest_of_a_chunk_parsed_one_frame_per_poll() {
        let chunks = stream::iter([
            Ok::<_, std::io::Error>(&b"data: a"[..]),
            Ok(&b"\n\nid: 2\ndata: b\n\nretry: 5\ndata: c\n\ndata: cu"[..]),
        ]);
        let mut events = EventStream::new(chunks);
        events.pace.pinned = Some(true);
        events.pace.lazy = true;
        let first = block_on(events.next()).map(Result::unwrap);
        assert!(matches!(first, Some(crate::Frame::Event(e)) if e.data() == "a"));
        assert!(
            events.chunk.is_some(),
            "the second chunk is kept, not parsed whole"
        );
        let mut parser = events.into_parser();
        let rest: Vec<String> = std::iter::from_fn(|| parser.next_frame())
            .map(|frame| format!("{:?}", frame.unwrap()))
            .collect();
        assert_eq!(rest.len(), 3, "{rest:?}");
        assert!(
            rest[0].contains("\"b\"") && rest[0].contains("\"2\""),
            "{rest:?}"
        );
        assert_eq!(rest[1], "Retry(5ms)");
        assert!(rest[2].contains("\"c\""), "{rest:?}");
        assert!(
            parser.finish(),
            "the unfinished event is still in the parser"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Parsed one frame per poll (values validated one by one), whole per chunk, or each
        /// chunk as the previous one suggests: the stream gives `feed`'s frames for the whole
        /// input, under tiny and default limits.
        #[test]
        fn each_pace_gives_feeds_frames(
            input in streamish(),
            cuts in proptest::collection::vec(any::<usize>(), 0..8),
            small in any::<bool>(),
        ) {
            let limits = if small {
                Limits::default().max_line_len(40).max_event_size(80)
            } else {
                Limits::default()
            };
            let mut parser = Parser::with_limits(limits);
            let mut whole: Vec<String> = parser
                .feed(&input)
                .map(|frame| match frame {
                    Ok(frame) => format!("{frame:?}"),
                    Err(error) => format!("{error:?}"),
                })
                .collect();
            whole.push(format!("ended mid-event: {}", parser.finish()));
            for pinned in [Some(true), Some(false), None] {
                prop_assert_eq!(&through_stream(&input, &cuts, limits, pinned), &whole, "{:?}", pinned);
            }
        }
    }
}
