//! The encoder: [`Event`] values to exact `text/event-stream` bytes, refusing field injection.

use std::io::Write as _;
use std::time::Duration;

/// Why an [`Event`] cannot be written safely.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The event type contains CR or LF, which would end the `event:` line and let the rest be
    /// read as other fields.
    #[error("event type {0:?} contains a line break (CR or LF), which would inject fields")]
    EventTypeHasLineBreak(String),
    /// The id contains CR or LF, which would inject fields.
    #[error("event id {0:?} contains a line break (CR or LF), which would inject fields")]
    IdHasLineBreak(String),
    /// The id contains NUL; a receiver ignores such an `id:` field, so it would silently not resume.
    #[error("event id {0:?} contains U+0000 NULL, which receivers ignore")]
    IdHasNul(String),
}

/// An event to send: a builder whose [`Event::encode`] writes the wire format.
///
/// Data may contain any line breaks (CR, LF or CRLF): each line becomes its own `data:` line and
/// the receiver joins them back with LF. An event type or id that would break the framing is
/// refused with an [`EncodeError`] and nothing is written.
///
/// ```
/// use sse_format::Event;
/// let bytes = Event::new().event("update").id("42").data("line 1\nline 2").to_bytes().unwrap();
/// assert_eq!(bytes, b"event: update\nid: 42\ndata: line 1\ndata: line 2\n\n");
///
/// assert!(Event::new().event("x\ndata: injected").to_bytes().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    comment: Option<String>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
    data: Option<String>,
}

impl Event {
    /// An empty event; set at least `data` for the receiver to dispatch it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the data (any text; line breaks become several `data:` lines).
    pub fn data(mut self, data: impl Into<String>) -> Self {
        self.data = Some(data.into());
        self
    }

    /// Sets the event type (the browser dispatches it to `addEventListener(type, ...)`).
    pub fn event(mut self, event_type: impl Into<String>) -> Self {
        self.event = Some(event_type.into());
        self
    }

    /// Sets the id, which the receiver sends back as `Last-Event-ID` when it reconnects. An empty
    /// id resets the receiver's last event ID.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the receiver's reconnection time (written in whole milliseconds).
    pub fn retry(mut self, reconnection_time: Duration) -> Self {
        self.retry = Some(reconnection_time);
        self
    }

    /// Adds a comment, which receivers ignore (useful as a keep-alive or for debugging).
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }

    // The getters are `get_*`, as on `std::process::Command` (`arg` sets, `get_args` reads): the
    // plain names are the builder's setters.

    /// The data, if set.
    pub fn get_data(&self) -> Option<&str> {
        self.data.as_deref()
    }

    /// The event type, if set.
    pub fn get_event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// The id, if set.
    pub fn get_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The reconnection time, if set.
    pub fn get_retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The comment, if set.
    pub fn get_comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// Checks that the event can be written without changing its meaning.
    pub fn validate(&self) -> Result<(), EncodeError> {
        if let Some(event) = &self.event
            && has_line_break(event)
        {
            return Err(EncodeError::EventTypeHasLineBreak(event.clone()));
        }
        if let Some(id) = &self.id {
            if has_line_break(id) {
                return Err(EncodeError::IdHasLineBreak(id.clone()));
            }
            if id.contains('\0') {
                return Err(EncodeError::IdHasNul(id.clone()));
            }
        }
        Ok(())
    }

    // ANCHOR: encode
    /// Appends the event's wire bytes to `out`, ending with the blank line that dispatches it.
    /// On error nothing is appended.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        // Validated first, so nothing is written on error: the bytes go straight into `out`.
        self.validate()?;
        out.reserve(self.encoded_len_hint());
        if let Some(comment) = &self.comment {
            // A comment with line breaks stays a comment: every piece gets its own colon.
            for line in split_lines(comment) {
                write_field(out, "", line);
            }
        }
        if let Some(event) = &self.event {
            write_field(out, "event", event);
        }
        if let Some(id) = &self.id {
            write_field(out, "id", id);
        }
        if let Some(retry) = self.retry {
            let _ = writeln!(out, "retry: {}", retry.as_millis());
        }
        if let Some(data) = &self.data {
            for line in split_lines(data) {
                write_field(out, "data", line);
            }
        }
        out.push(b'\n');
        Ok(())
    }

    /// The encoded length when no text has line breaks (one reservation instead of several).
    fn encoded_len_hint(&self) -> usize {
        let field = |value: &Option<String>, name: &str| {
            value.as_ref().map_or(0, |v| name.len() + v.len() + 3)
        };
        field(&self.comment, "")
            + field(&self.event, "event")
            + field(&self.id, "id")
            + field(&self.data, "data")
            + self.retry.map_or(0, |_| 30)
            + 1
    }
    // ANCHOR_END: encode

    /// The event's wire bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode(&mut out)?;
        Ok(out)
    }
}

/// Writes `name: value\n`. The space after the colon is always written, so a value that itself
/// starts with a space keeps it (the receiver strips exactly one).
fn write_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    if !value.is_empty() {
        out.push(b' ');
        out.extend_from_slice(value.as_bytes());
    }
    out.push(b'\n');
}

fn has_line_break(text: &str) -> bool {
    memchr::memchr2(b'\r', b'\n', text.as_bytes()).is_some()
}

/// Splits on CRLF, LF or CR, the three line endings a receiver recognises.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        // CR and LF are ASCII, so a byte position found by `memchr2` is a character boundary.
        match memchr::memchr2(b'\r', b'\n', current.as_bytes()) {
            None => {
                rest = None;
                Some(current)
            }
            Some(at) => {
                let skip = if current[at..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[at + skip..]);
                Some(&current[..at])
            }
        }
    })
}

/// A keep-alive: an empty comment and a blank line. Receivers ignore it; proxies and idle timeouts see
/// traffic.
pub const KEEP_ALIVE: &[u8] = b":\n\n";
