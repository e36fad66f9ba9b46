//! The incremental (push) parser: bytes in, [`Frame`]s out.
//!
//! It is split the way WHATWG HTML, "Server-sent events", splits the format:
//!
//! - `lines.rs`, *Parsing an event stream*: bytes to complete lines (BOM, CR/LF/CRLF across
//!   chunks, the line length limit);
//! - `interpret.rs`, *Interpreting an event stream*: lines to frames (fields, the data, event type
//!   and last event ID buffers, dispatch, the event size limit);
//! - `fast.rs`: shortcuts for the common shapes of real streams, which give the same frames as the
//!   plain path (a property test compares the two), kept apart so the plain path reads like the
//!   spec;
//! - this file: the public types, and the [`Sink`] through which one parser core serves both the
//!   owned [`Parser::feed`] and the borrowed [`Parser::feed_with`].
//!
//! Comments in quotation marks quote the spec's steps where the code implements them.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::Duration;

use compact_str::CompactString;

mod fast;
mod interpret;
mod lines;

use fast::OneLine;
#[cfg(test)]
pub(crate) use fast::tests::streamish;
use interpret::EventState;
use lines::{LineMode, LineState};

/// Size limits that keep a hostile or broken stream from using unbounded memory.
///
/// The defaults are generous on purpose: real AI APIs send single events of many megabytes (an
/// image generation result arrives as one `data:` line), and openai-python tests a 64 MiB event.
/// Tighten them when the server is not trusted.
///
/// ```
/// use sse_format::{Limits, Parser};
/// let parser = Parser::with_limits(Limits::default().max_line_len(64 * 1024));
/// # let _ = parser;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest line (without its line ending) the parser will buffer, in bytes.
    pub max_line_len: usize,
    /// Largest data buffer one event may accumulate, in bytes.
    pub max_event_size: usize,
}

impl Limits {
    /// Default maximum line length: 128 MiB.
    pub const DEFAULT_MAX_LINE_LEN: usize = 128 * 1024 * 1024;
    /// Default maximum event data size: 128 MiB.
    pub const DEFAULT_MAX_EVENT_SIZE: usize = 128 * 1024 * 1024;

    /// Sets the maximum line length in bytes.
    pub fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets the maximum size of one event's data in bytes.
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            max_event_size: Self::DEFAULT_MAX_EVENT_SIZE,
        }
    }
}

/// A problem in the stream. The parser reports it and carries on with the next event, so a caller
/// may log it and keep reading, or stop.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// A line grew past [`Limits::max_line_len`]. The line and the event it belonged to are
    /// discarded; parsing resumes after the next blank line.
    #[error(
        "line starting at byte {offset} exceeds the {limit}-byte line limit; its event was discarded"
    )]
    LineTooLong {
        /// The configured limit in bytes.
        limit: usize,
        /// Stream offset of the first byte of the line.
        offset: u64,
    },
    /// An event's data grew past [`Limits::max_event_size`]. The event is discarded; parsing resumes
    /// after the next blank line.
    #[error(
        "event data exceeds the {limit}-byte event limit at the line starting at byte {offset}; the event was discarded"
    )]
    EventTooLarge {
        /// The configured limit in bytes.
        limit: usize,
        /// Stream offset of the first byte of the line that crossed the limit.
        offset: u64,
    },
}

/// A dispatched event, as the browser would hand it to a `MessageEvent` listener.
///
/// Strings of up to 24 bytes are stored inline (`compact_str`), so the small events that dominate
/// many streams (pings, counters, short ids, event type names) cost no heap allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageEvent {
    /// Empty means the spec's default, `message`.
    event_type: CompactString,
    data: CompactString,
    last_event_id: CompactString,
}

impl MessageEvent {
    /// Builds an event; an empty `event_type` means `message`, as in the spec.
    pub fn new(
        event_type: impl Into<String>,
        data: impl Into<String>,
        last_event_id: impl Into<String>,
    ) -> Self {
        let mut event_type = CompactString::from(event_type.into());
        if event_type == "message" {
            event_type.clear();
        }
        MessageEvent {
            event_type,
            data: data.into().into(),
            last_event_id: last_event_id.into().into(),
        }
    }

