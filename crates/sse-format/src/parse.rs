//! The incremental (push) parser: bytes in, [`Frame`]s out.
//!
//! This follows WHATWG HTML, "Server-sent events", sections *Parsing an event stream* and
//! *Interpreting an event stream*. Comments quote the spec's steps where the code implements them.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::Duration;

use compact_str::CompactString;
use memchr::{memchr, memchr2};

/// The UTF-8 byte order mark; the spec's decoder strips one at the very start of the stream.
const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Buffers up to this size are reused between lines and events; larger ones are freed.
const KEEP_CAPACITY: usize = 256 * 1024;

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

    /// Takes the data out (without copying, unless it was short enough to be stored inline).
    pub fn into_data(self) -> String {
        self.data.into_string()
    }
}

/// One thing the parser produced, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A blank line dispatched an event.
    Event(MessageEvent),
    /// A valid `retry:` field set the reconnection time.
    Retry(Duration),
}

/// What the line assembler is doing with the bytes of the current, unfinished line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineMode {
    /// Collecting the line into `line`.
    Collect,
    /// The line is a comment: nothing in it matters, so it is skipped without buffering, whatever
    /// its length (padding comments of several KiB are common behind old proxies).
    SkipComment,
    /// The line exceeded the limit and was reported; skip to its end.
    SkipTooLong,
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
    limits: Limits,
    /// Bytes of the current line that arrived in earlier chunks.
    line: Vec<u8>,
    line_mode: LineMode,
    /// Stream offset of the first byte of the current line.
    line_start: u64,
    /// Bytes consumed so far (after the BOM check), for error messages.
    offset: u64,
    /// The previous chunk ended with CR: an LF at the start of the next one belongs to it.
    after_cr: bool,
    /// How many bytes of a leading BOM have matched so far; `None` once the check is over.
    bom_matched: Option<u8>,
    /// An error ended the current event early: ignore lines up to the next blank line.
    discard_event: bool,
    /// The data buffer, as raw bytes: decoded once per event at dispatch. Decoding the joined
    /// lines gives the same text as decoding each line, because an invalid sequence can never
    /// swallow the LF between them. The allocation is kept from event to event.
    data: Vec<u8>,
    event_type: CompactString,
    /// The spec's "last event ID buffer" (set by `id:`) ...
    last_event_id_buffer: CompactString,
    /// An `id:` field has set the buffer since the last dispatch (saves a compare per event).
    id_changed: bool,
    /// ... and "last event ID string" (copied from the buffer at each blank line).
    last_event_id: CompactString,
    queue: VecDeque<Result<Frame, ParseError>>,
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
            limits,
            line: Vec::new(),
            line_mode: LineMode::Collect,
            line_start: 0,
            offset: 0,
            after_cr: false,
            bom_matched: Some(0),
            discard_event: false,
            data: Vec::new(),
            event_type: CompactString::default(),
            last_event_id_buffer: CompactString::default(),
            id_changed: false,
            last_event_id: CompactString::default(),
            queue: VecDeque::new(),
        }
    }

    /// The limits this parser enforces.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The last event ID string: what a client sends as `Last-Event-ID` when it reconnects.
    ///
    /// It changes only when a blank line is processed, so an `id:` inside an event that never
    /// completed does not count.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Sets the last event ID, for a client that resumes a stream in a new parser.
    pub fn set_last_event_id(&mut self, id: &str) {
        self.last_event_id_buffer.clear();
        self.last_event_id_buffer.push_str(id);
        self.last_event_id = CompactString::from(id);
    }

    /// Parses one chunk and returns the frames completed so far, in order.
    ///
    /// Frames the caller does not take from the returned iterator stay queued and come first from
    /// the next call (or from [`Parser::next_frame`]).
    #[inline]
    pub fn feed(&mut self, chunk: &[u8]) -> Frames<'_> {
        // The queue is moved out while parsing: the sink must not borrow the parser.
        let mut queue = std::mem::take(&mut self.queue);
        self.push(chunk, &mut QueueSink(&mut queue));
        self.queue = queue;
        Frames {
            queue: &mut self.queue,
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
        self.push(chunk, &mut CallbackSink(on_frame));
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
        let discarded = !self.line.is_empty()
            || self.line_mode != LineMode::Collect
            || !self.data.is_empty()
            || !self.event_type.is_empty()
            || self.last_event_id_buffer != self.last_event_id
            || self.discard_event
            || matches!(self.bom_matched, Some(n) if n > 0);
        self.line.clear();
        self.line_mode = LineMode::Collect;
        self.after_cr = false;
        self.bom_matched = Some(0);
        self.discard_event = false;
        self.data.clear();
        self.event_type.clear();
        // The id of an event that never completed is discarded with it (as browsers do: they
        // start a new parser per connection, seeded with the last event ID string).
        self.last_event_id_buffer.clear();
        self.last_event_id_buffer.push_str(&self.last_event_id);
        self.id_changed = false;
        discarded
    }

    // ANCHOR: push
    fn push<S: Sink>(&mut self, mut chunk: &[u8], sink: &mut S) {
        if let Some(matched) = self.bom_matched {
            chunk = self.strip_bom(chunk, matched, sink);
        }
        // An empty chunk decides nothing: not the BOM, not whether an LF follows a CR.
        if chunk.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if chunk.first() == Some(&b'\n') {
                chunk = &chunk[1..];
                self.offset += 1;
                self.line_start = self.offset;
            }
        }
        let base = self.offset;
        let mut start = 0; // first byte of the current line within `chunk`
        while let Some(len) = find_line_end(&chunk[start..]) {
            let end = start + len;
            self.end_line(&chunk[start..end], sink);
            start = end + 1;
            if chunk[end] == b'\r' {
                // CR LF counts as one line ending; a CR at the very end of the chunk may still be
                // followed by an LF in the next one.
                match chunk.get(start) {
                    Some(b'\n') => start += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            self.line_start = base + start as u64;
        }
        self.buffer_partial_line(&chunk[start..], sink);
        self.offset = base + chunk.len() as u64;
    }
    // ANCHOR_END: push

    /// The spec's UTF-8 decode strips one leading BOM; the BOM may itself arrive split.
    fn strip_bom<'c, S: Sink>(
        &mut self,
        chunk: &'c [u8],
        mut matched: u8,
        sink: &mut S,
    ) -> &'c [u8] {
        let mut used = 0;
        while let Some(&byte) = chunk.get(used) {
            if byte == BOM[matched as usize] {
                matched += 1;
                used += 1;
                if matched == 3 {
                    self.bom_matched = None;
                    self.offset += 3;
                    self.line_start = self.offset;
                    return &chunk[used..];
                }
            } else {
                // Not a BOM after all: the bytes that looked like one are line content.
                self.bom_matched = None;
                self.buffer_partial_line(&BOM[..matched as usize], sink);
                self.offset += matched as u64;
                return &chunk[used..];
            }
        }
        self.bom_matched = Some(matched);
        &chunk[used..]
    }

    fn buffer_partial_line<S: Sink>(&mut self, bytes: &[u8], sink: &mut S) {
        if bytes.is_empty() {
            return;
        }
        match self.line_mode {
            LineMode::SkipComment | LineMode::SkipTooLong => {}
            LineMode::Collect if self.line.is_empty() && bytes.first() == Some(&b':') => {
                self.line_mode = LineMode::SkipComment;
            }
            LineMode::Collect => {
                if self.line.len() + bytes.len() > self.limits.max_line_len {
                    self.line_too_long(sink);
                } else {
                    self.line.extend_from_slice(bytes);
                }
            }
        }
    }

    fn line_too_long<S: Sink>(&mut self, sink: &mut S) {
        sink.error(ParseError::LineTooLong {
            limit: self.limits.max_line_len,
            offset: self.line_start,
        });
        self.line.clear();
        self.line_mode = LineMode::SkipTooLong;
        self.discard_event = true;
    }

    /// A line ending arrived; `tail` is the part of the line in the current chunk.
    fn end_line<S: Sink>(&mut self, tail: &[u8], sink: &mut S) {
        match self.line_mode {
            LineMode::SkipComment | LineMode::SkipTooLong => {
                self.line_mode = LineMode::Collect;
            }
            LineMode::Collect if self.line.is_empty() => {
                // A comment is ignored whatever its length, as when it arrives in pieces.
                if tail.len() > self.limits.max_line_len && tail[0] != b':' {
                    self.line_too_long(sink);
                    self.line_mode = LineMode::Collect;
                } else {
                    self.process_line(tail, sink);
                }
            }
            LineMode::Collect => {
                if self.line.len() + tail.len() > self.limits.max_line_len {
                    self.line_too_long(sink);
                    self.line_mode = LineMode::Collect;
                } else {
                    let mut line = std::mem::take(&mut self.line);
                    line.extend_from_slice(tail);
                    self.process_line(&line, sink);
                    line.clear();
                    if line.capacity() <= KEEP_CAPACITY {
                        self.line = line; // keep the allocation for the next long line
                    }
                }
            }
        }
    }

    // ANCHOR: process_line
    /// Interprets one complete line (without its line ending).
    fn process_line<S: Sink>(&mut self, line: &[u8], sink: &mut S) {
        if self.discard_event {
            // An error cut this event short; drop everything up to its blank line.
            if line.is_empty() {
                self.discard_event = false;
                self.data.clear();
                self.event_type.clear();
            }
            return;
        }
        // "If the line is empty (a blank line): Dispatch the event."
        if line.is_empty() {
            self.dispatch(sink);
            return;
        }
        // "If the line starts with a U+003A COLON character (:): Ignore the line."
        if line[0] == b':' {
            return;
        }
        // "If the line contains a U+003A COLON character: collect the characters on the line
        // before the first colon, and let field be that string. Collect the characters on the line
        // after the first colon, and let value be that string. If value starts with a U+0020
        // SPACE character, remove it from value." Otherwise the whole line is the field name and
        // the value is empty.
        // Fast path: the common fields, recognised by their prefix (the first colon is then known).
        if let Some(value) = line.strip_prefix(b"data:") {
            let value = value.strip_prefix(b" ").unwrap_or(value);
            return self.append_data(value, sink);
        }
        for (name, len) in [(&b"event:"[..], 5), (b"id:", 2), (b"retry:", 5)] {
            if let Some(value) = line.strip_prefix(name) {
                let value = value.strip_prefix(b" ").unwrap_or(value);
                return self.process_field(&line[..len], value, sink);
            }
        }
        let (field, value) = match memchr(b':', line) {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        self.process_field(field, value, sink);
    }

    fn process_field<S: Sink>(&mut self, field: &[u8], value: &[u8], sink: &mut S) {
        // Field names are compared as bytes: an invalid UTF-8 byte would decode to U+FFFD, which
        // matches no field name anyway.
        match field {
            b"event" => {
                self.event_type.clear();
                self.event_type.push_str(&utf8_lossy(value));
            }
            b"data" => self.append_data(value, sink),
            // "If the field value does not contain U+0000 NULL, then set the last event ID
            // buffer to the field value. Otherwise, ignore the field."
            b"id" if memchr(0, value).is_none() => {
                self.last_event_id_buffer.clear();
                self.last_event_id_buffer.push_str(&utf8_lossy(value));
                self.id_changed = true;
            }
            // "If the field value consists of only ASCII digits, then interpret the field value
            // as an integer in base ten, and set the event stream's reconnection time to that
            // integer. Otherwise, ignore the field." An empty value is not a number.
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                let millis = value.iter().fold(0u64, |n, d| {
                    n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
                });
                sink.retry(Duration::from_millis(millis));
            }
            // "Otherwise: The field is ignored."
            _ => {}
        }
    }

    /// "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF)
    /// character to the data buffer."
    fn append_data<S: Sink>(&mut self, value: &[u8], sink: &mut S) {
        if self.data.len() + value.len() + 1 > self.limits.max_event_size {
            sink.error(ParseError::EventTooLarge {
                limit: self.limits.max_event_size,
                offset: self.line_start,
            });
            self.data = Vec::new(); // give back the memory of the oversized event
            self.event_type.clear();
            self.discard_event = true;
            return;
        }
        self.data.extend_from_slice(value);
        self.data.push(b'\n');
    }

    fn dispatch<S: Sink>(&mut self, sink: &mut S) {
        // 1. "Set the last event ID string of the event source to the value of the last event ID
        //    buffer." (The buffer is not reset, so the id persists across events.)
        if self.id_changed {
            self.id_changed = false;
            if self.last_event_id_buffer != self.last_event_id {
                self.last_event_id.clone_from(&self.last_event_id_buffer);
            }
        }
        // 2. "If the data buffer is an empty string, set the data buffer and the event type buffer
        //    to the empty string and return."
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        // 3. "If the data buffer's last character is a U+000A LINE FEED (LF) character, then
        //    remove the last character from the data buffer."
        if self.data.last() == Some(&b'\n') {
            self.data.pop();
        }
        // 4-5. Create the event; its type is the event type buffer, or "message" if empty. Then
        //    reset the data and event type buffers.
        if self.event_type == "message" {
            self.event_type.clear(); // one spelling of the default, so events compare equal
        }
        sink.event(&mut self.event_type, &self.data, &self.last_event_id);
        self.event_type.clear();
        self.data.clear();
        if self.data.capacity() > KEEP_CAPACITY {
            self.data = Vec::new(); // one huge event should not pin its memory for the stream's life
        }
    }
    // ANCHOR_END: process_line
}

