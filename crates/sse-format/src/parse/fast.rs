//! The fast paths: shortcuts that produce exactly the frames of the plain path, with less work.
//!
//! The plain path (`lines.rs`, then `interpret.rs`) follows the spec step by step. Real streams are
//! dominated by a few shapes, and these shortcuts serve them; everything else, and every state a
//! chunk boundary leaves behind, goes to the plain path.
//!
//! 1. **Finding line endings** ([`find_line_end`]): most lines are short (blank lines, `data: x`,
//!    `event: ping`), so the first 16 bytes are tested 8 at a time in a `u64` (SWAR: no start-up
//!    cost, no `unsafe`); a longer line goes to `memchr2`, which is vectorised.
//! 2. **Whole lines straight from the chunk** ([`Core::push_fast`]): once the parser is at a line
//!    start with nothing pending, every complete line of the chunk is handled where it lies. A
//!    `data:`, `id:` or `event:` line is recognised by its prefix, so its value is used without
//!    searching for the colon and matching the field name.
//! 3. **One-line events**: a `data:` line followed by a blank line, when the data buffer is empty,
//!    is dispatched straight from the chunk. The plain path would append the value and an LF to
//!    the data buffer and remove the LF again; here `feed_with` hands out a `&str` into the chunk
//!    (no copy at all) and `feed` copies the value once, into the event.
//! 4. **One UTF-8 check per chunk** ([`ChunkText`]): the data of one-line events and the values
//!    of `id:` and `event:` lines are slices of the chunk's text, validated once when the first of
//!    them is needed, instead of one validation per value (each with its own start-up cost).
//! 5. **A `data:` line cut by the chunk keeps only its value** ([`LineMode::DataValue`]): its
//!    start goes into the line buffer without `data:` and the space; a chunk in the middle of it
//!    costs one search and one append ([`Core::start_chunk`], inline in the caller); at its end,
//!    the line buffer, decoded in place, becomes the event's data when a blank line follows
//!    ([`Core::end_data_line`]), or the data buffer. The plain path copies the line into the
//!    line buffer and then again into the data buffer.
//! 6. **`feed`'s one-line events are built in its iterator** ([`Core::next_one_line_event`]):
//!    `Frames::next` recognises a `data: ` line and its blank line and builds the owned event
//!    there, inline in the caller's loop, without going through [`Core::push_lines`] and the
//!    sink; a `data: ` line that the chunk cuts is kept from there too, without a second search.
//!
//! Limits are checked as the plain path checks them, with the same errors at the same offsets: a
//! line that breaks a limit is handed to the plain path. The property test at the
//! end of this file checks on random inputs, split at random points, under tiny and default
//! limits, that the fast and plain paths give the same frames and the same errors.

use std::borrow::Cow;

use memchr::memchr2;

use super::lines::{KEEP_CAPACITY, LineMode};
use super::{Core, MessageEvent, Sink, utf8_lossy};

// ANCHOR: find_line_end
/// The position of the first CR or LF in `haystack`.
///
/// Most lines are short, so the first 16 bytes are tested 8 at a time in a `u64`, which costs
/// less than starting a vectorised search; [`CrLf`] (`memchr2`) takes the rest of a longer
/// haystack.
#[inline]
pub(super) fn find_line_end(haystack: &[u8], crlf: &CrLf) -> Option<usize> {
    if let (Some(first), Some(second)) = (haystack.get(..8), haystack.get(8..16)) {
        let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or_default());
        if let Some(at) = line_end_in_word(word(first)) {
            return Some(at);
        }
        if let Some(at) = line_end_in_word(word(second)) {
            return Some(8 + at);
        }
        return crlf.find(&haystack[16..]).map(|at| 16 + at);
    }
    haystack.iter().position(|&b| b == b'\n' || b == b'\r')
}

/// `memchr2(b'\n', b'\r', ..)` with its set-up done once per parser: where the CPU has AVX2, the
/// searcher is built once, instead of being looked up and built again on every call. With 64-byte
/// chunks, where one search is much of the work a chunk costs, that shows in the benchmark.
#[derive(Clone, Copy, Debug)]
pub(super) struct CrLf {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::Two>,
}

impl CrLf {
    pub(super) fn new() -> Self {
        CrLf {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::Two::new(b'\n', b'\r'),
        }
    }

