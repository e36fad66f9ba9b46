//! Field interpretation: the spec's *Interpreting an event stream*. Complete lines in, frames out.
//!
//! A line is a blank line (dispatch the event), a comment (ignored) or a field. The `data`, `event`
//! and `id` fields fill the buffers the spec names; `retry` sets the reconnection time; any other
//! field is ignored. A blank line turns the buffers into an event. Lines arrive whole and without
//! their line ending, from the line assembler (`lines.rs`); the fast paths (`fast.rs`) use the same
//! buffers and the same rules.

use std::time::Duration;

use compact_str::CompactString;
use memchr::memchr;

use super::lines::KEEP_CAPACITY;
use super::{Core, ParseError, Sink, utf8_lossy};

/// The buffers of the event being received, and the last event ID.
#[derive(Debug, Default)]
pub(super) struct EventState {
    /// The data buffer, as text: each `data:` value is decoded as it is appended, which gives the
    /// same text as decoding the whole stream first, because an invalid sequence can never
    /// swallow the line ending after it. Holding text means the event needs no second decode at
    /// dispatch, and `feed` can hand the buffer itself over to the event.
    pub(super) data: String,
    /// The event type buffer (empty means `message`).
    pub(super) event_type: CompactString,
    /// The last event ID buffer, set by `id:` ...
    pub(super) last_event_id_buffer: CompactString,
    /// ... and the last event ID string, copied from the buffer at each blank line.
    pub(super) last_event_id: CompactString,
    /// An error ended the current event early: ignore lines up to the next blank line.
    pub(super) discard: bool,
}

impl Core {
    // ANCHOR: process_line
    /// Interprets one complete line (without its line ending).
    pub(super) fn process_line<S: Sink>(&mut self, line: &[u8], sink: &mut S) {
        if self.event.discard {
            // An error cut this event short; drop everything up to its blank line.
            if line.is_empty() {
                self.event.discard = false;
                self.event.data.clear();
                self.event.event_type.clear();
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
        let (field, value) = match memchr(b':', line) {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        self.process_field(field, value, sink);
    }

    /// "Process the field using the steps described below, using field as the field name and
    /// value as the field value."
    pub(super) fn process_field<S: Sink>(&mut self, field: &[u8], value: &[u8], sink: &mut S) {
        // Field names are compared as bytes: an invalid UTF-8 byte would decode to U+FFFD, which
        // matches no field name anyway.
        match field {
            // "Set the event type buffer to field value."
            b"event" => {
                self.event.event_type.clear();
                self.event.event_type.push_str(&utf8_lossy(value));
            }
            b"data" => self.append_data(value, sink),
            // "If the field value does not contain U+0000 NULL, then set the last event ID
            // buffer to the field value. Otherwise, ignore the field."
            b"id" if memchr(0, value).is_none() => {
                self.event.last_event_id_buffer.clear();
                self.event.last_event_id_buffer.push_str(&utf8_lossy(value));
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
    pub(super) fn append_data<S: Sink>(&mut self, value: &[u8], sink: &mut S) {
        self.append_text(&utf8_lossy(value), sink);
    }

    /// `append_data` for a value already decoded. The event limit counts decoded bytes.
    pub(super) fn append_text<S: Sink>(&mut self, value: &str, sink: &mut S) {
        if self.event.data.len() + value.len() + 1 > self.limits.max_event_size {
            return self.event_too_large(sink);
        }
        self.event.data.push_str(value);
        self.event.data.push('\n');
    }

    /// The data buffer would outgrow the event limit: report it and drop the event.
    pub(super) fn event_too_large<S: Sink>(&mut self, sink: &mut S) {
        sink.error(ParseError::EventTooLarge {
            limit: self.limits.max_event_size,
            offset: self.lines.line_start,
        });
        self.event.data = String::new(); // give back the memory of the oversized event
        self.event.event_type.clear();
        self.event.discard = true;
    }

    /// "When the user agent is required to dispatch the event, the user agent must process the
    /// data buffer, the event type buffer, and the last event ID buffer using steps appropriate
    /// for the user agent."
    fn dispatch<S: Sink>(&mut self, sink: &mut S) {
        let event = &mut self.event;
        // 1. "Set the last event ID string of the event source to the value of the last event ID
        //    buffer." (The buffer is not reset, so the id persists across events.)
        if event.last_event_id != event.last_event_id_buffer {
            event.last_event_id.clone_from(&event.last_event_id_buffer);
        }
        // 2. "If the data buffer is an empty string, set the data buffer and the event type buffer
        //    to the empty string and return."
        if event.data.is_empty() {
            event.event_type.clear();
            return;
        }
        // 3. "If the data buffer's last character is a U+000A LINE FEED (LF) character, then
        //    remove the last character from the data buffer."
        if event.data.ends_with('\n') {
            event.data.pop();
        }
        // 4-5. Create the event; its type is the event type buffer, or "message" if empty. Then
        //    reset the data and event type buffers.
        if event.event_type == "message" {
            event.event_type.clear(); // one spelling of the default, so events compare equal
        }
        // The sink may take the data buffer for the event, leaving a new one.
        sink.event(&mut event.event_type, &mut event.data, &event.last_event_id);
        event.event_type.clear();
        event.data.clear();
        if event.data.capacity() > KEEP_CAPACITY {
            event.data = String::new(); // one huge event should not pin its memory for the stream's life
        }
    }
    // ANCHOR_END: process_line
}
