//! Line assembly: the spec's *Parsing an event stream*. Bytes in, complete lines out.
//!
//! The stream is UTF-8 decoded (one leading BOM stripped) and split into lines ending in CRLF, LF
//! or CR. Chunks split the stream anywhere, so this module keeps what a chunk leaves unfinished: the
//! start of a line, a CR whose LF may open the next chunk, a BOM that has matched only partly. It
//! also enforces [`Limits::max_line_len`](super::Limits::max_line_len): a line is never buffered
//! past it. Each complete line goes to [`Core::process_line`] (`interpret.rs`), without its line
//! ending.
//!
//! Lines are split on raw bytes and decoded later, which is the same as decoding first: CR and LF
//! never occur inside a multi-byte UTF-8 sequence, and a character split across chunks is whole by
//! the time its line is.

use super::fast::find_line_end;
use super::{Core, ParseError, Sink};

/// The UTF-8 byte order mark; the spec's decoder strips one at the very start of the stream.
const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// A line buffer up to this size is kept for the next long line; a larger one is freed.
pub(super) const KEEP_CAPACITY: usize = 256 * 1024;

/// The line assembler's state between chunks.
#[derive(Debug)]
pub(super) struct LineState {
    /// Bytes of the current line that arrived in earlier chunks.
    pub(super) line: Vec<u8>,
    pub(super) mode: LineMode,
    /// Stream offset of the first byte of the current line, for error messages.
    pub(super) line_start: u64,
    /// Bytes consumed before the current chunk (after the BOM check).
    pub(super) offset: u64,
    /// The previous chunk ended with CR: an LF at the start of the next one belongs to it.
    pub(super) after_cr: bool,
    /// How many bytes of a leading BOM have matched so far; `None` once the check is over.
    pub(super) bom_matched: Option<u8>,
}

impl LineState {
    pub(super) fn new() -> Self {
        LineState {
            line: Vec::new(),
            mode: LineMode::Collect,
            line_start: 0,
            offset: 0,
            after_cr: false,
            bom_matched: Some(0),
        }
    }

    /// Nothing of a line is pending: the next byte starts a new line (or is the LF of a CRLF,
    /// if `after_cr`).
    pub(super) fn at_line_start(&self) -> bool {
        self.mode == LineMode::Collect && self.line.is_empty()
    }
}

/// What the line assembler is doing with the bytes of the current, unfinished line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LineMode {
    /// Collecting the line into `line`.
    Collect,
    /// The line is a `data:` line, and `line` holds only its value, still undecoded: the field
    /// name, the colon and the space after it (`prefix` bytes, counted by the line limit) were
    /// left out when the line began. Only the fast paths start such a line (`fast.rs`, where
    /// [`Core::end_data_value`] interprets it); it saves copying the value a second time.
    DataValue {
        /// How many bytes of the line (`data:` or `data: `) are not in `line`.
        prefix: u8,
    },
    /// The line is a comment: nothing in it matters, so it is skipped without buffering, whatever
    /// its length (padding comments of several KiB are common behind old proxies).
    SkipComment,
    /// The line exceeded the limit and was reported; skip to its end.
    SkipTooLong,
}