    /// The event type: the last `event:` field of the event, or `message`.
    #[inline]
    pub fn event_type(&self) -> &str {
        if self.event_type.is_empty() {
            "message"
        } else {
            &self.event_type
        }
    }

    /// The data: every `data:` line of the event joined with `\n`.
    #[inline]
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The last event ID string at the time of dispatch (`""` if no `id:` was ever set, or it was
    /// reset). It persists across events, as in the spec.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The event the parser dispatches, with a copy of `data`; takes `event_type`.
    #[inline(always)]
    fn from_parts(
        event_type: &mut CompactString,
        data: &str,
        last_event_id: &CompactString,
    ) -> Self {
        let data = if data.len() <= INLINE_LEN {
            CompactString::new(data)
        } else {
            // A `String`'s buffer becomes the `CompactString`'s without a copy, and `String`
            // allocates and copies a little faster than `CompactString::new`.
            CompactString::from(data.to_owned())
        };
        MessageEvent {
            event_type: std::mem::take(event_type),
            data,
            last_event_id: last_event_id.clone(),
        }
    }

    /// Takes the data out (without copying, unless it was short enough to be stored inline).
    pub fn into_data(self) -> String {
        self.data.into_string()
    }
}

/// One thing the parser produced, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// A blank line dispatched an event.
    Event(MessageEvent),
    /// A valid `retry:` field set the reconnection time.
    Retry(Duration),
}

/// An incremental `text/event-stream` parser.
///
/// Feed it byte chunks exactly as they arrive from the network, split anywhere (inside a CRLF pair,
/// inside a UTF-8 character, empty chunks included); it yields the same frames as for the whole
/// input in one piece.
///
/// ```
/// use sse_format::{Frame, Parser};
///
/// let mut parser = Parser::new();
/// let mut events = Vec::new();
/// for chunk in [&b"id: 7\ndata: hel"[..], b"lo\r", b"\n\r\n"] {
///     for frame in parser.feed(chunk) {
///         if let Ok(Frame::Event(event)) = frame {
///             events.push((event.data().to_owned(), event.last_event_id().to_owned()));
///         }
///     }
/// }
/// assert_eq!(events, [("hello".to_owned(), "7".to_owned())]);
/// ```
#[derive(Debug)]
pub struct Parser {
    /// The parsing state.
    core: Core,
    /// Frames `feed` has produced and the caller has not taken yet. Kept apart from `core`, so
    /// that the queue can be the sink while the core parses.
    queue: VecDeque<Result<Frame, ParseError>>,
}

/// The parsing state: what `lines.rs`, `interpret.rs` and `fast.rs` work on.
#[derive(Debug)]
struct Core {
    limits: Limits,
    /// The search for line endings (`fast.rs`).
    crlf: fast::CrLf,
    /// Line assembly (`lines.rs`).
    lines: LineState,
    /// Field interpretation (`interpret.rs`).
    event: EventState,
    /// Tests switch the fast paths off to compare them with the plain path.
    #[cfg(test)]
    fast_paths: bool,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser with the default [`Limits`].
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A parser with the given limits.
    pub fn with_limits(limits: Limits) -> Self {
        Parser {
            core: Core {
                limits,
                crlf: fast::CrLf::new(),
                lines: LineState::new(),
                event: EventState::default(),
                #[cfg(test)]
                fast_paths: true,
            },
            queue: VecDeque::new(),
        }
    }

    /// The limits this parser enforces.
    pub fn limits(&self) -> Limits {
        self.core.limits
    }

    /// The last event ID string: what a client sends as `Last-Event-ID` when it reconnects.
    ///
    /// It changes only when a blank line is processed, so an `id:` inside an event that never
    /// completed does not count.
    pub fn last_event_id(&self) -> &str {
        &self.core.event.last_event_id
    }