    /// The position of the first CR or LF in `haystack`.
    #[inline]
    pub(super) fn find(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(searcher) = &self.avx2 {
            return searcher.find(haystack);
        }
        memchr2(b'\n', b'\r', haystack)
    }
}

/// The index of the first CR or LF byte among the 8 bytes of `word` (little-endian), if any.
#[inline]
fn line_end_in_word(word: u64) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `word ^ (ONES * b)` is zero exactly where `word` holds `b`. The classic zero-byte
    // test below can also flag a byte above a zero byte (through the borrow), never one below, so
    // its lowest flag is exact: that is the only one we read.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let found =
        zero_bytes(word ^ (ONES * u64::from(b'\n'))) | zero_bytes(word ^ (ONES * u64::from(b'\r')));
    (found != 0).then(|| (found.trailing_zeros() / 8) as usize)
}
// ANCHOR_END: find_line_end

impl Core {
    // ANCHOR: push_fast
    /// Parses one chunk, taking the shortcuts described in the module documentation.
    pub(super) fn push_fast<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        let base = self.lines.offset;
        if let Some(start) = self.start_chunk(chunk, sink) {
            self.push_lines(&mut ChunkText::new(chunk), base, start, sink);
        }
    }

    /// The start of a chunk: what the previous chunk left unfinished. Returns where the lines
    /// that begin in this chunk start, or `None` if nothing is left to do (the plain path took
    /// the chunk, or it ended inside the line it continues).
    #[inline]
    pub(super) fn start_chunk<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) -> Option<usize> {
        // The middle of a long `data:` line, the usual chunk when chunks are small: no line
        // ending in it, so it only joins the line buffer. (Only the fast paths start such a line,
        // and never before the BOM check is over.)
        if let LineMode::DataValue { prefix } = self.lines.mode
            && self.crlf.find(chunk).is_none()
            && usize::from(prefix) + self.lines.line.len() + chunk.len() <= self.limits.max_line_len
        {
            self.lines.line.extend_from_slice(chunk);
            self.lines.offset += chunk.len() as u64;
            return None;
        }
        self.start_chunk_in_full(chunk, sink)
    }

    /// [`Core::start_chunk`] for every other chunk.
    fn start_chunk_in_full<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) -> Option<usize> {
        #[cfg(test)]
        if !self.fast_paths {
            self.push(chunk, sink);
            return None;
        }
        // The start of the stream (the BOM check) and empty chunks take the plain path.
        if self.lines.bom_matched.is_some() || chunk.is_empty() {
            self.push(chunk, sink);
            return None;
        }
        let base = self.lines.offset; // stream offset of `chunk[0]`
        let mut start = 0;
        if self.lines.after_cr {
            // The previous line ended with CR: an LF here is the second half of its CRLF.
            self.lines.after_cr = false;
            start = usize::from(chunk[0] == b'\n');
        }
        if !self.lines.at_line_start() {
            // A line begun in an earlier chunk: finish it as the plain path does. It is likely a
            // long one, which a small chunk cut, so the search goes straight to the vector code.
            let Some(len) = self.crlf.find(&chunk[start..]) else {
                self.buffer_partial_line(&chunk[start..], sink);
                self.lines.offset = base + chunk.len() as u64;
                return None;
            };
            start = match self.lines.mode {
                LineMode::DataValue { .. } => self.end_data_line(chunk, start, start + len, sink),
                _ => {
                    self.end_line(&chunk[start..start + len], sink);
                    self.after_line_ending(chunk, start + len)
                }
            };
        }
        Some(start)
    }

    /// The end of a `data:` line begun in an earlier chunk ([`LineMode::DataValue`]), at
    /// `chunk[end]`; its part in this chunk starts at `start`. Returns where the next line starts.
    ///
    /// When a blank line follows and the data buffer is empty, the line is a whole event, as in
    /// [`Core::dispatch_one_line`]: the line buffer, decoded in place, is the event's data.
    fn end_data_line<S: Sink>(
        &mut self,
        chunk: &[u8],
        start: usize,
        end: usize,
        sink: &mut S,
    ) -> usize {
        let next = self.after_line_ending(chunk, end);
        let tail = &chunk[start..end];
        if let LineMode::DataValue { prefix } = self.lines.mode
            && let Some(blank) = whole_line_ending_len(chunk, next)
            && self.event.data.is_empty()
            && usize::from(prefix) + self.lines.line.len() + tail.len() <= self.limits.max_line_len
        {
            self.lines.line.extend_from_slice(tail);
            match String::from_utf8(std::mem::take(&mut self.lines.line)) {
                Ok(mut data) if data.len() < self.limits.max_event_size => {
                    self.lines.mode = LineMode::Collect;
                    self.dispatch_owned(&mut data, sink);
                    if data.capacity() <= KEEP_CAPACITY {
                        data.clear();
                        self.lines.line = data.into_bytes(); // the next line buffer
                    }
                    return next + blank;
                }
                // Invalid UTF-8, or an event too large: the usual way below says how.
                Ok(data) => self.lines.line = data.into_bytes(),
                Err(invalid) => self.lines.line = invalid.into_bytes(),
            }
            self.end_line(&[], sink);
            return next;
        }
        self.end_line(tail, sink);
        next
    }

    /// Handles the lines of a chunk from `start` on (`base` is the stream offset of the chunk's
    /// first byte): each complete line, then the start of an unfinished one. Stops after a line
    /// once the sink is [full](Sink::full), returning where to go on; `None` means the chunk is
    /// done.
    pub(super) fn push_lines<S: Sink>(
        &mut self,
        text: &mut ChunkText<'_>,
        base: u64,
        mut start: usize,
        sink: &mut S,
    ) -> Option<usize> {
        let chunk = text.chunk;
        let max_line_len = self.limits.max_line_len;
        while let Some(len) = find_line_end(&chunk[start..], &self.crlf) {
            let line = &chunk[start..start + len];
            self.lines.line_start = base + start as u64;
            let mut next = self.after_line_ending(chunk, start + len);
            match known_field(line) {
                // A `data`, `id` or `event` line within the line limit: the field is known without
                // a colon search, and its value is a slice of the chunk's text.
                Some((field, value)) if len <= max_line_len => {
                    let value = value.strip_prefix(b" ").unwrap_or(value);
                    let range = start + len - value.len()..start + len;
                    if self.event.discard {
                        // The plain path ignores it too.
                    } else if field == Field::Data {
                        if let Some(blank) = whole_line_ending_len(chunk, next)
                            && self.event.data.is_empty()
                        {
                            // A blank line follows and nothing is buffered: a one-line event.
                            let data = text.get(range);
                            if data.len() < self.limits.max_event_size {
                                self.dispatch_one_line(&data, sink);
                                next += blank;
                            } else {
                                self.append_text(&data, sink); // reports the broken limit
                            }
                        } else {
                            // Decoded on its own: a line of an event of many lines is often
                            // long, and checking it right after the search for its end, while it
                            // is in the cache, measured faster than a check of the whole chunk.
                            self.append_data(value, sink);
                        }
                    } else if field == Field::Event {
                        self.event.event_type.clear();
                        self.event.event_type.push_str(&text.get(range));
                    } else if !value.contains(&0) {
                        // `id`, with the plain path's rule: a value with NULL is ignored.
                        self.event.last_event_id_buffer.clear();
                        self.event.last_event_id_buffer.push_str(&text.get(range));
                    }
                }
                // Any other line, or one for the limits to judge: the plain path.
                _ => self.end_line(line, sink),
            }
            start = next;
            if sink.full() {
                return Some(start);
            }
        }
        self.lines.line_start = base + start as u64;
        self.buffer_line_start(&chunk[start..], sink);
        self.lines.offset = base + chunk.len() as u64;
        None
    }

    // ANCHOR_END: push_fast

    // ANCHOR: next_one_line_event
    /// The one-line event at `chunk[start..]`, for [`Frames`](super::Frames) to hand out
    /// directly, and where the next line starts ([`OneLine::Event`]); or the start of a `data: `
    /// line that the next chunk goes on with, kept ([`OneLine::ChunkDone`]); anything else is
    /// [`OneLine::Other`], for [`Core::push_lines`]. It is [`Core::push_lines`]'s one-line event
    /// without the way through the sink: an event a `feed` caller takes one at a time costs
    /// noticeably less built here, inline in the caller's loop.
    #[inline]
    pub(super) fn next_one_line_event(
        &mut self,
        text: &mut ChunkText<'_>,
        base: u64,
        start: usize,
    ) -> OneLine {
        let chunk = text.chunk;
        let value_start = start + 6;
        if !chunk
            .get(start..)
            .is_some_and(|rest| rest.starts_with(b"data: "))
        {
            return OneLine::Other;
        }
        let Some(end) = self
            .crlf
            .find(&chunk[value_start..])
            .map(|len| value_start + len)
        else {
            // The line goes on in the next chunk, and nothing follows it in this one: keep its
            // start as `push_lines` would, without searching again.
            if self.begin_data_value(&chunk[start..]) {
                self.lines.line_start = base + start as u64;
                self.lines.offset = base + chunk.len() as u64;
                return OneLine::ChunkDone;
            }
            return OneLine::Other;
        };
        let Some(ending) = whole_line_ending_len(chunk, end) else {
            return OneLine::Other;
        };
        let Some(blank) = whole_line_ending_len(chunk, end + ending) else {
            return OneLine::Other;
        };
        // The conditions of `push_lines`'s one-line event; a line that breaks a limit goes there
        // to be reported.
        if end - start > self.limits.max_line_len
            || self.event.discard
            || !self.event.data.is_empty()
        {
            return OneLine::Other;
        }
        let data = text.get(value_start..end);
        if data.len() >= self.limits.max_event_size {
            return OneLine::Other;
        }
        self.dispatch_steps_one_line();
        let event = &mut self.event;
        let event = MessageEvent::from_parts(&mut event.event_type, &data, &event.last_event_id);
        OneLine::Event(event, end + ending + blank)
    }
    // ANCHOR_END: next_one_line_event

    /// Keeps the start of a line the chunk cuts off. The start of a `data:` line is kept without
    /// its field name and colon (and space), so that its value can become the data buffer once
    /// the line is complete, without another copy ([`LineMode::DataValue`]).
    fn buffer_line_start<S: Sink>(&mut self, rest: &[u8], sink: &mut S) {
        if !self.begin_data_value(rest) {
            self.buffer_partial_line(rest, sink);
        }
    }

    /// Keeps `rest`, the start of a line, in [`LineMode::DataValue`] if it is the start of a
    /// `data:` line that can be (one the plain path would not drop or report); `false` if not.
    #[inline]
    fn begin_data_value(&mut self, rest: &[u8]) -> bool {
        if let Some(value) = rest.strip_prefix(b"data:")
            && !value.is_empty() // past the colon, so it is known whether a space follows
            && !self.event.discard
            && rest.len() <= self.limits.max_line_len
        {
            let (prefix, value) = match value.strip_prefix(b" ") {
                Some(value) => (6, value),
                None => (5, value),
            };
            self.lines.mode = LineMode::DataValue { prefix };
            self.lines.line.extend_from_slice(value);
            return true;
        }
        false
    }

    /// The line in [`LineMode::DataValue`] is complete: interpret it as the plain path interprets
    /// a `data:` line. Into an empty data buffer the line buffer itself moves (decoded in place),
    /// and the data buffer's spare allocation becomes the next line buffer.
    pub(super) fn end_data_value<S: Sink>(&mut self, sink: &mut S) {
        let line = std::mem::take(&mut self.lines.line);
        let mut spare = if self.event.data.is_empty() {
            match String::from_utf8(line) {
                Ok(mut value) if value.len() < self.limits.max_event_size => {
                    value.push('\n');
                    std::mem::replace(&mut self.event.data, value).into_bytes()
                }
                Ok(value) => {
                    self.append_text(&value, sink); // reports the broken limit
                    value.into_bytes()
                }
                Err(invalid) => {
                    let line = invalid.into_bytes();
                    self.append_data(&line, sink);
                    line
                }
            }
        } else {
            self.append_data(&line, sink);
            line
        };
        if spare.capacity() <= KEEP_CAPACITY {
            spare.clear();
            self.lines.line = spare; // keep the allocation for the next long line
        }
    }

    /// The index after the line ending at `chunk[end]`. A CR at the very end of the chunk may
    /// still get its LF from the next chunk.
    #[inline]
    fn after_line_ending(&mut self, chunk: &[u8], end: usize) -> usize {
        if chunk[end] == b'\r' {
            match chunk.get(end + 1) {
                Some(b'\n') => return end + 2,
                Some(_) => {}
                None => self.lines.after_cr = true,
            }
        }
        end + 1
    }

    /// Dispatches an event whose data buffer would hold `data` and one LF: the plain path's
    /// `append_data` and `dispatch` in one step, without touching the data buffer.
    fn dispatch_one_line<S: Sink>(&mut self, data: &str, sink: &mut S) {
        self.dispatch_steps_one_line();
        let event = &mut self.event;
        sink.event_in_chunk(&mut event.event_type, data, &event.last_event_id);
        event.event_type.clear();
    }

    /// [`Core::dispatch_one_line`] with the data in a `String` the sink may take (leaving
    /// another in its place), as the plain path's data buffer.
    fn dispatch_owned<S: Sink>(&mut self, data: &mut String, sink: &mut S) {
        self.dispatch_steps_one_line();
        let event = &mut self.event;
        sink.event(&mut event.event_type, data, &event.last_event_id);
        event.event_type.clear();
    }

    /// The dispatch steps before the event is created, for a one-line event.
    #[inline]
    fn dispatch_steps_one_line(&mut self) {
        let event = &mut self.event;
        // Step 1, as in `dispatch`. Most streams have no ids: two empty strings are told equal
        // without comparing their bytes.
        let (id, id_buffer) = (&event.last_event_id, &event.last_event_id_buffer);
        if id.len() != id_buffer.len() || (!id.is_empty() && id != id_buffer) {
            event.last_event_id.clone_from(&event.last_event_id_buffer);
        }
        // Steps 2 and 3: the buffer is not empty, and its final LF is the one not appended.
        if event.event_type.as_bytes() == b"message" {
            event.event_type.clear();
        }
    }
}