impl Core {
    // ANCHOR: push
    /// Splits one chunk into lines; each complete line goes to `end_line`.
    pub(super) fn push<S: Sink>(&mut self, mut chunk: &[u8], sink: &mut S) {
        if let Some(matched) = self.lines.bom_matched {
            chunk = self.strip_bom(chunk, matched, sink);
        }
        // An empty chunk decides nothing: not the BOM, not whether an LF follows a CR.
        if chunk.is_empty() {
            return;
        }
        if self.lines.after_cr {
            self.lines.after_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
                self.lines.offset += 1;
                self.lines.line_start = self.lines.offset;
            }
        }
        let base = self.lines.offset;
        let mut start = 0; // first byte of the current line within `chunk`
        while let Some(len) = find_line_end(&chunk[start..], &self.crlf) {
            let end = start + len;
            self.end_line(&chunk[start..end], sink);
            start = end + 1;
            if chunk[end] == b'\r' {
                // "CR LF" counts as one line ending; a CR at the very end of the chunk may still
                // be followed by an LF in the next one.
                match chunk.get(start) {
                    Some(b'\n') => start += 1,
                    Some(_) => {}
                    None => self.lines.after_cr = true,
                }
            }
            self.lines.line_start = base + start as u64;
        }
        self.buffer_partial_line(&chunk[start..], sink);
        self.lines.offset = base + chunk.len() as u64;
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
                    self.lines.bom_matched = None;
                    self.lines.offset += 3;
                    self.lines.line_start = self.lines.offset;
                    return &chunk[used..];
                }
            } else {
                // Not a BOM after all: the bytes that looked like one are line content.
                self.lines.bom_matched = None;
                self.buffer_partial_line(&BOM[..matched as usize], sink);
                self.lines.offset += matched as u64;
                return &chunk[used..];
            }
        }
        self.lines.bom_matched = Some(matched);
        &chunk[used..]
    }

    /// Keeps the start of a line whose ending has not arrived yet.
    pub(super) fn buffer_partial_line<S: Sink>(&mut self, bytes: &[u8], sink: &mut S) {
        if bytes.is_empty() {
            return;
        }
        match self.lines.mode {
            LineMode::SkipComment | LineMode::SkipTooLong => {}
            LineMode::Collect if self.lines.line.is_empty() && bytes[0] == b':' => {
                self.lines.mode = LineMode::SkipComment;
            }
            LineMode::Collect => {
                if self.lines.line.len() + bytes.len() > self.limits.max_line_len {
                    self.line_too_long(sink);
                } else {
                    self.lines.line.extend_from_slice(bytes);
                }
            }
            LineMode::DataValue { prefix } => {
                if usize::from(prefix) + self.lines.line.len() + bytes.len()
                    > self.limits.max_line_len
                {
                    self.line_too_long(sink);
                } else {
                    self.lines.line.extend_from_slice(bytes);
                }
            }
        }
    }

    pub(super) fn line_too_long<S: Sink>(&mut self, sink: &mut S) {
        sink.error(ParseError::LineTooLong {
            limit: self.limits.max_line_len,
            offset: self.lines.line_start,
        });
        self.lines.line.clear();
        self.lines.mode = LineMode::SkipTooLong;
        self.event.discard = true;
    }

    /// A line ending arrived; `tail` is the part of the line in the current chunk.
    pub(super) fn end_line<S: Sink>(&mut self, tail: &[u8], sink: &mut S) {
        match self.lines.mode {
            LineMode::SkipComment | LineMode::SkipTooLong => {
                self.lines.mode = LineMode::Collect;
            }
            LineMode::Collect if self.lines.line.is_empty() => {
                // A comment is ignored whatever its length, as when it arrives in pieces.
                if tail.len() > self.limits.max_line_len && tail[0] != b':' {
                    self.line_too_long(sink);
                    self.lines.mode = LineMode::Collect;
                } else {
                    self.process_line(tail, sink);
                }
            }
            LineMode::Collect => {
                if self.lines.line.len() + tail.len() > self.limits.max_line_len {
                    self.line_too_long(sink);
                    self.lines.mode = LineMode::Collect;
                } else {
                    let mut line = std::mem::take(&mut self.lines.line);
                    line.extend_from_slice(tail);
                    self.process_line(&line, sink);
                    line.clear();
                    if line.capacity() <= KEEP_CAPACITY {
                        self.lines.line = line; // keep the allocation for the next long line
                    }
                }
            }
            LineMode::DataValue { prefix } => {
                self.lines.mode = LineMode::Collect;
                if usize::from(prefix) + self.lines.line.len() + tail.len()
                    > self.limits.max_line_len
                {
                    self.line_too_long(sink);
                    self.lines.mode = LineMode::Collect;
                } else {
                    self.lines.line.extend_from_slice(tail);
                    self.end_data_value(sink);
                }
            }
        }
    }
}