    /// Sets the last event ID, for a client that resumes a stream in a new parser.
    pub fn set_last_event_id(&mut self, id: &str) {
        let event = &mut self.core.event;
        event.last_event_id_buffer = CompactString::from(id);
        event.last_event_id = CompactString::from(id);
    }

    /// Parses one chunk and returns the frames completed so far, in order.
    ///
    /// Frames the caller does not take from the returned iterator stay queued and come first from
    /// the next call (or from [`Parser::next_frame`]).
    ///
    /// The chunk is parsed as the frames are taken, one at a time, so that an event the caller
    /// drops as it goes is freed before the next one is built, and its memory is reused.
    /// Dropping the iterator parses the rest of the chunk.
    #[inline]
    pub fn feed<'p>(&'p mut self, chunk: &'p [u8]) -> Frames<'p> {
        let cursor = self.begin_chunk(chunk);
        Frames {
            parser: self,
            text: fast::ChunkText::new(chunk),
            cursor,
        }
    }

    /// Begins to parse a chunk: finishes what the previous chunk left unfinished (its frames are
    /// queued) and says where the rest of the chunk starts.
    #[inline]
    pub(crate) fn begin_chunk(&mut self, chunk: &[u8]) -> Cursor {
        let base = self.core.lines.offset;
        let next = self
            .core
            .start_chunk(chunk, &mut QueueSink::new(&mut self.queue, false));
        Cursor { base, next }
    }

    /// The next frame of the chunk begun with [`Parser::begin_chunk`]: the queued frames first,
    /// then one parsed from the chunk where `cursor` stands. `None` once both are done.
    #[inline]
    fn next_in_chunk(
        &mut self,
        text: &mut fast::ChunkText<'_>,
        cursor: &mut Cursor,
    ) -> Option<Result<Frame, ParseError>> {
        loop {
            if let Some(frame) = self.queue.pop_front() {
                return Some(frame);
            }
            let start = cursor.next?;
            match self.core.next_one_line_event(text, cursor.base, start) {
                OneLine::Event(event, next) => {
                    cursor.next = Some(next);
                    return Some(Ok(Frame::Event(event)));
                }
                OneLine::ChunkDone => {
                    cursor.next = None;
                    return None;
                }
                OneLine::Other => {}
            }
            let mut sink = QueueSink::new(&mut self.queue, true);
            cursor.next = self.core.push_lines(text, cursor.base, start, &mut sink);
            if let Some(frame) = sink.first {
                return Some(frame); // any others of the same line were queued after it
            }
        }
    }

    /// [`Parser::next_in_chunk`] for a caller that keeps only the chunk between frames
    /// (`EventStream`): its text is validated value by value.
    #[cfg(feature = "stream")]
    #[inline]
    pub(crate) fn next_in_kept_chunk(
        &mut self,
        chunk: &[u8],
        cursor: &mut Cursor,
    ) -> Option<Result<Frame, ParseError>> {
        self.next_in_chunk(&mut fast::ChunkText::per_value(chunk), cursor)
    }

    /// Parses the rest of a chunk into the queue, its text validated value by value when
    /// `per_value` (some of the chunk's frames were taken by [`Parser::next_in_kept_chunk`]), or
    /// whole at the first value.
    #[cfg(feature = "stream")]
    pub(crate) fn rest_of_kept_chunk(&mut self, chunk: &[u8], mut cursor: Cursor, per_value: bool) {
        let mut text = if per_value {
            fast::ChunkText::per_value(chunk)
        } else {
            fast::ChunkText::new(chunk)
        };
        self.rest_of_chunk(&mut text, &mut cursor);
    }

    /// How many frames are queued.
    #[cfg(feature = "stream")]
    #[inline]
    pub(crate) fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Parses the rest of a chunk into the queue.
    fn rest_of_chunk(&mut self, text: &mut fast::ChunkText<'_>, cursor: &mut Cursor) {
        if let Some(start) = cursor.next.take() {
            let sink = &mut QueueSink::new(&mut self.queue, false);
            self.core.push_lines(text, cursor.base, start, sink);
        }
    }