/// Where the parser's output goes: the queue behind [`Parser::feed`], or the callback of
/// [`Parser::feed_with`]. One parser core serves both.
trait Sink {
    /// A dispatched event. The sink may take `event_type` (the parser clears it afterwards);
    /// `data` is the raw data buffer, its final LF already removed.
    fn event(&mut self, event_type: &mut CompactString, data: &[u8], last_event_id: &CompactString);
    /// A valid `retry` field.
    fn retry(&mut self, time: Duration);
    /// A broken limit.
    fn error(&mut self, error: ParseError);
}

struct QueueSink<'q>(&'q mut VecDeque<Result<Frame, ParseError>>);

impl Sink for QueueSink<'_> {
    fn event(
        &mut self,
        event_type: &mut CompactString,
        data: &[u8],
        last_event_id: &CompactString,
    ) {
        self.0.push_back(Ok(Frame::Event(MessageEvent {
            event_type: std::mem::take(event_type),
            data: CompactString::new(utf8_lossy(data)),
            last_event_id: last_event_id.clone(),
        })));
    }

    fn retry(&mut self, time: Duration) {
        self.0.push_back(Ok(Frame::Retry(time)));
    }

    fn error(&mut self, error: ParseError) {
        self.0.push_back(Err(error));
    }
}