/// What [`Core::next_one_line_event`] found at a line start.
pub(super) enum OneLine {
    /// A one-line event, and where the next line starts.
    Event(MessageEvent, usize),
    /// The start of a `data:` line that the next chunk goes on with: kept, the chunk is done.
    ChunkDone,
    /// Anything else: for [`Core::push_lines`].
    Other,
}

/// The fields whose lines the fast path handles itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Data,
    Id,
    Event,
}

/// The field of a `data:`, `id:` or `event:` line, and the rest of the line after the colon.
#[inline]
fn known_field(line: &[u8]) -> Option<(Field, &[u8])> {
    match line.first()? {
        b'd' => Some((Field::Data, line.strip_prefix(b"data:")?)),
        b'i' => Some((Field::Id, line.strip_prefix(b"id:")?)),
        b'e' => Some((Field::Event, line.strip_prefix(b"event:")?)),
        _ => None,
    }
}

/// A chunk and its text: UTF-8 validated once, the first time a value is needed, instead of once
/// per event. A value inside the valid part is a slice of it; any other value (after an invalid
/// byte, or a character the chunk cuts in two) is decoded on its own.
#[derive(Debug)]
pub(super) struct ChunkText<'c> {
    chunk: &'c [u8],
    /// The longest valid prefix of the chunk, once validated.
    valid: Option<&'c str>,
    /// Validate the whole chunk at the first value (`false`: each value on its own).
    whole: bool,
}