    // ANCHOR: feed_with
    /// Parses one chunk and hands each completed frame to `on_frame`, borrowed: no allocation per
    /// event. For consumers that look at an event and move on (filtering, counting, forwarding);
    /// `feed` is the simpler API when events must be kept.
    ///
    /// ```
    /// use sse_format::{FrameRef, Parser};
    /// let mut parser = Parser::new();
    /// let mut total = 0;
    /// parser.feed_with(b"data: 2\n\ndata: 3\n\n", |frame| {
    ///     if let Ok(FrameRef::Event(event)) = frame {
    ///         total += event.data().parse::<u32>().unwrap();
    ///     }
    /// });
    /// assert_eq!(total, 5);
    /// ```
    pub fn feed_with<F>(&mut self, chunk: &[u8], on_frame: F)
    where
        F: FnMut(Result<FrameRef<'_>, ParseError>),
    {
        self.core.push_fast(chunk, &mut CallbackSink(on_frame));
    }
    // ANCHOR_END: feed_with

    /// Takes the next queued frame, if any.
    #[inline]
    pub fn next_frame(&mut self) -> Option<Result<Frame, ParseError>> {
        self.queue.pop_front()
    }

    /// Ends the stream (the connection closed).
    ///
    /// As the spec says, an unfinished event is discarded, not dispatched. Returns `true` if
    /// something was discarded: the stream ended mid-event or mid-line, which a client should treat
    /// as an interrupted stream. The parser is then ready for a new stream (the BOM check starts
    /// again); the last event ID string is kept, so a reconnecting client can send it.
    #[must_use = "`true` means the stream was cut in the middle of an event"]
    pub fn finish(&mut self) -> bool {
        let (lines, event) = (&mut self.core.lines, &mut self.core.event);
        let discarded = !lines.line.is_empty()
            || lines.mode != LineMode::Collect
            || matches!(lines.bom_matched, Some(n) if n > 0)
            || !event.data.is_empty()
            || !event.event_type.is_empty()
            || event.last_event_id_buffer != event.last_event_id
            || event.discard;
        lines.line.clear();
        lines.mode = LineMode::Collect;
        lines.after_cr = false;
        lines.bom_matched = Some(0);
        event.data.clear();
        event.event_type.clear();
        event.discard = false;
        // The id of an event that never completed is discarded with it (as browsers do: they
        // start a new parser per connection, seeded with the last event ID string).
        event.last_event_id_buffer.clone_from(&event.last_event_id);
        discarded
    }
}

/// Where the parser's output goes: the queue behind [`Parser::feed`], or the callback of
/// [`Parser::feed_with`]. One parser core serves both.
trait Sink {
    /// A dispatched event whose data is the data buffer, its final LF already removed. The sink
    /// may take `event_type` and `data` (the parser clears both afterwards).
    fn event(
        &mut self,
        event_type: &mut CompactString,
        data: &mut String,
        last_event_id: &CompactString,
    );
    /// A dispatched event whose data was never in the data buffer (`fast.rs`). The sink may take
    /// `event_type`.
    fn event_in_chunk(
        &mut self,
        event_type: &mut CompactString,
        data: &str,
        last_event_id: &CompactString,
    );
    /// A valid `retry` field.
    fn retry(&mut self, time: Duration);
    /// A broken limit.
    fn error(&mut self, error: ParseError);
    /// The sink has what its caller asked for: the parser may stop after the current line.
    fn full(&self) -> bool;
}

/// The sink behind [`Parser::feed`].
struct QueueSink<'q> {
    queue: &'q mut VecDeque<Result<Frame, ParseError>>,
    /// With [`Frames`] taking frames one by one: the first frame goes here, not through the
    /// queue, and the sink is then full, so that the parser stops after the line that made it.
    /// The caller can free each event before the next one is built, and the allocator hands the
    /// same memory back from its cache.
    lazy: bool,
    first: Option<Result<Frame, ParseError>>,
}