struct CallbackSink<F>(F);

impl<F: FnMut(Result<FrameRef<'_>, ParseError>)> Sink for CallbackSink<F> {
    fn event(
        &mut self,
        event_type: &mut CompactString,
        data: &[u8],
        last_event_id: &CompactString,
    ) {
        let data = utf8_lossy(data);
        let event_type = if event_type.is_empty() {
            "message"
        } else {
            event_type.as_str()
        };
        (self.0)(Ok(FrameRef::Event(EventRef {
            event_type,
            data: &data,
            last_event_id,
        })));
    }

    fn retry(&mut self, time: Duration) {
        (self.0)(Ok(FrameRef::Retry(time)));
    }

    fn error(&mut self, error: ParseError) {
        (self.0)(Err(error));
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
pub enum FrameRef<'a> {
    /// A dispatched event.
    Event(EventRef<'a>),
    /// A valid `retry` field.
    Retry(Duration),
}

/// The position of the first CR or LF. Most lines in real streams are short (blank lines, `data: x`,
/// `event: ping`), where a plain loop beats the start-up cost of a vectorised search; longer lines
/// go to `memchr2`.
#[inline]
fn find_line_end(haystack: &[u8]) -> Option<usize> {
    const SHORT: usize = 16;
    let head = &haystack[..haystack.len().min(SHORT)];
    if let Some(at) = head.iter().position(|&b| b == b'\n' || b == b'\r') {
        return Some(at);
    }
    if haystack.len() <= SHORT {
        return None;
    }
    memchr2(b'\n', b'\r', &haystack[SHORT..]).map(|at| at + SHORT)
}

/// Decodes UTF-8 with U+FFFD for invalid sequences, as the spec's "UTF-8 decode" does. Lines are
/// split on the raw bytes first; that is equivalent because CR and LF never occur inside a
/// multi-byte sequence. `from_utf8` goes first because its validation is much faster than
/// `from_utf8_lossy`'s on valid text, the usual case.
fn utf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The frames completed by a [`Parser::feed`] call, in stream order.
#[derive(Debug)]
pub struct Frames<'p> {
    queue: &'p mut VecDeque<Result<Frame, ParseError>>,
}

impl Iterator for Frames<'_> {
    type Item = Result<Frame, ParseError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.queue.pop_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.queue.len(), Some(self.queue.len()))
    }
}

impl ExactSizeIterator for Frames<'_> {}

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