impl<'c> ChunkText<'c> {
    pub(super) fn new(chunk: &'c [u8]) -> Self {
        ChunkText {
            chunk,
            valid: None,
            whole: true,
        }
    }

    /// A chunk whose values are validated one by one: for a caller that parses a few frames of
    /// the chunk at a time and cannot keep the validated text in between (`EventStream`, which
    /// keeps only the chunk between polls).
    #[cfg(feature = "stream")]
    pub(super) fn per_value(chunk: &'c [u8]) -> Self {
        ChunkText {
            chunk,
            valid: None,
            whole: false,
        }
    }

    /// The decoded text of `chunk[range]`, where `range` starts and ends on line or field
    /// boundaries (so never inside a valid character).
    #[inline]
    fn get(&mut self, range: std::ops::Range<usize>) -> Cow<'c, str> {
        // Inline: a slice of the validated text, the usual case once the chunk is validated.
        if let Some(text) = self.valid.and_then(|valid| valid.get(range.clone())) {
            return Cow::Borrowed(text);
        }
        self.get_first_or_invalid(range)
    }

    /// [`ChunkText::get`] for the first value of the chunk (which validates it), or a value
    /// outside its valid part.
    fn get_first_or_invalid(&mut self, range: std::ops::Range<usize>) -> Cow<'c, str> {
        let chunk = self.chunk;
        if !self.whole {
            return utf8_lossy(&chunk[range]);
        }
        let valid = *self.valid.get_or_insert_with(|| {
            simdutf8::basic::from_utf8(chunk).unwrap_or_else(|_| {
                // Rare: find where the valid part ends (`compat` is slower, but says where).
                let len =
                    simdutf8::compat::from_utf8(chunk).map_or_else(|e| e.valid_up_to(), str::len);
                // The prefix is valid, so this never falls back to "".
                simdutf8::basic::from_utf8(&chunk[..len]).unwrap_or_default()
            })
        });
        match valid.get(range.clone()) {
            Some(text) => Cow::Borrowed(text),
            None => utf8_lossy(&chunk[range]),
        }
    }
}