impl<'q> QueueSink<'q> {
    fn new(queue: &'q mut VecDeque<Result<Frame, ParseError>>, lazy: bool) -> Self {
        QueueSink {
            queue,
            lazy,
            first: None,
        }
    }

    #[inline]
    fn push(&mut self, frame: Result<Frame, ParseError>) {
        if self.lazy && self.first.is_none() {
            self.first = Some(frame);
        } else {
            self.queue.push_back(frame);
        }
    }
}

/// Strings up to this length are stored inside a `CompactString`, without a heap allocation.
const INLINE_LEN: usize = std::mem::size_of::<CompactString>();

impl Sink for QueueSink<'_> {
    fn event(
        &mut self,
        event_type: &mut CompactString,
        data: &mut String,
        last_event_id: &CompactString,
    ) {
        let data = if data.len() <= INLINE_LEN {
            CompactString::new(data.as_str())
        } else {
            // The buffer itself becomes the event's string: no copy. The parser gets a new buffer
            // a little larger than this event, so that an event of the same size (the usual
            // case) fills it without reallocating.
            let reserve = (data.len() + data.len() / 8).min(lines::KEEP_CAPACITY);
            let mut text = std::mem::replace(data, String::with_capacity(reserve));
            if text.capacity() - text.len() > text.len() / 4 {
                // The buffer grew by doubling: an event that is kept should not keep up to twice
                // its size. (Shrinking in place, the allocator usually copies nothing.)
                text.shrink_to_fit();
            }
            CompactString::from(text)
        };
        self.push(Ok(Frame::Event(MessageEvent {
            event_type: std::mem::take(event_type),
            data,
            last_event_id: last_event_id.clone(),
        })));
    }

    fn event_in_chunk(
        &mut self,
        event_type: &mut CompactString,
        data: &str,
        last_event_id: &CompactString,
    ) {
        let event = MessageEvent::from_parts(event_type, data, last_event_id);
        self.push(Ok(Frame::Event(event)));
    }

    fn retry(&mut self, time: Duration) {
        self.push(Ok(Frame::Retry(time)));
    }

    fn error(&mut self, error: ParseError) {
        self.push(Err(error));
    }

    #[inline]
    fn full(&self) -> bool {
        self.first.is_some()
    }
}

struct CallbackSink<F>(F);

impl<F: FnMut(Result<FrameRef<'_>, ParseError>)> CallbackSink<F> {
    fn call(&mut self, event_type: &CompactString, data: &str, last_event_id: &CompactString) {
        let event_type = if event_type.is_empty() {
            "message"
        } else {
            event_type.as_str()
        };
        (self.0)(Ok(FrameRef::Event(EventRef {
            event_type,
            data,
            last_event_id,
        })));
    }
}

impl<F: FnMut(Result<FrameRef<'_>, ParseError>)> Sink for CallbackSink<F> {
    fn event(
        &mut self,
        event_type: &mut CompactString,
        data: &mut String,
        last_event_id: &CompactString,
    ) {
        self.call(event_type, data, last_event_id);
    }

    fn event_in_chunk(
        &mut self,
        event_type: &mut CompactString,
        data: &str,
        last_event_id: &CompactString,
    ) {
        self.call(event_type, data, last_event_id);
    }

    fn retry(&mut self, time: Duration) {
        (self.0)(Ok(FrameRef::Retry(time)));
    }

    fn error(&mut self, error: ParseError) {
        (self.0)(Err(error));
    }

    #[inline]
    fn full(&self) -> bool {
        false
    }
}

/// A dispatched event, borrowed from the parser for the duration of a [`Parser::feed_with`]
/// callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventRef<'a> {
    event_type: &'a str,
    data: &'a str,
    last_event_id: &'a str,
}