/// The length of the line ending at `chunk[end]`, if it is whole: a CR at the end of the chunk
/// is not, since its LF may come in the next chunk. At the start of a line, that is the length of
/// a blank line.
#[inline]
fn whole_line_ending_len(chunk: &[u8], end: usize) -> Option<usize> {
    match chunk.get(end..) {
        Some([b'\n', ..]) => Some(1),
        Some([b'\r', b'\n', ..]) => Some(2),
        Some([b'\r', _, ..]) => Some(1),
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use proptest::prelude::*;

    use super::{CrLf, find_line_end};
    use crate::{FrameRef, Limits, Parser};

    /// Bytes shaped like an event stream, with the shapes the fast paths look for in every variant:
    /// `data:` lines with and without a space, short and long, blank lines of every ending, a
    /// BOM, CR at the ends.
    pub(crate) fn streamish() -> impl Strategy<Value = Vec<u8>> {
        let token = prop_oneof![
            Just(b"data: x\n\n".to_vec()),
            Just(format!("data: {}\n\n", "y".repeat(300)).into_bytes()),
            Just(b"data:y\r\n\r\n".to_vec()),
            Just(b"data: ab\r\r".to_vec()),
            Just(b"data".to_vec()),
            Just(b"data:".to_vec()),
            Just(b"data: ".to_vec()),
            Just(b"event: e".to_vec()),
            Just(b"id: 7".to_vec()),
            Just(b"retry: 10".to_vec()),
            Just(b":".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\xef\xbb\xbf".to_vec()),
            Just("\u{e9}\u{1f600}".as_bytes().to_vec()),
            Just(b"\0\xff".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..20),
            "[a-z :]{0,24}".prop_map(String::into_bytes),
        ];
        proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
    }

    /// Everything the parser produces for `input` cut at `cuts` (with a `finish` before every fourth
    /// piece), then `finish`. With `mixed`, the
    /// pieces take turns between `feed` read to the end, `feed_with`, and `feed` left after one
    /// frame (the rest must then come from `next_frame`); without it, only `feed_with`, which does
    /// not go through the `Frames` iterator at all.
    fn run(mut parser: Parser, input: &[u8], cuts: &[usize], mixed: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
        cuts.sort_unstable();
        cuts.push(input.len());
        let mut start = 0;
        for (i, &cut) in cuts.iter().enumerate() {
            let piece = &input[start..cut];
            start = cut;
            if i % 4 == 3 {
                // Now and then the stream is cut here and a new one begins.
                out.push(format!("finish {}", parser.finish()));
            }
            match if mixed { i % 3 } else { 1 } {
                0 => out.extend(parser.feed(piece).map(|frame| format!("{frame:?}"))),
                1 => parser.feed_with(piece, |frame| {
                    out.push(format!(
                        "{:?}",
                        frame.map(|f| match f {
                            FrameRef::Event(event) => crate::Frame::Event(event.to_owned()),
                            FrameRef::Retry(time) => crate::Frame::Retry(time),
                        })
                    ));
                }),
                _ => {
                    out.extend(parser.feed(piece).next().map(|frame| format!("{frame:?}")));
                    while let Some(frame) = parser.next_frame() {
                        out.push(format!("{frame:?}"));
                    }
                }
            }
        }
        out.push(format!(
            "finish {} {:?}",
            parser.finish(),
            parser.last_event_id()
        ));
        out
    }

    fn plain(limits: Limits) -> Parser {
        let mut parser = Parser::with_limits(limits);
        parser.core.fast_paths = false;
        parser
    }

    /// The event limit counts the data as decoded: an invalid byte becomes the three bytes of
    /// U+FFFD. A one-line event, whose data the fast path never puts in the data buffer, must be
    /// judged on that length too, whole and split, and so must a `feed` taken a frame at a time.
    #[test]
    fn one_line_event_with_invalid_utf8_meets_the_event_limit_as_decoded() {
        // 6 raw bytes of data, 12 decoded (+ LF): within a 10-byte limit raw, beyond it decoded.
        let input = b"data: ab\xff\xffcd\n\ndata: ok\n\ndata: \xff\n\n";
        let limits = Limits::default().max_event_size(10);
        // At most two cuts: `run` ends the stream before a fourth piece.
        for cuts in [&[][..], &[9], &[7, 12], &[3, 20], &[14, 17]] {
            let fast = run(Parser::with_limits(limits), input, cuts, true);
            assert_eq!(
                fast,
                run(plain(limits), input, cuts, false),
                "cuts {cuts:?}"
            );
            assert!(fast[0].starts_with("Err(EventTooLarge"), "{fast:?}");
            assert!(fast.iter().any(|f| f.contains("\"ok\"")), "{fast:?}");
            assert!(fast.iter().any(|f| f.contains("\"\u{fffd}\"")), "{fast:?}");
        }
    }

    /// `data:` lines cut by chunks anywhere (a character cut in two, an invalid byte, a sequence the
    /// line's end cuts short, CRLF cut between CR and LF) under the line and event limits: the
    /// fast paths give the plain path's frames and errors for every pair of cut points.
    #[test]
    fn data_lines_cut_anywhere_give_the_plain_paths_frames() {
        let input = "data: caf\u{e9} \u{1f600} ok\r\ndata:\u{20ac}"
            .bytes()
            .chain(*b"\xff\xe2\x82 x\ndata: \xf0\x9f\x98\n\nid: 1\ndata: long line here\n\n")
            .collect::<Vec<u8>>();
        for limits in [
            Limits::default(),
            Limits::default().max_line_len(18),
            Limits::default().max_event_size(20),
        ] {
            for a in 0..=input.len() {
                for b in a..=input.len() {
                    // Two cuts: `run` ends the stream only before a fourth piece.
                    let cuts = [a, b];
                    assert_eq!(
                        run(Parser::with_limits(limits), &input, &cuts, true),
                        run(plain(limits), &input, &cuts, false),
                        "cuts {cuts:?}, {limits:?}"
                    );
                }
            }
        }
    }

    /// A one-line event at the exact edge of a limit, whole in a chunk (built in `Frames` or
    /// handed to `feed_with`) or with its `data:` line cut by a chunk (the line buffer becomes the
    /// event): the fast paths break and keep the limits where the plain path does, for valid and
    /// invalid UTF-8 (which decodes to more bytes than it has).
    #[test]
    fn one_line_events_at_the_edge_of_each_limit_give_the_plain_paths_frames() {
        // After a first event (the first chunk always takes the plain path, for the BOM check),
        // two lines of 16 bytes: 10 bytes of data, and 12 once the invalid byte is decoded.
        let input = b"data: ok\n\ndata: abcdefghij\n\ndata: ab\xffcdefgh\n\ndata: ok\n\n";
        for limits in (9..=13)
            .map(|n| Limits::default().max_event_size(n))
            .chain((15..=17).map(|n| Limits::default().max_line_len(n)))
        {
            // Two cuts: `run` ends the stream only before a fourth piece.
            for a in 0..=input.len() {
                for b in a..=input.len() {
                    let cuts = [a, b];
                    assert_eq!(
                        run(Parser::with_limits(limits), input, &cuts, true),
                        run(plain(limits), input, &cuts, false),
                        "cuts {cuts:?}, {limits:?}"
                    );
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn fast_paths_give_the_plain_paths_frames(
            input in streamish(),
            cuts in proptest::collection::vec(any::<usize>(), 0..8),
            small in proptest::option::of((2usize..40, 2usize..40)),
        ) {
            let limits = match small {
                Some((line, event)) => Limits::default().max_line_len(line).max_event_size(event),
                None => Limits::default(),
            };
            prop_assert_eq!(
                run(Parser::with_limits(limits), &input, &cuts, true),
                run(plain(limits), &input, &cuts, false)
            );
        }

        #[test]
        fn find_line_end_finds_the_first_cr_or_lf(input in proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'\r'), any::<u8>(), any::<u8>(), any::<u8>()], 0..40)
        ) {
            prop_assert_eq!(
                find_line_end(&input, &CrLf::new()),
                input.iter().position(|&b| b == b'\n' || b == b'\r')
            );
        }
    }
}