impl<'a> EventRef<'a> {
    /// The event type (`message` by default).
    pub fn event_type(&self) -> &'a str {
        self.event_type
    }

    /// The data.
    pub fn data(&self) -> &'a str {
        self.data
    }

    /// The last event ID string.
    pub fn last_event_id(&self) -> &'a str {
        self.last_event_id
    }

    /// An owned copy.
    pub fn to_owned(&self) -> MessageEvent {
        MessageEvent::new(self.event_type, self.data, self.last_event_id)
    }
}

/// What [`Parser::feed_with`] hands out: a borrowed [`Frame`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameRef<'a> {
    /// A dispatched event.
    Event(EventRef<'a>),
    /// A valid `retry` field.
    Retry(Duration),
}

impl FrameRef<'_> {
    /// The owned [`Frame`] (copies the event's strings).
    pub fn to_owned(&self) -> Frame {
        match self {
            FrameRef::Event(event) => Frame::Event(event.to_owned()),
            FrameRef::Retry(time) => Frame::Retry(*time),
        }
    }
}

/// Decodes UTF-8 with U+FFFD for invalid sequences, as the spec's "UTF-8 decode" does. Lines are
/// split on the raw bytes first; that is equivalent because CR and LF never occur inside a
/// multi-byte sequence.
///
/// Valid text is the usual case, so a fast validation goes first and the lossy decode runs only
/// on invalid input: `simdutf8` (vectorised) for long strings, where it is several times faster
/// than the standard library's `from_utf8`, and `from_utf8` for short ones, where the start-up
/// cost of the vector code does not pay off.
fn utf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    const SIMD_FROM: usize = 64;
    let valid = if bytes.len() >= SIMD_FROM {
        simdutf8::basic::from_utf8(bytes).ok()
    } else {
        std::str::from_utf8(bytes).ok()
    };
    match valid {
        Some(text) => Cow::Borrowed(text),
        None => String::from_utf8_lossy(bytes),
    }
}

/// The frames of a [`Parser::feed`] call, in stream order, parsed as they are taken.
///
/// Dropping it before the end parses the rest of the chunk: the frames not taken stay queued and
/// come first from the next call (or from [`Parser::next_frame`]). (Leaking it, with
/// `std::mem::forget`, loses the rest of the chunk.)
pub struct Frames<'p> {
    parser: &'p mut Parser,
    text: fast::ChunkText<'p>,
    cursor: Cursor,
}

/// Where the parsing of one chunk stands, between the frames taken from it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor {
    /// Stream offset of the chunk's first byte.
    base: u64,
    /// Where parsing of the chunk goes on; `None` once it is done.
    next: Option<usize>,
}

impl Cursor {
    /// Nothing of the chunk is left to parse.
    #[cfg(feature = "stream")]
    #[inline]
    pub(crate) fn done(&self) -> bool {
        self.next.is_none()
    }
}

impl Iterator for Frames<'_> {
    type Item = Result<Frame, ParseError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.parser.next_in_chunk(&mut self.text, &mut self.cursor)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let queued = self.parser.queue.len();
        (queued, self.cursor.next.is_none().then_some(queued))
    }
}

impl Drop for Frames<'_> {
    #[inline]
    fn drop(&mut self) {
        if self.cursor.next.is_some() {
            self.parser.rest_of_chunk(&mut self.text, &mut self.cursor);
        }
    }
}

impl std::fmt::Debug for Frames<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frames")
            .field("queued", &self.parser.queue.len())
            .field("chunk_done", &self.cursor.next.is_none())
            .finish()
    }
}

/// Parses a complete stream held in memory: feed everything, then finish.
///
/// ```
/// let frames = sse_format::parse_all(b"event: ping\ndata: 1\n\n");
/// assert_eq!(frames.len(), 1);
/// ```
pub fn parse_all(input: &[u8]) -> Vec<Result<Frame, ParseError>> {
    let mut parser = Parser::new();
    let frames: Vec<_> = parser.feed(input).collect();
    let _ = parser.finish();
    frames
}
